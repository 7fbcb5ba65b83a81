// Images too large to hold decoded (STRIP_MIN_BYTES and up) are decoded and stored a band of rows
// at a time: libvips reads the file once, top to bottom (sequential access), and streams the rows
// through a pipe (vips-pipe.ts); each band, a whole number of the dataset's chunks high, is one
// hyperslab write, compressed outside the HDF5 lock while the next band is read. Memory stays at
// two bands however tall the image; the dataset is the one the whole path makes (same shape,
// dtype, chunks, attrs and values). This runs in the writer process, one image at a time.
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import type { AttributeSet } from "../h5/attrs";
import { WriteQueue } from "../output/write-queue";
import { checkPixels, DEFAULT_MAX_PIXELS, decodeFailure, greyAlphaFromRgba, imageDatasetOptions, readHeader, sampleTypeFor, sharpPipeline, type ImageHeader, type ImageOptions, type ImageShape } from "./image";
import type { DatasetLayout } from "./layout";
import { bitsOf, pixelArray, sampleTypeOf } from "./pixel-type";
import { VipsPipe, type VipsHeader } from "./vips-pipe";
import { ProcessorError } from "./processor";

/**
 * Images decoding to this many bytes or more go in strips. Measured (bench/NOTES.md, "Image
 * strips"): time is the same either way; below it the whole path holds less (strips keep two
 * bands, the pipe and libvips' line cache), and what it holds stays within the converter's
 * in-flight budget. H5DAT_STRIP_MIN_BYTES sets another (tests and measurements).
 */
export const STRIP_MIN_BYTES = Number(process.env.H5DAT_STRIP_MIN_BYTES) || 64 << 20;

/** A band of rows is about this large (two are held: one read while the other is written). */
export const STRIP_BAND_BYTES = 16 << 20;

/** Formats libvips decodes top to bottom. TIFFs only of 8/16-bit unsigned samples: others may need h5dat's own reader. */
const STRIP_FORMATS = new Set(["png", "jpeg", "webp", "gif", "tiff"]);

/** An image to decode in strips, its header read. */
export interface StripPlan {
  bytes: Uint8Array;
  header: ImageHeader;
  options: ImageOptions;
  maxPixels: number;
}

/** A failure of the decoder (not of the writing): the entry may still be kept as its bytes. */
export class ImageDecodeError extends ProcessorError {
  override name = "ImageDecodeError";
}

/** libvips VIPS_INTERPRETATION_B_W: sharp's raw output keeps only the first band of such an image. */
const INTERPRETATION_B_W = 1;

/**
 * Reads the header of an image known to be large, and plans its strips; null when it must be
 * decoded whole after all (animated, to be rotated, a format libvips cannot stream, samples h5dat's
 * own TIFF reader takes). Fails like decoding would: over --max-pixels, or no image.
 */
export async function planStrips(bytes: Uint8Array, options: ImageOptions): Promise<StripPlan | null> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  let header: ImageHeader;
  try {
    header = await readHeader(bytes, options.animated === true, null, options);
  } catch {
    return null; // not for libvips: the whole path says why (or decodes it, as a BMP)
  }
  checkPixels(header.width, header.frameHeight * header.frames, maxPixels);
  const upright = options.orientation === false || (header.orientation ?? 1) === 1;
  const tiffOk = header.format !== "tiff" || (!header.deep && !header.signed);
  if (header.frames !== 1 || !upright || !tiffOk || !STRIP_FORMATS.has(header.format)) return null;
  return { bytes, header, options, maxPixels };
}

/** Strip images take turns: while one's pipe is full, its save holds one of libuv's few threads. */
const turns = new WriteQueue();

/**
 * Decodes the planned image in strips into the new dataset `name` (attrs `more` too); bands of
 * about `bandBytes` (tests take small ones).
 */
export function writeImageStrips(group: Group, name: string, plan: StripPlan, layout: DatasetLayout, more?: AttributeSet, bandBytes = STRIP_BAND_BYTES): Promise<Dataset> {
  return turns.run(async () => {
    const pipe = await VipsPipe.open();
    let dataset: Dataset | null = null;
    try {
      const { pipeline, greyAlpha } = sharpPipeline(plan.bytes, plan.header, { ...plan.options, orientation: false }, plan.maxPixels, true);
      pipe.start(pipeline);
      const vips = await decoding(plan, () => pipe.header());
      const image = describe(plan, vips, greyAlpha);
      dataset = await group.createDataset(name, imageDatasetOptions(image, layout, more));
      await writeBands(dataset, image, vips, greyAlpha, bandRows(dataset, vips, bandBytes), (target) => decoding(plan, () => pipe.readInto(target)));
      return dataset;
    } catch (error) {
      await dataset?.close().catch(() => undefined);
      throw error;
    } finally {
      await pipe.close();
    }
  });
}

