// Images back out of a file: the pixels conversion stored ([H, W] grey, [H, W, C], [T, H, W(, C)]
// animated; uint8 or uint16; other numeric types with the Image attrs scaled as image-scaling.ts
// says, and the scaling stated in the result), or — for an image kept as its encoded bytes (`--images encoded`,
// processor "bytes" with an image media_type) — those bytes decoded as conversion would have.
// toPNG/toFile encode the pixels with sharp; toFile writes the original bytes instead when they
// were kept (`--images both`: attr encoded_path; or stored encoded) and the file asks for the
// original's own format.
import fs from "node:fs";
import path from "node:path";
import { Dataset } from "../h5/dataset";
import { H5Error } from "../h5/errors";
import { decodeImage, type ColourModel, type DecodedImage } from "../processors/image";
import { mediaTypeOfExtension } from "../classify/media-types";
import { attrNames, attrValue, both, getObject, readData, release, step, type Flow } from "./flow";
import { runAsync, runSync } from "../h5/operation";
import { encodeImage, formatOfExtension, type EncodeOptions, type ImageFormat, type ImagePixels } from "./image-encode";
import { decodeImageSync, encodeImageSync } from "./image-sync";
import { needsScaling, numericDtypeName, scalePixels, type ImageScaling } from "./image-scaling";

/** How toFile writes an image: encoder options, and whether kept original bytes are re-encoded. */
export interface ToFileOptions extends EncodeOptions {
  /** Encode the pixels even when the original bytes of the same format are kept. */
  reencode?: boolean;
}

/** What toFile wrote: the file, its format and size, and whether it is the original bytes. */
export interface ToFileResult {
  /** The file written. */
  file: string;
  /** The format written. */
  format: ImageFormat;
  /** Bytes written. */
  bytes: number;
  /** Whether the file holds the original bytes (not re-encoded pixels). */
  original: boolean;
  /** How the stored values became pixels, when they were not uint8/uint16. */
  scaling?: ImageScaling;
}

/** An image's pixels: `{ data, shape, width, height, channels, bitDepth, frames, colourModel }`. */
export function readImage(dataset: Dataset): Promise<ImagePixels> {
  return runAsync(readImageFlow(dataset));
}
/** The Sync form of {@link readImage}. */
export function readImageSync(dataset: Dataset): ImagePixels {
  return runSync(readImageFlow(dataset));
}

/** An image as PNG bytes (sharp; 16-bit kept; an animation's frame `options.frame`, default 0). */
export function toPNG(dataset: Dataset, options?: EncodeOptions): Promise<Buffer> {
  return runAsync(toPNGFlow(dataset, options));
}
/** The Sync form of {@link toPNG}. */
export function toPNGSync(dataset: Dataset, options?: EncodeOptions): Buffer {
  return runSync(toPNGFlow(dataset, options));
}

/**
 * Writes an image to `file` in the format of its extension (.png .jpg .webp .tif .avif .gif
 * .heif). When the original bytes were kept and the extension is the original's format, they
 * are written as they were (unless `options.reencode`).
 */
export function toFile(dataset: Dataset, file: string, options?: ToFileOptions): Promise<ToFileResult> {
  return runAsync(toFileFlow(dataset, file, options));
}
/** The Sync form of {@link toFile}. */
export function toFileSync(dataset: Dataset, file: string, options?: ToFileOptions): ToFileResult {
  return runSync(toFileFlow(dataset, file, options));
}

/** What an image dataset is: pixels, or encoded bytes (and then which media type). */
interface ImageFacts {
  encoded: boolean;
  mediaType?: string;
  encodedPath?: string;
  /** Pixel datasets: whether axis 0 counts frames (attr frame_count). */
  animated: boolean;
  /** Four channels: RGBA or CMYK (attr IMAGE_COLORMODEL). */
  colourModel?: string;
  /** Attr CLASS = "IMAGE" (the HDF5 Image spec): values of any numeric type are then an image. */
  imageClass: boolean;
}

function isByteVector(dataset: Dataset): boolean {
  return dataset.shape?.length === 1 && (dataset.dtype === "uint8" || dataset.dtype === "int8");
}

