// What `show` previews of a dataset, read without the rest of it: the first values in C order
// (never a whole row of a [1, 10^9] dataset: only as many elements as are shown), and a JSON
// dataset's text from its first (pointer, value) pairs. Each costs what it shows, however big or
// corrupt the dataset is.
import type { ReaderDataset } from "./reader";
import { pairsToJsonText, type JsonPair } from "../processors/json";
import type { SliceArg } from "./slicing";

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The first values of rows [0, rows) in C order, at most `max` of them: one hyperslab, indexes 0
 * on the outer axes and a run along the deepest axis whose inner block still fits.
 */
export async function firstValues(dataset: ReaderDataset, rows: number, max: number): Promise<unknown[]> {
  const shape = dataset.shape ?? [];
  const want = Math.min(max, Math.min(rows, shape[0]) * product(shape.slice(1)));
  if (!(want > 0)) return [];
  let axis = 0;
  while (product(shape.slice(axis + 1)) > want) axis++;
  const run = Math.min(shape[axis], Math.floor(want / product(shape.slice(axis + 1))));
  const axes: SliceArg[] = shape.map((_, i): SliceArg => (i < axis ? 0 : i === axis ? [0, run] : null));
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
export async function jsonLinesHead(dataset: ReaderDataset, documents: number, pairs: number): Promise<{ lines: string[]; whole: boolean; total: number }> {
  const total = dataset.shape?.length === 2 ? dataset.shape[0] : 0;
  if (total === 0 || documents === 0) return { lines: [], whole: true, total: total === 0 ? 0 : await documentCount(dataset, total) };
  const read = Math.min(total, pairs);
  const flat = (await dataset.get(`0:${read}`)).data as string[];
  const rows: JsonPair[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) rows.push([flat[i], flat[i + 1]]);
  const found = documentsOf(rows).filter((document) => document !== undefined);
  // The last document read may go on past the rows read.
  const whole = read === total || found.length > documents;
  return { lines: found.slice(0, documents).map((document) => pairsToJsonText(document)), whole, total: await documentCount(dataset, total) };
}

/** Documents of a JSON Lines dataset of `rows` pairs: its last pointer's index, plus one. */
async function documentCount(dataset: ReaderDataset, rows: number): Promise<number> {
  const [pointer] = (await dataset.get(`${rows - 1}:${rows}`)).data as string[];
  return Number(pointer.slice(1).split("/")[0]) + 1;
}

/**
 * A JSON dataset's compact text rebuilt from its first `pairs` rows alone (each row gives at
 * least one character, so `pairs` rows give at least that many characters when there are more),
 * and whether that is all of it.
 */
export async function jsonTextHead(dataset: ReaderDataset, pairs: number): Promise<{ text: string; whole: boolean }> {
  const shape = dataset.shape;
  if (shape?.length !== 2 || shape[1] !== 2) throw new Error(`'${dataset.name}' is not an [N, 2] dataset of (pointer, JSON text) rows (shape [${shape?.join(", ") ?? "empty"}])`);
  const total = shape[0];
  const { data } = await dataset.get(`0:${Math.min(total, pairs)}`);
  const flat = data as string[];
  const read: JsonPair[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) read.push([flat[i], flat[i + 1]]);
  return { text: pairsToJsonText(read), whole: total <= pairs };
}
