// Images through sharp (libvips): decoded to the pixel values the file holds — no conversion to
// sRGB through an embedded ICC profile, grey kept as one channel (two with alpha), CMYK kept as
// its four inks, 16-bit kept as uint16, 32-bit and float samples kept as int32/uint32/float32/
// float64 — and stored as [H, W] or [H, W, C] with the HDF5 Image spec's attrs so HDFView shows
// them. TIFFs libvips refuses or clips go to h5dat's own reader (tiff.ts); a truncated file
// decodes as far as it goes only when asked (`truncated`).
import type { Sharp } from "sharp";
import { loadSharp } from "./sharp-module";
import { native } from "../native/addon";
import { readJpegHeader, type JpegHeader } from "./jpeg-header";
import { decodeBmp, decodeIco, type RgbImage } from "./bmp";
import { dtype } from "../h5/dtype";
import type { Dataset } from "../h5/dataset";
import type { AttributeSet, SetAttributeOptions } from "../h5/attrs";
import type { Group } from "../h5/group";
import type { CreateDatasetOptions } from "../h5/dataset-creation";
import { storageOptions, type DatasetLayout } from "./layout";
import { messageOf } from "../error-message";
import { decodeTiff, isTiff } from "./tiff";
import { bitsOf, pixelArray, sampleTypeOf, type PixelType } from "./pixel-type";
import type { ColourModel, DecodedImage } from "./decoded-image";
import type { ResizeSpec } from "./resize-spec";

export type { ColourModel, DecodedImage };

/** How images are decoded: orientation, animation frames, size limit, truncated JPEGs. */
export interface ImageOptions {
  /** Apply the EXIF orientation (rotate/flip to upright). Default true. */
  orientation?: boolean;
  /** Every frame of an animated GIF/WebP as [T, H, W, C] instead of the first frame. */
  animated?: boolean;
  /** Images of more pixels (width × height × frames decoded) fail before decoding; 0: no limit. */
  maxPixels?: number;
  /**
   * Decode a truncated JPEG as far as its data goes (libjpeg fills the rest), as PIL's
   * LOAD_TRUNCATED_IMAGES; default false: it fails. Other formats fail either way.
   */
  truncated?: boolean;
  /** Prepared for a stacked dataset (stack-image.ts): brought to `resize` when given, or kept encoded. */
  stack?: StackImageOptions;
}

/** How a stack takes its images (stack-image.ts). */
export interface StackImageOptions {
  /** The box every image is brought to (null: each keeps its size and channels). */
  resize: ResizeSpec | null;
  /** Keep each file's bytes instead of its pixels. */
  encoded?: boolean;
}

/** An image entry's processor options (the run's, then a rule's: animated, orientation, max_pixels, truncated_images) as ImageOptions. */
export function imageOptionsFrom(options: Record<string, unknown>): ImageOptions {
  return {
    animated: options.animated as boolean | undefined,
    orientation: options.orientation !== "ignore",
    maxPixels: options.max_pixels as number | undefined,
    truncated: options.truncated_images as boolean | undefined,
    ...(options.stack !== undefined && { stack: options.stack as ImageOptions["stack"] }),
  };
}

/**
 * sharp's own default (0x3FFF²): 268 MP decode to 805 MB of RGB. A pixel bomb (a 50 KB PNG that
 * claims 100,000 × 100,000) fails on its header instead of allocating its claim.
 */
export const DEFAULT_MAX_PIXELS = 268402689;

/** Fails when `width` × `height` is over the limit. */
export function checkPixels(width: number, height: number, maxPixels: number): void {
  if (maxPixels > 0 && width * height > maxPixels) {
    const count = (n: number) => n.toLocaleString("en-US");
    throw new Error(`too many pixels: ${count(width)} × ${count(height)} = ${count(width * height)}, over --max-pixels ${count(maxPixels)} (not decoded)`);
  }
}

const SIXTEEN_BIT = new Set(["ushort", "short"]);

interface DeepDepth {
  depth: "int" | "uint" | "float" | "double";
  type: PixelType;
}

