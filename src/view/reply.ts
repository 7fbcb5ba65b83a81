// What a route answers: a status, a content type and a body. JSON bodies go through one replacer
// (BigInts as their digits, typed arrays as arrays, NaN and ±Infinity as strings) so that any
// value HDF5 holds can be sent.

/** A route's answer. */
export interface Reply {
  /** HTTP status (200 unless said). */
  status?: number;
  /** The Content-Type. */
  type: string;
  /** The body. */
  body: Buffer | string;
}

/** JSON.stringify's replacer for values read from HDF5. */
export function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<unknown>);
  return value;
}

/** A JSON reply of `value`. */
export function jsonReply(value: unknown, status = 200): Reply {
  return { status, type: "application/json; charset=utf-8", body: JSON.stringify(value, jsonValue) };
}

/** A PNG reply. */
export function pngReply(png: Buffer): Reply {
  return { type: "image/png", body: png };
}
