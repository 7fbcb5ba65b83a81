// The rule that keeps a small file from asking export for an absurd output: a dataset whose
// storage was never allocated (chunked with no chunk written, or contiguous never written) reads
// as its fill value, all of it — a 6.7 kB file can hold a table of 2^40 rows that way, which as
// CSV would be terabytes of the same line. Past `maxFillBytes` of such values it is skipped with
// the reason. A dataset with some data stored is exported (in bounded blocks), limited by the
// free space the output needs (see export.ts's sinks); compact data is in the header, and
// virtual and external data is elsewhere, so they are not judged by their own storage here.
import type { Dataset } from "../h5/dataset";
import { formatBytes } from "../byte-size";

/** Default for ExportOptions.maxFillBytes: the same 64 MiB the native reads allow of fill. */
export const DEFAULT_MAX_FILL_BYTES = 64 * 1024 * 1024;

/** Why `dataset` is not exported (nothing of it was ever written and it is big), or null. */
export function fillRefusal(dataset: Dataset, maxFillBytes: number): string | null {
  if (dataset.layout !== "chunked" && dataset.layout !== "contiguous") return null;
  if (dataset.storageSize > 0 || dataset.shape === null) return null;
  const bytes = dataset.size * dataset.itemsize;
  if (bytes <= maxFillBytes) return null;
  const shape = `[${dataset.shape.join(", ")}]`;
  return `never written: no storage is allocated, so all of its ${shape} elements (${formatBytes(bytes)}) would be the fill value, past the ${formatBytes(maxFillBytes)} of fill export writes (--max-fill)`;
}