/** libvips depths kept as they are (a float32 TIFF of measurements is not an 8-bit picture). */
const DEEP_DEPTHS: Record<string, DeepDepth> = {
  int: { depth: "int", type: "int32" },
  uint: { depth: "uint", type: "uint32" },
  float: { depth: "float", type: "float32" },
  double: { depth: "double", type: "float64" },
};

function fromRgb(image: RgbImage, format: string): DecodedImage {
  const { data, width, height, channels } = image;
  return { data, shape: [height, width, channels], width, height, channels, bitDepth: 8, colourModel: "RGB", format, frames: 1 };
}

/** [G, G, G, A] pixels (grey copied into R, G and B) back to [G, A]. */
export function greyAlphaFromRgba(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length / 2);
  for (let i = 0, o = 0; o < out.length; i += 4, o += 2) {
    out[o] = rgba[i];
    out[o + 1] = rgba[i + 3];
  }
  return out;
}

/**
 * Where decoded pixels may go: a buffer of exactly `byteLength` bytes to decode into, or null for
 * a new one. (A pool worker hands out its shared pixel files this way.)
 */
export type PixelTarget = (byteLength: number) => Uint8Array | null;

/**
 * Decodes the first frame of an image file's bytes (BMP and ICO by h5dat, the rest by sharp).
 * `target` may take the pixels of a plain JPEG; others come in buffers of their own.
 */
export async function decodeImage(bytes: Uint8Array, options: ImageOptions = {}, target?: PixelTarget): Promise<DecodedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  // BMP pixels are stored uncompressed, so the file's size already bounds them; checked after.
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) {
    const image = decodeBmp(bytes);
    checkPixels(image.width, image.height, maxPixels);
    return fromRgb(image, "bmp");
  }
  if (bytes[0] === 0 && bytes[1] === 0 && (bytes[2] === 1 || bytes[2] === 2) && bytes[3] === 0) {
    const png = async (inner: Uint8Array): Promise<RgbImage> => {
      const { data, info } = await loadSharp()(inner, { limitInputPixels: maxPixels || false }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 4 };
    };
    return fromRgb(await decodeIco(bytes, png), "ico");
  }
  try {
    return await decodeWithSharp(bytes, options, maxPixels, target).catch(async (error: unknown) => {
      if (LOST_CAUSE.test(messageOf(error))) return decodeWithSharp(bytes, options, maxPixels, target);
      if (options.animated !== true || !PAGES_DIFFER.test(messageOf(error))) throw error;
      const { pages } = await loadSharp()(bytes, { failOn: failOnOf(options, bytes), limitInputPixels: false }).metadata();
      return { ...(await decodeWithSharp(bytes, { ...options, animated: false }, maxPixels, target)), pageCount: pages };
    });
  } catch (error) {
    if (!isTiff(bytes) || messageOf(error).startsWith("too many pixels")) throw decodeFailure(error, bytes);
    // A TIFF libvips refuses (64-bit float samples: "samples out of range") may be one h5dat's
    // own reader reads; when it cannot either, both say why.
    try {
      return decodeTiff(bytes, { animated: options.animated, checkPixels: (width, height) => checkPixels(width, height, maxPixels) });
    } catch (own) {
      if (messageOf(own).startsWith("too many pixels")) throw own;
      throw decodeFailure(new Error(`${messageOf(error)}\nh5dat's own TIFF reader: ${messageOf(own)}`), bytes);
    }
  }
}

/**
 * sharp's word for a failure whose cause libvips lost: its error buffer is one per process, and a
 * decode failing while another thread clears it reports no cause (lovell/sharp#902; seen in CI
 * with several decodes in flight). Decoding once more, the failure says why.
 */
const LOST_CAUSE = /^(Unknown error)?$/;

/** libvips's refusal to stack pages of different sizes ("tiff2vips: page 1 differs from page 0"). */
const PAGES_DIFFER = /page \d+ differs from page 0/;

