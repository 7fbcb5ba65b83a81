// Turns createDataset options (h5py's keywords) into the binding's arguments: shape and dtype
// inferred from data, chunk shape guessed when chunking is needed, filters, fill value.
import { attributeSpecs, type SetAttributeOptions } from "./attrs";
import type { OutgoingData } from "../native/element-data";
import { encode, inferDtype, inferShape } from "./encode";
import { toTypeSpec, type Dtype } from "./dtype";
import { H5Error } from "./errors";
import type { NativeAttributeSpec, NativeCreateOptions } from "../native/addon-types";
import type { TypeSpec } from "../native/type-spec";
import { compressionSpecOf, filterStep, type CompressionOption, type CompressionSpec } from "./compression";

/** How Group.createDataset makes a dataset: h5py's create_dataset keywords. */
export interface CreateDatasetOptions {
  /** Dataset shape; [] for a scalar, null for an empty (null) dataspace. Inferred from `data`. */
  shape?: number[] | null;
  /** Element type; inferred from `data` when omitted. */
  dtype?: Dtype;
  /** Initial content (TypedArray, nested arrays, string[], records...). */
  data?: unknown;
  /** Chunk shape, or true to let h5dat choose (h5py's guess). Implied by filters and maxshape. */
  chunks?: number[] | boolean;
  /** Maximum shape; null on an axis means unlimited. */
  maxshape?: (number | null)[];
  /**
   * The compressor: "gzip" (deflate, as h5py), "zstd", "lz4", "blosc", "bitshuffle" (at
   * hdf5plugin's filter IDs), a full setting text ("blosc:zstd:5:bitshuffle", see
   * parseCompression), its parsed spec, a gzip level 0-9, or "none".
   */
  compression?: CompressionOption;
  /** The compressor's level: gzip 0-9 (4, as h5py), zstd 1-22 (3), blosc 0-9 (5), bitshuffle:zstd 1-22 (3). */
  compressionOpts?: number;
  /** Byte-shuffle before compressing (better gzip ratios for numbers). */
  shuffle?: boolean;
  /** A Fletcher-32 checksum on each chunk. */
  fletcher32?: boolean;
  /** Value of elements never written. */
  fillvalue?: unknown;
  /** The storage layout; when unset, chunked if chunks, a filter or a resizable shape ask for it, else contiguous. */
  layout?: "compact" | "contiguous" | "chunked";
  /** Record object modification times (off by default, as in h5py). */
  trackTimes?: boolean;
  /**
   * Attributes of the new dataset, written in the same native call as the dataset (what
   * `attrs.update(attrs, attrOptions)` would write after it, without a second trip to the
   * thread pool). If one cannot be written, the dataset is not created either.
   */
  attrs?: Record<string, unknown>;
  /** Per-attribute dtype and shape, as `attrs.update` takes them. */
  attrOptions?: Record<string, SetAttributeOptions>;
}

/** What the binding's datasetCreate takes, planned from CreateDatasetOptions. */
export interface DatasetCreation {
  type: TypeSpec;
  shape: number[] | null;
  maxshape: (number | null)[] | null;
  options: NativeCreateOptions;
  fill?: OutgoingData;
  data?: OutgoingData;
  attrs: NativeAttributeSpec[];
}

const CHUNK_BASE = 16 * 1024;
const CHUNK_MIN = 8 * 1024;
const CHUNK_MAX = 1024 * 1024;

/** h5py's chunk-shape guess: halve axes in turn until a chunk is near a size that grows with the dataset. */
export function guessChunks(shape: readonly number[], typeSize: number): number[] {
  const chunks = shape.map((d) => (d === 0 ? 1024 : d));
  const datasetBytes = chunks.reduce((a, b) => a * b, 1) * typeSize;
  let target = CHUNK_BASE * 2 ** Math.log10(datasetBytes / (1024 * 1024));
  target = Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, target));
  for (let i = 0; ; i++) {
    const count = chunks.reduce((a, b) => a * b, 1);
    const bytes = count * typeSize;
    if ((bytes < target || Math.abs(bytes - target) / target < 0.5) && bytes < CHUNK_MAX) break;
    if (count === 1) break;
    const axis = i % chunks.length;
    chunks[axis] = Math.ceil(chunks[axis] / 2);
  }
  return chunks;
}

/** Validates the options and computes what the binding needs. `path` names errors. */
export function planDatasetCreation(options: CreateDatasetOptions, path: string): DatasetCreation {
  const fail = (message: string): never => {
    throw new H5Error(`cannot create dataset '${path}': ${message}`, path);
  };
  const hasData = options.data !== undefined;
  if (!options.dtype && !hasData) fail("give dtype or data");
  const d = options.dtype ?? inferDtype(options.data);
  const type = toTypeSpec(d);
  const shape = options.shape !== undefined ? options.shape : hasData ? inferShape(options.data, d) : fail("give shape or data");
  if (shape && shape.some((n) => !Number.isInteger(n) || n < 0)) fail(`invalid shape [${shape}]`);

  let maxshape: (number | null)[] | null = null;
  if (options.maxshape) {
    if (!shape || options.maxshape.length !== shape.length) fail("maxshape must have as many axes as shape");
    maxshape = options.maxshape;
    maxshape.forEach((m, i) => {
      if (m !== null && m < shape![i]) fail(`maxshape[${i}] = ${m} is smaller than shape[${i}] = ${shape![i]}`);
    });
  }

  let spec: CompressionSpec | null = null;
  try {
    spec = compressionSpecOf(options.compression, options.compressionOpts);
  } catch (error) {
    fail((error as Error).message);
  }
  const step = spec && filterStep(spec);

  const resizable = maxshape !== null && maxshape.some((m, i) => m !== shape![i]);
  const needsChunks = spec !== null || !!options.shuffle || !!options.fletcher32 || resizable;
  let chunks: number[] | undefined;
  if (Array.isArray(options.chunks)) {
    chunks = options.chunks;
  } else if (options.chunks === true || (needsChunks && options.chunks !== false)) {
    if (shape && shape.length > 0) chunks = guessChunks(shape, type.size);
  } else if (needsChunks) {
    fail("filters and resizable shapes need chunks");
  }
  if (chunks) {
    if (!shape || shape.length === 0) fail("a scalar or empty dataset cannot be chunked");
    if (chunks.length !== shape!.length) fail(`chunks [${chunks}] must have ${shape!.length} axes`);
    if (chunks.some((c) => !Number.isInteger(c) || c <= 0)) fail(`chunk sizes must be positive integers, not [${chunks}]`);
    chunks.forEach((c, i) => {
      const max = maxshape ? maxshape[i] : shape![i];
      if (max !== null && c > max && max > 0) fail(`chunk size ${c} exceeds the maximum size ${max} of axis ${i}`);
    });
  }
  const count = shape ? shape.reduce((a, b) => a * b, 1) : 0;
  return {
    type,
    shape,
    maxshape: maxshape && maxshape.map((m) => (m === null ? -1 : m)),
    options: {
      layout: options.layout,
      chunks,
      deflate: spec?.codec === "gzip" ? step!.values[0] : undefined,
      filters: spec && spec.codec !== "gzip" ? [step!] : undefined,
      shuffle: !!options.shuffle,
      fletcher32: !!options.fletcher32,
      trackTimes: !!options.trackTimes,
    },
    fill: options.fillvalue === undefined ? undefined : encode(options.fillvalue, type, 1, path),
    data: hasData ? encode(options.data, type, count, path) : undefined,
    attrs: options.attrs ? attributeSpecs(path, options.attrs, options.attrOptions) : [],
  };
}