/** The few attrs that tell how to read the image (each read only when it matters). */
function* imageFacts(dataset: Dataset): Flow<ImageFacts> {
  const names = new Set(yield* attrNames(dataset));
  const read = function* (name: string) {
    return names.has(name) ? yield* attrValue(dataset, name) : undefined;
  };
  if (isByteVector(dataset)) {
    const processor = yield* read("processor");
    const mediaType = yield* read("media_type");
    if (typeof mediaType === "string" && mediaType.startsWith("image/") && processor !== "image") return { encoded: true, mediaType, animated: false, imageClass: false };
  }
  const facts: ImageFacts = { encoded: false, animated: names.has("frame_count"), imageClass: names.has("CLASS") && (yield* read("CLASS")) === "IMAGE" };
  const shape = dataset.shape ?? [];
  if (shape[shape.length - 1] === 4 && names.has("IMAGE_COLORMODEL")) facts.colourModel = String(yield* read("IMAGE_COLORMODEL"));
  if (names.has("encoded_path")) {
    facts.encodedPath = String(yield* read("encoded_path"));
    facts.mediaType = String(yield* read("media_type"));
  }
  return facts;
}

function fromDecoded(image: DecodedImage): ImagePixels {
  const { data, shape, width, height, channels, bitDepth, frames, colourModel } = image;
  // A float or 32-bit TIFF kept encoded: its samples are no 8- or 16-bit picture.
  if (image.sampleType) throw new Error(`the encoded image decodes to ${image.sampleType} samples, not 8- or 16-bit pixels`);
  return { data: data as Uint8Array | Uint16Array, shape, width, height, channels, bitDepth: bitDepth as 8 | 16, frames, colourModel };
}

/**
 * Pixel datasets hold numbers, of 2 to 4 axes (checked before reading anything); the numeric type
 * (uint8/uint16, or scaled); `facts` given, other types than uint8/uint16 need attr CLASS=IMAGE.
 */
function checkPixels(dataset: Dataset, facts?: ImageFacts): string {
  const dtype = dataset.dtype;
  const name = numericDtypeName(dtype);
  const refused = () => new H5Error(`'${dataset.name}' holds ${String(typeof dtype === "string" ? dtype : dtype.kind)} values, not uint8 or uint16 pixels${name ? ", and has no attr CLASS=IMAGE to be read as an image" : ""}`, dataset.name);
  if (!name || (facts && needsScaling(name) && !facts.imageClass)) throw refused();
  const rank = dataset.shape?.length ?? 0;
  if (rank < 2 || rank > 4) throw new H5Error(`'${dataset.name}' has ${dataset.shape ? `shape [${dataset.shape.join(", ")}]` : "no shape"}: not an image`, dataset.name);
  return name;
}

/** Pixels as stored: shape and dtype give width, height, channels and depth. */
function fromPixels(dataset: Dataset, data: unknown, facts: ImageFacts): ImagePixels {
  const dtype = checkPixels(dataset, facts);
  const shape = dataset.shape ?? [];
  const frameShape = facts.animated ? shape.slice(1) : shape;
  if (frameShape.length < 2 || frameShape.length > 3 || (frameShape.length === 3 && (frameShape[2] < 1 || frameShape[2] > 4))) {
    throw new H5Error(`'${dataset.name}' has shape [${shape.join(", ")}]: not [H, W], [H, W, C≤4]${facts.animated ? " per frame" : " or an animation with attr frame_count"}`, dataset.name);
  }
  const channels = frameShape[2] ?? 1;
  const colourModel: ColourModel = channels <= 2 ? "GREY" : facts.colourModel === "CMYK" ? "CMYK" : "RGB";
  const { pixels, scaling } = needsScaling(dtype) && data !== null ? scalePixels(data as ArrayLike<number>, dtype) : { pixels: data as Uint8Array | Uint16Array, scaling: undefined };
  return {
    data: pixels,
    shape: [...shape],
    width: frameShape[1],
    height: frameShape[0],
    channels,
    bitDepth: (scaling?.to ?? dtype) === "uint16" ? 16 : 8,
    frames: facts.animated ? shape[0] : 1,
    colourModel,
    ...(scaling && { scaling }),
  };
}