/** sharp's error, said as what happened to the image; text content is named as such. */
export function decodeFailure(error: unknown, bytes: Uint8Array): Error {
  const message = messageOf(error);
  if (message.startsWith("too many pixels")) return error as Error;
  // Text that is no markup (an SVG that failed is text too, and an image).
  const head = bytes.subarray(0, 512);
  const text = head.length > 0 && head.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) && !Buffer.from(head).toString("latin1").trimStart().startsWith("<");
  // libvips repeats a warning once per scanline, and may end on an empty "cause:".
  const lines = [...new Set(message.split("\n").map((line) => line.trim().replace(/:$/, "")).filter((line) => line !== ""))];
  return new Error(`cannot decode the image: ${lines.join("; ") || "unknown error"}${text ? " (its content is text, not an image)" : ""}`);
}

/** Decodes through sharp; a plain JPEG through libjpeg-turbo (to the same pixels, in a third of the time). */
async function decodeWithSharp(bytes: Uint8Array, options: ImageOptions, maxPixels: number, target?: PixelTarget): Promise<DecodedImage> {
  const animated = options.animated === true;
  const jpeg = animated ? null : readJpegHeader(bytes);
  const header = await readHeader(bytes, animated, jpeg, options);
  const { width, frameHeight, frames, sixteen, grey, cmyk, format, deep } = header;
  checkPixels(width, frameHeight * frames, maxPixels);
  checkSigned(header);
  if (jpeg && isPlainJpeg(jpeg, options)) {
    const into = target?.(jpeg.width * jpeg.height * 3) ?? undefined;
    const direct = await native.decodeJpeg(bytes, into);
    if (direct) {
      const { data, width: w, height: h } = direct;
      const pixels = data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : into!;
      return { data: pixels, shape: [h, w, 3], frames: 1, width: w, height: h, channels: 3, bitDepth: 8, colourModel: "RGB", format: "jpeg" };
    }
  }
  const { pipeline, greyAlpha } = sharpPipeline(bytes, header, options, maxPixels);
  const { data, info } = await pipeline.raw(deep ? { depth: deep.depth } : sixteen ? { depth: "ushort" } : {}).toBuffer({ resolveWithObject: true });
  const bytesOut = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const pixels = deep
    ? pixelArray(deep.type, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength)
    : sixteen
      ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2)
      : greyAlpha ? greyAlphaFromRgba(bytesOut) : bytesOut;
  const channels = greyAlpha ? 2 : info.channels;
  // Frames come stacked vertically: [T·H, W, C] is [T, H, W, C] in the same bytes.
  const height = info.height / frames;
  const frame = channels === 1 ? [height, info.width] : [height, info.width, channels];
  return {
    data: pixels,
    shape: frames > 1 ? [frames, ...frame] : frame,
    frames,
    width: info.width,
    height,
    channels,
    bitDepth: deep ? (bitsOf(deep.type) as 32 | 64) : sixteen ? 16 : 8,
    ...(deep && { sampleType: deep.type }),
    colourModel: cmyk ? "CMYK" : grey ? "GREY" : "RGB",
    format,
  };
}

/**
 * sharp's pipeline decoding `bytes` to the pixel values the file holds (see the top of this
 * file), before its output; `sequential` reads the file once, top to bottom, never holding it
 * whole (image-strips.ts). `greyAlpha`: it gives [G, G, G, A], to be taken back to [G, A].
 */
export function sharpPipeline(bytes: Uint8Array, header: ImageHeader, options: ImageOptions, maxPixels: number, sequential = false): { pipeline: Sharp; greyAlpha: boolean } {
  const animated = options.animated === true;
  const { sixteen, grey, cmyk, hasAlpha, deep, space } = header;
  // sharp's raw output keeps only the first band of an 8-bit grey ("b-w") image, so grey with
  // alpha goes through sRGB (libvips copies the grey band into R, G and B, exactly) and back.
  const greyAlpha = grey && !sixteen && hasAlpha && !deep;
  let pipeline = loadSharp()(bytes, { failOn: failOnOf(options, bytes), limitInputPixels: maxPixels || false, animated, sequentialRead: sequential }).keepIccProfile();
  if (options.orientation !== false && !animated) pipeline = pipeline.rotate();
  // Without an explicit colourspace libvips turns grey into three channels, and CMYK into sRGB
  // through a generic CMYK profile; a CMYK pipeline keeps the inks as the file has them.
  // 32-bit integers and floats stay in the space they were loaded in ("b-w", "scrgb"): any other
  // would scale or clip them to 8 or 16 bits.
  if (deep) pipeline = pipeline.toColourspace(space);
  else if (cmyk) pipeline = pipeline.pipelineColourspace("cmyk").toColourspace("cmyk");
  else if (greyAlpha) pipeline = pipeline.toColourspace("srgb");
  else if (grey) pipeline = pipeline.toColourspace(sixteen ? "grey16" : "b-w");
  else if (sixteen) pipeline = pipeline.toColourspace("rgb16");
  return { pipeline, greyAlpha };
}

