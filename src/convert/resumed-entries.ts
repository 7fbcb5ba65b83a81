// The entries an interrupted run finished, found by name as a resumed run meets them: an entry
// is skipped only when a row of the same input and path is stored (and its fingerprint did not
// change, output-file.ts dropped the rows of changed ones), wherever it now falls in the
// listing, so an added, removed or changed file never shifts what is taken as done. What is
// left when the inputs are read through vanished from them. Then each entry's final number is
// its place in the listing (`EntryOrder`).
import type { StoredRow } from "../output/manifest";
import { entryKey } from "./input-fingerprint";

/** The rows of the entries an interrupted run finished, taken by input and path as a resumed run meets them. */
export class ResumedEntries {
  /** Stored rows by entry key, in entry order (an archive may hold two entries of one name). */
  private readonly byKey = new Map<string, StoredRow[]>();

  constructor(rows: readonly StoredRow[]) {
    for (const stored of [...rows].sort((a, b) => a.entry - b.entry)) {
      const key = entryKey(stored.row.source, stored.row.source_path);
      const list = this.byKey.get(key);
      if (list) list.push(stored);
      else this.byKey.set(key, [stored]);
    }
  }

  /** The stored row of the next entry of this input and path, if the interrupted run did it. */
  take(source: string, sourcePath: string): StoredRow | undefined {
    const key = entryKey(source, sourcePath);
    const list = this.byKey.get(key);
    const stored = list?.shift();
    if (list?.length === 0) this.byKey.delete(key);
    return stored;
  }

  /** Rows no entry took: those entries are no longer in the inputs. */
  leftovers(): StoredRow[] {
    return [...this.byKey.values()].flat().sort((a, b) => a.entry - b.entry);
  }
}

/**
 * The entry numbers of this run in the order the inputs listed them. Resumed entries keep their
 * stored numbers and new ones are numbered after every stored one, so numbers never collide
 * during the run; at its end each becomes `first + its place`.
 */
export class EntryOrder {
  readonly listed: number[] = [];

  constructor(readonly first: number) {}

  /** Notes the entry numbered `entry` as the next one listed. */
  add(entry: number): void {
    this.listed.push(entry);
  }

  /** Whether the numbers are already the final ones. */
  isFinal(): boolean {
    return this.listed.every((entry, i) => entry === this.first + i);
  }

  /** Entry number → final number. */
  finalNumbers(): Map<number, number> {
    return new Map(this.listed.map((entry, i) => [entry, this.first + i]));
  }
}
