// GET /api/slice?path=P&sel=0,:,0:512:2: the values of a numeric dataset's selection (h5py's
// syntax, one text per axis), for the line plot and the heatmap. The selection is resolved
// against the shape before anything is read, and refused past VIEW_LIMITS.sliceValues.
import { resolveSelection } from "../../h5/selection";
import { numericDtypeName } from "../../read/image-scaling";
import { firstValues } from "../../read/value-preview";
import { dtypeName } from "../../h5/dtype";
import { VIEW_LIMITS } from "../limits";
import { jsonReply } from "../reply";
import { checkBound, ViewError } from "../view-error";
import { asDataset } from "./datasets";
import type { Route } from "./route";

/** Values shown of a non-numeric dataset (strings, enums, references …). */
const LISTED_VALUES = 1000;

/** A numeric selection's values (as numbers), shape, and finite min and max. */
export const sliceRoute: Route = (file, query) => {
  const path = query.objectPath();
  const selection = query.text("sel", "");
  return file.withObject(path, async (member) => {
    const dataset = asDataset(member, path);
    const shape = dataset.shape ?? [];
    if (numericDtypeName(dataset.dtype) === undefined) throw new ViewError(400, `'${path}' holds ${dtypeName(dataset.dtype)} values, not numbers`);
    let resolved;
    try {
      resolved = resolveSelection(selection === "" ? undefined : selection, shape, path);
    } catch (error) {
      throw new ViewError(400, (error as Error).message);
    }
    checkBound(resolved.count, VIEW_LIMITS.sliceValues, "values of one slice");
    const { data } = await dataset.read(selection === "" ? undefined : selection);
    const values = Array.from(data as ArrayLike<number | bigint>, Number);
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) if (Number.isFinite(v)) [min, max] = [Math.min(min, v), Math.max(max, v)];
    return jsonReply({ shape: resolved.shape, dtype: dtypeName(dataset.dtype), min: Number.isFinite(min) ? min : null, max: Number.isFinite(max) ? max : null, values: values.map((v) => (Number.isFinite(v) ? v : null)) });
  });
};

/** GET /api/values?path=P: the first values of any dataset in C order, as `h5dat show` lists them. */
export const valuesRoute: Route = (file, query) => {
  const path = query.objectPath();
  return file.withObject(path, async (member) => {
    const dataset = asDataset(member, path);
    const shape = dataset.shape ?? [];
    const values = shape.length === 0 ? Array.from((await dataset.read()).data as ArrayLike<unknown>) : await firstValues(dataset, shape[0], LISTED_VALUES);
    return jsonReply({ shape, size: dataset.size, values });
  });
};
