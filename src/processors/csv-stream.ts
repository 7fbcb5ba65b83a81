// A CSV too large to hold whole (convert streams entries over 8 MiB) written as it is read, in
// blocks of rows, to the same typed table a whole one makes (csv-table-writer.ts): memory stays
// that of a few blocks whatever the file's size.
// - The writer reads the text, sniffs the dialect from its first 64 KiB, and cuts it into blocks of
//   about 1 Mi characters at row breaks outside quotes (csv-limits.ts' scan, which also bounds
//   the fields). It parses the first block itself, for the table's shape (preamble, header,
//   width: csv-shape.ts); every later block is parsed and typed in a worker process
//   (csv-block.ts), a few in flight, and written in order as they come back.
// - Each column's type is the whole column's (csv-infer.ts): a block's typing is merged into the
//   column's, which only widens. When it widens int64 → float64 (or a column empty so far to
//   float64) the rows written are rewritten (record-writer.ts), keeping every value. A block
//   typed by its own cells as numbers where the column is text is parsed again with the column as
//   text. But a column written as numbers or bools that meets text cannot be rewritten so ("7.30"
//   was written as 7.3): then the entry is read again from its start (the file, or the copy made
//   as it streamed: entry-spill.ts), once to type every column and once to write. Either way the
//   table is cell for cell what reading the whole file gives.
// - A table too wide for a compound type (wide-table.ts) is read whole, as before.
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { delimiterHint, shapeWithHint, writeCsv, type WriteCsvOptions } from "./csv";
import { parseCsvBlock, parseRecords, typedBlock, type CsvBlock, type CsvBlockColumn, type CsvBlockTask } from "./csv-block";
import { dialectOf, type CsvDialect } from "./csv-dialect";
import { CsvError } from "./csv-error";
import { ColumnTyping } from "./csv-infer";
import { CsvSizeCheck } from "./csv-limits";
import type { CsvColumnType } from "./csv-table";
import { csvSchema, csvTableWriter } from "./csv-table-writer";
import { fieldNames } from "./field-names";
import type { DatasetLayout } from "./layout";
import type { BlockContext } from "./processor";
import { textOf } from "./record-stream";
import { isWideTable } from "./wide-table";

/** Characters (UTF-16 units) a block holds, about: ~12k rows of a log table. */
const BLOCK_CHARS = 1 << 20;
/** Blocks parsing at once, ahead of the one being written. */
const BLOCKS_IN_FLIGHT = 4;
/** The text the dialect is sniffed from (as csv-dialect.ts samples it). */
const SNIFF_CHARS = 64 * 1024;

/** The options a task carries for a block (csv-processor.ts sends them to csv-block.ts). */
export interface CsvBlockOptions {
  block: CsvBlockTask;
}

/**
 * How a pass ended: the table written (or, for a pass that only types, the columns' types), or the
 * entry must be read again (a number column met text, or the table is wide).
 */
type Pass = { written: Dataset | Group } | { types: CsvColumnType[] } | { again: "retype" | "wide" };

/**
 * Writes a large CSV as its `blocks` stream in, its blocks parsed by `context.prepare` (in the
 * workers); `context.again` reads it once more from its start (see above). `--csv kv` keeps the
 * cells' text, read whole.
 */
export async function writeCsvBlocks(group: Group, name: string, blocks: AsyncIterable<Uint8Array>, layout: DatasetLayout, options: WriteCsvOptions, context?: BlockContext): Promise<Dataset | Group> {
  if ((options.mode ?? "table") !== "table") return writeCsv(group, name, blocks, options, layout);
  const parse = (bytes: Uint8Array, task: CsvBlockTask) => (context ? (context.prepare(bytes, { block: task } satisfies CsvBlockOptions) as Promise<CsvBlock>) : parseCsvBlock(bytes, task));
  const first = await writePass({ group, name, layout }, blocks, options, parse, null);
  if ("written" in first) return first.written;
  const again = context?.again;
  if (!again) throw new CsvError("a column turned to text after rows were written as numbers, and the CSV cannot be read again");
  if (first.again === "wide") return writeCsv(group, name, again(), options, layout);
  const types = await typesOf(again(), options, parse);
  const second = await writePass({ group, name, layout }, again(), options, parse, types);
  if ("written" in second) return second.written;
  throw new Error(`the CSV read again did not keep its shape (${second.again})`);
}

