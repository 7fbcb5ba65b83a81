// An image decoded for a stacked dataset (convert's --layout stacked): 8-bit sRGB, three channels (grey expanded, alpha
// dropped, CMYK converted, 16-bit scaled), upright by its EXIF orientation, and brought to the
// stack's box when --resize gives one — so that every row of `images` [N, H, W, 3] has one
// shape. Decoded by sharp (libvips), in the worker that prepares the entry.
import sharp from "sharp";
import type { DecodedImage } from "./decoded-image";
import { checkPixels, decodeFailure, DEFAULT_MAX_PIXELS } from "./image";
import { sharpResize, type ResizeSpec } from "./resize-spec";

/** Decodes `bytes` to a stack's image, pixels row-major [H, W, 3]; `maxPixels` bounds the source (0: no bound). */
export async function decodeStackImage(bytes: Uint8Array, resize: ResizeSpec | null, maxPixels = DEFAULT_MAX_PIXELS): Promise<DecodedImage> {
  try {
    const source = sharp(bytes, { limitInputPixels: false });
    const { width, height, format } = await source.metadata();
    if (width === undefined || height === undefined) throw new Error("no image size in its header");
    checkPixels(width, height, maxPixels);
    let pipeline = source.rotate().toColourspace("srgb").removeAlpha();
    if (resize) pipeline = pipeline.resize(sharpResize(resize));
    const { data, info } = await pipeline.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, not 3`);
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { data: pixels, shape: [info.height, info.width, 3], frames: 1, width: info.width, height: info.height, channels: 3, bitDepth: 8, colourModel: "RGB", format: format ?? "unknown" };
  } catch (error) {
    throw decodeFailure(error, bytes);
  }
}
