// Turns createVirtualDataset options into the binding's arguments, refusing mappings that do not
// fit the dataset before any file is touched (the binding then checks each source's shape and
// type against the source itself).
import { encode } from "./encode";
import { toTypeSpec, type Dtype } from "./dtype";
import { H5Error } from "./errors";
import type { OutgoingData } from "../native/element-data";
import type { VirtualSource } from "../native/addon-types";
import type { TypeSpec } from "../native/type-spec";

/**
 * How Group.createVirtualDataset makes a virtual dataset: its type and extent, and which whole
 * source dataset fills each block. Nothing is copied: reads go to the sources (h5py's
 * create_virtual_dataset). Blocks no source covers read as `fillvalue`, and so does a source
 * whose file is missing when read (HDF5's rule; every source must exist when the dataset is made).
 */
export interface CreateVirtualDatasetOptions {
  /** Element type; each source's type must convert to it (the same type reads without conversion). */
  dtype: Dtype;
  /** The dataset's shape (one axis or more); every block must lie inside it. */
  shape: number[];
  /** Maximum shape; null on an axis means unlimited. The shape by default. */
  maxshape?: (number | null)[];
  /** The value of elements no source covers (and of a missing source's block); 0 by default. */
  fillvalue?: unknown;
  /** The mappings: each block at `start` is the whole source dataset, of its shape. */
  sources: VirtualSource[];
}

/** What the binding's virtualDatasetCreate takes, planned from CreateVirtualDatasetOptions. */
export interface VirtualDatasetCreation {
  type: TypeSpec;
  shape: number[];
  maxshape: number[] | null;
  sources: VirtualSource[];
  fill?: OutgoingData;
}

const isIndex = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** Validates the options and computes what the binding needs. `path` names errors. */
export function planVirtualDatasetCreation(options: CreateVirtualDatasetOptions, path: string): VirtualDatasetCreation {
  const fail = (message: string): never => {
    throw new H5Error(`cannot create virtual dataset '${path}': ${message}`, path);
  };
  if (options.dtype === undefined) fail("give dtype");
  const type = toTypeSpec(options.dtype);
  const { shape } = options;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every(isIndex)) fail(`shape must be sizes of one axis or more, not ${JSON.stringify(shape)}`);
  let maxshape: number[] | null = null;
  if (options.maxshape) {
    if (options.maxshape.length !== shape.length) fail("maxshape must have as many axes as shape");
    maxshape = options.maxshape.map((m, i) => {
      if (m !== null && !(isIndex(m) && m >= shape[i])) fail(`maxshape[${i}] = ${m} is smaller than shape[${i}] = ${shape[i]}`);
      return m === null ? -1 : m;
    });
  }
  if (!Array.isArray(options.sources)) fail("sources must be an array of { file, dataset, start, shape }");
  const sources = options.sources.map((source, n) => {
    const named = `source ${n} (${source?.file}:${source?.dataset})`;
    if (typeof source?.file !== "string" || source.file === "") fail(`source ${n} needs a file name ("." for this file)`);
    if (typeof source.dataset !== "string" || source.dataset === "") fail(`source ${n} needs a dataset path`);
    for (const key of ["start", "shape"] as const) {
      const dims = source[key];
      if (!Array.isArray(dims) || dims.length !== shape.length) {
        fail(`${named}: ${key} must have ${shape.length} axes, as the dataset, not ${JSON.stringify(dims)}`);
      }
      if (!dims.every(isIndex)) fail(`${named}: ${key} [${dims}] must be non-negative integers`);
    }
    source.shape.forEach((size, i) => {
      if (source.start[i] + size > shape[i]) fail(`${named}: its block [${source.start}] + [${source.shape}] ends past the shape [${shape}]`);
    });
    return { file: source.file, dataset: source.dataset, start: [...source.start], shape: [...source.shape] };
  });
  return {
    type,
    shape: [...shape],
    maxshape,
    sources,
    fill: options.fillvalue === undefined ? undefined : encode(options.fillvalue, type, 1, path),
  };
}
