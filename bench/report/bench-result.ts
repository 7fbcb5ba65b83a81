// What a bench runner returns: the object it prints as its last stdout line (P5: that line's
// fields and its per-size detail). bench/run.ts collects these into bench/results.json.

/** A throughput bench (P1, P1-raw, P2, P4 against h5py; P3 against the Python reference). */
export interface SpeedResult {
  bench: string;
  unit: string;
  /** h5dat's headline median (P1, P2, P4: the async API in `mode`). */
  h5dat: number;
  /** The anchor's median: h5py's (P1, P1-raw, P2, P4) or the Python reference's (P3). */
  h5py?: number;
  reference?: number;
  /** h5dat ÷ anchor. */
  ratio: number;
  reps: number;
  mode?: string;
  h5datSync?: number;
  h5datOneAwaitAtATime?: number;
  [field: string]: unknown;
}

/** P5: peak RSS in MB converting archives of growing size, h5dat's writer against the reference. */
export interface MemoryResult {
  bench: "p5";
  unit: "MB";
  /** Peaks at the largest size. */
  h5dat: number;
  reference: number;
  workers: number;
  sizes_gb: number[];
  h5dat_by_size: number[];
  workers_by_size: number[];
  reference_by_size: number[];
  /** The records-heavy archive (JSONL and CSV files, issue 19): its MB and the peaks converting it. */
  records_mb?: number;
  records_h5dat?: number;
  records_workers?: number;
  /** The largest one worker's peak on the records archive (the goal is per process). */
  records_largest_worker?: number;
  records_reference?: number;
  /** The target: the writer peaks at most this at every size... */
  limit_mb: number;
  /** ...and its peaks differ by at most a tenth of the largest. */
  spread_mb: number;
  within_limit: boolean;
  flat: boolean;
}

export type BenchResult = SpeedResult | MemoryResult;

export function isMemoryResult(result: BenchResult): result is MemoryResult {
  return Array.isArray((result as MemoryResult).h5dat_by_size);
}