/** Runs a read of the decoder's output; its failures become ImageDecodeErrors said as decodeImage says them. */
async function decoding<T>(plan: StripPlan, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new ImageDecodeError(decodeFailure(error, plan.bytes).message);
  }
}

/** The dataset's description from the header libvips wrote, checked against what the whole path would give. */
function describe(plan: StripPlan, vips: VipsHeader, greyAlpha: boolean): ImageShape {
  const { header } = plan;
  const sampleType = sampleTypeFor(header);
  const bands = greyAlpha ? 4 : vips.bands;
  const sameAsWhole = vips.width === header.width && vips.height === header.frameHeight && vips.sampleType === sampleType && vips.bands === bands && (vips.interpretation !== INTERPRETATION_B_W || bands === 1);
  if (!sameAsWhole) {
    throw new Error(`libvips streams ${vips.width} × ${vips.height} × ${vips.bands} ${vips.sampleType} (interpretation ${vips.interpretation}) where ${header.width} × ${header.frameHeight} ${sampleType} was expected`);
  }
  const channels = greyAlpha ? 2 : vips.bands;
  const bitDepth = bitsOf(sampleType) as 8 | 16 | 32 | 64;
  return {
    shape: channels === 1 ? [vips.height, vips.width] : [vips.height, vips.width, channels],
    frames: 1,
    width: vips.width,
    height: vips.height,
    channels,
    bitDepth,
    ...(header.deep && { sampleType }),
    colourModel: header.cmyk ? "CMYK" : header.grey ? "GREY" : "RGB",
    format: header.format,
  };
}

/**
 * Reads the rows band by band (`read` fills a buffer) and writes each band as a hyperslab, one
 * band's write in flight while the next is read.
 */
async function writeBands(dataset: Dataset, image: ImageShape, vips: VipsHeader, greyAlpha: boolean, rows: number, read: (target: Uint8Array) => Promise<void>): Promise<void> {
  const rowBytes = vips.width * vips.bands * (image.bitDepth / 8);
  // Own ArrayBuffers (aligned, never pooled): a 16-bit or float view needs that.
  const spare: ArrayBuffer[] = [];
  let inFlight: { write: Promise<void>; buffer: ArrayBuffer } | null = null;
  try {
    for (let y = 0; y < image.height; y += rows) {
      const count = Math.min(rows, image.height - y);
      const buffer = spare.pop() ?? new ArrayBuffer(rows * rowBytes);
      const bytes = new Uint8Array(buffer, 0, count * rowBytes);
      await read(bytes);
      const pixels = greyAlpha ? greyAlphaFromRgba(bytes) : pixelArray(sampleTypeOf(image), buffer, 0, bytes.byteLength);
      if (inFlight) {
        await inFlight.write;
        spare.push(inFlight.buffer);
      }
      const start = image.channels === 1 ? [y, 0] : [y, 0, 0];
      const write = dataset.write(pixels, { start, count: [count, ...image.shape.slice(1)] });
      write.catch(() => undefined); // awaited with the next band, or below
      inFlight = { write, buffer };
    }
    if (inFlight) await inFlight.write;
  } finally {
    await inFlight?.write.catch(() => undefined);
  }
}

/**
 * Rows per band: about `bandBytes`, and a whole number of the dataset's chunk rows, so each write
 * covers whole chunks (filtered outside the HDF5 lock, never read back and rewritten).
 */
function bandRows(dataset: Dataset, vips: VipsHeader, bandBytes: number): number {
  const rowBytes = vips.width * vips.bands * (bitsOf(vips.sampleType) / 8);
  const chunkRows = dataset.chunks?.[0] ?? 1;
  const chunksPerBand = Math.max(1, Math.floor(bandBytes / rowBytes / chunkRows));
  return Math.min(vips.height, chunksPerBand * chunkRows);
}
