// The rule that keeps a small file from asking export for an absurd output: what storage was never
// allocated for (chunks never written, or contiguous data never written) reads as the fill value —
// a 6.7 kB file can hold a table of 2^40 rows that way, or a table of 2 rows whose corrupt shape
// claims 134 million, which as CSV would be gigabytes of the same line. Past `maxFillBytes` of
// such values the dataset is skipped with the reason. The rest is exported (in bounded blocks),
// limited by the free space the output needs (see export.ts's sinks); compact data is in the
// header, and virtual and external data is elsewhere, so they are not judged by their own storage.
import type { Dataset } from "../h5/dataset";
import { formatBytes } from "../byte-size";

/** Default for ExportOptions.maxFillBytes: the same 64 MiB the native reads allow of fill. */
export const DEFAULT_MAX_FILL_BYTES = 64 * 1024 * 1024;

/** Why `dataset` is not exported (more of it than `maxFillBytes` would be fill values), or null. */
export async function fillRefusal(dataset: Dataset, maxFillBytes: number): Promise<string | null> {
  if (dataset.layout !== "chunked" && dataset.layout !== "contiguous") return null;
  if (dataset.shape === null || dataset.size * dataset.itemsize <= maxFillBytes) return null;
  const stored = dataset.storageSize > 0 ? await dataset.storedElements() : 0;
  if (stored === null) return null;
  const fill = Math.max(0, dataset.size - stored) * dataset.itemsize;
  if (fill <= maxFillBytes) return null;
  const shape = `[${dataset.shape.join(", ")}]`;
  const past = `past the ${formatBytes(maxFillBytes)} of fill export writes (--max-fill)`;
  if (stored === 0) return `never written: no storage is allocated, so all of its ${shape} elements (${formatBytes(fill)}) would be the fill value, ${past}`;
  return `its shape ${shape} claims more than its storage holds (${stored.toLocaleString("en-US")} elements): the rest (${formatBytes(fill)}) would be the fill value, ${past}`;
}
