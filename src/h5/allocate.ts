// Arrays for large writes and reads, in memory the kernel copies fastest. From 2 MiB up the
// memory is in transparent huge pages (binding/memory/large_block.h), as numpy's arrays are: the kernel
// copy of an unfiltered write (the pwrite into the page cache) reads 2 MiB pages instead of
// 4 KiB ones. V8's own ArrayBuffers never ask for huge pages.
import { native } from "../native/addon";
import type { NumericArrays } from "./array-data";
import type { NumericName } from "./dtype";

/** The numeric dtypes a TypedArray holds as they are (float16 has none). */
export type ArrayName = Exclude<NumericName, "float16">;

const ARRAYS: { [N in ArrayName]: { new (buffer: ArrayBuffer): NumericArrays[N]; BYTES_PER_ELEMENT: number } } = {
  int8: Int8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array,
  uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array,
  float32: Float32Array, float64: Float64Array,
};

/**
 * A zeroed typed array of `length` elements of `dtype`, like `new Float32Array(length)` but
 * backed by huge pages when large: fill it and write it for the fastest unfiltered writes.
 */
export function allocate<N extends ArrayName>(dtype: N, length: number): NumericArrays[N] {
  const View = ARRAYS[dtype];
  if (!View) throw new TypeError(`allocate: '${String(dtype)}' is not a numeric dtype`);
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`allocate: length must be a whole number >= 0, not ${length}`);
  return new View(native.allocateBuffer(length * View.BYTES_PER_ELEMENT));
}
