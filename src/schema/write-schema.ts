// What a --schema puts in the output besides the entries: the declared groups with their attrs,
// the schema's own text (/_h5dat attr `schema`, so the file documents itself), and the
// quarantine of records that failed their rule's `records` schema.
import type { Dataset } from "../h5/dataset";
import { dtype } from "../h5/dtype";
import type { Group } from "../h5/group";
import type { SetAttributeOptions } from "../h5/attrs";
import type { Schema } from "./rules";

/** h5dat's own group, and the compound dataset of quarantined records in it. */
export const H5DAT_GROUP = "/_h5dat";
/** Where records a schema rejected are kept in an output file. */
export const QUARANTINE_PATH = "/_h5dat/quarantine";
/**
 * The root attrs convert writes about the run (convert/output-file.ts): a schema's group "/" may
 * not set them, or a file would claim another version, command or inputs than made it.
 */
export const H5DAT_ROOT_ATTRS: readonly string[] = ["h5dat_version", "hdf5_version", "created", "inputs", "command", "options", "appended"];

/** One quarantined record. */
export interface QuarantineRow {
  /** The input (as given to convert). */
  source: string;
  /** The entry's path inside its input. */
  source_path: string;
  /** The dataset the entry's other records went to ("" when none was written). */
  target: string;
  /** 0-based index of the record in its entry (array element, JSONL record, CSV data row). */
  index: number;
  /** The record as JSON text. */
  record: string;
  /** ajv's error text. */
  error: string;
}

const ROW = dtype.compound({
  source: "string",
  source_path: "string",
  target: "string",
  index: "int64",
  record: "string",
  error: "string",
});

/** Creates QUARANTINE_PATH under `root` holding `data`: an extensible, compressed compound dataset. */
function createQuarantineDataset(root: Group, data: Record<string, unknown>[]): Promise<Dataset> {
  return root.createDataset(QUARANTINE_PATH, { dtype: ROW, shape: [data.length], maxshape: [null], chunks: [256], compression: "gzip", data });
}

/** Appends (in call order) per file; the first append creates the dataset. */
const turns = new WeakMap<Group, Promise<unknown>>();

/**
 * Appends `rows` to QUARANTINE_PATH under `root` (the file), creating the extensible,
 * compressed compound dataset on first use. Concurrent calls on one root take turns.
 */
export function writeQuarantine(root: Group, rows: readonly QuarantineRow[]): Promise<void> {
  if (rows.length === 0) return Promise.resolve();
  const data = rows.map((row) => ({ ...row, index: BigInt(row.index) }));
  const done = (turns.get(root) ?? Promise.resolve()).then(async () => {
    let dataset: Dataset;
    if (await root.has(QUARANTINE_PATH)) {
      dataset = await root.dataset(QUARANTINE_PATH);
      await dataset.append(data);
    } else {
      dataset = await createQuarantineDataset(root, data);
    }
    await dataset.close();
  });
  turns.set(root, done.catch(() => undefined));
  return done;
}

/**
 * Creates the schema's declared groups and sets their attrs (integers as int64), and stores the
 * schema file's text as the attr `schema` of /_h5dat (and its name as `schema_file`).
 */
export async function writeSchemaAttrs(root: Group, schema: Schema): Promise<void> {
  for (const [groupPath, { attrs = {} }] of Object.entries(schema.groups)) {
    const normal = "/" + groupPath.split("/").filter((c) => c !== "" && c !== ".").join("/");
    const group = normal === "/" ? root : await root.requireGroup(normal);
    const options: Record<string, SetAttributeOptions> = {};
    for (const [name, value] of Object.entries(attrs)) {
      const numbers = Array.isArray(value) ? value : [value];
      if (numbers.length > 0 && numbers.every((n) => typeof n === "number" && Number.isSafeInteger(n))) options[name] = { dtype: "int64" };
    }
    if (Object.keys(attrs).length > 0) await group.attrs.update(attrs, options);
    if (group !== root) await group.close();
  }
  const own = await root.requireGroup(H5DAT_GROUP);
  await own.attrs.update({ schema: schema.text, schema_file: schema.file });
  await own.close();
}

/**
 * Removes the quarantined records of entries whose target is in `targets` (entries to be done
 * again when a run resumes), rewriting QUARANTINE_PATH when any go.
 */
export async function dropQuarantined(root: Group, targets: ReadonlySet<string>): Promise<void> {
  if (targets.size === 0 || !(await root.has(QUARANTINE_PATH))) return;
  const dataset = await root.dataset(QUARANTINE_PATH);
  const rows = (await dataset.read().finally(() => dataset.close())).data as Record<string, unknown>[];
  const kept = rows.filter((row) => !targets.has(String(row.target)));
  if (kept.length === rows.length) return;
  await root.delete(QUARANTINE_PATH);
  if (kept.length > 0) {
    await (await createQuarantineDataset(root, kept)).close();
  }
}
