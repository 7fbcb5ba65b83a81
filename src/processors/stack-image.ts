// An image prepared for a stacked dataset (convert's --layout stacked), decoded by sharp (libvips)
// in the worker that prepares the entry, upright by its EXIF orientation, 8-bit:
//   - with --resize: sRGB, three channels (grey expanded, alpha dropped, CMYK converted, 16-bit
//     scaled) brought to the box, so that every row of `images` [N, H, W, 3] has one shape;
//   - without: its own channels (grey 1, grey+alpha 2, RGB 3, RGBA 4; CMYK as RGB) and size: the
//     stack is fixed-shape while the images agree, ragged once one does not;
//   - encoded (--images encoded): decoded only to prove it decodes (a loader decoding it later
//     must not meet a corrupt file mid-epoch); the stack keeps the file's own bytes, and the shape
//     is the one stored (no EXIF rotation: PIL and torchvision's decoders do not apply it either).
import { loadSharp } from "./sharp-module";
import type { DecodedImage } from "./decoded-image";
import { checkPixels, decodeFailure, DEFAULT_MAX_PIXELS, type StackImageOptions } from "./image";
import { sharpResize } from "./resize-spec";

/** Decodes `bytes` for a stack: pixels row-major [H, W, C] (none when encoded); `maxPixels` bounds the source (0: no bound). */
export async function decodeStackImage(bytes: Uint8Array, stack: StackImageOptions, maxPixels = DEFAULT_MAX_PIXELS): Promise<DecodedImage> {
  try {
    const source = loadSharp()(bytes, { limitInputPixels: false });
    const { width, height, format, channels, space, hasAlpha } = await source.metadata();
    if (width === undefined || height === undefined) throw new Error("no image size in its header");
    checkPixels(width, height, maxPixels);
    const model = { format: format ?? "unknown", frames: 1, bitDepth: 8 as const, sampleType: undefined };
    if (stack.encoded) {
      await source.raw().toBuffer();
      const own = channels ?? 3;
      return { ...model, data: new Uint8Array(0), shape: [height, width, own], width, height, channels: own, colourModel: space === "b-w" ? "GREY" : space === "cmyk" ? "CMYK" : "RGB" };
    }
    const grey = space === "b-w" || space === "grey16";
    // Grey is made b-w (one channel, 16-bit scaled to 8), unless it has alpha, which b-w drops:
    // grey+alpha is taken as RGBA, and R (= G = B) and A are kept.
    const greyAlpha = !stack.resize && grey && hasAlpha === true;
    const pipeline = stack.resize
      ? source.rotate().toColourspace("srgb").removeAlpha().resize(sharpResize(stack.resize))
      : source.rotate().toColourspace(grey && !greyAlpha ? "b-w" : "srgb");
    const { data, info } = await pipeline.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
    if (stack.resize && info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, not 3`);
    const pixels = greyAlpha ? keepChannels(data, info.channels, [0, 3]) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (greyAlpha) info.channels = 2;
    return { ...model, data: pixels, shape: [info.height, info.width, info.channels], width: info.width, height: info.height, channels: info.channels, colourModel: info.channels <= 2 ? "GREY" : "RGB" };
  } catch (error) {
    throw decodeFailure(error, bytes);
  }
}

/** The channels `keep` of each pixel of `data` (`channels` per pixel). */
function keepChannels(data: Uint8Array, channels: number, keep: number[]): Uint8Array {
  const pixels = data.length / channels;
  const out = new Uint8Array(pixels * keep.length);
  for (let p = 0; p < pixels; p++) for (let k = 0; k < keep.length; k++) out[p * keep.length + k] = data[p * channels + keep[k]];
  return out;
}
