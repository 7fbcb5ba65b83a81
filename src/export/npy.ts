// NumPy's .npy format 1.0 (numpy.lib.format): the magic "\x93NUMPY", version 1.0, a little-endian
// uint16 header length, then a Python dict literal (descr, fortran_order, shape) padded with
// spaces and a newline so the data starts on a 64-byte boundary, then the values in C order.
// The values are written as they are in JS memory (TypedArrays: the machine's byte order), so
// descr names that order; numpy reads either.
import os from "node:os";
import type { TypedArray } from "../h5/array-data";

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
const ALIGN = 64;
const ORDER = os.endianness() === "LE" ? "<" : ">";

/** The numpy type string of a TypedArray's elements; `bool` for 0/1 bytes numpy reads as bool. */
export function npyDescr(values: TypedArray, bool = false): string {
  if (bool) return "|b1";
  if (values instanceof Int8Array) return "|i1";
  if (values instanceof Uint8Array || values instanceof Uint8ClampedArray) return "|u1";
  const kind = values instanceof Float32Array || values instanceof Float64Array ? "f"
    : values instanceof Int16Array || values instanceof Int32Array || values instanceof BigInt64Array ? "i" : "u";
  return `${ORDER}${kind}${values.BYTES_PER_ELEMENT}`;
}

/** The header (magic through the padded dict) for an array of `descr` elements and `shape`. */
export function npyHeader(descr: string, shape: readonly number[]): Buffer {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // 10 bytes of magic, version and length before the dict; the dict ends with "\n".
  const total = Math.ceil((MAGIC.length + 2 + dict.length + 1) / ALIGN) * ALIGN;
  const text = dict.padEnd(total - MAGIC.length - 2 - 1, " ") + "\n";
  const length = Buffer.alloc(2);
  length.writeUInt16LE(text.length);
  return Buffer.concat([MAGIC, length, Buffer.from(text, "latin1")]);
}

/** A TypedArray's bytes, without a copy. */
export function bytesOf(values: TypedArray): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}
