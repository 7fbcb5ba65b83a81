// JSON and CSV back out of a file. JSON: the [N, 2] (pointer, leaf JSON text) rows (a ragged
// string array's group, or in older files a vlen string dataset: processors/json.ts) rebuilt by
// pairsToJson (integers beyond 2^53 as BigInt), or by pairsToJsonText with every number as it was
// written; JSONL (attr jsonl) reads as the array of its documents. CSV: the compound table's
// fields as typed columns (int64 → BigInt64Array, float64 → Float64Array, bool → boolean[],
// string → string[]), and rows keyed by the original header (attr columns); kv-mode tables
// ([R, C] cell text) read as string columns; a wide table's group (processors/wide-table.ts) as
// the columns of its typed matrices. A table reads whole, or rows [start, stop) alone.
import { Dataset } from "../h5/dataset";
import { H5Error } from "../h5/errors";
import { Group } from "../h5/group";
import { fieldNames } from "../processors/field-names";
import type { CsvColumnType } from "../processors/csv-table";
import { WIDE_LAYOUT, WIDE_TYPES } from "../processors/wide-table";
import { JSON_PAIRS_FORMAT, jsonPairRows, pairsToJson, pairsToJsonText, type JsonPair } from "../processors/json";
import { resolveRange, rowsOf, type AxisRange } from "./axis-range";
import { attrNames, attrValue, getObject, readData, release, type Flow } from "./flow";
import { runAsync, runSync } from "../h5/operation";
import { isRaggedStrings, raggedShape, readRaggedStrings } from "../h5/ragged-strings";
import { recordJsonText } from "../processors/record-values";
import { isRecordTable, readRaggedTexts, readRecordsFlow } from "./record-rows";

/** Options of readJSON. */
export interface ReadJSONOptions {
  /** A record table's rows [start, stop) alone (JSONL documents, or a JSON array's elements), by hyperslab. */
  rows?: AxisRange;
}

/**
 * A JSON value deep-equal to the source (integers beyond 2^53 as BigInt); JSONL: an array of
 * documents. A record table (processors/record-table.ts) may read `rows` alone.
 */
export function readJSON(dataset: Dataset | Group, options: ReadJSONOptions = {}): Promise<unknown> {
  return runAsync(readJSONFlow(dataset, options));
}
/** The Sync form of {@link readJSON}. */
export function readJSONSync(dataset: Dataset | Group, options: ReadJSONOptions = {}): unknown {
  return runSync(readJSONFlow(dataset, options));
}

/** The JSON as compact text: of pairs, every number exactly as written in the source; of a record table, as readJSON's values. */
export function readJSONText(dataset: Dataset | Group): Promise<string> {
  return runAsync(readJSONTextFlow(dataset));
}
/** The Sync form of {@link readJSONText}. */
export function readJSONTextSync(dataset: Dataset | Group): string {
  return runSync(readJSONTextFlow(dataset));
}

/**
 * A table: typed columns, and rows() keyed by the original header; `range` of its rows alone.
 * A compound dataset (h5dat's CSV tables or any other), a kv table, or a wide table's group
 * (processors/wide-table.ts).
 */
export function readTable(table: Dataset | Group, range?: AxisRange): Promise<Table> {
  return runAsync(readTableFlow(table, range));
}
/** The Sync form of {@link readTable}. */
export function readTableSync(table: Dataset | Group, range?: AxisRange): Table {
  return runSync(readTableFlow(table, range));
}

/** The pairs of a pointer/value array of either layout (processors/json.ts), its format attr checked. */
function* jsonPairs(dataset: Dataset | Group): Flow<JsonPair[]> {
  const names = yield* attrNames(dataset);
  if (names.includes("format")) {
    const format = yield* attrValue(dataset, "format");
    if (format !== JSON_PAIRS_FORMAT) throw new H5Error(`'${dataset.name}' has format '${String(format)}', not '${JSON_PAIRS_FORMAT}'`, dataset.name);
  }
  return yield* jsonPairRows(dataset);
}

/** The JSON value (JSONL: the array of documents) stored in `dataset`. */
function* readJSONFlow(dataset: Dataset | Group, options: ReadJSONOptions): Flow<unknown> {
  if (dataset instanceof Dataset && (yield* isRecordTable(dataset))) return yield* readRecordsFlow(dataset, options.rows);
  if (options.rows !== undefined) throw new H5Error(`'${dataset.name}' holds (pointer, value) pairs: rows can be read from a record table only`, dataset.name);
  return pairsToJson(yield* jsonPairs(dataset));
}

/** The same as compact JSON text, every number as it was written. */
function* readJSONTextFlow(dataset: Dataset | Group): Flow<string> {
  if (dataset instanceof Dataset && (yield* isRecordTable(dataset))) return recordJsonText(yield* readRecordsFlow(dataset));
  return pairsToJsonText(yield* jsonPairs(dataset));
}

/** One column of a table. */
export type TableColumn = BigInt64Array | Float64Array | boolean[] | string[] | ArrayLike<unknown>;

