// Stored pixels back to an image file's bytes, with sharp: 16-bit pixels stay 16-bit where the
// format has it (PNG, TIFF), grey stays one channel (two with alpha), animated [T, H, W, C]
// pixels become an animated GIF/WebP (other formats take one frame). CMYK pixels are refused:
// sharp would read them as RGBA, and turning them into RGB would not give back what was stored.
import { loadSharp } from "../processors/sharp-module";
import type { ColourModel } from "../processors/image";
import type { ImageScaling } from "./image-scaling";

/** Decoded pixels as readImage returns them. */
export interface ImagePixels {
  /** The samples, row-major, channels interleaved. */
  data: Uint8Array | Uint16Array;
  /** [H, W], [H, W, C], or with frames [T, H, W(, C)]. */
  shape: number[];
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Samples per pixel (1 grey, 2 grey and alpha, 3 RGB, 4 RGBA or CMYK). */
  channels: number;
  /** Bits per sample. */
  bitDepth: 8 | 16;
  /** 1 unless the dataset holds an animation. */
  frames: number;
  /** How the channels are read: grey, RGB or CMYK. */
  colourModel: ColourModel;
  /** Set when the stored values were not uint8/uint16: how they were mapped onto `data`. */
  scaling?: ImageScaling;
}

/** The image formats pixels can be encoded to (sharp's). */
export type ImageFormat = "png" | "jpeg" | "webp" | "tiff" | "avif" | "gif" | "heif";

/** How pixels are encoded: the frame, and the encoder's own options. */
export interface EncodeOptions {
  /** The frame of an animation to encode (default 0; GIF and WebP take every frame when omitted). */
  frame?: number;
  /** Options for sharp's encoder of the format (e.g. `{ quality: 95 }` for JPEG), over h5dat's
   * defaults (TIFF: deflate, lossless; the rest: sharp's). */
  encoder?: Record<string, unknown>;
}

const EXTENSIONS: Record<string, ImageFormat> = {
  png: "png", jpg: "jpeg", jpeg: "jpeg", jpe: "jpeg", jfif: "jpeg", webp: "webp", tif: "tiff", tiff: "tiff",
  avif: "avif", gif: "gif", heic: "heif", heif: "heif",
};

/** The format a file name's extension asks for, or undefined when sharp cannot write it. */
export function formatOfExtension(extension: string): ImageFormat | undefined {
  return EXTENSIONS[extension.replace(/^\./, "").toLowerCase()];
}

const DEFAULTS: Partial<Record<ImageFormat, Record<string, unknown>>> = {
  tiff: { compression: "deflate", predictor: "horizontal" },
};

/** Encodes `pixels` as a `format` image (with sharp). */
export async function encodeImage(pixels: ImagePixels, format: ImageFormat, options: EncodeOptions = {}): Promise<Buffer> {
  const { width, height, channels, bitDepth, frames } = pixels;
  if (pixels.colourModel === "CMYK") {
    throw new Error("CMYK pixels cannot be re-encoded without a colour conversion: keep the original bytes (--images both) to get the file back");
  }
  const every = frames > 1 && options.frame === undefined && (format === "gif" || format === "webp");
  let data = pixels.data;
  if (frames > 1 && !every) {
    const frame = options.frame ?? 0;
    if (!Number.isInteger(frame) || frame < 0 || frame >= frames) throw new RangeError(`frame ${frame} out of range (the image has ${frames})`);
    const size = width * height * channels;
    data = data.subarray(frame * size, (frame + 1) * size);
  }
  // A typed array tells sharp the sample depth (Uint16Array: ushort).
  const raw = { width, height: every ? height * frames : height, channels: channels as 1 | 2 | 3 | 4, ...(every ? { pageHeight: height } : {}) };
  let pipeline = loadSharp()(data, { raw });
  // Without a colourspace libvips writes 8-bit grey as RGB, and 16-bit as 8-bit.
  if (bitDepth === 16) pipeline = pipeline.toColourspace(channels <= 2 ? "grey16" : "rgb16");
  else if (channels <= 2) pipeline = pipeline.toColourspace("b-w");
  return pipeline.toFormat(format, { ...DEFAULTS[format], ...options.encoder }).toBuffer();
}
