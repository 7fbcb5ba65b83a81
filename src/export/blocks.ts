// Reading a dataset for export a block of rows (along the first axis) at a time, so that what
// export holds is one block whatever the dataset's size: a block is BLOCK_BYTES of stored
// values or BLOCK_RECORDS elements (strings and records cost far more as JS values than as
// bytes), rounded to whole chunks.
import type { Dataset } from "../h5/dataset";

/** Bytes per block read (numbers, bytes). */
export const BLOCK_BYTES = 16 * 1024 * 1024;
/** Elements per block read (records, strings, other values): JS values cost far more than their bytes. */
export const BLOCK_RECORDS = 16_384;

/** The number of elements of `shape`. */
export const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * `rows` rounded to whole chunks along the first axis (at least one): a block that ends inside a
 * chunk makes HDF5 inflate that chunk again for the next block when it is larger than its chunk
 * cache (1 MiB) — measured on 16 MB chunks, export took twice h5py's time before this.
 */
export function alignedRows(dataset: Dataset, rows: number): number {
  const chunkRows = dataset.chunks?.[0];
  if (!chunkRows) return rows;
  return Math.max(1, Math.floor(rows / chunkRows)) * chunkRows;
}

/** Rows per block of `dataset` when a block holds about `elements` elements. */
export function rowsPerBlock(dataset: Dataset, elements: number): number {
  const perRow = product((dataset.shape ?? []).slice(1));
  return alignedRows(dataset, Math.max(1, Math.floor(elements / Math.max(1, perRow))));
}

/** Rows [start, stop) along the first axis, the other axes whole. */
export async function rows(dataset: Dataset, start: number, stop: number): Promise<ArrayLike<unknown>> {
  return (await dataset.read(`${start}:${stop}`)).data as ArrayLike<unknown>;
}

/** The dataset's values, `blockRows` rows at a time, with where each block starts and its rows. */
export async function* rowBlocks(dataset: Dataset, blockRows: number): AsyncGenerator<{ start: number; count: number; values: ArrayLike<unknown> }> {
  const total = dataset.shape![0];
  for (let start = 0; start < total; start += blockRows) {
    const stop = Math.min(start + blockRows, total);
    yield { start, count: stop - start, values: await rows(dataset, start, stop) };
  }
}

/**
 * The dataset's values in C order, in runs of about `elements` (at least one element): whole
 * rows when a row fits (chunk-aligned, as rowBlocks), else runs along the deepest axis whose
 * inner block fits, so a [1, 10^9] dataset is not one read of 10^9 values.
 */
export async function* elementRuns(dataset: Dataset, elements: number): AsyncGenerator<ArrayLike<unknown>> {
  const shape = dataset.shape!;
  if (shape.length === 0 || shape.some((d) => d === 0)) return;
  let axis = 0;
  while (axis < shape.length - 1 && product(shape.slice(axis + 1)) > elements) axis++;
  const inner = product(shape.slice(axis + 1));
  const run = axis === 0 ? rowsPerBlock(dataset, elements) : Math.max(1, Math.floor(elements / inner));
  const index = shape.slice(0, axis).map(() => 0);
  for (;;) {
    for (let start = 0; start < shape[axis]; start += run) {
      const span: [number, number] = [start, Math.min(start + run, shape[axis])];
      yield (await dataset.slice(...index, span, ...shape.slice(axis + 1).map(() => null))).data as ArrayLike<unknown>;
    }
    let a = index.length - 1;
    while (a >= 0 && ++index[a] === shape[a]) index[a--] = 0;
    if (a < 0) return;
  }
}
