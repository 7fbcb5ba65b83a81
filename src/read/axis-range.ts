// Reading along axis 0: a video's frames, an audio's samples, a table's rows. `[10, 20]` reads
// those ten rows by hyperslab and nothing else, so a preview of a huge (or corrupt, claiming
// billions of rows) dataset costs what it shows.
import type { Dataset } from "../h5/dataset";
import { readData, type Flow } from "./flow";

/** `[start, stop)` along axis 0 (Python slice bounds: negatives count from the end, clipped), or one index. */
export type AxisRange = readonly [number | null, (number | null)?] | number;

/** [start, stop) of `range` over `size` items, as Python's slice(start, stop).indices(size). */
export function resolveRange(range: AxisRange | undefined, size: number, what: string): [number, number] {
  if (typeof range === "number") {
    const index = range < 0 ? range + size : range;
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`${what} ${range} out of range (0..${size - 1})`);
    return [index, index + 1];
  }
  const clamp = (v: number | null | undefined, fallback: number) => {
    if (v === null || v === undefined) return fallback;
    if (!Number.isInteger(v)) throw new RangeError(`${what} bound ${v} is not an integer`);
    return Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  };
  const start = clamp(range?.[0], 0);
  return [start, Math.max(start, clamp(range?.[1], size))];
}

/** Rows [start, stop) of a dataset along axis 0, the other axes whole. */
export function* rowsOf(dataset: Dataset, start: number, stop: number, options?: Parameters<typeof readData>[2]): Flow<{ data: unknown; shape: number[] }> {
  const shape = dataset.shape!;
  return yield* readData(dataset, { start: [start, ...shape.slice(1).map(() => 0)], count: [stop - start, ...shape.slice(1)] }, options);
}
