// Row indices asked for in any order, read as a few contiguous runs: a hyperslab per index costs
// a native call each, one over a run of nearby rows costs one, and the rows between are cheap
// (a label is 8 bytes, a path's offset 8). Shared by the stacked reader's labels and paths.

/** Indices checked against `rows` (whole numbers in [0, rows)), as numbers; else a RangeError naming the first bad one. */
export function checkedIndices(indices: ArrayLike<number>, rows: number, what: string): number[] {
  const out = Array.from(indices, Number);
  for (let i = 0; i < out.length; i++) {
    const index = out[i];
    if (!Number.isSafeInteger(index) || index < 0 || index >= rows) {
      throw new RangeError(`index ${String(indices[i])} (at position ${i}) is out of range: ${what} has ${rows} rows, indices 0 to ${rows - 1}`);
    }
  }
  return out;
}

/** The distinct values of `indices`, ascending. */
export function sortedDistinct(indices: readonly number[]): number[] {
  return [...new Set(indices)].sort((a, b) => a - b);
}

/**
 * Sorted distinct indices grouped into runs [start, stop): an index at most `maxGap` past the
 * last one of a run joins it (its read takes the rows between), another starts a new run.
 */
export function indexRuns(sorted: readonly number[], maxGap: number): [number, number][] {
  const runs: [number, number][] = [];
  for (const index of sorted) {
    const last = runs[runs.length - 1];
    if (last && index - (last[1] - 1) <= maxGap) last[1] = index + 1;
    else runs.push([index, index + 1]);
  }
  return runs;
}
