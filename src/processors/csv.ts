// CSV and TSV (fast-csv does the quoting, embedded newlines and CRLF) into HDF5, two ways:
// "table" makes a compound dataset, one field per column with a type inferred from all its cells
// (a table too wide for a compound type becomes a group of matrices: wide-table.ts);
// "kv" keeps the raw cell text as an [R, C] ragged string array (h5/ragged-strings.ts: a group of
// compressed UTF-8 bytes and offsets; older files hold an [R, C] vlen string dataset, read the
// same). The header row is kept
// in the attribute `columns` either way, and metadata rows before the table (csv-shape.ts) in
// the attribute `preamble`.
import type { AttributeSet } from "../h5/attrs";
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { GZIP, storageOptions, type DatasetLayout } from "./layout";
import { decodeText, type TextSource } from "./text-input";
import { CsvError } from "./csv-error";
import type { CsvColumn, CsvColumnType, CsvTable } from "./csv-table";
import { checkCsvSizes } from "./csv-limits";
import { shapeOf, type CsvShape } from "./csv-shape";
import { dialectOf, delimiterText, type CsvDialect } from "./csv-dialect";
import { inferColumn } from "./csv-infer";
import { parseRecords } from "./csv-block";
import { isWideTable, writeWideTable } from "./wide-table";
import { fieldNames } from "./field-names";
import { csvSchema, writeCsvTable } from "./csv-table-writer";
import { writeRaggedStrings } from "../h5/ragged-strings";

/** CSV text, its bytes (gzip detected by magic, BOM dropped), or a stream of its bytes. */
export type CsvSource = TextSource | AsyncIterable<Uint8Array | string>;

/** How CSV text is read: separator, decimal mark and field size limit. */
export interface CsvOptions {
  /** Cell separator, any one character; absent: sniffed from the first rows (csv-dialect.ts). */
  delimiter?: string;
  /** The separator the file's name implies (see csvDelimiterFor), taken when sniffing cannot tell (default ","). */
  expectedDelimiter?: string;
  /** Read "12,5" as 12.5 (in a file not separated by commas; csv-infer.ts). */
  decimalComma?: boolean;
  /** Bytes a field may hold (default DEFAULT_MAX_CSV_FIELD, at most MOST_CSV_FIELD; see csv-limits.ts). */
  maxField?: number;
}

/** How a CSV is stored: as a typed table or as the raw cell text. */
export interface WriteCsvOptions extends CsvOptions {
  /** "table" (default): typed compound dataset; "kv": [R, C] strings of the raw cell text. */
  mode?: "table" | "kv";
}

export { CsvError };
export type { CsvColumn, CsvColumnType, CsvTable };

/** The delimiter a file name implies: tab for .tsv/.tab (also gzipped), else comma. */
export function csvDelimiterFor(fileName: string): string {
  return /\.(tsv|tab)(\.gz)?$/i.test(fileName) ? "\t" : ",";
}

/** Parses CSV/TSV into typed columns (see CsvColumnType). Ragged rows throw a CsvError naming the row. */
export async function parseCsv(source: CsvSource, options: CsvOptions = {}): Promise<CsvTable> {
  const { header, rows, preamble, delimiter } = await readCsvRows(source, options);
  // A decimal comma cannot be told from a separator in a comma-separated file's unquoted cells.
  const decimalComma = options.decimalComma === true && delimiter !== ",";
  const types: CsvColumnType[] = [];
  const values: CsvColumn[] = [];
  header.forEach((_, c) => {
    const column = inferColumn(rows.map((row) => row[c]), decimalComma);
    types.push(column.type);
    values.push(column.values);
  });
  return { columns: header, types, values, rows: rows.length, ...(preamble.length > 0 && { preamble }) };
}

/**
 * Writes `source` as dataset `name` in `group` (chunked; gzip unless `compression` is "none"),
 * with attributes `columns` and `mode`; a table too wide for one dataset as a group (wide-table.ts).
 */
export async function writeCsv(group: Group, name: string, source: CsvSource, options: WriteCsvOptions = {}, layout: DatasetLayout = GZIP): Promise<Dataset | Group> {
  return writePreparedCsv(group, name, await prepareCsv(source, options), layout);
}