/** libvips clips signed 8/16-bit samples to 0 on their way out: h5dat's TIFF reader keeps them. */
export function checkSigned({ signed, format }: ImageHeader): void {
  if (signed && format === "tiff") throw new Error(`libvips clips signed ${signed} samples`);
}

/** The samples' type sharp's pipeline gives for `header`. */
export function sampleTypeFor(header: ImageHeader): PixelType {
  return header.deep ? header.deep.type : header.sixteen ? "uint16" : "uint8";
}

/** What the decoding pipeline depends on, read before decoding. */
export interface ImageHeader {
  width: number;
  frameHeight: number;
  frames: number;
  sixteen: boolean;
  /** 32-bit integer or 32/64-bit float samples: libvips's depth for raw output, and their type. */
  deep: DeepDepth | null;
  /** libvips's interpretation ("srgb", "b-w", "scrgb", ...). */
  space: string;
  /** libvips's depth when its samples are signed 8 or 16-bit ("char", "short"). */
  signed: string | null;
  grey: boolean;
  cmyk: boolean;
  hasAlpha: boolean;
  format: string;
  /** The EXIF orientation (1-8) when the file has one (read by libvips, not for plain JPEGs). */
  orientation?: number;
}

/**
 * A JPEG that libjpeg-turbo decodes to exactly sharp's pixels (binding/image/jpeg_decode.cc): 8-bit
 * colour, no ICC profile (sharp keeps it, and may convert for it), and nothing to rotate. Others,
 * and any file libjpeg-turbo warns about, go through sharp.
 */
function isPlainJpeg(jpeg: JpegHeader, options: ImageOptions): boolean {
  const upright = options.orientation === false || !jpeg.exif || jpeg.orientation === 1;
  return isEightBitColour(jpeg) && !jpeg.icc && upright;
}

/** 8-bit samples in 3 components, of a size the frame header gives. */
function isEightBitColour(jpeg: JpegHeader): boolean {
  return jpeg.precision === 8 && jpeg.components === 3 && jpeg.width > 0 && jpeg.height > 0;
}

/**
 * libvips stops at a decoder's error (a truncated file's "premature end"), unless told to go on:
 * for a JPEG only, where libjpeg fills the rest as PIL's LOAD_TRUNCATED_IMAGES does (measured:
 * equal pixels). A cut PNG comes out of libvips all zeros where PIL keeps the rows it had, so it
 * still fails.
 */
function failOnOf(options: ImageOptions, bytes: Uint8Array): "error" | "none" {
  return options.truncated === true && bytes[0] === 0xff && bytes[1] === 0xd8 ? "none" : "error";
}

/**
 * The header of an image sharp decodes: read by libvips, or for an 8-bit colour JPEG from its
 * markers (`jpeg`, when given). Fails like decoding would on a file libvips cannot open.
 */
