// The json and jsonl processors: a JSON document, or JSON Lines, parsed (in a worker) into
// [pointer, value] string pairs. A file named .json/.jsonl/.ndjson that is not detected as JSON
// goes to them too: it fails with the parser's message (line, column) instead of being kept
// quietly as bytes.
import type { Classification } from "../classify";
import { prepareJson, writePreparedJson, type PreparedJson } from "./json";
import { jsonRecords, keptJsonText } from "./json-records";
import type { PreparingProcessor } from "./processor";

/** The json or jsonl processor: they differ only in what a text holds (one document, or one a line). */
function jsonProcessorOf<Name extends "json" | "jsonl">(name: Name, extensions: readonly string[], notEmpty?: string): PreparingProcessor<Name, Record<string, never>, PreparedJson> {
  const jsonl = name === "jsonl";
  return {
    name,
    options: {},
    takes: (kind: Classification) => kind.category === name || (kind.category === "bytes" && extensions.includes(kind.nameExtension)),
    defaults: () => ({}),
    // JSON Lines may hold no line at all.
    ...(notEmpty !== undefined && { notEmpty }),
    prepares: "worker",
    streams: "never",
    taskOptions: () => ({}),
    prepare: async (bytes) => prepareJson(bytes, { jsonl }),
    writePrepared: writePreparedJson,
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

/** One JSON document to [pointer, value] pairs. */
export const jsonProcessor = jsonProcessorOf("json", ["json"], "an empty file is not a JSON document");

/** JSON Lines (one document a line) to [pointer, value] pairs. */
export const jsonlProcessor = jsonProcessorOf("jsonl", ["jsonl", "ndjson"]);
