// What a .partial records about the run writing it, so a resumed run can tell where the last one
// stood: /_h5dat attrs run_inputs, run_first_entry, run_options, in_flight (the targets of the
// entries in flight at the last checkpoint), and the dataset /_h5dat/run_fingerprints (one JSON
// text per input: what the inputs were, input-fingerprint.ts). A dataset, not an attribute: a
// directory's listing can be far larger than an object header holds. A clean end removes it.
import type { File } from "../h5/file";
import { H5DAT_GROUP } from "../schema";
import type { ConvertOptions } from "./options";
import type { InputFingerprint } from "./input-fingerprint";
import { outcomeOptions } from "./option-table";

/** The dataset holding the inputs' fingerprints while a run is not finished. */
export const FINGERPRINTS_PATH = `${H5DAT_GROUP}/run_fingerprints`;

/** The run a .partial records. */
export interface RecordedRun {
  inputs: string[];
  firstEntry: number;
  options: Record<string, unknown>;
  /** Targets claimed by entries not finished at the last checkpoint. */
  inFlight: string[];
  /** What the inputs were when the entries stored were done; null in files of older versions. */
  fingerprints: InputFingerprint[] | null;
}

/** Records a run starting at entry `firstEntry` (a new file, or one appended to). */
export async function recordRun(file: File, inputs: string[], options: ConvertOptions, firstEntry: number, fingerprints: InputFingerprint[]): Promise<void> {
  const own = await file.requireGroup(H5DAT_GROUP);
  await own.attrs.update({
    run_inputs: JSON.stringify(inputs),
    run_first_entry: firstEntry,
    run_options: JSON.stringify(outcomeOptions(options)),
    in_flight: "[]",
  }, { run_first_entry: { dtype: "int64" } });
  await own.close();
  await storeFingerprints(file, fingerprints);
}

/** Replaces the fingerprints recorded (a resumed run, once it has matched the inputs as they are now). */
export async function storeFingerprints(file: File, fingerprints: InputFingerprint[]): Promise<void> {
  if (await file.has(FINGERPRINTS_PATH)) await file.delete(FINGERPRINTS_PATH);
  const data = fingerprints.map((fingerprint) => JSON.stringify(fingerprint));
  await (await file.createDataset(FINGERPRINTS_PATH, { dtype: "string", shape: [data.length], data })).close();
}

/** At a clean end: the fingerprints only served resuming. */
export async function dropFingerprints(file: File): Promise<void> {
  if (await file.has(FINGERPRINTS_PATH)) await file.delete(FINGERPRINTS_PATH);
}

/** Records the targets of the entries in flight (at a checkpoint). */
export async function recordInFlight(file: File, targets: Iterable<string>): Promise<void> {
  const own = await file.requireGroup(H5DAT_GROUP);
  await own.attrs.set("in_flight", JSON.stringify([...targets]));
  await own.close();
}

/** The run a .partial records (`partial` names it in the message when it records none). */
export async function readRun(file: File, partial: string): Promise<RecordedRun> {
  const own = (await file.has(H5DAT_GROUP)) ? await file.requireGroup(H5DAT_GROUP) : null;
  const text = async (name: string) => (own ? await own.attrs.find(name) : undefined);
  const [inputs, firstEntry, options, inFlight] = await Promise.all([text("run_inputs"), text("run_first_entry"), text("run_options"), text("in_flight")]);
  await own?.close();
  if (inputs === undefined || firstEntry === undefined) {
    throw new Error(`'${partial}' records no run to resume (not left by an interrupted convert)`);
  }
  return {
    inputs: JSON.parse(String(inputs)) as string[],
    firstEntry: Number(firstEntry),
    options: JSON.parse(String(options ?? "{}")) as Record<string, unknown>,
    inFlight: JSON.parse(String(inFlight ?? "[]")) as string[],
    fingerprints: await readFingerprints(file),
  };
}

async function readFingerprints(file: File): Promise<InputFingerprint[] | null> {
  if (!(await file.has(FINGERPRINTS_PATH))) return null;
  const dataset = await file.dataset(FINGERPRINTS_PATH);
  try {
    return ((await dataset.read()).data as string[]).map((text) => JSON.parse(text) as InputFingerprint);
  } finally {
    await dataset.close();
  }
}

/** The stored options (outcomeOptions) that differ between `before` and `now`, by name. */
export function changedOptions(before: Record<string, unknown>, now: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(now)]);
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(now[key])).sort();
}
