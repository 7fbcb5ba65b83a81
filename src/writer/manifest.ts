// The manifest: one row per input entry — written, skipped or failed, with the reason — stored
// as /_h5dat/manifest so a file accounts for everything it was made from.
import type { Group } from "../h5/group";
import { dtype } from "../h5/dtype";

export type EntryStatus = "written" | "skipped" | "failed";

export interface ManifestRow {
  source: string;
  source_path: string;
  /** HDF5 path of the dataset written ("" when nothing was). */
  target: string;
  status: EntryStatus;
  bytes: number;
  processor: string;
  message: string;
}

export const MANIFEST_PATH = "/_h5dat/manifest";

const ROW = dtype.compound({
  source: "string",
  source_path: "string",
  target: "string",
  status: "string",
  bytes: "int64",
  processor: "string",
  message: "string",
});

export class Manifest {
  private readonly rows: ManifestRow[] = [];
  private readonly order = new Map<ManifestRow, number>();

  /** Adds a row; `order` places it (entries finish out of order when converted concurrently). */
  add(row: ManifestRow, order = this.rows.length): void {
    this.rows.push(row);
    this.order.set(row, order);
  }

  /** Counts by status. */
  counts(): Record<EntryStatus, number> {
    const counts = { written: 0, skipped: 0, failed: 0 };
    for (const row of this.rows) counts[row.status]++;
    return counts;
  }

  get all(): readonly ManifestRow[] {
    return this.rows;
  }

  /** Writes the rows to MANIFEST_PATH under `root` (an extensible, compressed compound dataset). */
  async write(root: Group): Promise<void> {
    await root.createDataset(MANIFEST_PATH, {
      dtype: ROW,
      shape: [this.rows.length],
      maxshape: [null],
      chunks: [1024],
      compression: "gzip",
      data: [...this.rows].sort((a, b) => this.order.get(a)! - this.order.get(b)!).map((row) => ({ ...row, bytes: BigInt(row.bytes) })),
    });
  }
}

/** The rows of a file's manifest, in order; null when the file has none (not made by convert). */
export async function readManifest(root: Group): Promise<ManifestRow[] | null> {
  if (!(await root.has(MANIFEST_PATH))) return null;
  const dataset = await root.dataset(MANIFEST_PATH);
  try {
    const { data } = await dataset.read();
    return (data as Record<string, unknown>[]).map((row) => ({
      source: String(row.source),
      source_path: String(row.source_path),
      target: String(row.target),
      status: String(row.status) as EntryStatus,
      bytes: Number(row.bytes),
      processor: String(row.processor),
      message: String(row.message),
    }));
  } finally {
    await dataset.close();
  }
}
