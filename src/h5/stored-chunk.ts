// Chunks read without HDF5's filter pipeline: the stored chunk is fetched as it is
// (H5Dread_chunk, a short stay under the HDF5 lock) and inflated/unshuffled here, in an async run
// on the libuv pool, so several reads decompress on several cores at once instead of one after
// another inside the lock. Each image h5dat writes is one chunk (a whole image dataset of up to
// 1 MiB, or one row of a stacked layout's images), which makes this the read path for images.
// Only the plain case qualifies: a chunk that lies wholly inside the dataset, a little-endian
// numeric type, filters among deflate and shuffle. Anything else, or a chunk not stored (fill
// value), or bytes that do not come out at the right size, goes through HDF5's own read.
// Dataset.read() with no selection and Dataset.readChunkValues() take this path first.
import zlib from "node:zlib";
import { promisify } from "node:util";
import type { ArrayResult, TypedArray } from "./array-data";
import type { Dtype } from "./dtype";
import type { NativeDatasetInfo, NativeOps } from "../native/addon-types";
import { step, type Operation } from "./operation";

type ChunkBytes = NativeOps["chunkRead"][1];

/** What the plan needs to know of a dataset (Dataset has it all; this file does not import it). */
export interface StoredChunkSource {
  shape: number[] | null;
  chunks: number[] | null;
  dtype: Dtype;
  layout: NativeDatasetInfo["layout"];
  filters: NativeDatasetInfo["filters"];
}

const FILTER_DEFLATE = 1;
const FILTER_SHUFFLE = 2;
/** Deflate expands at most 1032:1: a shape asking for more than that is not this chunk's (a corrupt file). */
const MAX_DEFLATE_RATIO = 1032;

const inflateAsync = promisify(zlib.inflate);

type Ctor = { new (buffer: ArrayBufferLike, offset: number, length: number): TypedArray; BYTES_PER_ELEMENT: number };

const ARRAYS: Record<string, Ctor> = {
  int8: Int8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array,
  uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array,
  float32: Float32Array, float64: Float64Array,
};

interface Plan {
  Array: Ctor;
  count: number;
  filters: number[];
}

/** How to undo the filters of the chunk at `offset`, or null when it does not qualify. */
function planFor(dataset: StoredChunkSource, offset: readonly number[]): Plan | null {
  const { shape, chunks, dtype } = dataset;
  if (dataset.layout !== "chunked" || !shape || !chunks || shape.length === 0) return null;
  if (typeof dtype !== "string" || !(dtype in ARRAYS)) return null;
  if (chunks.length !== shape.length || offset.length !== shape.length) return null;
  // An edge chunk holds fill past the dataset's end: HDF5's read cuts it off.
  if (chunks.some((c, i) => offset[i] % c !== 0 || offset[i] < 0 || offset[i] + c > shape[i])) return null;
  const filters = dataset.filters.map((f) => f.id);
  if (filters.some((id) => id !== FILTER_DEFLATE && id !== FILTER_SHUFFLE)) return null;
  const count = chunks.reduce((a, b) => a * b, 1);
  return count > 0 ? { Array: ARRAYS[dtype], count, filters } : null;
}

/** Undoes HDF5's shuffle filter: byte b of element i was stored at b * count + i. */
function unshuffle(bytes: Uint8Array, size: number): Uint8Array {
  const count = bytes.length / size;
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < size; b++) {
    const plane = b * count;
    for (let i = 0, o = b; i < count; i++, o += size) out[o] = bytes[plane + i];
  }
  return out;
}

/**
 * The whole dataset through its one stored chunk, or null when it does not qualify (the caller
 * then reads through HDF5). `readChunk` fetches the stored chunk at an offset.
 */
export function* readWholeChunk(dataset: StoredChunkSource, readChunk: (offset: number[]) => Operation<ChunkBytes>): Operation<ArrayResult | null> {
  const { shape, chunks } = dataset;
  if (!shape || !chunks || chunks.length !== shape.length || chunks.some((c, i) => c !== shape[i])) return null;
  const values = yield* readStoredChunk(dataset, shape.map(() => 0), readChunk);
  return values ? { data: values, shape: [...shape] } : null;
}

/**
 * The values of the chunk at `offset` (row-major, the chunk's shape) from its stored bytes, or
 * null when it does not qualify (the caller then reads the region through HDF5).
 */
export function* readStoredChunk(dataset: StoredChunkSource, offset: readonly number[], readChunk: (offset: number[]) => Operation<ChunkBytes>): Operation<TypedArray | null> {
  const plan = planFor(dataset, offset);
  if (!plan) return null;
  let chunk: ChunkBytes | null = null;
  try {
    chunk = yield* readChunk([...offset]);
  } catch {
    return null; // not stored (the fill value), or not readable this way
  }
  const expected = plan.count * plan.Array.BYTES_PER_ELEMENT;
  let bytes: Uint8Array = chunk.bytes;
  for (let i = plan.filters.length - 1; i >= 0; i--) {
    if (chunk.filterMask & (1 << i)) continue; // this filter was skipped for this chunk
    if (plan.filters[i] === FILTER_DEFLATE) {
      const input = bytes;
      if (expected > input.length * MAX_DEFLATE_RATIO + 64) return null; // let HDF5 report it
      // One output buffer with room to spare: an exactly full one makes zlib go round once
      // more with a second buffer (≈ 10 % slower on 720 KB images).
      const options = { chunkSize: expected + (64 << 10), maxOutputLength: expected };
      try {
        bytes = yield* step<Uint8Array>(() => zlib.inflateSync(input, options), () => inflateAsync(input, options));
      } catch {
        return null; // corrupt or oversized: let HDF5 report it
      }
    } else if (bytes.length === expected) {
      bytes = unshuffle(bytes, plan.Array.BYTES_PER_ELEMENT);
    }
  }
  if (bytes.length !== expected) return null;
  const aligned = bytes.byteOffset % plan.Array.BYTES_PER_ELEMENT === 0 ? bytes : bytes.slice();
  return new plan.Array(aligned.buffer, aligned.byteOffset, plan.count);
}
