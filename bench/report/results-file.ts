// bench/results.json: the latest entry of every bench. A run updates only the benches it ran, so
// `npm run bench -- p2` refreshes P2 and keeps the rest as they were measured.
import fs from "node:fs";
import { KNOWN_BENCHES, type BenchEntry } from "./bench-entry";

export interface ResultsFile {
  /** Changes when an entry's shape does; an older file is an error to re-run, not to guess at. */
  format: typeof FORMAT;
  /** When any entry last changed, ISO 8601. */
  updated: string;
  /** By bench name, in the suite's order. */
  benches: Record<string, BenchEntry>;
}

const FORMAT = 1;

/** The results in `file`, or none when it does not exist yet. */
export function readResults(file: string): ResultsFile {
  if (!fs.existsSync(file)) return { format: FORMAT, updated: "", benches: {} };
  const results = JSON.parse(fs.readFileSync(file, "utf8")) as ResultsFile;
  if (results.format !== FORMAT || typeof results.benches !== "object") {
    throw new Error(`${file} is not a format-${FORMAT} results file: delete it and run 'npm run bench'`);
  }
  return results;
}

/** `results` with `entries` replacing the same benches' entries; the others are kept. */
export function mergeResults(results: ResultsFile, entries: BenchEntry[], updated: string): ResultsFile {
  const benches: Record<string, BenchEntry> = { ...results.benches };
  for (const entry of entries) benches[entry.bench] = entry;
  return { format: FORMAT, updated, benches: Object.fromEntries(orderedEntries(benches).map((entry) => [entry.bench, entry])) };
}

/** The entries in the suite's order (benches the report does not know last, by name). */
export function orderedEntries(benches: Record<string, BenchEntry>): BenchEntry[] {
  const rank = (name: string) => {
    const index = KNOWN_BENCHES.indexOf(name);
    return index < 0 ? KNOWN_BENCHES.length : index;
  };
  return Object.values(benches).sort((a, b) => rank(a.bench) - rank(b.bench) || a.bench.localeCompare(b.bench));
}

/** Writes through a temporary file, so an interrupted run never leaves half a JSON document. */
export function writeResults(file: string, results: ResultsFile): void {
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, `${JSON.stringify(results, null, 2)}\n`);
  fs.renameSync(partial, file);
}

/** Merges `entries` into `file` (created when missing) and returns what it now holds. */
export function updateResults(file: string, entries: BenchEntry[], updated: string): ResultsFile {
  const results = mergeResults(readResults(file), entries, updated);
  writeResults(file, results);
  return results;
}
