// A record table (processors/record-table.ts: JSONL, or a JSON array of objects) read back as its
// records: rows [start, stop) by hyperslab, each field's column decoded by its kind and the
// records rebuilt from the key paths (processors/record-cells.ts); or in blocks, never whole.
import type { Dataset } from "../h5/dataset";
import { H5Error } from "../h5/errors";
import { runAsync } from "../h5/operation";
import type { Group } from "../h5/group";
import { cellsOf, raggedTextsFlow, recordsOf, type StoredColumns } from "../processors/record-cells";
import type { RecordKind } from "../processors/record-columns";
import { RECORDS_FORMAT, RECORDS_VERSION } from "../processors/record-table";
import { resolveRange, rowsOf, type AxisRange } from "./axis-range";
import { attrNames, attrValue, getObject, release, type Flow } from "./flow";

/** Rows a block of readRecordBlocks holds by default. */
export const RECORD_BLOCK_ROWS = 65536;

/** Whether the dataset's attrs say it is a record table. */
export function* isRecordTable(dataset: Dataset): Flow<boolean> {
  if (!(yield* attrNames(dataset)).includes("format")) return false;
  return (yield* attrValue(dataset, "format")) === RECORDS_FORMAT;
}

/** What a record table's attrs say of its columns. */
export function* storedColumnsOf(dataset: Dataset): Flow<StoredColumns> {
  const version = Number(yield* attrValue(dataset, "records_version"));
  if (version > RECORDS_VERSION) throw new H5Error(`'${dataset.name}' is a record table of version ${version}; this h5dat reads up to ${RECORDS_VERSION}`, dataset.name);
  const paths = ((yield* attrValue(dataset, "column_paths")) as string[]).map((p) => JSON.parse(p) as string[] | null);
  const kinds = (yield* attrValue(dataset, "column_kinds")) as RecordKind[];
  const maskField = String(yield* attrValue(dataset, "mask_field"));
  // Version 1 tables written before ragged texts have no ragged_datasets.
  const texts = (yield* attrNames(dataset)).includes("ragged_datasets") ? ((yield* attrValue(dataset, "ragged_datasets")) as string[]) : kinds.map(() => "");
  const dtype = dataset.dtype;
  if (typeof dtype !== "object" || dtype.kind !== "compound" || dtype.fields.length !== kinds.length + (maskField ? 1 : 0) || paths.length !== kinds.length) {
    throw new H5Error(`'${dataset.name}' is not a record table: its fields do not match its column_paths and column_kinds`, dataset.name);
  }
  return { paths, kinds, fields: dtype.fields.slice(0, kinds.length).map((f) => f.name), maskField, texts };
}

/** Rows [start, stop) of a record table as records. */
export function* recordRowsFlow(dataset: Dataset, stored: StoredColumns, start: number, stop: number): Flow<unknown[]> {
  if (stop <= start) return [];
  const { data } = yield* rowsOf(dataset, start, stop, { columns: true });
  const rows = stop - start;
  const columns = data as Record<string, ArrayLike<unknown>>;
  yield* readRaggedTexts(dataset, stored, columns, start, rows);
  return recordsOf(stored.paths, cellsOf(stored, columns, rows, "reader"), rows);
}

/**
 * Replaces, in `columns` (a table's rows [start, start + rows) read as columns), each ragged text
 * column's end offsets by its texts, read from the datasets beside the table (a record table's or
 * a CSV table's: processors/record-table.ts).
 */
export function* readRaggedTexts(dataset: Dataset, stored: StoredColumns, columns: Record<string, ArrayLike<unknown>>, start: number, rows: number): Flow<void> {
  if (!stored.texts.some((t) => t !== "")) return;
  const group = (yield* getObject(dataset.file, dataset.name.slice(0, dataset.name.lastIndexOf("/")) || "/")) as Group;
  try {
    yield* raggedTextsFlow(dataset, stored, columns, start, rows, group);
  } finally {
    yield* release(group);
  }
}

/** The records of `range` (all by default) of a record table. */
export function* readRecordsFlow(dataset: Dataset, range?: AxisRange): Flow<unknown[]> {
  const stored = yield* storedColumnsOf(dataset);
  const [start, stop] = resolveRange(range, dataset.shape![0], "row");
  return yield* recordRowsFlow(dataset, stored, start, stop);
}

/** Options of readRecordBlocks. */
export interface RecordBlockOptions {
  /** Rows a block holds (default RECORD_BLOCK_ROWS). */
  blockRows?: number;
  /** The rows to read (all by default). */
  rows?: AxisRange;
}

/** A record table's records, a block of rows at a time: the table is never read whole. */
export async function* readRecordBlocks(dataset: Dataset, options: RecordBlockOptions = {}): AsyncGenerator<unknown[]> {
  const stored = await runAsync(storedColumnsOf(dataset));
  const [start, stop] = resolveRange(options.rows, dataset.shape![0], "row");
  const step = Math.max(1, options.blockRows ?? RECORD_BLOCK_ROWS);
  for (let at = start; at < stop; at += step) yield await runAsync(recordRowsFlow(dataset, stored, at, Math.min(stop, at + step)));
}

/** A record table's records one by one, read a block at a time. */
export async function* readRecords(dataset: Dataset, options: RecordBlockOptions = {}): AsyncGenerator<unknown> {
  for await (const block of readRecordBlocks(dataset, options)) yield* block;
}