/** Where the table goes; null: a pass that only types the columns. */
type Target = { group: Group; name: string; layout: DatasetLayout } | null;

type ParseBlock = (bytes: Uint8Array, task: CsvBlockTask) => Promise<CsvBlock>;

/** Every column's type, from a pass over the whole entry. */
async function typesOf(blocks: AsyncIterable<Uint8Array>, options: WriteCsvOptions, parse: ParseBlock): Promise<CsvColumnType[]> {
  const pass = await runPass(null, blocks, options, parse, null);
  if (!("types" in pass)) throw new Error("the CSV read again turned wide");
  return pass.types;
}

async function writePass(target: NonNullable<Target>, blocks: AsyncIterable<Uint8Array>, options: WriteCsvOptions, parse: ParseBlock, types: CsvColumnType[] | null): Promise<Exclude<Pass, { types: CsvColumnType[] }>> {
  const pass = await runPass(target, blocks, options, parse, types);
  if ("types" in pass) throw new Error("a pass with a target wrote no table");
  return pass;
}

/** One pass over the entry: its blocks typed and, with a target, written; `types`: the columns' types known from a pass before. */
async function runPass(target: Target, blocks: AsyncIterable<Uint8Array>, options: WriteCsvOptions, parse: ParseBlock, types: CsvColumnType[] | null): Promise<Pass> {
  const source = await csvTexts(blocks, options);
  const { dialect } = source;
  const decimalComma = options.decimalComma === true && dialect.delimiter !== ",";
  const firstText = await source.next();
  const records = await parseRecords(firstText ?? "", dialect.delimiter, dialect.quote);
  const shape = shapeWithHint(records, dialect);
  const width = shape.header.length;
  const fields = fieldNames(shape.header);
  const typings = shape.header.map(() => new ColumnTyping(decimalComma));
  const knownTexts = types ? types.flatMap((type, c) => (type === "string" ? [c] : [])) : [];
  const firstBlock: CsvBlock = { records: records.length, ...typedBlock(shape.rows, { width, decimalComma, texts: knownTexts }) };
  firstBlock.columns.forEach((column, c) => typings[c].merge(column.typing));
  if (isWideTable(fields, types ?? typings.map((t) => t.type))) return { again: "wide" };
  const headerRow = rowOfTable(records, shape.preamble.length);
  const against = shape.hasHeader ? `the header (row ${headerRow}) has ${width}` : `the table's first row (row ${headerRow}) has ${width}`;
  // Columns that are text for good (a cell neither number nor bool): later blocks give their cells as texts.
  const settled = () => typings.flatMap((typing, c) => (typing.settledText || types?.[c] === "string" ? [c] : []));
  const task = (): CsvBlockTask => ({ delimiter: dialect.delimiter, quote: dialect.quote, width, decimalComma, texts: settled() });
  const writer = target && csvTableWriter(target.group, target.name, target.layout, { columns: shape.header, ...(shape.preamble.length > 0 && { preamble: shape.preamble }) });
  const inFlight: { bytes: Uint8Array; parsed: Promise<CsvBlock> }[] = [];
  let ended = false;
  const refill = async () => {
    while (!ended && inFlight.length < BLOCKS_IN_FLIGHT) {
      const text = await source.next();
      if (text === null) ended = true;
      else {
        const bytes = Buffer.from(text, "utf8");
        const parsed = parse(bytes, task());
        parsed.catch(() => undefined);
        inFlight.push({ bytes, parsed });
      }
    }
  };
  try {
    let written: CsvColumnType[] | null = null;
    let row = records.length;
    for (let block: CsvBlock | null = firstBlock, bytes: Uint8Array | null = null; block; ) {
      if (block.odd) {
        const at = row + block.odd.record + 1;
        throw new CsvError(`CSV row ${at} has ${block.odd.cells} cells, ${against} ${delimiterHint(dialect)}`, at);
      }
      if (bytes) block.columns.forEach((column, c) => typings[c].merge(column.typing));
      const now = types ?? typings.map((t) => t.type);
      if (writer && target && written && now.some((type, c) => type === "string" && written![c] !== "string")) {
        await writer.abandon();
        if (await target.group.has(target.name)) await target.group.delete(target.name);
        return { again: "retype" };
      }
      // A block typed before its column turned to text is parsed again with the column as text.
      if (bytes && block.columns.some((column, c) => now[c] === "string" && column.type !== "string")) {
        block = await parse(bytes, { ...task(), texts: now.flatMap((type, c) => (type === "string" ? [c] : [])) });
      }
      const rows = block.rows;
      if (writer) await writer.addRows(csvSchema(fields, now), block.columns.map((column, c) => asType(column, now[c], rows)), rows);
      written = now;
      if (bytes) row += block.records;
      await refill();
      const next = inFlight.shift();
      block = next ? await next.parsed : null;
      bytes = next ? next.bytes : null;
    }
    return writer ? { written: await writer.finish() } : { types: typings.map((t) => t.type) };
  } catch (error) {
    if (writer) await writer.abandon();
    throw error;
  } finally {
    source.stop();
  }
}