/** A CSV parsed and ready to store: typed columns ("table") or the cells' text ("kv"). */
export type PreparedCsv = { mode: "table"; table: CsvTable } | { mode: "kv"; header: string[]; cells: string[]; rows: number; preamble?: string[] };

/** The parsing half of writeCsv (it may run in a worker process). */
export async function prepareCsv(source: CsvSource, options: WriteCsvOptions = {}): Promise<PreparedCsv> {
  const mode = options.mode ?? "table";
  if (mode === "table") return { mode, table: await parseCsv(source, options) };
  if (mode !== "kv") throw new CsvError(`unknown CSV mode '${mode}' (use "table" or "kv")`);
  const { header, rows, preamble } = await readCsvRows(source, options);
  return { mode, header, cells: rows.flat(), rows: rows.length, ...(preamble.length > 0 && { preamble }) };
}

/**
 * The writing half of writeCsv: a dataset, or for a table too wide for a compound type a group
 * (wide-table.ts).
 */
export async function writePreparedCsv(group: Group, name: string, prepared: PreparedCsv, layout: DatasetLayout = GZIP, more?: AttributeSet): Promise<Dataset | Group> {
  const preamble = prepared.mode === "kv" ? prepared.preamble : prepared.table.preamble;
  const attrs = (columns: string[]) => ({ attrs: { columns, mode: prepared.mode, ...(preamble && { preamble }), ...more?.values }, attrOptions: more?.options });
  if (prepared.mode === "kv") {
    const { compression } = storageOptions({ ...layout, chunks: undefined }, { dtype: "string" }, false);
    const { attrs: values, attrOptions } = attrs(prepared.header);
    return writeRaggedStrings(group, name, prepared.cells, [prepared.rows, prepared.header.length], { compression: compression ?? "none", attrs: values, attrOptions });
  } else {
    const { table } = prepared;
    const names = fieldNames(table.columns);
    if (isWideTable(names, table.types)) {
      return writeWideTable(group, name, table, layout, { values: { mode: "table", ...(preamble && { preamble }), ...more?.values }, options: more?.options });
    }
    return writeCsvTable(group, name, csvSchema(names, table.types), table.values as unknown as unknown[][], table.rows, { columns: table.columns, preamble }, layout, more);
  }
}

/**
 * The header, the data rows' raw cells, the metadata rows before them (csv-shape.ts) and the
 * delimiter they were split at (given, or sniffed: csv-dialect.ts); blank lines are skipped,
 * ragged rows rejected with a hint at the delimiter.
 */
export async function readCsvRows(source: CsvSource, options: CsvOptions = {}): Promise<{ header: string[]; rows: string[][]; preamble: string[]; delimiter: string }> {
  if (options.delimiter !== undefined && options.delimiter.length !== 1) throw new CsvError(`the delimiter must be one character, not ${JSON.stringify(options.delimiter)}`);
  const text = decodeText(isTextSource(source) ? source : await collect(source));
  const dialect = dialectOf(text, options.delimiter, options.expectedDelimiter);
  const { delimiter, quote } = dialect;
  checkCsvSizes(text, delimiter, options.maxField, quote);
  const records = await parseRecords(text, delimiter, quote);
  return { ...shapeWithHint(records, dialect), delimiter };
}

/** The rows' shape (csv-shape.ts); a ragged row's error says which delimiter split them (delimiterHint). */
export function shapeWithHint(records: string[][], dialect: CsvDialect): CsvShape {
  try {
    return shapeOf(records, dialect.delimiter);
  } catch (error) {
    throw error instanceof CsvError ? new CsvError(`${error.message} ${delimiterHint(dialect)}`, error.row) : error;
  }
}

/** Which delimiter split the rows and how to give another: a ragged row's most likely cause. */
export function delimiterHint({ delimiter, sniffed }: CsvDialect): string {
  const how = sniffed ? "sniffed from the first rows" : "as given";
  return `(cells split at ${delimiterText(delimiter)}, ${how}; give another with --csv-delimiter or a schema rule's "delimiter")`;
}

function isTextSource(source: CsvSource): source is TextSource {
  return typeof source === "string" || source instanceof Uint8Array;
}

async function collect(stream: AsyncIterable<Uint8Array | string>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
