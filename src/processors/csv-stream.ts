// A CSV too large to hold whole (convert streams entries over 8 MiB) written as it is read, in
// blocks of rows, to the same typed table a whole one makes (csv-table-writer.ts): memory stays
// that of a block whatever the file's size.
// - The dialect is sniffed from the first 64 KiB, the table's shape (preamble, header, width:
//   csv-shape.ts) read from the first block; a later row of another width fails the entry naming it.
// - Each column's type is kept as blocks come (csv-infer.ts ColumnTyping), so the table gets the
//   type the whole column would. When a block widens a column, int64 → float64 (or a column
//   empty so far to float64), the rows written are rewritten (record-writer.ts); both keep every
//   cell's value. A number or bool column that meets text cannot be rewritten so: "7.30" was
//   written as 7.3. Then the entry is read again from its start (the file, or the copy made as
//   it streamed, entry-spill.ts), once to type every column and once to write: the table is
//   then cell for cell what the whole file's reading gives.
// - A table too wide for a compound type (wide-table.ts) is read whole, as before.
import { Readable, pipeline, type Transform } from "node:stream";
import { parse } from "fast-csv";
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { writeCsv, delimiterHint, type WriteCsvOptions } from "./csv";
import { dialectOf, type CsvDialect } from "./csv-dialect";
import { CsvError } from "./csv-error";
import { ColumnTyping } from "./csv-infer";
import { CsvSizeCheck } from "./csv-limits";
import { shapeOf } from "./csv-shape";
import type { CsvColumnType } from "./csv-table";
import { csvSchema, csvTableWriter } from "./csv-table-writer";
import { fieldNames } from "./field-names";
import type { DatasetLayout } from "./layout";
import { textOf } from "./record-stream";
import { isWideTable } from "./wide-table";

/** Cells a block holds (the first block, which decides the shape and first types, eight times as many). */
const BLOCK_CELLS = 1 << 16;
const FIRST_BLOCK_CELLS = 1 << 17;
/** The text the dialect is sniffed from (as csv-dialect.ts samples it). */
const SNIFF_CHARS = 64 * 1024;

/** How a streamed pass ended: the table written, or the entry must be read again (a number column met text, or the table is wide). */
type Pass = { written: Dataset | Group } | { again: "retype" | "wide" };

/**
 * Writes a large CSV as its `blocks` stream in; `again` reads it once more from its start, for a
 * column that turns to text late (see above). `--csv kv` keeps the cells' text, read whole.
 */
export async function writeCsvBlocks(group: Group, name: string, blocks: AsyncIterable<Uint8Array>, layout: DatasetLayout, options: WriteCsvOptions, again?: () => AsyncIterable<Uint8Array>): Promise<Dataset | Group> {
  if ((options.mode ?? "table") !== "table") return writeCsv(group, name, blocks, options, layout);
  const first = await writePass(group, name, blocks, layout, options, null);
  if ("written" in first) return first.written;
  if (!again) throw new CsvError("a column turned to text after rows were written as numbers, and the CSV cannot be read again");
  if (first.again === "wide") return writeCsv(group, name, again(), options, layout);
  const types = await typesOf(again(), options);
  const second = await writePass(group, name, again(), layout, options, types);
  if ("written" in second) return second.written;
  throw new Error(`the CSV read again did not keep its shape (${second.again})`);
}

/** One pass over the entry writing its table; `types`: the columns' types, known from a pass before. */
async function writePass(group: Group, name: string, blocks: AsyncIterable<Uint8Array>, layout: DatasetLayout, options: WriteCsvOptions, types: CsvColumnType[] | null): Promise<Pass> {
  const rows = await csvRows(blocks, options);
  try {
    const table = await rows.table();
    if (isWideTable(table.fields, types ?? table.types())) return { again: "wide" };
    const writer = csvTableWriter(group, name, layout, { columns: table.header, ...(table.preamble.length > 0 && { preamble: table.preamble }) });
    try {
      let written: CsvColumnType[] | null = null;
      for (let block: string[][] | null = table.first; block; ) {
        // The next block is parsed while this one is compressed and written (off the JS thread).
        const next = rows.next();
        next.catch(() => undefined);
        const columns = table.see(block);
        const now = types ?? table.types();
        if (written && now.some((type, c) => type === "string" && written![c] !== "string")) {
          await writer.abandon();
          if (await group.has(name)) await group.delete(name);
          return { again: "retype" };
        }
        await writer.addRows(csvSchema(table.fields, now), columns.map((cells, c) => table.values(c, cells, now[c]) as unknown as unknown[]), block.length);
        written = now;
        block = await next;
      }
      return { written: await writer.finish() };
    } catch (error) {
      await writer.abandon();
      throw error;
    }
  } finally {
    rows.stop();
  }
}

/** Every column's type, from a pass over the whole entry. */
async function typesOf(blocks: AsyncIterable<Uint8Array>, options: WriteCsvOptions): Promise<CsvColumnType[]> {
  const rows = await csvRows(blocks, options);
  try {
    const table = await rows.table();
    for (let block: string[][] | null = table.first; block; block = await rows.next()) table.see(block);
    return table.types();
  } finally {
    rows.stop();
  }
}

/** The table's shape from the first block, and its columns typed as blocks are seen. */
interface TableStart {
  header: string[];
  fields: string[];
  preamble: string[];
  /** The first block's data rows. */
  first: string[][];
  /** Takes a block's rows into the columns' types; its cells by column. */
  see(rows: string[][]): string[][];
  /** Each column's type over the rows seen. */
  types(): CsvColumnType[];
  /** Cells of column `c` (seen) as values of `type`. */
  values(c: number, cells: string[], type: CsvColumnType): unknown;
}

