// A JSON or JSONL entry as a record table (record-table.ts) where it applies, else as the
// (pointer, value) pairs of json.ts: `--json-layout table` (the default; config and API `json`)
// makes a table of JSON Lines and of a JSON document that is an array, when a record in them is
// an object and the columns fit one compound type; `--json-layout kv`, and every other document,
// keeps the pairs. Small entries are
// prepared whole (in a worker); large ones are written as their blocks stream in (flat memory),
// their first block deciding the layout.
import type { AttributeSet } from "../h5/attrs";
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { prepareJson, writePreparedJson, type PreparedJson } from "./json";
import type { DatasetLayout } from "./layout";
import { RecordBlock, widenSchema, type RecordSchema } from "./record-columns";
import { jsonArrayElements, jsonLines, recordBlocks, type RecordText } from "./record-stream";
import { encodeRows, isTooWide, type EncodedBlock } from "./record-table";
import { jsonRecordsKind, RecordTableWriter, TooWide } from "./record-writer";
import { NumberText, parseRecord } from "./record-values";
import { decodeText, type TextSource } from "./text-input";

/** How a JSON entry is stored: "table" where its records are objects (default), "kv" always as pairs. */
export type JsonMode = "table" | "kv";

/** A JSON entry's task options. */
export interface JsonEntryOptions {
  jsonl: boolean;
  mode: JsonMode;
}

/** A record table ready to write: every row encoded, as one block. */
export interface PreparedRecords {
  jsonl: boolean;
  block: EncodedBlock;
}

/** A JSON entry prepared: as a record table, or as pairs. */
export type PreparedJsonEntry = { layout: "records"; records: PreparedRecords } | { layout: "kv"; kv: PreparedJson };

/** The records of a JSON text: JSONL's documents, a document's array elements; null for another document. */
function recordsOfText(text: string, jsonl: boolean): unknown[] | null {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!jsonl) {
    const value = parseRecord(text);
    return Array.isArray(value) ? value : null;
  }
  const records: unknown[] = [];
  text.split("\n").forEach((line, i) => {
    if (!/^[ \t\r]*$/.test(line)) records.push(parseRecord(line, i + 1));
  });
  return records;
}

/** Whether records make a table: one of them is an object. */
function isTabular(records: readonly unknown[]): boolean {
  return records.some((r) => r !== null && typeof r === "object" && !Array.isArray(r) && !(r instanceof NumberText));
}

/** The records cut into a table's block, and its schema; null when they make no table (see isTabular, isTooWide). */
function tableOf(records: readonly unknown[]): { block: RecordBlock; schema: RecordSchema } | null {
  if (!isTabular(records)) return null;
  const block = new RecordBlock([]);
  for (const record of records) block.add(record);
  const schema = widenSchema({ columns: [], masked: false }, block);
  return isTooWide(schema) ? null : { block, schema };
}

/** The parsing half (it may run in a worker): a record table where it applies, else the pairs. */
export function prepareJsonEntry(source: TextSource, options: JsonEntryOptions): PreparedJsonEntry {
  const { jsonl, mode } = options;
  if (mode === "table") {
    try {
      const records = recordsOfText(decodeText(source), jsonl);
      const table = records && tableOf(records);
      if (table) return { layout: "records", records: { jsonl, block: encodeRows(table.schema, table.block.cells, table.block.rows) } };
    } catch (error) {
      // Nested too deep for the table's recursive flattening: the pairs' scanner is iterative.
      if (!(error instanceof RangeError)) throw error;
    }
  } else if (mode !== "kv") {
    throw new Error(`unknown JSON mode '${String(mode)}' (use "table" or "kv")`);
  }
  return { layout: "kv", kv: prepareJson(source, { jsonl }) };
}

