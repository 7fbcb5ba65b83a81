// One block of a large CSV's rows, parsed and typed where it is sent: in a worker process, so that
// the writer, which splits the text at row breaks and writes the table (csv-stream.ts), never
// parses a cell. A block's columns come back typed by its own cells (with what its typing saw, for
// the writer to merge into the whole column's: csv-infer.ts), numbers and bools as typed arrays
// and texts as UTF-8 end to end (h5/encoded-strings.ts): what crosses back is a few typed arrays,
// not strings.
import { parseString } from "fast-csv";
import { encodeStrings, type EncodedStrings } from "../h5/encoded-strings";
import { ColumnTyping, type TypingState } from "./csv-infer";
import { CsvError } from "./csv-error";
import type { CsvColumnType } from "./csv-table";

/** How to read a block: its dialect and width, and the columns to give as text whatever their cells. */
export interface CsvBlockTask {
  delimiter: string;
  quote: string;
  width: number;
  decimalComma: boolean;
  /** Columns that are text in the rows before (they stay text): their cells come back as texts. */
  texts: number[];
}

/** A block's column: its type by its own cells (or text, as asked), what its typing saw, and its values. */
export interface CsvBlockColumn {
  type: CsvColumnType;
  typing: TypingState;
  /** int64: BigInt64Array; float64: Float64Array (empty cells NaN); bool: Uint8Array of 0 and 1; string: packed texts. */
  values: BigInt64Array | Float64Array | Uint8Array | EncodedStrings;
}

/** A block parsed: its data rows' columns, and the parser's records (blank lines counted) for row numbers. */
export interface CsvBlock {
  records: number;
  rows: number;
  columns: CsvBlockColumn[];
  /** The first row of another width: its record's index in the block, and its cells (the block is not typed). */
  odd?: { record: number; cells: number };
}

/** Parses a block of whole rows (UTF-8, no header) and types its columns. */
export async function parseCsvBlock(bytes: Uint8Array, task: CsvBlockTask): Promise<CsvBlock> {
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  const records = await parseRecords(text, task.delimiter, task.quote);
  const rows: string[][] = [];
  for (let record = 0; record < records.length; record++) {
    const cells = records[record];
    if (cells.length === 0) continue;
    if (cells.length !== task.width) return { records: records.length, rows: 0, columns: [], odd: { record, cells: cells.length } };
    rows.push(cells);
  }
  return { records: records.length, ...typedBlock(rows, task) };
}

/** Rows of a known width typed by column: a block's columns (the first block's too, typed in the writer). */
export function typedBlock(rows: readonly string[][], task: Omit<CsvBlockTask, "delimiter" | "quote">): { rows: number; columns: CsvBlockColumn[] } {
  const columns: CsvBlockColumn[] = [];
  for (let c = 0; c < task.width; c++) {
    const cells = rows.map((row) => row[c]);
    const typing = new ColumnTyping(task.decimalComma);
    typing.see(cells);
    const type = task.texts.includes(c) ? "string" : typing.type;
    columns.push({ type, typing: typing.seen, values: valuesOf(typing, cells, type) });
  }
  return { rows: rows.length, columns };
}

function valuesOf(typing: ColumnTyping, cells: string[], type: CsvColumnType): CsvBlockColumn["values"] {
  if (type === "string") return encodeStrings(cells);
  const values = typing.values(cells, type);
  return type === "bool" ? Uint8Array.from(values as boolean[], (yes) => (yes ? 1 : 0)) : (values as BigInt64Array | Float64Array);
}

/**
 * The parser's records of a text (a blank line as no cells). A text without the quote character
 * is split here, as fast-csv reads it (4× as fast: most large CSVs, numbers and logs, quote
 * nothing); any other goes through fast-csv.
 */
export function parseRecords(text: string, delimiter: string, quote: string): Promise<string[][]> {
  if (!text.includes(quote)) return Promise.resolve(splitUnquoted(text, delimiter));
  return new Promise((resolve, reject) => {
    const all: string[][] = [];
    parseString(text, { delimiter, quote, escape: quote })
      .on("data", (row: string[]) => all.push(row))
      // fast-csv parses a whole chunk before emitting its rows: its message quotes the text at the error.
      .on("error", (error: Error) => reject(new CsvError(`invalid CSV: ${error.message}`)))
      .on("end", () => resolve(all));
  });
}

/**
 * Rows of a text holding no quote character, exactly as fast-csv gives them (test/processors/
 * csv-block.test.ts compares the two on random texts): a row ends at CRLF, LF or CR; a row of
 * only whitespace (JS \s, the delimiter aside) is no cells, and none at all at the text's end; a
 * first cell of only whitespace is empty; every other cell is kept as it is.
 */
export function splitUnquoted(text: string, delimiter: string): string[][] {
  const blank = /\s/.test(delimiter) ? new RegExp(`^[^\\S${delimiter === "\t" ? "\\t" : delimiter}]*$`) : /^\s*$/;
  const lines = text.split(/\r\n|\n|\r/);
  const rows: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (blank.test(line)) {
      if (i < lines.length - 1) rows.push([]);
      continue;
    }
    const cells = line.split(delimiter);
    if (blank.test(cells[0])) cells[0] = "";
    rows.push(cells);
  }
  return rows;
}