/** Rows of a table dataset read back as columns, with their names and range. */
export interface Table {
  /** Column names: the original header (attr columns) when stored, else the field names. */
  columns: string[];
  /** The compound field behind each column (h5dat makes them unique and non-empty). */
  fields: string[];
  /** One array per column, in column order (an array field's values flat, row after row). */
  values: TableColumn[];
  /** The columns by name (the field name where a header name repeats). */
  byName: Record<string, TableColumn>;
  /** Rows read (stop - start). */
  length: number;
  /** Where the rows read start and stop in the dataset (0 and its length when read whole). */
  start: number;
  /** Where the rows read stop in the dataset (exclusive). */
  stop: number;
  /** Rows in the dataset. */
  total: number;
  /** "table" (typed compound) or "kv" (strings); "table" for any compound dataset. */
  mode: "table" | "kv";
  /** Each row as an object keyed by column name, in column order (array fields as arrays). */
  rows(): IterableIterator<Record<string, unknown>>;
  /** Each row's values in column order (array fields as arrays): cheaper than rows() for a wide table. */
  rowValues(): IterableIterator<unknown[]>;
}

/** Row keys: the header names, with a repeated one replaced by its unique field name. */
function rowKeys(columns: string[], fields: string[]): string[] {
  const used = new Set<string>();
  return columns.map((name, i) => {
    const key = used.has(name) ? fields[i] : name;
    used.add(key);
    return key;
  });
}

/** A row's value in a column: one element, or `per` of them (an array field) as an array. */
function cell(column: TableColumn, row: number, per: number): unknown {
  if (per === 1) return column[row];
  return Array.prototype.slice.call(column, row * per, (row + 1) * per);
}

/** Rows [start, stop) of `total`. */
type RowSpan = { start: number; stop: number; total: number };

function makeTable(columns: string[], fields: string[], values: TableColumn[], span: RowSpan, mode: Table["mode"], per: number[] = []): Table {
  const length = span.stop - span.start;
  // Built when first used: for a table of a million columns each costs about a second.
  let keys: string[] | undefined;
  let byName: Record<string, TableColumn> | undefined;
  return {
    columns, fields, values, length, ...span, mode,
    get byName() {
      if (byName) return byName;
      byName = {};
      rowKeysOf().forEach((key, i) => {
        Object.defineProperty(byName, key, { value: values[i], enumerable: true, writable: true, configurable: true });
      });
      return byName;
    },
    *rows() {
      const keys = rowKeysOf();
      // A plain assignment to "__proto__" would set the prototype instead of a key.
      const plain = !keys.includes("__proto__");
      for (let r = 0; r < length; r++) {
        const row: Record<string, unknown> = {};
        for (let c = 0; c < keys.length; c++) {
          const value = cell(values[c], r, per[c] ?? 1);
          if (plain) row[keys[c]] = value;
          else Object.defineProperty(row, keys[c], { value, enumerable: true, writable: true, configurable: true });
        }
        yield row;
      }
    },
    *rowValues() {
      for (let r = 0; r < length; r++) {
        const row: unknown[] = new Array(values.length);
        for (let c = 0; c < values.length; c++) row[c] = cell(values[c], r, per[c] ?? 1);
        yield row;
      }
    },
  };

  function rowKeysOf(): string[] {
    return (keys ??= rowKeys(columns, fields));
  }
}

/** The table in `table`, rows `range` of it (all by default). */
function* readTableFlow(table: Dataset | Group, range?: AxisRange): Flow<Table> {
  const names = yield* attrNames(table);
  const header = names.includes("columns") ? yield* attrValue(table, "columns") : undefined;
  if (table instanceof Group) return (yield* isRaggedStrings(table)) ? yield* kvTable(table, header, range) : yield* wideTable(table, range);
  const dataset = table;
  const dtype = dataset.dtype;
  if (typeof dtype === "object" && dtype.kind === "compound") {
    if (dataset.ndim !== 1) throw new H5Error(`'${dataset.name}' is a ${dataset.ndim}-D compound dataset: a table has one axis`, dataset.name);
    const fields = dtype.fields.map((f) => f.name);
    const columns = Array.isArray(header) && header.length === fields.length ? header.map(String) : fields;
    const span = rowSpan(dataset, range);
    const { data } = yield* rowsOf(dataset, span.start, span.stop, { columns: true });
    const byField = data as Record<string, TableColumn>;
    if (names.includes("ragged_datasets")) yield* raggedColumns(dataset, fields, (yield* attrValue(dataset, "ragged_datasets")) as string[], byField, span);
    // Array fields come as one flat column; each row gets its slice of it.
    const per = dtype.fields.map((f) => (typeof f.dtype === "object" && f.dtype.kind === "array" ? f.dtype.shape.reduce((a, b) => a * b, 1) : 1));
    return makeTable(columns, fields, fields.map((f) => byField[f]), span, "table", per);
  }
  return yield* kvTable(dataset, header, range);
}

/**
 * Replaces each ragged text column's end offsets (record-table.ts: a CSV's or a record table's
 * text past 4 KiB a cell) by its texts, read from the dataset beside the table that `texts` names.
 */
