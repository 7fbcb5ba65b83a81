// Continuing an interrupted run (--resume): the same inputs and the same options that shape the
// output are required, and the inputs are compared with the fingerprints the run recorded.
// A directory or loose file that changed is handled entry by entry: an entry whose size or mtime
// changed is done again (what it wrote is removed), a new one is converted, one that vanished
// gets a row saying so at the end (resumed-entries.ts). An archive whose bytes changed cannot be
// matched entry by entry: resuming refuses and leaves the .partial as it was.
import { File } from "../h5/file";
import { dropQuarantined } from "../schema";
import { Manifest, MANIFEST_PATH, readStoredRows, type StoredRow } from "../output/manifest";
import { messageOf } from "../error-message";
import type { ConvertOptions } from "./options";
import { compareFingerprints, entryKey, fingerprintInputs, type InputChanges, type InputFingerprint } from "./input-fingerprint";
import { encodedPathOf } from "./encoded-root";
import { resumeStacks } from "./resume-stacks";
import { outcomeOptions } from "./option-table";
import { changedOptions, readRun, recordInFlight, storeFingerprints, type RecordedRun } from "./run-record";


/** The .partial of an interrupted run, made to agree with the inputs as they are now. */
export interface ResumedOutput {
  file: File;
  firstEntry: number;
  /** Rows of the runs before this one (an appended file): kept as they are. */
  earlier: StoredRow[];
  /** Rows of the entries the interrupted run finished that may be skipped, found by name. */
  resumable: StoredRow[];
  /** Above every entry number stored: where this run numbers new entries from. */
  nextEntry: number;
}

/**
 * Opens the .partial an interrupted run left and makes it agree with the inputs as they are now:
 * what the entries in flight at its last checkpoint began, failed entries' leftovers and changed
 * entries' datasets are removed, their rows dropped, and the new fingerprints stored (one
 * checkpoint: a crash in between leaves the .partial as it was).
 */
export async function resumeOutput(partial: string, inputs: string[], options: ConvertOptions): Promise<ResumedOutput> {
  const open = (mode: "r" | "r+") => File.open(partial, mode, { checkpoints: mode === "r+" }).catch((error: unknown) => {
    throw new Error(`cannot resume '${partial}': ${messageOf(error)} (start again with --overwrite)`);
  });
  // Checked read-only first: a resume refused leaves the .partial as it was, byte for byte.
  const { run, now, changes } = await checkResumable(await open("r"), partial, inputs, options);
  const file = await open("r+");
  try {
    const stored = (await readStoredRows(file)) ?? [];
    const ofThisRun = ({ entry }: StoredRow) => entry >= run.firstEntry;
    const changed = (stored: StoredRow) => ofThisRun(stored) && changes.changedEntries.has(entryKey(stored.row.source, stored.row.source_path));
    // Failed entries are done again too; what they wrote is gone already (and their target may
    // be another entry's: a second entry of one name fails on the first one's target).
    // Recorded images whose stack rows did not reach the file are done again (resume-stacks.ts).
    const unstacked = await resumeStacks(file, stored, changed);
    const redone = (stored: StoredRow) => changed(stored) || (ofThisRun(stored) && stored.row.status === "failed") || unstacked.has(stored);
    const removed = new Set(run.inFlight);
    for (const { row } of stored.filter(changed)) {
      if (row.status === "written") removed.add(row.target).add(encodedPathOf(row.target));
    }
    for (const target of removed) if (await file.has(target)) await file.delete(target);
    await dropQuarantined(file, new Set([...removed, ...stored.filter(redone).map(({ row }) => row.target)]));
    const kept = stored.filter((row) => !redone(row));
    if (changes.any || unstacked.size > 0) {
      await rewriteManifest(file, kept);
      await storeFingerprints(file, now);
    }
    await recordInFlight(file, []);
    await file.flush();
    return {
      file,
      firstEntry: run.firstEntry,
      earlier: kept.filter((row) => !ofThisRun(row)),
      resumable: kept.filter(ofThisRun),
      nextEntry: stored.reduce((max, { entry }) => Math.max(max, entry + 1), run.firstEntry),
    };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** The run the .partial records, if this one may continue it; how the inputs changed since. */
async function checkResumable(file: File, partial: string, inputs: string[], options: ConvertOptions): Promise<{ run: RecordedRun; now: InputFingerprint[]; changes: InputChanges }> {
  try {
    const run = await readRun(file, partial);
    if (JSON.stringify(run.inputs) !== JSON.stringify(inputs)) {
      throw new Error(`cannot resume '${partial}': it was made from ${JSON.stringify(run.inputs)}, not ${JSON.stringify(inputs)}`);
    }
    const changed = changedOptions(run.options, outcomeOptions(options));
    if (changed.length > 0) throw new Error(`cannot resume '${partial}': options changed since it was started (${changed.join(", ")})`);
    const now = await fingerprintInputs(inputs);
    // A .partial of an older version records no fingerprints: what is stored now is checked next time.
    const changes: InputChanges = run.fingerprints ? compareFingerprints(inputs, run.fingerprints, now) : { refused: [], changedEntries: new Set(), any: true };
    if (changes.refused.length > 0) {
      throw new Error(`cannot resume '${partial}': ${changes.refused.join("; ")}. The .partial is left as it was: restore the input and --resume, or start again with --overwrite`);
    }
    return { run, now, changes };
  } finally {
    await file.close();
  }
}

/** The manifest dataset holding only `rows`: dropped rows must not come back at the next resume. */
async function rewriteManifest(file: File, rows: StoredRow[]): Promise<void> {
  const manifest = new Manifest();
  for (const { entry, row } of rows) manifest.add(row, entry);
  if (await file.has(MANIFEST_PATH)) await file.delete(MANIFEST_PATH);
  await manifest.store(file);
}
