// Finding and reading a `--labels FILE:KEY:COLUMN` table for an input, before anything is
// written (a missing or unusable table is the run's error, exit 1, no file made). FILE is a path
// (relative to the working directory), else a file inside the input: under a directory input, or
// an entry of an archive input found by reading its listing once (entries are streamed past, not
// decoded). The table's own entry is converted as any other file besides.
import fs from "node:fs";
import path from "node:path";
import { openSources } from "../sources/open-source";
import type { EntryLimits } from "../sources/entry-limits";
import { parseLabelTable, type LabelTable } from "../stacked/label-table";
import type { LabelSource } from "../stacked/labels";

/** The table `source` names for `input`, parsed and checked. */
export async function loadLabelTable(input: string, source: Extract<LabelSource, { from: "table" }>, limits: EntryLimits): Promise<LabelTable> {
  const { file, key, column } = source;
  for (const candidate of [file, path.join(input, file)]) {
    if (isFile(candidate)) return parseLabelTable(fs.readFileSync(candidate), candidate, key, column);
  }
  const wanted = file.replace(/^\.?\/+/, "");
  const [opened] = await openSources([input], limits);
  if (opened instanceof Error) throw opened;
  try {
    for await (const entry of opened.entries()) {
      if (entry.sourcePath === wanted && !entry.notFile) return await parseLabelTable(await entry.readAll(), `${input}:${wanted}`, key, column);
    }
  } finally {
    await opened.close();
  }
  throw new Error(`--labels: '${file}' is neither a file nor an entry of ${input}`);
}

function isFile(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isFile();
  } catch {
    return false;
  }
}