/** A block's column as values of the column's type (its own, or one it widens to). */
function asType(column: CsvBlockColumn, type: CsvColumnType, rows: number): unknown[] {
  if (column.type === type) return column.values as unknown as unknown[];
  if (type === "float64") {
    // int64 cells as doubles; a block of empty cells (typed text by its own) as NaN.
    if (column.type === "int64") return Float64Array.from(column.values as BigInt64Array, (n) => Number(n)) as unknown as unknown[];
    if (column.type === "string") return new Float64Array(rows).fill(NaN) as unknown as unknown[];
  }
  throw new Error(`a CSV block's ${column.type} column cannot be written as ${type}`);
}

/** The row number (from 1, blank lines counted) of the table's first row: the first non-blank row after the preamble's. */
function rowOfTable(records: string[][], preamble: number): number {
  let seen = 0;
  for (let i = 0; i < records.length; i++) if (records[i].length > 0 && seen++ === preamble) return i + 1;
  return records.length;
}

/** A CSV's text cut into blocks of whole rows, and its dialect. */
interface CsvTexts {
  dialect: CsvDialect;
  /** The next block's text; null after the last. */
  next(): Promise<string | null>;
  stop(): void;
}

/** The entry's text (gzip inflated, UTF-8 decoded), its fields checked for size, cut at row breaks. */
async function csvTexts(blocks: AsyncIterable<Uint8Array>, options: WriteCsvOptions): Promise<CsvTexts> {
  if (options.delimiter !== undefined && options.delimiter.length !== 1) throw new CsvError(`the delimiter must be one character, not ${JSON.stringify(options.delimiter)}`);
  const texts = textOf(blocks)[Symbol.asyncIterator]();
  const pieces: string[] = [];
  let sampled = 0;
  let ended = false;
  while (sampled < SNIFF_CHARS) {
    const next = await texts.next();
    if (next.done) {
      ended = true;
      break;
    }
    pieces.push(next.value);
    sampled += next.value.length;
  }
  const dialect = dialectOf(pieces.join("").slice(0, SNIFF_CHARS * 2), options.delimiter, options.expectedDelimiter);
  const sizes = new CsvSizeCheck(dialect.delimiter, options.maxField, dialect.quote);
  let carry = "";
  let block = "";
  const piece = async (): Promise<string | null> => {
    if (pieces.length > 0) return pieces.shift()!;
    if (ended) return null;
    const next = await texts.next();
    if (next.done) {
      ended = true;
      return null;
    }
    return next.value;
  };
  return {
    dialect,
    async next() {
      for (;;) {
        const text = await piece();
        if (text === null) {
          const last = block + carry;
          block = carry = "";
          return last === "" ? null : last;
        }
        sizes.feed(text);
        if (sizes.lastBreak < 0) {
          carry += text;
          continue;
        }
        block += carry + text.slice(0, sizes.lastBreak);
        carry = text.slice(sizes.lastBreak);
        if (block.length >= BLOCK_CHARS) {
          const full = block;
          block = "";
          return full;
        }
      }
    },
    stop: () => void texts.return(undefined).catch(() => undefined),
  };
}