/** A CSV's rows in blocks: the table's start, then its blocks of data rows (null after the last). */
interface CsvRows {
  table(): Promise<TableStart>;
  next(): Promise<string[][] | null>;
  stop(): void;
}

async function csvRows(blocks: AsyncIterable<Uint8Array>, options: WriteCsvOptions): Promise<CsvRows> {
  if (options.delimiter !== undefined && options.delimiter.length !== 1) throw new CsvError(`the delimiter must be one character, not ${JSON.stringify(options.delimiter)}`);
  const texts = textOf(blocks)[Symbol.asyncIterator]();
  let sample = "";
  let ended = false;
  while (sample.length < SNIFF_CHARS) {
    const next = await texts.next();
    if (next.done) {
      ended = true;
      break;
    }
    sample += next.value;
  }
  const dialect = dialectOf(sample, options.delimiter, options.expectedDelimiter);
  const { delimiter, quote } = dialect;
  const sizes = new CsvSizeCheck(delimiter, options.maxField, quote);
  // The text's own failures (a field over the limit, bytes that are not UTF-8) stay what they are.
  let sourceError: unknown = null;
  async function* checked(): AsyncGenerator<string> {
    try {
      sizes.feed(sample);
      yield sample;
      if (ended) return;
      for (let next = await texts.next(); !next.done; next = await texts.next()) {
        sizes.feed(next.value);
        yield next.value;
      }
    } catch (error) {
      sourceError = error;
      throw error;
    }
  }
  const parser = parse({ delimiter, quote, escape: quote });
  pipeline(Readable.from(checked(), { highWaterMark: 2 }), parser, () => undefined);
  const batches = new RowBatches(parser, (error) => sourceError ?? new CsvError(`invalid CSV: ${error.message}`));
  const decimalComma = options.decimalComma === true && delimiter !== ",";
  let row = 0;
  let width = 0;
  let against = "";
  /** The next block of data rows, blank lines dropped; null after the last. */
  async function nextRows(): Promise<string[][] | null> {
    for (;;) {
      const records = await batches.next(BLOCK_CELLS);
      if (records.length === 0) return null;
      const rows: string[][] = [];
      for (const cells of records) {
        row++;
        if (cells.length === 0) continue;
        if (cells.length !== width) throw new CsvError(`CSV row ${row} has ${cells.length} cells, ${against} ${delimiterHint(dialect)}`, row);
        rows.push(cells);
      }
      if (rows.length > 0) return rows;
    }
  }
  return {
    async table() {
      const records = await batches.next(FIRST_BLOCK_CELLS);
      row = records.length;
      const shape = withHint(() => shapeOf(records, delimiter), dialect);
      width = shape.header.length;
      const headerRow = rowOfTable(records, shape.preamble.length);
      against = shape.hasHeader ? `the header (row ${headerRow}) has ${width}` : `the table's first row (row ${headerRow}) has ${width}`;
      const typings = shape.header.map(() => new ColumnTyping(decimalComma));
      return {
        header: shape.header,
        fields: fieldNames(shape.header),
        preamble: shape.preamble,
        first: shape.rows,
        see(rows) {
          return typings.map((typing, c) => {
            const cells = rows.map((cells) => cells[c]);
            typing.see(cells);
            return cells;
          });
        },
        types: () => typings.map((typing) => typing.type),
        values: (c, cells, type) => typings[c].values(cells, type),
      };
    },
    next: nextRows,
    stop: () => {
      parser.destroy();
      void texts.return(undefined).catch(() => undefined);
    },
  };
}

/** The row number (from 1, blank lines counted) of the table's first row: the first non-blank row after the preamble's. */
function rowOfTable(records: string[][], preamble: number): number {
  let seen = 0;
  for (let i = 0; i < records.length; i++) if (records[i].length > 0 && seen++ === preamble) return i + 1;
  return records.length;
}

function withHint<T>(read: () => T, dialect: CsvDialect): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof CsvError ? new CsvError(`${error.message} ${delimiterHint(dialect)}`, error.row) : error;
  }
}

/** The parser's rows taken in blocks of about a number of cells, the parser paused while a block waits. */
class RowBatches {
  private rows: string[][] = [];
  private cells = 0;
  private target = 0;
  private done = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;

  /** `failureOf`: the error a parser's error stands for. */
  constructor(private readonly parser: Transform, failureOf: (error: Error) => unknown) {
    parser.on("data", (row: string[]) => {
      this.rows.push(row);
      this.cells += row.length || 1;
      if (this.cells >= this.target) {
        parser.pause();
        this.wake?.();
      }
    });
    parser.on("end", () => {
      this.done = true;
      this.wake?.();
    });
    // fast-csv parses a chunk before emitting its rows: its message quotes the text at the error.
    parser.on("error", (error: Error) => {
      this.failure = failureOf(error);
      this.wake?.();
    });
  }

  /** The next rows, about `cells` cells of them (fewer at the end; none after it). */
  async next(cells: number): Promise<string[][]> {
    this.target = cells;
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.cells >= cells || this.done) {
        const rows = this.rows;
        this.rows = [];
        this.cells = 0;
        return rows;
      }
      if (this.parser.isPaused()) this.parser.resume();
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}
