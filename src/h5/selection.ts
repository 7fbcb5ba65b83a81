// h5py-style selections ("0:10, ::2, 5", [slice(0, 10), null, 3], or a raw hyperslab) resolved
// against a shape into the hyperslab the binding takes and the shape of the result. The rules
// are h5py's: an integer picks one index and drops the axis, negative indexes and bounds count
// from the end, bounds are clipped, steps must be positive (h5py refuses negative steps too),
// "..." stands for the axes not given, and missing trailing axes are taken whole.
import { H5Error } from "./errors";
import type { Hyperslab } from "../native/addon-types";

/** A Python-style slice: start inclusive, stop exclusive, positive step; negatives count from the end. */
export class Slice {
  constructor(
    /** The first index (null: from the start). */
    readonly start: number | null = null,
    /** The index to stop before (null: to the end). */
    readonly stop: number | null = null,
    /** Every step-th index (null: 1). */
    readonly step: number | null = null,
  ) {}
}

/** `slice(0, 10)`, `slice(null, null, 2)`, … as in Python. */
export function slice(start: number | null = null, stop: number | null = null, step: number | null = null): Slice {
  return new Slice(start, stop, step);
}

/**
 * One axis: an integer index (the axis is dropped), `[start, stop]` or `[start, stop, step]` (a
 * Python range; null bounds are open), a Slice (`slice(1, null, 2)`), null for the whole axis,
 * or "..." for every axis not given.
 */
export type AxisSelection = number | null | Slice | readonly [number | null, (number | null)?, (number | null)?] | "...";

/** A selection: a string like "0:10, ::2", a list of axis selections, or a hyperslab. */
export type Selection = string | readonly AxisSelection[] | Hyperslab;

/** A selection checked against a shape: the hyperslab to read, and the result's shape. */
export interface ResolvedSelection {
  /** null selects everything. */
  hyperslab: Hyperslab | null;
  /** Shape of the selected data (indexed axes dropped). */
  shape: number[];
  /** Number of selected elements. */
  count: number;
}

function parseAxis(text: string): AxisSelection {
  const t = text.trim();
  if (t === "..." ) return "...";
  if (t === ":" || t === "") return null;
  const parts = t.split(":");
  const num = (s: string | undefined): number | null => {
    if (s === undefined || s.trim() === "") return null;
    const n = Number(s);
    if (!Number.isInteger(n)) throw new H5Error(`invalid selection '${text}'`);
    return n;
  };
  if (parts.length === 1) return num(parts[0]) as number;
  if (parts.length > 3) throw new H5Error(`invalid selection '${text}'`);
  return new Slice(num(parts[0]), num(parts[1]), num(parts[2]));
}

/** Parses "0:10, ::2, 5" into axis selections. */
export function parseSelection(text: string): AxisSelection[] {
  return text.trim() === "" ? [] : text.split(",").map(parseAxis);
}

function isHyperslab(selection: Selection): selection is Hyperslab {
  return typeof selection === "object" && !Array.isArray(selection) && "start" in selection && "count" in selection;
}

/** Checks a list of axes as given (integers, ranges of one to three bounds), ranges as Slices. */
function checkAxes(axes: readonly AxisSelection[]): AxisSelection[] {
  return axes.map((axis, i): AxisSelection => {
    if (axis === null || axis === "..." || axis instanceof Slice) return axis;
    if (typeof axis === "number") {
      if (!Number.isInteger(axis)) throw new H5Error(`index ${axis} on axis ${i} is not an integer`);
      return axis;
    }
    if (Array.isArray(axis)) {
      if (axis.length < 1 || axis.length > 3) throw new H5Error(`a range on axis ${i} is [start, stop] or [start, stop, step], not ${axis.length} values`);
      for (const v of axis) {
        if (v !== null && v !== undefined && !Number.isInteger(v)) throw new H5Error(`range bound ${String(v)} on axis ${i} is not an integer`);
      }
      return new Slice(axis[0] ?? null, axis[1] ?? null, axis[2] ?? null);
    }
    throw new H5Error(`axis ${i}: expected an index, [start, stop(, step)], a slice, null or "...", not ${JSON.stringify(axis)}`);
  });
}

/** Resolves `selection` against `shape` (h5py semantics; steps must be positive). */
export function resolveSelection(selection: Selection | undefined, shape: readonly number[], path = ""): ResolvedSelection {
  const fail = (message: string): never => {
    throw new H5Error(`${message} (shape [${shape.join(", ")}])`, path || null);
  };
  const total = shape.reduce((a, b) => a * b, 1);
  if (selection === undefined) return { hyperslab: null, shape: [...shape], count: total };
  if (isHyperslab(selection)) {
    const { start, count, stride, block } = selection;
    if (start.length !== shape.length || count.length !== shape.length) fail("hyperslab rank does not match the dataset");
    const result = count.map((c, i) => c * (block?.[i] ?? 1));
    for (let i = 0; i < shape.length; i++) {
      const last = start[i] + ((count[i] - 1) * (stride?.[i] ?? 1)) + (block?.[i] ?? 1) - 1;
      if (count[i] > 0 && (start[i] < 0 || last >= shape[i])) fail(`hyperslab out of range on axis ${i}`);
    }
    return { hyperslab: selection, shape: result, count: result.reduce((a, b) => a * b, 1) };
  }
  let axes = typeof selection === "string" ? parseSelection(selection) : checkAxes(selection as readonly AxisSelection[]);
  const ellipsis = axes.indexOf("...");
  if (ellipsis >= 0) {
    if (axes.indexOf("...", ellipsis + 1) >= 0) fail("only one '...' is allowed");
    const fill = Array<AxisSelection>(Math.max(0, shape.length - axes.length + 1)).fill(null);
    axes = [...axes.slice(0, ellipsis), ...fill, ...axes.slice(ellipsis + 1)];
  }
  if (axes.length > shape.length) fail(`selection has ${axes.length} axes, the dataset ${shape.length}`);
  if (shape.length === 0) return { hyperslab: null, shape: [], count: 1 };

  const start: number[] = [], count: number[] = [], stride: number[] = [], result: number[] = [];
  shape.forEach((dim, axis) => {
    const sel = axis < axes.length ? axes[axis] : null;
    if (typeof sel === "number") {
      const index = sel < 0 ? sel + dim : sel;
      if (!Number.isInteger(index) || index < 0 || index >= dim) fail(`index ${sel} out of range on axis ${axis}`);
      start.push(index); count.push(1); stride.push(1);
      return;
    }
    // checkAxes made every range a Slice.
    const s = sel === null || sel === "..." ? new Slice() : (sel as Slice);
    const step = s.step ?? 1;
    if (!Number.isInteger(step) || step <= 0) fail(`step must be a positive integer on axis ${axis}`);
    const clamp = (v: number | null, fallback: number) => {
      if (v === null) return fallback;
      const w = v < 0 ? v + dim : v;
      return Math.min(Math.max(w, 0), dim);
    };
    const from = clamp(s.start, 0);
    const to = clamp(s.stop, dim);
    const n = to > from ? Math.ceil((to - from) / step) : 0;
    start.push(n > 0 ? from : 0); count.push(n); stride.push(step); result.push(n);
  });
  const allSelected = start.every((v, i) => v === 0 && count[i] === shape[i] && stride[i] === 1);
  const selected = count.reduce((a, b) => a * b, 1);
  return {
    hyperslab: allSelected ? null : { start, count, stride },
    shape: result,
    count: selected,
  };
}
