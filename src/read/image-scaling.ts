// Numeric image datasets that are not uint8/uint16 pixels (a float32 depth map, an int16 scan,
// h5py's float images with the Image attrs) made displayable: mapped linearly onto uint8 or
// uint16 pixels, and the mapping stated (ImageScaling) so nobody mistakes the PNG for the data.
// Integers map from their dtype's whole range (int8 onto uint8 is v + 128, int16 onto uint16 is
// v + 32768: nothing lost); floats from the data's own range, [0, 1] when every value lies in it
// (the usual convention for float images) else min..max; NaN becomes 0, ±Inf the ends.

/** How stored values became pixels: `from[0]` → 0, `from[1]` → the top of `to`, linearly. */
export interface ImageScaling {
  /** The stored dtype (e.g. "float32", "int16"). */
  dtype: string;
  /** The stored values mapped to 0 and to 255 / 65535. */
  from: [number, number];
  /** The pixels' type. */
  to: "uint8" | "uint16";
}

const INTEGER_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1], uint64: [0, 2 ** 64 - 1],
};
const FLOATS = new Set(["float16", "float32", "float64"]);

/** The numeric name of a dtype (big-endian names without their '>'), or undefined. */
export function numericDtypeName(dtype: unknown): string | undefined {
  if (typeof dtype !== "string") return undefined;
  const name = dtype.replace(/^>/, "");
  return name === "uint8" || name === "uint16" || name in INTEGER_RANGES || FLOATS.has(name) ? name : undefined;
}

/** Whether values of `dtype` must be scaled to become pixels (a numeric type, not uint8/uint16). */
export function needsScaling(dtype: string): boolean {
  return dtype !== "uint8" && dtype !== "uint16";
}

/** Finite values' min and max, or undefined when there is none. */
function finiteRange(values: ArrayLike<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // NaN never passed the comparisons; infinities did and are dropped here.
  if (lo === -Infinity || hi === Infinity) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** The values of `data` (a typed array of `dtype`) as uint8/uint16 pixels, and how they were mapped. */
export function scalePixels(data: ArrayLike<number | bigint>, dtype: string): { pixels: Uint8Array | Uint16Array; scaling: ImageScaling } {
  const values: ArrayLike<number> = typeof data[0] === "bigint" ? Array.from(data as ArrayLike<bigint>, Number) : (data as ArrayLike<number>);
  let from: [number, number];
  let to: ImageScaling["to"];
  if (FLOATS.has(dtype)) {
    const range = finiteRange(values) ?? [0, 1];
    from = range[0] >= 0 && range[1] <= 1 ? [0, 1] : range;
    to = "uint8";
  } else {
    const range = INTEGER_RANGES[dtype];
    if (!range) throw new Error(`cannot scale ${dtype} values to pixels`);
    from = range;
    to = dtype === "int8" ? "uint8" : "uint16";
  }
  const top = to === "uint8" ? 255 : 65535;
  const pixels = to === "uint8" ? new Uint8Array(values.length) : new Uint16Array(values.length);
  const [lo, hi] = from;
  const span = hi - lo;
  for (let i = 0; i < values.length; i++) {
    const scaled = span > 0 ? ((values[i] - lo) * top) / span : 0;
    // Half up (as numpy's floor(x + 0.5)); NaN fails both tests and stays 0.
    pixels[i] = scaled >= top ? top : scaled > 0 ? Math.floor(scaled + 0.5) : 0;
  }
  return { pixels, scaling: { dtype, from, to } };
}

/** The scaling as one line: `float32 values 0..65535 scaled to uint8 0..255`. */
export function describeScaling(scaling: ImageScaling): string {
  const top = scaling.to === "uint8" ? 255 : 65535;
  return `${scaling.dtype} values ${scaling.from[0]}..${scaling.from[1]} scaled to ${scaling.to} 0..${top}${scaling.dtype.startsWith("float") ? " (NaN as 0)" : ""}`;
}
