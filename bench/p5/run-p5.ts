// P5 for the harness (bench/run.ts): peak memory while converting mixed tar.gz archives of 0.5, 1
// and 2 GB (make-mixed.py: P3's 5,000 JPEG + 5,000 JSON + CSV, then 100 MiB blobs), h5dat's CLI
// against the Python reference pipeline (bench/anchors/p3.py) on the same archives. Then a
// records-heavy archive (issue 19; make-records-archive.py: 256 MB of 16 MB JSONL and CSV files,
// H5DAT_P5_RECORDS_MB to change it), reported beside the sizes as records_* fields.
//
// h5dat runs as users run it: the compiled CLI (`npm run build` first), default settings. Its
// writer's peak RSS is the headline (the summary's peakRssMb); the workers' peaks are reported
// beside it. The reference's is its main process plus its largest worker. One run per size:
// peak memory, unlike speed, barely moves with the machine's load. The last stdout line is exactly
// {"bench":"p5","unit":"MB","h5dat":N,"reference":N}, N the peaks at the largest size; the line
// before it ("   detail: {...}") has every size's peaks, and the returned result all of it.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { HarnessTools } from "../p3/run-p3";
import type { MemoryResult } from "../report/bench-result";

const HERE = __dirname;
const ROOT = path.join(HERE, "..", "..");
const GENERATOR = path.join(HERE, "make-mixed.py");
const CLI = path.join(ROOT, "dist", "cli", "main.js");
const REFERENCE = path.join(HERE, "..", "anchors", "p3.py");

/** Archive sizes in GB (fixed: P5 has no reduced run). */
export const P5_SIZES_GB = [0.5, 1, 2];

interface ArchiveInfo {
  path: string;
  files: number;
  bytes: number;
  cached: boolean;
}

/** Peak RSS in MB converting one archive: h5dat's writer and workers, the reference's. */
interface Peaks {
  h5dat: number;
  /** The workers' peaks summed, and the largest one's. */
  workers: number;
  largestWorker: number;
  reference: number;
}

/** P5's records-heavy archive, in MB (H5DAT_P5_RECORDS_MB): JSONL and CSV files of 16 MB. */
const RECORDS_MB = Number(process.env.H5DAT_P5_RECORDS_MB ?? 256);
const RECORDS_PART_MB = 16;
const RECORDS_GENERATOR = path.join(HERE, "make-records-archive.py");

interface Summary {
  entries: number;
  written: number;
  failed: number;
  seconds: number;
  peakRssMb: number;
  workersPeakRssMb: number;
  largestWorkerRssMb: number;
}

interface Reference {
  files: number;
  seconds: number;
  peak_rss_mb: number;
}

/** Converts `archive` with h5dat's CLI then the reference, each after the page cache settles; prints a line named `label`. */
function measureArchive(archive: ArchiveInfo, label: string, tools: HarnessTools): Peaks {
  const file = path.join(tools.tempDir(), "p5.h5");
  try {
    tools.settlePageCache();
    const summary = tools.lastJsonLine<Summary>(tools.run(process.execPath, [CLI, "convert", archive.path, "-o", file, "--overwrite", "--json"], "h5dat p5"), "h5dat p5");
    if (summary.written !== archive.files || summary.failed !== 0) throw new Error(`h5dat wrote ${summary.written} of ${archive.files} entries (${summary.failed} failed)`);
    tools.rm(file);
    tools.settlePageCache();
    const reference = tools.lastJsonLine<Reference>(tools.run(tools.python, [REFERENCE, "--archive", archive.path, "--file", file], "reference p5"), "p5 reference");
    console.log(`   ${label}: h5dat writer ${summary.peakRssMb.toFixed(0)} MB + workers ${summary.workersPeakRssMb.toFixed(0)} MB (at most ${summary.largestWorkerRssMb.toFixed(0)} MB each; ${summary.seconds.toFixed(0)} s); reference ${reference.peak_rss_mb.toFixed(0)} MB (${reference.seconds.toFixed(0)} s)`);
    return { h5dat: summary.peakRssMb, workers: summary.workersPeakRssMb, largestWorker: summary.largestWorkerRssMb, reference: reference.peak_rss_mb };
  } finally {
    tools.rm(file);
  }
}

