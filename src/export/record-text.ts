// A record table (processors/record-table.ts) exported as JSON text, streamed a block of rows at
// a time: JSON Lines for a JSONL source, a JSON array (one element a line) for a JSON one.
import type { Dataset } from "../h5/dataset";
import { recordJsonText } from "../processors/record-values";
import { readRecordBlocks } from "../read/record-rows";
import type { StreamedData } from "./export-types";

/** Rows per read: export holds one block's records and their text. */
const RECORD_BLOCK_ROWS = 16_384;

/** The table's records as JSON Lines (`jsonl`) or as one JSON array, block by block. */
export function recordTextData(dataset: Dataset, jsonl: boolean): StreamedData {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let first = true;
    if (!jsonl) yield Buffer.from("[");
    for await (const block of readRecordBlocks(dataset, { blockRows: RECORD_BLOCK_ROWS })) {
      const lines = block.map((record) => recordJsonText(record));
      yield Buffer.from(jsonl ? lines.join("\n") + "\n" : (first ? "\n" : ",\n") + lines.join(",\n"));
      first = false;
    }
    if (!jsonl) yield Buffer.from(first ? "]\n" : "\n]\n");
  }
  return { chunks: chunks() };
}