export async function readHeader(bytes: Uint8Array, animated: boolean, jpeg: JpegHeader | null, options: ImageOptions): Promise<ImageHeader> {
  // An 8-bit colour JPEG (most photos) tells all in its frame header: libvips reads 3 components
  // as sRGB without alpha, so its metadata pass would add nothing.
  if (jpeg && isEightBitColour(jpeg)) {
    return { width: jpeg.width, frameHeight: jpeg.height, frames: 1, sixteen: false, grey: false, cmyk: false, hasAlpha: false, format: "jpeg", deep: null, space: "srgb", signed: null };
  }
  // Only the header is read here, so no limit is needed to read it: the caller's check names the size.
  const meta = await loadSharp()(bytes, { failOn: failOnOf(options, bytes), limitInputPixels: false, animated }).metadata();
  return {
    width: meta.width ?? 0,
    frameHeight: meta.pageHeight ?? meta.height ?? 0,
    frames: animated ? (meta.pages ?? 1) : 1,
    sixteen: SIXTEEN_BIT.has(meta.depth ?? "uchar"),
    deep: DEEP_DEPTHS[meta.depth ?? "uchar"] ?? null,
    space: meta.space ?? "srgb",
    signed: meta.depth === "short" || meta.depth === "char" ? meta.depth : null,
    grey: meta.space === "b-w" || meta.space === "grey16",
    cmyk: meta.space === "cmyk",
    hasAlpha: meta.hasAlpha === true,
    format: meta.format ?? "unknown",
    ...(meta.orientation !== undefined && { orientation: meta.orientation }),
  };
}

/** A fixed-length, null-terminated ASCII string: how the HDF5 Image spec's attrs are stored. */
const imageSpecString = (value: string): SetAttributeOptions => ({ dtype: dtype.string({ length: value.length + 1, charset: "ascii", padding: "nullterm" }) });

const WHOLE_CHUNK_BYTES = 1 << 20;

/** An image dataset's description: all of a DecodedImage but its pixels. */
export type ImageShape = Omit<DecodedImage, "data">;

function imageChunks(image: ImageShape): number[] | true {
  const frame = image.frames > 1 ? image.shape.slice(1) : image.shape;
  const bytes = frame.reduce((a, b) => a * b, 1) * (image.bitDepth / 8);
  if (bytes > WHOLE_CHUNK_BYTES) return true;
  return image.frames > 1 ? [1, ...frame] : frame;
}

/**
 * Stores decoded pixels (from decodeImage, here or in a worker process) with the Image attrs,
 * and `more` attrs (the entry's source) in the same call.
 */
export async function writeDecodedImage(group: Group, name: string, image: DecodedImage, layout: DatasetLayout, more?: AttributeSet): Promise<Dataset> {
  return group.createDataset(name, { ...imageDatasetOptions(image, layout, more), data: image.data });
}

/**
 * An image dataset's shape, storage and attrs (the HDF5 Image spec's, width, height, ...), and
 * `more` (the entry's source): the same whether its pixels come whole or in strips.
 */
export function imageDatasetOptions(image: ImageShape, layout: DatasetLayout, more?: AttributeSet): CreateDatasetOptions {
  const spec: Record<string, string> = {
    CLASS: "IMAGE",
    IMAGE_VERSION: "1.2",
    IMAGE_SUBCLASS: image.channels === 1 ? "IMAGE_GRAYSCALE" : "IMAGE_TRUECOLOR",
  };
  if (image.channels > 1) spec.INTERLACE_MODE = "INTERLACE_PIXEL";
  // Four channels are RGBA or CMYK: the spec's colour model tells them apart (grey has none).
  if (image.colourModel !== "GREY") spec.IMAGE_COLORMODEL = image.colourModel;
  const int64: SetAttributeOptions = { dtype: "int64" };
  const counts: Record<string, number> = { width: image.width, height: image.height, channels: image.channels, bit_depth: image.bitDepth };
  if (image.frames > 1) counts.frame_count = image.frames;
  if (image.pageCount !== undefined) counts.page_count = image.pageCount;
  return {
    shape: image.shape,
    // One chunk per image (or per frame) up to 1 MiB: images are read whole, and one chunk is
    // one compression and one chunk write instead of dozens. Larger ones get h5py's guess.
    ...storageOptions(layout, { dtype: sampleTypeOf(image), chunks: imageChunks(image), shuffle: image.bitDepth > 8 }, true),
    attrs: { ...spec, ...counts, image_format: image.format, ...more?.values },
    attrOptions: {
      ...Object.fromEntries([...Object.entries(spec).map(([key, value]) => [key, imageSpecString(value)]), ...Object.keys(counts).map((key) => [key, int64])]),
      ...more?.options,
    },
  };
}
