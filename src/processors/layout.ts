// How a processor's dataset is stored: its compression, and (from a schema rule) a chunk shape
// and an element type that replace the processor's own choices.
import type { CreateDatasetOptions } from "../h5/dataset-creation";
import type { Dtype } from "../h5/dtype";

/** A dataset's compression as a processor's options give it (createDataset's `compression`). */
export type Compression = NonNullable<CreateDatasetOptions["compression"]>;

/** How a processor's datasets are stored: compression and chunk shape. */
export interface DatasetLayout {
  /** A setting text or spec ("zstd:5", "none"), "gzip" (level 4), or a gzip level. */
  compression: Compression;
  /** A chunk shape to use instead of the processor's. */
  chunks?: number[];
  /** A numeric element type to store the values as, instead of their own. */
  dtype?: Dtype;
}

/** Plain gzip, the default of every processor. */
export const GZIP: DatasetLayout = { compression: "gzip" };

/** Whether `layout` compresses. */
export const isCompressed = (layout: DatasetLayout): boolean => layout.compression !== "none";

/**
 * The createDataset options of `layout` over a processor's own: its filters when compressed
 * (with its chunk shape, or h5py's guess), a rule's chunks and dtype when given. `numeric`:
 * whether the processor's values are numbers (a dtype cannot turn text into numbers).
 */
export function storageOptions(layout: DatasetLayout, own: { dtype: Dtype; chunks?: number[] | true; shuffle?: boolean }, numeric: boolean): Partial<CreateDatasetOptions> {
  if (layout.dtype !== undefined && !numeric) throw new Error(`a dtype (${String(layout.dtype)}) applies to numeric data only, not to text`);
  const chunks = layout.chunks ?? (isCompressed(layout) ? own.chunks ?? true : undefined);
  return {
    dtype: layout.dtype ?? own.dtype,
    ...(chunks !== undefined ? { chunks } : {}),
    ...(isCompressed(layout) ? { compression: layout.compression, shuffle: own.shuffle ?? false } : {}),
  };
}

/** createDataset's compression option for `layout` (none when it stores uncompressed). */
export function compressionOf(layout: DatasetLayout): { compression?: DatasetLayout["compression"] } {
  return isCompressed(layout) ? { compression: layout.compression } : {};
}
