// JSON text of values read from HDF5, as Python's json module reads it back: BigInts as their
// digits, NaN and ±Infinity as Python writes them (NaN, Infinity, -Infinity; json.loads accepts
// them, JSON.parse does not), TypedArrays as arrays, and a flat row-major array nested by shape.
import { isTypedArray } from "../h5/array-data";

/** `flat` (row-major) as nested arrays of `shape`; a scalar shape gives the one value. */
export function nestByShape(flat: ArrayLike<unknown>, shape: readonly number[]): unknown {
  if (shape.length === 0) return flat[0];
  const build = (axis: number, offset: number): unknown[] => {
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[axis] }, (_, i) => (axis === shape.length - 1 ? flat[offset + i] : build(axis + 1, offset + i * stride)));
  };
  return build(0, 0);
}

/** Compact JSON text of `value`. */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (isTypedArray(value) || Array.isArray(value)) return `[${Array.from(value as ArrayLike<unknown>, jsonText).join(",")}]`;
  if (typeof value === "object") return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(",")}}`;
  return JSON.stringify(String(value));
}
