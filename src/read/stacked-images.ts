// The images of a stacked group (issue 20) read by row. In the fixed storage each image is one
// chunk [1, H, W, C] of `images`, so a batch is a set of chunk reads: each stored chunk is
// fetched raw and inflated on the libuv pool (Dataset.readChunkValues), several at once, so
// decompression runs on several cores and off the event loop. The ragged and encoded storages
// (stacked/image-rows.ts) keep an image a variable-length element each.
import type { Dataset } from "../h5/dataset";
import { indexRuns } from "./index-runs";

/**
 * Chunk reads in flight at once. libuv's pool has 4 threads by default: 8 keeps each busy
 * inflating while the next chunk's raw read waits its turn for the HDF5 lock, and bounds the
 * memory of a large batch's pending reads.
 */
export const READS_IN_FLIGHT = 8;

/** Calls `read(item)` for every item, at most `limit` running at once; resolves when all are done. */
export async function eachBounded<T>(items: readonly T[], limit: number, read: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await read(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Whether each image of a fixed [N, H, W, C] stack is one chunk. */
function oneImagePerChunk(images: Dataset): boolean {
  const [, h, w, c] = images.shape!;
  const chunks = images.chunks;
  return chunks !== null && chunks[0] === 1 && chunks[1] === h && chunks[2] === w && chunks[3] === c;
}

/** One image's pixels of a fixed [N, H, W, C] stack: its chunk when chunks are one image each, else a hyperslab. */
export async function fixedImage(images: Dataset, row: number): Promise<Uint8Array> {
  const [, h, w, c] = images.shape!;
  const { data } = oneImagePerChunk(images) ? await images.readChunkValues([row, 0, 0, 0]) : await images.read({ start: [row, 0, 0, 0], count: [1, h, w, c] });
  return data as Uint8Array;
}

/**
 * Rows `indices` (in range) of a fixed stack, as one [B, H, W, C] array; each distinct row read
 * once. Compressed images of a chunk each are read chunk by chunk, inflated side by side; others
 * (uncompressed, or several to a chunk) a run of consecutive rows per read, which for 64 rows
 * of 224×224×3 took half the time of 64 chunk reads.
 */
export async function fixedBatch(images: Dataset, indices: readonly number[]): Promise<Uint8Array> {
  const shape = images.shape ?? [];
  if (shape.length !== 4 || images.dtype !== "uint8") throw new Error(`'${images.name}' is not a uint8 [N, H, W, C] array of images (${JSON.stringify(images.dtype)} [${shape.join(", ")}])`);
  const [, h, w, c] = shape;
  const byRuns = !(images.filters.length > 0 && oneImagePerChunk(images));
  // Rows a, a+1, …, b in order (a sequential pass): one read is the batch itself, no copy.
  if (byRuns && indices.length > 0 && indices.every((row, at) => row === indices[0] + at)) {
    return (await images.read({ start: [indices[0], 0, 0, 0], count: [indices.length, h, w, c] })).data as Uint8Array;
  }
  const size = h * w * c;
  const batch = new Uint8Array(indices.length * size);
  const places = new Map<number, number[]>();
  indices.forEach((row, at) => {
    const positions = places.get(row);
    if (positions) positions.push(at);
    else places.set(row, [at]);
  });
  // Ascending: neighbouring chunks are near each other in the file.
  const rows = [...places.keys()].sort((a, b) => a - b);
  const place = (row: number, pixels: Uint8Array) => {
    for (const at of places.get(row)!) batch.set(pixels, at * size);
  };
  if (!byRuns) {
    await eachBounded(rows, READS_IN_FLIGHT, async (row) => place(row, await fixedImage(images, row)));
  } else {
    await eachBounded(indexRuns(rows, 1), READS_IN_FLIGHT, async ([start, stop]) => {
      const run = (await images.read({ start: [start, 0, 0, 0], count: [stop - start, h, w, c] })).data as Uint8Array;
      for (let row = start; row < stop; row++) place(row, run.subarray((row - start) * size, (row - start + 1) * size));
    });
  }
  return batch;
}

/** Element `row` of a 1-D variable-length uint8 dataset (a ragged or encoded image), as bytes. */
export async function vlenElement(dataset: Dataset, row: number): Promise<Uint8Array> {
  const { data } = await dataset.read({ start: [row], count: [1] });
  const element = (data as ArrayLike<unknown>)[0];
  if (element instanceof Uint8Array) return element;
  if (Array.isArray(element) || ArrayBuffer.isView(element)) return Uint8Array.from(element as ArrayLike<number>);
  throw new Error(`'${dataset.name}' does not hold variable-length bytes (${JSON.stringify(dataset.dtype)})`);
}
