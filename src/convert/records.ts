// A schema rule's record checks on a JSON, JSONL or CSV entry: the records that fail its JSON
// Schema are kept apart in /_h5dat/quarantine (with ajv's error) and the dataset holds the rest;
// the entry's manifest message counts them. Runs in this process: validators are functions,
// which cannot travel to a worker.
import { QUARANTINE_PATH, splitRecords, writeQuarantine, type QuarantinedRecord, type RecordValidator } from "../schema";
import type { File } from "../h5/file";
import { prepare, type Prepared, type PrepareTask } from "../processors/prepare";
import { recordAccess } from "../processors/registry";
import type { EntryPlan } from "./plan";

/** An entry prepared with its records checked: what to write, and the records kept apart. */
export interface CheckedEntry {
  /** What to write: the kept records; null when none is left (a lone JSON document failed). */
  prepared: Prepared | null;
  quarantined: QuarantinedRecord[];
  /** Records in the entry. */
  total: number;
}

/** Prepares `task` and splits its records by `validate`. Entries of processors without records have none. */
export async function prepareChecked(task: PrepareTask, validate: RecordValidator): Promise<CheckedEntry> {
  const access = recordAccess(task.processor);
  if (access === undefined) return { prepared: await prepare(task), quarantined: [], total: 0 };
  if (access.from === "bytes") {
    const set = access.records(task.bytes);
    const split = splitRecords(set.values, validate, set.texts);
    if (split.quarantined.length === 0) return { prepared: await prepare(task), quarantined: [], total: set.values.length };
    const kept = access.keep(set, split.keptIndexes);
    return { prepared: kept === null ? null : await prepare({ ...task, bytes: kept }), quarantined: split.quarantined, total: set.values.length };
  }
  const prepared = await prepare(task);
  const set = access.records(prepared.value);
  const split = splitRecords(set.values, validate, set.texts);
  const value = split.quarantined.length === 0 ? prepared.value : access.keep(prepared.value, split.keptIndexes);
  return { prepared: { processor: prepared.processor, value }, quarantined: split.quarantined, total: set.values.length };
}

/** Writes the quarantined records of an entry; returns its manifest message ("" when none). */
export async function quarantine(file: File, plan: EntryPlan, checked: CheckedEntry): Promise<string> {
  const { quarantined, total } = checked;
  if (quarantined.length === 0) return "";
  await writeQuarantine(file, quarantined.map((q) => ({
    source: plan.row.source,
    source_path: plan.sourcePath,
    target: plan.target,
    index: q.index,
    record: q.json,
    error: q.error,
  })));
  return `${quarantined.length} of ${total} records quarantined (${QUARANTINE_PATH}): record ${quarantined[0].index}: ${quarantined[0].error}`;
}
