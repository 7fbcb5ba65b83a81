// The CPU-heavy half of converting an entry, split from the writing half so that it can run in a
// worker process: decoding an image, parsing a JSON or CSV text. A task and its result are plain
// data (typed arrays, strings), which cross to and from a worker by structured clone.
import type { AttributeSet } from "../h5/attrs";
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import type { DatasetLayout } from "../processors/layout";
import { prepareCsv, writePreparedCsv, type PreparedCsv, type WriteCsvOptions } from "../processors/csv";
import { decodeImage, writeDecodedImage, type DecodedImage, type ImageOptions, type PixelTarget } from "../processors/image";
import { prepareJson, writePreparedJson, type PreparedJson } from "../processors/json";

export type PrepareTask =
  | { processor: "image"; bytes: Uint8Array; options: ImageOptions }
  | { processor: "json" | "jsonl"; bytes: Uint8Array }
  | { processor: "csv"; bytes: Uint8Array; options: WriteCsvOptions };

export type Prepared =
  | { processor: "image"; image: DecodedImage }
  | { processor: "json"; json: PreparedJson }
  | { processor: "csv"; csv: PreparedCsv };

/** Prepares a task; `pixels` may take an image's decoded pixels (see PixelTarget). */
export async function prepare(task: PrepareTask, pixels?: PixelTarget): Promise<Prepared> {
  switch (task.processor) {
    case "image":
      return { processor: "image", image: await decodeImage(task.bytes, task.options, pixels) };
    case "json":
    case "jsonl":
      return { processor: "json", json: prepareJson(task.bytes, { jsonl: task.processor === "jsonl" }) };
    case "csv":
      return { processor: "csv", csv: await prepareCsv(task.bytes, task.options) };
  }
}

/** Writes a prepared entry, with its own attrs and `more` (the entry's source) in the same call. */
export function writePrepared(group: Group, name: string, prepared: Prepared, layout: DatasetLayout, more?: AttributeSet): Promise<Dataset | Group> {
  switch (prepared.processor) {
    case "image":
      return writeDecodedImage(group, name, prepared.image, layout, more);
    case "json":
      return writePreparedJson(group, name, prepared.json, layout, more);
    case "csv":
      return writePreparedCsv(group, name, prepared.csv, layout, more);
  }
}
