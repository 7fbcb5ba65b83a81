// The manifest: one row per input entry — written, skipped or failed, with the reason — stored
// as /_h5dat/manifest so a file accounts for everything it was made from. Each row carries the
// entry's number in input order (`entry`): during a run rows are appended as entries finish (at
// checkpoints), and at a clean end the dataset holds them sorted, one row per entry.
import type { Group } from "../h5/group";
import { dtype } from "../h5/dtype";

/** What became of an input entry. */
export type EntryStatus = "written" | "skipped" | "failed";

/** One input entry's row of the manifest: where it came from, what it became, and why. */
export interface ManifestRow {
  /** The input's name as given (`photos.zip`, `data/`). */
  source: string;
  /** The entry's path inside the input ("" for an input that failed as a whole). */
  source_path: string;
  /** HDF5 path of the dataset written ("" when nothing was). */
  target: string;
  /** What became of the entry. */
  status: EntryStatus;
  /** The entry's size in bytes, as read. */
  bytes: number;
  /** The processor that wrote it ("" when none did). */
  processor: string;
  /** Why it was skipped or failed, or a note on how it was written; "" when there is none. */
  message: string;
}

/** Where the manifest dataset is in an output file. */
export const MANIFEST_PATH = "/_h5dat/manifest";

const ROW = dtype.compound({
  source: "string",
  source_path: "string",
  target: "string",
  status: "string",
  bytes: "int64",
  processor: "string",
  message: "string",
  entry: "int64",
});

/** Rows per chunk: a checkpoint rewrites the last, partly filled chunk, so it is kept small. */
const CHUNK_ROWS = 256;

/** The manifest of a conversion: one row per entry, stored in the output file as rows come. */
export class Manifest {
  /** By entry number; a later row for the same entry (an entry done again) replaces the first. */
  private readonly rows = new Map<number, ManifestRow>();
  /** Rows added since the last store(), in the order they came. */
  private pending: [number, ManifestRow][] = [];
  /** Entry numbers in the file's dataset are ascending and unique (nothing to sort at the end). */
  private storedInOrder = true;
  private lastStored = -1;

  /** Adds the row of entry number `entry` (entries finish out of order when run concurrently). */
  add(row: ManifestRow, entry: number): void {
    this.rows.set(entry, row);
    this.pending.push([entry, row]);
  }

  /** Adds rows already in the file's dataset (a resumed or appended file), in their stored order. */
  carry(stored: readonly StoredRow[]): void {
    for (const { entry, row } of stored) {
      if (entry <= this.lastStored) this.storedInOrder = false;
      this.lastStored = Math.max(this.lastStored, entry);
      this.rows.set(entry, row);
    }
  }

  /** The row of entry number `entry`, if there is one. */
  get(entry: number): ManifestRow | undefined {
    return this.rows.get(entry);
  }

  /**
   * Gives rows new entry numbers (a resumed run's entries, numbered by where the inputs list them
   * now); rows not in `numbers` keep theirs. Call after store(): finish() rewrites the dataset.
   */
  renumber(numbers: ReadonlyMap<number, number>): void {
    const rows = [...this.rows.entries()];
    this.rows.clear();
    for (const [entry, row] of rows) this.rows.set(numbers.get(entry) ?? entry, row);
    this.storedInOrder = false;
  }

  /** Counts by status. */
  counts(): Record<EntryStatus, number> {
    const counts = { written: 0, skipped: 0, failed: 0 };
    for (const row of this.rows.values()) counts[row.status]++;
    return counts;
  }

  /** Every entry's row, in entry order. */
  get all(): ManifestRow[] {
    return [...this.rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
  }

  /** Appends the rows added since the last call to the file's dataset (made on first use). */
  async store(root: Group): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    if (rows.length === 0 && (await root.has(MANIFEST_PATH))) return;
    for (const [entry] of rows) {
      if (entry <= this.lastStored) this.storedInOrder = false;
      this.lastStored = Math.max(this.lastStored, entry);
    }
    const data = rows.map(([entry, row]) => toStored(entry, row));
    if (await root.has(MANIFEST_PATH)) {
      const dataset = await root.dataset(MANIFEST_PATH);
      try {
        await dataset.append(data);
      } finally {
        await dataset.close();
      }
    } else {
      await createManifestDataset(root, data);
    }
  }

  /** Stores what is pending, then leaves the dataset sorted by entry with one row each. */
  async finish(root: Group): Promise<void> {
    await this.store(root);
    if (this.storedInOrder) return;
    await root.delete(MANIFEST_PATH);
    const data = [...this.rows.entries()].sort(([a], [b]) => a - b).map(([entry, row]) => toStored(entry, row));
    await createManifestDataset(root, data);
    this.storedInOrder = true;
  }
}

/** Creates the extensible, compressed manifest dataset holding `data`, and closes it. */
async function createManifestDataset(root: Group, data: Record<string, unknown>[]): Promise<void> {
  await (await root.createDataset(MANIFEST_PATH, { dtype: ROW, shape: [data.length], maxshape: [null], chunks: [CHUNK_ROWS], compression: "gzip", data })).close();
}

function toStored(entry: number, row: ManifestRow): Record<string, unknown> {
  return { ...row, bytes: BigInt(row.bytes), entry: BigInt(entry) };
}

/** A row as stored, with its entry number. */
export interface StoredRow {
  entry: number;
  row: ManifestRow;
}

/** A manifest row as a read of the manifest dataset gives it (bytes a bigint), as a ManifestRow. */
export function manifestRowOf(stored: Record<string, unknown>): ManifestRow {
  return {
    source: String(stored.source),
    source_path: String(stored.source_path),
    target: String(stored.target),
    status: String(stored.status) as EntryStatus,
    bytes: Number(stored.bytes),
    processor: String(stored.processor),
    message: String(stored.message),
  };
}

/**
 * The stored rows of a file's manifest, in stored order; null when the file has none (not made
 * by convert). Manifests written before entry numbers were stored number their rows in order.
 */
export async function readStoredRows(root: Group): Promise<StoredRow[] | null> {
  if (!(await root.has(MANIFEST_PATH))) return null;
  const dataset = await root.dataset(MANIFEST_PATH);
  try {
    const { data } = await dataset.read();
    return (data as Record<string, unknown>[]).map((row, i) => ({
      entry: row.entry === undefined ? i : Number(row.entry),
      row: manifestRowOf(row),
    }));
  } finally {
    await dataset.close();
  }
}

/**
 * A file's manifest rows, one per entry in entry order (as a clean run leaves them; a .partial's
 * rows are sorted, and an entry done again shows its last row); null when the file has none.
 */
export async function readManifest(root: Group): Promise<ManifestRow[] | null> {
  const stored = await readStoredRows(root);
  if (!stored) return null;
  const manifest = new Manifest();
  manifest.carry(stored);
  return manifest.all;
}