/**
 * The records-heavy archive (issue 19): JSONL and CSV files only, reported beside the sizes (not
 * in the flatness verdict, which compares archives of one mix). The reference stores a JSONL as
 * bytes (it knows JSON, CSV and JPEG), so its peak there is a lower bound.
 */
export function measureRecords(tools: HarnessTools): Peaks & { mb: number } {
  const args = [RECORDS_GENERATOR, "--mb", String(RECORDS_MB), "--part", String(RECORDS_PART_MB)];
  const archive = tools.lastJsonLine<ArchiveInfo>(tools.run(tools.python, args, "p5 records generator"), "p5 records generator");
  const peaks = measureArchive(archive, `records ${RECORDS_MB} MB (${(archive.bytes / 1e6).toFixed(0)} MB gz, ${archive.files} JSONL/CSV files of ${RECORDS_PART_MB} MB)`, tools);
  console.log(`   records: h5dat's peaks ${peaks.h5dat <= tools.target && peaks.largestWorker <= tools.target ? "within" : "OVER"} ${tools.target} MB per process (issue 19's goal)`);
  return { mb: RECORDS_MB, ...peaks };
}

/**
 * Runs P5, prints its lines and returns the result. The target (`tools.target`, MB): the writer's
 * peak stays under it at every size, and flat: its peaks differ by at most a tenth of the largest.
 */
export function runP5Bench(tools: HarnessTools): MemoryResult {
  console.log("== p5: peak RSS converting mixed tar.gz archives of " + P5_SIZES_GB.join(", ") + " GB (h5dat CLI, defaults) vs the Python reference");
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  const rows: { gb: number; h5dat: number; workers: number; reference: number }[] = [];
  for (const gb of P5_SIZES_GB) {
    const archive = tools.lastJsonLine<ArchiveInfo>(tools.run(tools.python, [GENERATOR, "--gb", String(gb)], "p5 archive generator"), "p5 generator");
    const peaks = measureArchive(archive, `${String(gb).padStart(3)} GB (${(archive.bytes / 1e9).toFixed(2)} GB, ${archive.files} files)`, tools);
    rows.push({ gb, ...peaks });
  }
  const records = measureRecords(tools);
  const writer = rows.map((r) => r.h5dat);
  const limit = tools.target;
  const spread = Math.max(...writer) - Math.min(...writer);
  const flat = spread <= 0.1 * Math.max(...writer);
  const withinLimit = Math.max(...writer) <= limit;
  console.log(`   target: writer peak <= ${limit} MB at every size and flat -> ${withinLimit && flat ? "met" : "MISSED"} (max ${Math.max(...writer).toFixed(0)} MB, spread ${spread.toFixed(0)} MB)`);
  const last = rows[rows.length - 1];
  const result: MemoryResult = {
    bench: "p5",
    unit: "MB",
    h5dat: Math.round(last.h5dat),
    reference: Math.round(last.reference),
    workers: Math.round(last.workers),
    sizes_gb: P5_SIZES_GB,
    h5dat_by_size: rows.map((r) => Math.round(r.h5dat)),
    workers_by_size: rows.map((r) => Math.round(r.workers)),
    reference_by_size: rows.map((r) => Math.round(r.reference)),
    records_mb: records.mb,
    records_h5dat: Math.round(records.h5dat),
    records_workers: Math.round(records.workers),
    records_largest_worker: Math.round(records.largestWorker),
    records_reference: Math.round(records.reference),
    limit_mb: limit,
    spread_mb: Math.round(spread),
    within_limit: withinLimit,
    flat,
  };
  const { bench, unit, h5dat, reference, ...detail } = result;
  console.log(`   detail: ${JSON.stringify(detail)}`);
  console.log(JSON.stringify({ bench, unit, h5dat, reference }));
  return result;
}