/** The writing half: the record table, or the pairs' dataset. */
export async function writePreparedJsonEntry(group: Group, name: string, prepared: PreparedJsonEntry, layout: DatasetLayout, more?: AttributeSet): Promise<Dataset | Group> {
  if (prepared.layout === "kv") return writePreparedJson(group, name, prepared.kv, layout, more);
  const writer = new RecordTableWriter(group, name, layout, jsonRecordsKind(prepared.records.jsonl));
  try {
    await writer.addEncoded(prepared.records.block);
    return await writer.finish(more);
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}

/**
 * Writes a large entry as its blocks stream in: a record table block by block, its first block
 * deciding whether it is one (else the pairs, from the whole entry: as before, not flat).
 */
export async function writeJsonBlocks(group: Group, name: string, blocks: AsyncIterable<Uint8Array>, layout: DatasetLayout, options: JsonEntryOptions): Promise<Dataset | Group> {
  const { jsonl, mode } = options;
  const replay = new Replay(blocks);
  const pairs = async () => writePreparedJson(group, name, prepareJson(await replay.whole(), { jsonl }), layout);
  if (mode === "kv") return pairs();
  const texts: AsyncIterable<RecordText | null> = jsonl ? jsonLines(replay) : jsonArrayElements(replay);
  const parsed = recordBlocks(nonNull(texts, () => (replay.notArray = true)));
  const writer = new RecordTableWriter(group, name, layout, jsonRecordsKind(jsonl));
  let started: { next: Promise<IteratorResult<unknown[]>> } | null;
  try {
    started = await firstBlock(writer, parsed, replay);
  } catch (error) {
    await parsed.return(undefined).catch(() => undefined);
    await writer.abandon();
    throw error;
  }
  if (!started) {
    if (await group.has(name)) await group.delete(name);
    return pairs();
  }
  replay.forget();
  let next = started.next;
  try {
    for (let block = (await next).value; block; ) {
      // The next block is read and parsed while this one is compressed and written (off the JS thread).
      next = parsed.next();
      next.catch(() => undefined);
      await addRecords(writer, block);
      block = (await next).value;
    }
    return await writer.finish();
  } catch (error) {
    await parsed.return(undefined).catch(() => undefined);
    await writer.abandon();
    throw error;
  }
}

/**
 * Writes the first block, and starts reading the next; null when the records make no table:
 * none is an object, the document is no array, their columns are too many for one compound
 * type, or they nest too deep for the table's recursive flattening (a stack overflow: the
 * pairs' scanner is iterative).
 */
async function firstBlock(writer: RecordTableWriter, parsed: AsyncGenerator<unknown[]>, replay: Replay): Promise<{ next: Promise<IteratorResult<unknown[]>> } | null> {
  try {
    const first = await parsed.next();
    if (replay.notArray || first.done || !isTabular(first.value)) throw new NotATable();
    const next = parsed.next();
    next.catch(() => undefined);
    await addRecords(writer, first.value);
    return { next };
  } catch (error) {
    if (!(error instanceof NotATable || error instanceof TooWide || error instanceof RangeError)) throw error;
    await parsed.return(undefined).catch(() => undefined);
    await writer.abandon();
    return null;
  }
}

class NotATable extends Error {}

/** Appends records to the table as one block. */
async function addRecords(writer: RecordTableWriter, records: readonly unknown[]): Promise<void> {
  const rows = writer.block();
  for (const record of records) rows.add(record);
  await writer.add(rows);
}

/** The texts up to a null (not an array), which calls `notArray` instead. */
async function* nonNull(texts: AsyncIterable<RecordText | null>, notArray: () => void): AsyncGenerator<RecordText> {
  for await (const text of texts) {
    if (text === null) return notArray();
    yield text;
  }
}

/** Blocks passed on and kept until forgotten, so that the whole entry can still be read from the start. */
class Replay implements AsyncIterable<Uint8Array> {
  private kept: Uint8Array[] | null = [];
  private readonly iterator: AsyncIterator<Uint8Array>;
  /** The document turned out not to be an array. */
  notArray = false;

  constructor(blocks: AsyncIterable<Uint8Array>) {
    this.iterator = blocks[Symbol.asyncIterator]();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (let next = await this.iterator.next(); !next.done; next = await this.iterator.next()) {
      this.kept?.push(next.value);
      yield next.value;
    }
  }

  /** Stops keeping blocks. */
  forget(): void {
    this.kept = null;
  }

  /** The whole entry: the blocks kept, then the rest. */
  async whole(): Promise<Buffer> {
    const parts = [...(this.kept ?? [])];
    for (let next = await this.iterator.next(); !next.done; next = await this.iterator.next()) parts.push(next.value);
    return Buffer.concat(parts);
  }
}