const asBuffer = (data: unknown): Buffer => {
  const view = data as Uint8Array;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
};

const decodeStep = (bytes: Uint8Array) => step<DecodedImage>(() => decodeImageSync(bytes), () => decodeImage(bytes));

/** The pixels of `dataset`, given its values read whole (decoded first when they are encoded bytes). */
function* pixelsOf(dataset: Dataset, facts: ImageFacts, data: unknown): Flow<ImagePixels> {
  if (facts.encoded) return fromDecoded(yield* decodeStep(asBuffer(data)));
  return fromPixels(dataset, data, facts);
}

/** The image in `dataset`: its pixels and their geometry. */
function* readImageFlow(dataset: Dataset): Flow<ImagePixels> {
  if (isByteVector(dataset)) {
    // Encoded bytes, or not an image: the attrs tell before anything is read.
    const facts = yield* imageFacts(dataset);
    if (!facts.encoded) return fromPixels(dataset, null, facts);
    return yield* pixelsOf(dataset, facts, (yield* readData(dataset)).data);
  }
  if (needsScaling(checkPixels(dataset))) {
    // Only an image by its attrs: they are read, and checked, before any value is.
    const facts = yield* imageFacts(dataset);
    checkPixels(dataset, facts);
    return yield* pixelsOf(dataset, facts, (yield* readData(dataset)).data);
  }
  // The attrs are read while the pixels are fetched and inflated (async runs).
  const [facts, { data }] = yield* both(() => imageFacts(dataset), () => readData(dataset));
  return yield* pixelsOf(dataset, facts, data);
}

/** The PNG of the image in `dataset` (16-bit kept; one frame of an animation, `options.frame`). */
function* toPNGFlow(dataset: Dataset, options: EncodeOptions = {}): Flow<Buffer> {
  const pixels = yield* readImageFlow(dataset);
  return yield* encodeStep(pixels, "png", options);
}

const encodeStep = (pixels: ImagePixels, format: ImageFormat, options: EncodeOptions) =>
  step<Buffer>(() => encodeImageSync(pixels, format, options), () => encodeImage(pixels, format, options));

/** Writes the image in `dataset` to `file`, in the format its extension names. */
function* toFileFlow(dataset: Dataset, file: string, options: ToFileOptions = {}): Flow<ToFileResult> {
  const extension = path.extname(file).slice(1);
  const format = formatOfExtension(extension);
  if (!format) throw new Error(`cannot write images as '.${extension}' (use .png, .jpg, .webp, .tif, .avif, .gif or .heif)`);
  let bytes: Buffer;
  let original = false;
  let scaling: ImageScaling | undefined;
  const facts = yield* imageFacts(dataset);
  const wanted = mediaTypeOfExtension(extension.toLowerCase())?.mediaType;
  const sameFormat = !options.reencode && facts.mediaType !== undefined && wanted === facts.mediaType;
  if (sameFormat && facts.encoded) {
    bytes = asBuffer((yield* readData(dataset)).data);
    original = true;
  } else if (sameFormat && facts.encodedPath) {
    bytes = yield* keptBytes(dataset, facts.encodedPath);
    original = true;
  } else {
    if (!facts.encoded) checkPixels(dataset, facts);
    const pixels = yield* pixelsOf(dataset, facts, (yield* readData(dataset)).data);
    scaling = pixels.scaling;
    bytes = yield* encodeStep(pixels, format, options);
  }
  const written = bytes;
  yield* step<void>(() => fs.writeFileSync(file, written), () => fs.promises.writeFile(file, written));
  return { file, format, bytes: bytes.length, original, ...(scaling && { scaling }) };
}

/** The original bytes kept beside an image (attr encoded_path, a path in the image's file). */
function* keptBytes(image: Dataset, encodedPath: string): Flow<Buffer> {
  const kept = yield* getObject(image.file, encodedPath);
  try {
    if (!(kept instanceof Dataset)) throw new H5Error(`'${kept.name}' is not a dataset: toFile reads datasets`, kept.name);
    return asBuffer((yield* readData(kept)).data);
  } finally {
    yield* release(kept);
  }
}
