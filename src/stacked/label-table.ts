// A table joined to a stack by `--labels FILE:KEY:COLUMN`: a CSV/TSV (any dialect the CSV
// processor reads) or JSONL/JSON array of flat objects, read whole (a label table is metadata:
// 44,000 product rows are ~4 MB). Rows are matched on the KEY column's text (as written, so
// "0042" matches 0042.jpg) against each image's stem; COLUMN's text is the class name (an empty
// cell, or a row missing, is no label). Every column is also typed as the CSV processor types
// them, for the stack's `meta` table. A table with no KEY or COLUMN, or with a key twice, is
// refused before anything is written.
import { readCsvRows, csvDelimiterFor } from "../processors/csv";
import { inferColumn } from "../processors/csv-infer";
import type { CsvColumn, CsvColumnType } from "../processors/csv-table";
import { decodeText } from "../processors/text-input";

/** A label table, parsed. */
export interface LabelTable {
  /** Where it was read from, for messages (`styles.csv`, `fashion.zip:styles.csv`). */
  name: string;
  /** The header, as written. */
  columns: string[];
  types: CsvColumnType[];
  /** Each column's values, typed (CSV typing rules). */
  values: CsvColumn[];
  rows: number;
  /** The data row of each key. */
  rowOfKey: Map<string, number>;
  /** Each row's label text ("" for none). */
  labels: string[];
}

/** Parses `bytes` (a CSV/TSV, or JSONL / a JSON array when `name` says .jsonl/.ndjson/.json) and checks KEY and COLUMN. */
export async function parseLabelTable(bytes: Uint8Array, name: string, key: string, column: string): Promise<LabelTable> {
  const { header, rows } = /\.(jsonl|ndjson|json)$/i.test(name) ? jsonRows(bytes, name) : await readCsvRows(bytes, { expectedDelimiter: csvDelimiterFor(name) });
  const at = (wanted: string, what: string) => {
    const index = header.indexOf(wanted);
    if (index < 0) throw new Error(`--labels: ${name} has no ${what} column '${wanted}' (its columns: ${header.map((c) => `'${c}'`).join(", ")})`);
    return index;
  };
  const keyAt = at(key, "key");
  const labelAt = at(column, "label");
  const rowOfKey = new Map<string, number>();
  rows.forEach((row, r) => {
    const cell = row[keyAt] ?? "";
    const before = rowOfKey.get(cell);
    if (before !== undefined) throw new Error(`--labels: ${name} has the key '${cell}' twice (data rows ${before + 1} and ${r + 1}): a key must name one row`);
    rowOfKey.set(cell, r);
  });
  const types: CsvColumnType[] = [];
  const values: CsvColumn[] = [];
  header.forEach((_, c) => {
    const typed = inferColumn(rows.map((row) => row[c] ?? ""));
    types.push(typed.type);
    values.push(typed.values);
  });
  return { name, columns: header, types, values, rows: rows.length, rowOfKey, labels: rows.map((row) => row[labelAt] ?? "") };
}

/** A JSONL file or a JSON array of flat objects as header and text cells (nested values as JSON text, null as ""). */
function jsonRows(bytes: Uint8Array, name: string): { header: string[]; rows: string[][] } {
  const text = decodeText(bytes);
  let records: unknown[];
  try {
    records = text.trimStart().startsWith("[") ? (JSON.parse(text) as unknown[]) : text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as unknown);
  } catch (error) {
    throw new Error(`--labels: ${name} is not JSON lines or a JSON array: ${(error as Error).message}`);
  }
  const fields = new Set<string>();
  for (const record of records) {
    if (record === null || typeof record !== "object" || Array.isArray(record)) throw new Error(`--labels: ${name} holds a record that is not an object`);
    for (const field of Object.keys(record)) fields.add(field);
  }
  const header = [...fields];
  const cell = (value: unknown) => (value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));
  return { header, rows: records.map((record) => header.map((field) => cell((record as Record<string, unknown>)[field]))) };
}

/** The gathered values of `table`'s column `c` for `rowOf` (each stack row's table row, -1 for none: NaN, 0, false or ""). */
export function gatherColumn(table: LabelTable, c: number, rowOf: Int32Array): CsvColumn {
  const column = table.values[c];
  const n = rowOf.length;
  if (column instanceof BigInt64Array) return BigInt64Array.from({ length: n }, (_, i) => (rowOf[i] < 0 ? 0n : column[rowOf[i]]));
  if (column instanceof Float64Array) return Float64Array.from({ length: n }, (_, i) => (rowOf[i] < 0 ? NaN : column[rowOf[i]]));
  if (table.types[c] === "bool") return Array.from({ length: n }, (_, i) => (rowOf[i] < 0 ? false : (column as boolean[])[rowOf[i]]));
  return Array.from({ length: n }, (_, i) => (rowOf[i] < 0 ? "" : (column as string[])[rowOf[i]]));
}
