// Rows of a matrix of strings, however it is stored: a string dataset (variable-length strings
// in HDF5's global heap, as h5dat wrote JSON pairs and kv CSV cells before the ragged layout, and
// as other libraries write them) or a ragged string array's group (ragged-strings.ts). Readers
// of h5dat's text layouts go through here, so files of either kind read the same.
import { Dataset } from "./dataset";
import { H5Error } from "./errors";
import type { Group } from "./group";
import { step, type Operation } from "./operation";
import { isRaggedStrings, raggedShape, readRaggedStrings } from "./ragged-strings";

/** A matrix of strings: a string dataset, or a ragged string array's group. */
export type StringMatrix = Dataset | Group;

/** The matrix's shape (a ragged array's `shape` attr); throws when `target` holds no strings. */
export function* stringMatrixShape(target: StringMatrix): Operation<number[]> {
  if (target instanceof Dataset) {
    const dtype = target.dtype;
    const text = dtype === "string" || (typeof dtype === "object" && dtype.kind === "string");
    if (!text || !target.shape) throw new H5Error(`'${target.name}' is not a dataset of strings`, target.name);
    return target.shape;
  }
  if (!(yield* isRaggedStrings(target))) throw new H5Error(`'${target.name}' is a group, not a ragged string array (attr layout "ragged-utf8")`, target.name);
  return yield* raggedShape(target);
}

/** Rows [start, stop) along axis 0 (all by default), their strings flat in row-major order. */
export function* readStringRows(target: StringMatrix, start?: number, stop?: number): Operation<{ data: string[]; shape: number[] }> {
  if (!(target instanceof Dataset)) return yield* readRaggedStrings(target, start, stop);
  const shape = yield* stringMatrixShape(target);
  const first = Math.max(0, start ?? 0);
  const rows = Math.max(0, Math.min(shape[0], stop ?? shape[0]) - first);
  if (shape.length === 0) throw new H5Error(`'${target.name}' is a scalar, not rows of strings`, target.name);
  const selection = { start: [first, ...shape.slice(1).map(() => 0)], count: [rows, ...shape.slice(1)] };
  const { data } = yield* step(() => target.readSync(selection), () => target.read(selection));
  return { data: data as string[], shape: [rows, ...shape.slice(1)] };
}
