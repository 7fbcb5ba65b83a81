// h5py-like selections for the reader: `ds.slice(0, [10, 20], null)` takes one argument per axis,
// `ds.get("0:10, ::2")` a string. Both end up as the h5 layer's Selection, whose rules are
// h5py's: an integer picks one index and drops the axis, negative indexes and bounds count from
// the end, bounds are clipped, steps must be positive (h5py refuses negative steps too), "..."
// stands for the axes not given, and missing trailing axes are taken whole.
import { H5Error } from "../h5/errors";
import { Slice, type AxisSelection, type Selection } from "../h5/selection";

/**
 * One axis of `slice(...)`: an integer index (the axis is dropped), `[start, stop]` or
 * `[start, stop, step]` (a Python range; null bounds are open), a Slice (`slice(1, null, 2)`),
 * null for the whole axis, or "..." for every axis not given.
 */
export type SliceArg = number | null | readonly [number | null, (number | null)?, (number | null)?] | Slice | "...";

/** The Selection of `slice(...args)` arguments. */
export function sliceSelection(args: readonly SliceArg[]): AxisSelection[] {
  return args.map((arg, axis): AxisSelection => {
    if (arg === null || arg === "..." || arg instanceof Slice) return arg;
    if (typeof arg === "number") {
      if (!Number.isInteger(arg)) throw new H5Error(`index ${arg} on axis ${axis} is not an integer`);
      return arg;
    }
    if (Array.isArray(arg)) {
      if (arg.length < 1 || arg.length > 3) throw new H5Error(`a range on axis ${axis} is [start, stop] or [start, stop, step], not ${arg.length} values`);
      for (const v of arg) {
        if (v !== null && v !== undefined && !Number.isInteger(v)) throw new H5Error(`range bound ${String(v)} on axis ${axis} is not an integer`);
      }
      return [arg[0] ?? null, arg[1] ?? null, arg[2] ?? null];
    }
    throw new H5Error(`axis ${axis}: expected an index, [start, stop(, step)], a slice, null or "...", not ${JSON.stringify(arg)}`);
  });
}

/** A selection given to `get`: a string ("0:10, ::2"), a list of axes, or nothing (all). */
export function getSelection(selection: Selection | readonly SliceArg[] | undefined): Selection | undefined {
  if (selection === undefined || typeof selection === "string") return selection;
  if (Array.isArray(selection)) return sliceSelection(selection as readonly SliceArg[]);
  return selection as Selection;
}
