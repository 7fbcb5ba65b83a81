// `h5dat show` of a record table (processors/record-table.ts): its first records read by
// hyperslab (never the whole table), one JSON line each, cut to the terminal's width, then how
// many more there are; said as a JSON Lines dataset of pairs says it (documents), or for a JSON
// array as its records.
import type { Dataset } from "../h5/dataset";
import { recordJsonText } from "../processors/record-values";
import { readJSON } from "../read/records";
import { countText, counted, cutLine, firstLines, type PreviewBounds } from "./preview-bounds";

/** The preview of a record table's first `rows` records (`jsonl`: documents of JSON Lines). */
export async function recordPreview(dataset: Dataset, rows: number, jsonl: boolean, bounds: PreviewBounds): Promise<{ kind: string; text: string; documents: string[]; length: number }> {
  const total = dataset.shape![0];
  const documents = ((await readJSON(dataset, { rows: [0, rows] })) as unknown[]).map(recordJsonText);
  const what = jsonl ? "documents" : "records";
  const lines = firstLines(documents.map((line) => cutLine(line, bounds.width)), Math.max(bounds.lines, rows), what);
  if (total > documents.length) lines.push(`… ${counted(total - documents.length, `more ${what}`)} (${countText(total)} in all)`);
  return { kind: "json", documents, length: total, text: lines.join("\n") };
}
