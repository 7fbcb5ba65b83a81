// Dimension scales, h5py's `ds.dims`: per axis its label and the scales attached to it, and
// whether the dataset is itself a scale (and its NAME). This is how NetCDF-4 stores dimensions:
// every dimension is a scale dataset (a coordinate variable, or a placeholder when the dimension
// has no variable), attached to each axis that uses it. Read in one native call per dataset.
import type { NativeDatasetDims, NativeHandle } from "../native/addon-types";
import { call, type Operation } from "./operation";

/** NetCDF-4 names a dimension that is not a variable with this NAME (and its size after it). */
const NETCDF_PLACEHOLDER = "This is a netCDF dimension but not a netCDF variable.";

/** One scale attached to an axis. */
export interface AttachedScale {
  /** The scale dataset's path (open it with `file.get(path)`). */
  path: string;
  /** Its NAME attribute as h5py's `ds.dims[i].keys()` gives it ("" when it has none). */
  name: string;
  /** The dimension's name as `ncdump -h` shows it: the NAME, or the dataset's own name when the
   * NAME is empty or NetCDF-4's placeholder for a dimension without a variable. */
  dimension: string;
  /** Length of the scale (its first axis); null for an empty dataspace. */
  size: number | null;
  /** Whether the scale can grow (NetCDF's UNLIMITED dimension). */
  unlimited: boolean;
  /** Whether the scale holds values of its own (a coordinate variable), not NetCDF's placeholder. */
  coordinate: boolean;
}

/** One axis of a dataset. */
export interface DimensionAxis {
  /** The axis label (h5py's `ds.dims[i].label`), "" when unset. */
  label: string;
  /** The scales attached to this axis. */
  scales: AttachedScale[];
  /** Why the scales of this axis could not be read (a dangling reference), when they could not. */
  error?: string;
}

/** What `dataset.dims()` gives. */
export interface Dimensions {
  /** Whether this dataset is a dimension scale (h5py's `ds.is_scale`). */
  isScale: boolean;
  /** Its NAME when it is a scale, else null. */
  scaleName: string | null;
  /** The dimension it is, as ncdump names it (see AttachedScale.dimension), when a scale. */
  dimension: string | null;
  /** One entry per axis, in order. */
  axes: DimensionAxis[];
}

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/** A scale's dimension name: its NAME, unless empty or NetCDF's placeholder, else its own name. */
function dimensionName(path: string, name: string): string {
  return name === "" || name.startsWith(NETCDF_PLACEHOLDER) ? baseName(path) : name;
}

function attachedScale(scale: NativeDatasetDims["axes"][number]["scales"][number]): AttachedScale {
  const placeholder = scale.name.startsWith(NETCDF_PLACEHOLDER);
  return {
    path: scale.path,
    name: scale.name,
    dimension: dimensionName(scale.path, scale.name),
    size: scale.shape === null ? null : (scale.shape[0] ?? 1),
    unlimited: scale.maxshape?.[0] === null,
    coordinate: !placeholder,
  };
}

/** The dataset's dimension scales; `handle` is asked for inside, so a closed dataset rejects. */
export function* dimensionsOp(handle: () => NativeHandle): Operation<Dimensions> {
  const native = handle();
  const raw = yield* call("datasetDims", native);
  return {
    isScale: raw.isScale,
    scaleName: raw.scaleName,
    dimension: raw.isScale ? dimensionName(native.path, raw.scaleName ?? "") : null,
    axes: raw.axes.map((axis) => ({ label: axis.label, scales: axis.scales.map(attachedScale), ...(axis.error ? { error: axis.error } : {}) })),
  };
}

/** An axis's name in one word: its first scale's dimension name, else its label, else "". */
export function axisName(axis: DimensionAxis): string {
  return axis.scales[0]?.dimension ?? axis.label;
}