function* raggedColumns(dataset: Dataset, fields: string[], texts: string[], byField: Record<string, TableColumn>, span: RowSpan): Flow<void> {
  if (texts.length > fields.length) throw new H5Error(`'${dataset.name}' names ${texts.length} ragged_datasets for ${fields.length} fields`, dataset.name);
  const stored = { paths: [], kinds: [], maskField: "", fields: fields.slice(0, texts.length), texts };
  yield* readRaggedTexts(dataset, stored, byField as Record<string, ArrayLike<unknown>>, span.start, span.stop - span.start);
}

/** An [R, C] dataset, or ragged string array, read as C columns (h5dat's kv CSV mode: strings). */
function* kvTable(dataset: Dataset | Group, header: unknown, range: AxisRange | undefined): Flow<Table> {
  const shape = dataset instanceof Dataset ? dataset.shape : yield* raggedShape(dataset);
  if (!shape || shape.length !== 2) throw new H5Error(`'${dataset.name}' is neither a compound table nor an [R, C] dataset`, dataset.name);
  const width = shape[1];
  const [start, stop] = resolveRange(range, shape[0], "row");
  const span = { start, stop, total: shape[0] };
  const rows = span.stop - span.start;
  const flat = dataset instanceof Dataset ? ((yield* rowsOf(dataset, start, stop)).data as ArrayLike<unknown>) : (yield* readRaggedStrings(dataset, start, stop)).data;
  const values: unknown[][] = Array.from({ length: width }, () => new Array(rows));
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) values[c][r] = flat[r * width + c];
  const named = Array.isArray(header) && header.length === width;
  const columns = named ? header.map(String) : Array.from({ length: width }, (_, c) => `column_${c}`);
  const fields = named ? fieldNames(columns) : columns;
  return makeTable(columns, fields, values as TableColumn[], span, "kv");
}

/** A wide table's group read as its columns: each from the matrix of its type (wide-table.ts). */
function* wideTable(group: Group, range: AxisRange | undefined): Flow<Table> {
  const layout = (yield* attrNames(group)).includes("layout") ? yield* attrValue(group, "layout") : undefined;
  if (layout !== WIDE_LAYOUT) throw new H5Error(`'${group.name}' is a group, not a table (a wide table's group has attr layout "wide")`, group.name);
  const columns = (yield* readMember(group, "columns")).data as string[];
  const types = (yield* readMember(group, "column_types")).data as string[];
  if (columns.length !== types.length) throw new H5Error(`'${group.name}' has ${columns.length} columns but ${types.length} column_types`, group.name);
  const values: TableColumn[] = new Array(columns.length);
  let span: RowSpan | null = null;
  for (const type of WIDE_TYPES) {
    const picked = types.flatMap((t, c) => (t === type ? [c] : []));
    if (picked.length === 0) continue;
    const matrix = yield* getObject(group, type);
    try {
      if (!(matrix instanceof Dataset) || matrix.shape?.length !== 2 || matrix.shape[1] !== picked.length) {
        throw new H5Error(`'${group.name}/${type}' is not an [R, ${picked.length}] dataset of the ${type} columns`, group.name);
      }
      const own = rowSpan(matrix, range);
      if (span && own.total !== span.total) throw new H5Error(`'${group.name}': its matrices differ in rows`, group.name);
      span = own;
      const rows = own.stop - own.start;
      const { data } = yield* rowsOf(matrix, own.start, own.stop);
      const flat = data as ArrayLike<unknown> & { constructor: new (n: number) => ArrayLike<unknown> };
      const width = picked.length;
      // A bool matrix reads as its enum's 0/1; as columns, bools are booleans (as a compound's are).
      const typed = ArrayBuffer.isView(flat) && type !== "bool";
      picked.forEach((c, k) => {
        const column = (typed ? new flat.constructor(rows) : new Array(rows)) as unknown[];
        for (let r = 0; r < rows; r++) column[r] = type === "bool" ? Boolean(flat[r * width + k]) : flat[r * width + k];
        values[c] = column as TableColumn;
      });
    } finally {
      yield* release(matrix);
    }
  }
  const unknown = types.find((t) => !WIDE_TYPES.includes(t as CsvColumnType));
  if (unknown !== undefined) throw new H5Error(`'${group.name}' has a column of type '${unknown}' (not one of ${WIDE_TYPES.join(", ")})`, group.name);
  // A table of no typed matrix (no columns) has no rows.
  span ??= { start: 0, stop: 0, total: 0 };
  return makeTable(columns, fieldNames(columns), values, span, "table");
}

/** One member dataset of a wide table's group, read whole. */
function* readMember(group: Group, name: string): Flow<{ data: unknown; shape: number[] }> {
  const member = yield* getObject(group, name);
  try {
    if (!(member instanceof Dataset)) throw new H5Error(`'${group.name}/${name}' is not a dataset`, group.name);
    return yield* readData(member);
  } finally {
    yield* release(member);
  }
}

function rowSpan(dataset: Dataset, range: AxisRange | undefined): RowSpan {
  const total = dataset.shape![0];
  const [start, stop] = resolveRange(range, total, "row");
  return { start, stop, total };
}
