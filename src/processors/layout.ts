// How a processor's dataset is stored: its compression, and (from a schema rule) a chunk shape
// and an element type that replace the processor's own choices.
import type { CreateDatasetOptions } from "../h5/dataset-creation";
import type { Dtype } from "../h5/dtype";

/** A dataset's compression as a processor's options give it. */
export type Compression = NonNullable<CreateDatasetOptions["compression"]>;

/** How a processor's datasets are stored: compression and chunk shape. */
export interface DatasetLayout {
  /** "gzip" (level 4), a gzip level, or "none". */
  compression: Compression;
  /** A chunk shape to use instead of the processor's. */
  chunks?: number[];
  /** A numeric element type to store the values as, instead of their own. */
  dtype?: Dtype;
}

/** What a compression setting may say, as a JSON Schema pattern (config and schema files). */
export const COMPRESSION_PATTERN = "^(gzip(:[0-9])?|none)$";

/** "gzip:6" → 6, "gzip" → "gzip", "none" → "none"; `what` names the setting in the error otherwise. */
export function parseCompression(text: string, what = "compression"): Compression {
  const match = /^gzip(?::([0-9]))?$/.exec(text);
  if (match) return match[1] === undefined ? "gzip" : Number(match[1]);
  if (text === "none") return "none";
  throw new Error(`${what} must be gzip, gzip:0-9 or none, not '${text}'`);
}

/** Compression as one text: "none", or "gzip:<level>" (plain gzip is level 4). */
export function compressionText(compression: Compression | null | undefined): string {
  const level = compression === undefined || compression === "gzip" ? 4 : compression;
  return level === null || level === "none" ? "none" : `gzip:${level}`;
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
