// The image processor: PNG, JPEG, GIF, WebP, TIFF, BMP, ... decoded to pixels (in a worker), stored
// as an HDF5 Image. An image decoding to STRIP_MIN_BYTES or more is decoded in the writer a band
// of rows at a time instead (image-strips.ts), and counts two bands in flight, not its pixels.
import { decodeImage, imageOptionsFrom, writeDecodedImage, type DecodedImage, type ImageOptions } from "./image";
import { decodedBytesOf } from "./image-footprint";
import { decodeStackImage } from "./stack-image";
import { planStrips, STRIP_BAND_BYTES, STRIP_MIN_BYTES, writeImageStrips, type StripPlan } from "./image-strips";
import type { Footprint, PreparingProcessor, ProcessorSettings } from "./processor";
import type { Classification } from "../classify";

/** An animated GIF goes to the video processor with --gif-as-video. */
export function isGifAsVideo(kind: Classification, settings: ProcessorSettings): boolean {
  return settings.gifAsVideo === true && kind.mediaType === "image/gif";
}

/** Images to pixels: prepared in a worker, or in strips in the writer when large. */
export const imageProcessor: PreparingProcessor<"image", ImageOptions, DecodedImage> = {
  name: "image",
  options: {
    animated: { description: "Every frame of an animated GIF/WebP as [T, H, W, C] (default: the first frame).", type: "boolean" },
    orientation: { description: "apply: rotate/flip by the EXIF orientation (default); ignore: keep the pixels as stored.", enum: ["apply", "ignore"] },
  },
  // `--images encoded` keeps images as their bytes: the fallback takes them (a stack keeps them
  // as rows, checked here first).
  takes: (kind, settings) => kind.category === "image" && (settings.images !== "encoded" || settings.layout === "stacked") && !isGifAsVideo(kind, settings),
  defaults: (settings) => ({ animated: settings.animated, max_pixels: settings.maxPixels, truncated_images: settings.truncatedImages }),
  notEmpty: "an empty file is not an image",
  prepares: "worker",
  streams: "never",
  taskOptions: imageOptionsFrom,
  prepare: (bytes, options, pixels) => (options.stack ? decodeStackImage(bytes, options.stack, options.maxPixels) : decodeImage(bytes, options, pixels)),
  writePrepared: writeDecodedImage,
  sharedData: {
    get: (image) => image.data,
    set: (image, data) => void (image.data = data),
  },
  footprint: imageFootprint,
  writePieces: (group, name, pieces, layout, more) => writeImageStrips(group, name, pieces as StripPlan, layout, more),
  keepsEncoded: (settings) => settings.images === "both",
};

/**
 * An image's footprint, from its header: a 0.75 MB PNG that decodes to 768 MB counts 768 MB, or
 * two bands when it goes in strips, before anything is decoded.
 */
async function imageFootprint(bytes: Uint8Array, entryOptions: Record<string, unknown>): Promise<Footprint> {
  const options = imageOptionsFrom(entryOptions);
  const decoded = await decodedBytesOf(bytes, options);
  // A stack's image is decoded whole (resized, it is small; a stack is no place for a giant).
  if (options.stack) return { bytes: bytes.length + decoded, pieces: null };
  if (decoded < STRIP_MIN_BYTES) return { bytes: bytes.length + decoded, pieces: null };
  let strips: StripPlan | null;
  try {
    strips = await planStrips(bytes, options);
  } catch {
    // Over --max-pixels: it fails before decoding, holding nothing.
    return { bytes: bytes.length, pieces: null };
  }
  return { bytes: bytes.length + (strips ? 2 * STRIP_BAND_BYTES : decoded), pieces: strips };
}
