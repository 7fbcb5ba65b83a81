// The json and jsonl processors: JSON Lines, or a JSON document that is an array of objects, as a
// typed record table (record-table.ts), other documents and `--json-layout kv` as [pointer, value]
// string pairs (json.ts); parsed in a worker, or, for an entry too large to hold, block by block
// in the writer as it is read (record-json.ts). A file named .json/.jsonl/.ndjson that is not
// detected as JSON goes to them too: it fails with the parser's message (line, column) instead of
// being kept quietly as bytes.
import type { Classification } from "../classify";
import { jsonRecords, keptJsonText } from "./json-records";
import { prepareJsonEntry, writeJsonBlocks, writePreparedJsonEntry, type JsonEntryOptions, type JsonMode, type PreparedJsonEntry } from "./record-json";
import type { PreparingProcessor } from "./processor";

/** The json or jsonl processor: they differ only in what a text holds (one document, or one a line). */
function jsonProcessorOf<Name extends "json" | "jsonl">(name: Name, extensions: readonly string[], notEmpty?: string): PreparingProcessor<Name, JsonEntryOptions, PreparedJsonEntry> {
  const jsonl = name === "jsonl";
  const entryOptions = (options: Record<string, unknown>): JsonEntryOptions => ({ jsonl, mode: (options.mode as JsonMode | undefined) ?? "table" });
  return {
    name,
    options: {
      mode: { description: "table: records that are objects as a typed compound table (default); kv: [pointer, value] string pairs.", enum: ["table", "kv"] },
    },
    takes: (kind: Classification) => kind.category === name || (kind.category === "bytes" && extensions.includes(kind.nameExtension)),
    defaults: (settings) => ({ mode: settings.json ?? "table" }),
    // JSON Lines may hold no line at all.
    ...(notEmpty !== undefined && { notEmpty }),
    prepares: "worker",
    streams: "large",
    rereads: true,
    taskOptions: entryOptions,
    // A task without options (the pool's own callers) gets the defaults; jsonl is the processor's.
    prepare: async (bytes, options) => prepareJsonEntry(bytes, { jsonl, mode: options.mode ?? "table" }),
    writePrepared: writePreparedJsonEntry,
    writeBlocks: (group, name, blocks, layout, options) => writeJsonBlocks(group, name, blocks, layout, entryOptions(options)),
    records: {
      from: "bytes",
      records: (bytes) => jsonRecords(bytes, { jsonl }),
      keep: (set, keptIndexes) => {
        const text = keptJsonText(set, keptIndexes);
        return text === null ? null : Buffer.from(text);
      },
    },
  };
}

/** One JSON document: an array of objects to a record table, else [pointer, value] pairs. */
export const jsonProcessor = jsonProcessorOf("json", ["json"], "an empty file is not a JSON document");

/** JSON Lines (one document a line) to a record table, or [pointer, value] pairs. */
export const jsonlProcessor = jsonProcessorOf("jsonl", ["jsonl", "ndjson"]);
