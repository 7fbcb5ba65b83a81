// The bytes a dataset's variable-length values take outside its chunks. HDF5 stores each
// variable-length string or sequence as an object in a global heap collection: a 16-byte header
// (index, reference count, reserved, size) and the data padded to a multiple of 8 bytes, an
// empty value a header alone. No chunk filter compresses them, and H5Dget_storage_size counts
// only the 16-byte heap IDs in the chunks, so a listing that shows only that misses most of the
// file (a JSONL stored as vlen pairs: 116 MB of file, 6 MB of chunks). This counts the heap
// objects the values hold, reading the values in blocks. It is within about 1% of what h5stat
// reports as "Unaccounted space" for a file of one such dataset (the rest is each collection's
// header and free tail).
import type { Dataset } from "../h5/dataset";
import type { Dtype } from "../h5/dtype";

/** A global heap object's header. */
const HEAP_OBJECT_HEADER = 16;
/** Elements read per block. */
const BLOCK_ELEMENTS = 1 << 16;

/** What the variable-length values hold: their own bytes, and what their heap objects take. */
export interface VlenBytes {
  /** The values' bytes (UTF-8 of strings, items × size of sequences). */
  data: number;
  /** Their heap objects: a 16-byte header each and the data padded to 8 bytes. */
  heap: number;
}

/** Whether values of `dtype` have variable-length parts (kept in the global heap). */
export function hasVlen(dtype: Dtype): boolean {
  if (dtype === "string") return true;
  if (typeof dtype !== "object") return false;
  switch (dtype.kind) {
    case "string":
      return dtype.length === null;
    case "vlen":
      return true;
    case "array":
      return hasVlen(dtype.base);
    case "compound":
      return dtype.fields.some((f) => hasVlen(f.dtype));
    default:
      return false;
  }
}

/** The variable-length bytes of `dataset`'s values (read block by block along axis 0); null when it has none. */
export async function vlenBytes(dataset: Dataset): Promise<VlenBytes | null> {
  const dtype = dataset.dtype;
  const shape = dataset.shape;
  if (!hasVlen(dtype) || !shape || dataset.unreadable) return null;
  const total: VlenBytes = { data: 0, heap: 0 };
  if (shape.length === 0) {
    add(total, (await dataset.read()).data as ArrayLike<unknown>, dtype);
    return total;
  }
  const perRow = shape.slice(1).reduce((a, b) => a * b, 1);
  if (perRow === 0) return total;
  const rows = Math.max(1, Math.floor(BLOCK_ELEMENTS / perRow));
  for (let start = 0; start < shape[0]; start += rows) {
    const count = Math.min(rows, shape[0] - start);
    const { data } = await dataset.read({ start: [start, ...shape.slice(1).map(() => 0)], count: [count, ...shape.slice(1)] });
    add(total, data as ArrayLike<unknown>, dtype);
  }
  return total;
}

/** Adds the variable-length bytes of each value in `values` (of `dtype`) to `total`. */
function add(total: VlenBytes, values: ArrayLike<unknown>, dtype: Dtype): void {
  for (let i = 0; i < values.length; i++) addValue(total, values[i], dtype);
}

function addValue(total: VlenBytes, value: unknown, dtype: Dtype): void {
  if (typeof dtype !== "object" || dtype.kind === "string") {
    if (hasVlen(dtype) && typeof value === "string") heapObject(total, Buffer.byteLength(value));
    return;
  }
  if (dtype.kind === "vlen") {
    // A numeric sequence reads as a TypedArray (its exact bytes); any other counts 16 bytes an
    // item, the size of a nested variable-length item's heap ID and length.
    const bytes = ArrayBuffer.isView(value) ? value.byteLength : Array.isArray(value) ? value.length * HEAP_OBJECT_HEADER : 0;
    heapObject(total, bytes);
    if (Array.isArray(value) && hasVlen(dtype.base)) add(total, value, dtype.base);
  } else if (dtype.kind === "array" && (Array.isArray(value) || ArrayBuffer.isView(value))) {
    add(total, Array.isArray(value) ? value.flat(Infinity) : (value as unknown as ArrayLike<unknown>), dtype.base);
  } else if (dtype.kind === "compound" && value !== null && typeof value === "object") {
    for (const field of dtype.fields) if (hasVlen(field.dtype)) addValue(total, (value as Record<string, unknown>)[field.name], field.dtype);
  }
}

function heapObject(total: VlenBytes, bytes: number): void {
  total.data += bytes;
  total.heap += HEAP_OBJECT_HEADER + Math.ceil(bytes / 8) * 8;
}
