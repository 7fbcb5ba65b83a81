// JSON records read as their bytes stream in, a block of rows at a time, for a record table
// (record-table.ts) that never holds the whole entry: JSON Lines split at newlines, or the
// elements of a JSON document's top-level array split at its commas. Gzipped input (1F 8B) is
// inflated on the way.
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { JsonSyntaxError } from "./json-tokenizer";
import { parseRecord } from "./record-values";

/** One record's JSON text, and its 1-based line in the input (for errors). */
export interface RecordText {
  text: string;
  line: number;
}

/**
 * Rows a block holds at most. Two blocks are in flight (one written while the next is parsed):
 * a 1.16 GB JSONL of log events converted at 251 MB peak RSS with 4k-row blocks, 296 MB with 8k.
 */
export const BLOCK_ROWS = 4096;
/**
 * Text a block holds at most (UTF-16 units): the rows of one block are parsed together, and
 * their JS objects, cells and packed rows are what the writer holds.
 */
export const BLOCK_TEXT = 1 << 20;

const UTF8 = () => new TextDecoder("utf-8", { fatal: true });

/** The blocks inflated when they start as gzip. */
async function* inflated(blocks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = blocks[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const rest = { [Symbol.asyncIterator]: () => iterator };
  async function* all() {
    yield first.value;
    yield* rest;
  }
  if (first.value[0] !== 0x1f || first.value[1] !== 0x8b) return yield* all();
  yield* Readable.from(all()).pipe(zlib.createGunzip()) as AsyncIterable<Buffer>;
}

/** The text of the blocks as it comes, decoded as UTF-8 (a leading BOM dropped), whole characters only. */
export async function* textOf(blocks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = UTF8();
  let offset = 0;
  try {
    for await (const block of inflated(blocks)) {
      yield decoder.decode(block, { stream: true });
      offset += block.length;
    }
    yield decoder.decode();
  } catch (error) {
    if (error instanceof TypeError) throw new Error(`not valid UTF-8 (in the bytes after offset ${offset})`);
    throw error;
  }
}

/**
 * JSON Lines' non-empty lines, as they stream in. A line's unfinished start is kept in pieces and
 * joined once its newline comes: splitting the carry again with each block made a 1 MB line that
 * came in small blocks quadratic (minutes).
 */
export async function* jsonLines(blocks: AsyncIterable<Uint8Array>): AsyncGenerator<RecordText> {
  let carry: string[] = [];
  let line = 0;
  for await (const text of textOf(blocks)) {
    let from = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", from)) {
      carry.push(text.slice(from, end));
      const each = carry.join("");
      carry = [];
      from = end + 1;
      line++;
      if (!/^[ \t\r]*$/.test(each)) yield { text: each, line };
    }
    if (from < text.length) carry.push(text.slice(from));
  }
  const last = carry.join("");
  if (!/^[ \t\r]*$/.test(last)) yield { text: last, line: line + 1 };
}

/**
 * The elements of a JSON document's top-level array, as they stream in; null when the document
 * is not an array (its first character is not `[`).
 */
export async function* jsonArrayElements(blocks: AsyncIterable<Uint8Array>): AsyncGenerator<RecordText | null> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = "";
  let line = 1;
  let elementLine = 1;
  let started = false;
  let ended = false;
  for await (const text of textOf(blocks)) {
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === 92) escaped = true;
        else if (ch === 34) inString = false;
        continue;
      }
      if (!started) {
        if (ch === 32 || ch === 9 || ch === 10 || ch === 13) continue;
        if (ch !== 91) return yield null;
        started = true;
        depth = 1;
        from = i + 1;
        elementLine = line;
        continue;
      }
      if (ended) {
        if (ch === 32 || ch === 9 || ch === 10 || ch === 13) continue;
        throw new JsonSyntaxError("unexpected text after the top-level array", line, 1);
      }
      if (ch === 34) inString = true;
      else if (ch === 91 || ch === 123) depth++;
      else if ((ch === 44 && depth === 1) || ((ch === 93 || ch === 125) && --depth === 0)) {
        element += text.slice(from, i);
        if (element.trim() !== "" || ch === 44) yield { text: element, line: elementLine };
        element = "";
        from = i + 1;
        elementLine = line;
        if (depth === 0) ended = true;
      }
    }
    if (started && !ended) element += text.slice(from);
  }
  if (!started) throw new JsonSyntaxError("an empty text is not a JSON document", line, 1);
  if (!ended) throw new JsonSyntaxError("the top-level array is not closed", line, 1);
}

/** Records parsed from their texts, a block (BLOCK_ROWS rows or BLOCK_TEXT text) at a time. */
export async function* recordBlocks(texts: AsyncIterable<RecordText>): AsyncGenerator<unknown[]> {
  let block: unknown[] = [];
  let size = 0;
  for await (const { text, line } of texts) {
    block.push(parseRecord(text, line));
    size += text.length;
    if (block.length >= BLOCK_ROWS || size >= BLOCK_TEXT) {
      yield block;
      block = [];
      size = 0;
    }
  }
  if (block.length > 0) yield block;
}
