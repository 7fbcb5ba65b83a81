// What `show` previews of a dataset, read without the rest of it: the first values in C order
// (never a whole row of a [1, 10^9] dataset: only as many elements as are shown), and a JSON
// dataset's text from its first (pointer, value) pairs (either layout: processors/json.ts). Each costs what it shows, however big or
// corrupt the dataset is.
import type { Dataset } from "../h5/dataset";
import type { AxisSelection } from "../h5/selection";
import { pairsToJsonText, readJsonPairs, type JsonPair } from "../processors/json";
import { runAsync } from "../h5/operation";
import { stringMatrixShape, type StringMatrix } from "../h5/string-rows";

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The first values of rows [0, rows) in C order, at most `max` of them: one hyperslab, indexes 0
 * on the outer axes and a run along the deepest axis whose inner block still fits.
 */
export async function firstValues(dataset: Dataset, rows: number, max: number): Promise<unknown[]> {
  const shape = dataset.shape ?? [];
  const want = Math.min(max, Math.min(rows, shape[0]) * product(shape.slice(1)));
  if (!(want > 0)) return [];
  let axis = 0;
  while (product(shape.slice(axis + 1)) > want) axis++;
  const run = Math.min(shape[axis], Math.floor(want / product(shape.slice(axis + 1))));
  const axes: AxisSelection[] = shape.map((_, i): AxisSelection => (i < axis ? 0 : i === axis ? [0, run] : null));
  const { data } = await dataset.slice(...axes);
  return Array.from(data as ArrayLike<unknown>);
}

/** A JSON Lines dataset's pairs (pointers /0/..., /1/...) by document: each with pointers inside it. */
export function documentsOf(pairs: readonly JsonPair[]): JsonPair[][] {
  const documents: JsonPair[][] = [];
  for (const [pointer, value] of pairs) {
    const slash = pointer.indexOf("/", 1);
    const index = Number(pointer.slice(1, slash < 0 ? undefined : slash));
    (documents[index] ??= []).push([slash < 0 ? "" : pointer.slice(slash), value]);
  }
  return documents;
}

/**
 * A JSON Lines dataset's first `documents` documents as compact text, from its first `pairs`
 * rows alone (the last one read may be cut: `whole` says), and how many documents it holds.
 */
export async function jsonLinesHead(dataset: StringMatrix, documents: number, pairs: number): Promise<{ lines: string[]; whole: boolean; total: number }> {
  const shape = await runAsync(stringMatrixShape(dataset));
  const total = shape.length === 2 ? shape[0] : 0;
  if (total === 0 || documents === 0) return { lines: [], whole: true, total: total === 0 ? 0 : await documentCount(dataset, total) };
  const read = Math.min(total, pairs);
  const found = documentsOf(await readJsonPairs(dataset, 0, read)).filter((document) => document !== undefined);
  // The last document read may go on past the rows read.
  const whole = read === total || found.length > documents;
  return { lines: found.slice(0, documents).map((document) => pairsToJsonText(document)), whole, total: await documentCount(dataset, total) };
}

/** Documents of a JSON Lines dataset of `rows` pairs: its last pointer's index, plus one. */
async function documentCount(dataset: StringMatrix, rows: number): Promise<number> {
  const [[pointer]] = await readJsonPairs(dataset, rows - 1, rows);
  return Number(pointer.slice(1).split("/")[0]) + 1;
}

/**
 * A JSON dataset's compact text rebuilt from its first `pairs` rows alone (each row gives at
 * least one character, so `pairs` rows give at least that many characters when there are more),
 * whether that is all of it, and how many pairs there are.
 */
export async function jsonTextHead(dataset: StringMatrix, pairs: number): Promise<{ text: string; whole: boolean; total: number }> {
  const total = (await runAsync(stringMatrixShape(dataset)))[0];
  return { text: pairsToJsonText(await readJsonPairs(dataset, 0, Math.min(total, pairs))), whole: total <= pairs, total };
}
