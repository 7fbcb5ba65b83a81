// The forms element data takes in JS beside the binding's wire forms (native/element-data.ts):
// what a read gives back, and which TypedArray holds a numeric type. encode.ts and decode.ts both build on these; this module imports neither.
import type { Dtype, StringDtype } from "./dtype";
import { H5Error } from "./errors";
import type { TypeSpec } from "../native/type-spec";

/** Every TypedArray kind a read may give or a write may take. */
export type TypedArray =
  | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array | BigUint64Array
  | Float32Array | Float64Array;

/** What a read returns: values flattened in row-major order, and their shape. */
export interface ArrayResult<T = unknown> {
  /** The values, flattened in row-major order. */
  data: T;
  /** The shape of the values read ([] for a scalar). */
  shape: number[];
}

/** The TypedArray that holds each numeric dtype's values. */
export interface NumericArrays {
  /** Signed 8-bit integers. */
  int8: Int8Array;
  /** Signed 16-bit integers. */
  int16: Int16Array;
  /** Signed 32-bit integers. */
  int32: Int32Array;
  /** Signed 64-bit integers, as BigInts: a number is exact only to 2^53. */
  int64: BigInt64Array;
  /** Unsigned 8-bit integers. */
  uint8: Uint8Array;
  /** Unsigned 16-bit integers. */
  uint16: Uint16Array;
  /** Unsigned 32-bit integers. */
  uint32: Uint32Array;
  /** Unsigned 64-bit integers, as BigInts. */
  uint64: BigUint64Array;
  /** Single-precision floats. */
  float32: Float32Array;
  /** Double-precision floats. */
  float64: Float64Array;
}

/** float16 reads as a Float32Array, or as its half bits in a Uint16Array with `float16: "raw"`. */
export interface ReadArrays extends NumericArrays {
  /** Widened exactly to float32, or the raw half bits. */
  float16: Float32Array | Uint16Array;
}

/**
 * What a read of a `D` dataset gives as `data`, for the dtypes whose JS form is one type:
 * numbers (either byte order) as their TypedArray, bool as a Uint8Array of 0/1, strings as
 * string[], object references as paths (null for a null reference), wider floats as a
 * Float64Array. `unknown` for the rest, and for a dtype TypeScript does not know (plain `Dtype`).
 */
export type DataOf<D extends Dtype> = Dtype extends D
  ? unknown
  : D extends keyof ReadArrays
    ? ReadArrays[D]
    : D extends `>${infer N extends keyof ReadArrays}`
      ? ReadArrays[N]
      : D extends "bool"
        ? Uint8Array
        : D extends "string" | StringDtype
          ? string[]
          : D extends "reference"
            ? (string | null)[]
            : D extends `float${number}` | `>float${number}`
              ? Float64Array
              : unknown;

type TypedArrayConstructor = { new (buffer: ArrayBufferLike, offset?: number, length?: number): TypedArray; new (length: number): TypedArray; BYTES_PER_ELEMENT: number };

const INTEGER_ARRAYS: Record<string, TypedArrayConstructor> = {
  "1s": Int8Array, "2s": Int16Array, "4s": Int32Array, "8s": BigInt64Array,
  "1u": Uint8Array, "2u": Uint16Array, "4u": Uint32Array, "8u": BigUint64Array,
};

/**
 * The TypedArray class holding a numeric spec's values in memory, if it is numeric. A 2-byte
 * float in memory is a raw half (ReadOptions.float16 "raw"); bitfields are unsigned integers.
 */
export function typedArrayClass(spec: TypeSpec): TypedArrayConstructor | undefined {
  switch (spec.class) {
    case "integer":
      return INTEGER_ARRAYS[`${spec.size}${spec.signed ? "s" : "u"}`];
    case "bitfield":
      return INTEGER_ARRAYS[`${spec.size}u`];
    case "float":
      return spec.size === 2 ? Uint16Array : spec.size === 4 ? Float32Array : spec.size === 8 ? Float64Array : undefined;
    case "time":
      return spec.size === 4 ? Int32Array : spec.size === 8 ? Float64Array : undefined;
    case "enum":
      return typedArrayClass(spec.base);
    default:
      return undefined;
  }
}

/** The TypeSpec of a TypedArray's elements (native, little-endian). */
export function typedArraySpec(array: TypedArray): TypeSpec {
  const size = array.BYTES_PER_ELEMENT;
  if (array instanceof Float32Array || array instanceof Float64Array) return { class: "float", size, order: "le" };
  const signed = array instanceof Int8Array || array instanceof Int16Array || array instanceof Int32Array || array instanceof BigInt64Array;
  return { class: "integer", size, signed, order: "le" };
}

/** Whether `value` is a TypedArray (a DataView is not). */
export function isTypedArray(value: unknown): value is TypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}
/** Flattens nested JS arrays (row-major) and reports their shape; leaves other values alone. */
export function flatten(values: unknown): ArrayResult<unknown[]> | undefined {
  if (!Array.isArray(values)) return undefined;
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  if (shape.length === 1) return { data: values, shape };
  const data: unknown[] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth === shape.length) {
      data.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) throw new H5Error("nested arrays must be rectangular");
    for (const child of node) walk(child, depth + 1);
  };
  walk(values, 0);
  return { data, shape };
}
