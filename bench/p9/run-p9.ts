// P9 for the harness (bench/run.ts): records at scale (issue 19). A JSONL of log events and a CSV
// of flat rows, each of about H5DAT_P9_MB MB (default 1024; make-records.py, cached), through
// h5dat's compiled CLI (`convert --json`, default settings, as users run it) and through pandas
// (bench/anchors/p9.py: chunked read_json / read_csv → to_hdf(format="table", zlib 4)), side by
// side, interleaved, in their own processes after the page cache is settled.
//
// Measured per side: rows/s (rows over the converter's own time: h5dat's summary `seconds`,
// pandas' from first read to close; neither counts interpreter start-up), the output's bytes
// against the source's `gzip -4` bytes, and peak RSS (h5dat: the writer's and the workers'; pandas:
// its one process). Goals (issue 19): ≥ 2× pandas' rows/s, ≤ 1.5× gzip -4's size, ≤ 300 MB per
// process. h5dat's records layout is whatever `convert` writes today: this bench only converts
// and measures, and an entry h5dat fails (a limit, a crash, over rss-cap.py's cap: 8 GB for
// writer and workers together, H5DAT_P9_RSS_CAP_MB) is reported as such, not thrown.
//
// Repetitions: --reps (default 3) after a discarded warm-up; from 512 MB on, one counted run and
// no warm-up (a 1 GB P9 at three reps would take over half an hour on 2 cores; one keeps it
// near 10 minutes). Each kind prints its result as a JSON line; both are returned.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { HarnessTools } from "../p3/run-p3";
import type { SpeedResult } from "../report/bench-result";
import { turnOrder } from "../turn-order";

const HERE = __dirname;
const ROOT = path.join(HERE, "..", "..");
const GENERATOR = path.join(HERE, "make-records.py");
const CLI = path.join(ROOT, "dist", "cli", "main.js");
const ANCHOR = path.join(HERE, "..", "anchors", "p9.py");
const RSS_CAP = path.join(HERE, "rss-cap.py");
const MB = 2 ** 20;
/** h5dat's writer and workers together may hold this many MB (H5DAT_P9_RSS_CAP_MB), else are killed: the machine is shared. */
const RSS_CAP_MB = Number(process.env.H5DAT_P9_RSS_CAP_MB ?? 8000);

/** Sizes from this many MB on run once, without a warm-up. */
const ONE_RUN_FROM_MB = 512;

/** P9's sizes: the source files' MB (H5DAT_P9_MB or --p9-mb) and the repetitions asked for. */
export interface P9Options {
  mb: number;
  reps: number;
}

interface SourceFile {
  path: string;
  bytes: number;
  rows: number;
  gzip4_bytes: number;
}

interface Sources {
  jsonl: SourceFile;
  csv: SourceFile;
  string_limits: Record<string, number>;
  cached: boolean;
}

/** One run of one side: its rate, output size and peaks; `failure` when it wrote no table. */
interface SideRun {
  rowsPerS: number;
  fileBytes: number;
  peakRssMb: number;
  /** The workers' peaks summed, and the largest one's: the goal is per process. */
  workersPeakRssMb: number;
  largestWorkerRssMb: number;
  failure?: string;
}

type Kind = "jsonl" | "csv";
type Side = "h5dat" | "pandas";

/**
 * h5dat's CLI on `source` (default settings), under rss-cap.py; a failed entry, a crash or the cap
 * is a failure, not an exception.
 */
function runH5dat(source: SourceFile, file: string, python: string): SideRun {
  const command = [RSS_CAP, String(RSS_CAP_MB), process.execPath, CLI, "convert", source.path, "-o", file, "--overwrite", "--json"];
  const child = spawnSync(python, command, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * MB });
  const line = child.stdout.trim().split("\n").pop() ?? "";
  let summary: { written?: number; seconds?: number; peakRssMb?: number; workersPeakRssMb?: number; largestWorkerRssMb?: number; failures?: { message: string }[]; kept?: { message: string }[] } = {};
  try {
    summary = JSON.parse(line) as typeof summary;
  } catch {
    return { rowsPerS: 0, fileBytes: 0, peakRssMb: 0, workersPeakRssMb: 0, largestWorkerRssMb: 0, failure: `h5dat ${child.signal ?? `exit ${child.status}`}: ${child.stderr.trim().split("\n").slice(-3).join(" ")}` };
  }
  const failure = summary.failures?.[0]?.message ?? summary.kept?.[0]?.message;
  return {
    rowsPerS: summary.written === 1 && !failure ? source.rows / summary.seconds! : 0,
    fileBytes: fs.existsSync(file) ? fs.statSync(file).size : 0,
    peakRssMb: summary.peakRssMb ?? 0,
    workersPeakRssMb: summary.workersPeakRssMb ?? 0,
    largestWorkerRssMb: summary.largestWorkerRssMb ?? 0,
    ...(failure && { failure }),
  };
}

/** pandas' chunked conversion of `source` (bench/anchors/p9.py); it must read every row. */
function runPandas(kind: Kind, sources: Sources, file: string, tools: HarnessTools): SideRun {
  const source = sources[kind];
  const args = [ANCHOR, "--kind", kind, "--input", source.path, "--file", file, "--limits", JSON.stringify(sources.string_limits)];
  const result = tools.lastJsonLine<{ rows: number; rows_per_s: number; file_bytes: number; peak_rss_mb: number }>(tools.run(tools.python, args, `pandas p9 ${kind}`), "p9 anchor");
  if (result.rows !== source.rows) throw new Error(`pandas read ${result.rows} rows of ${kind}, the file has ${source.rows}`);
  return { rowsPerS: result.rows_per_s, fileBytes: result.file_bytes, peakRssMb: result.peak_rss_mb, workersPeakRssMb: 0, largestWorkerRssMb: 0 };
}

/** Runs P9, prints its lines and returns one result per kind (p9-jsonl, p9-csv). */
export function runP9Bench(options: P9Options, tools: HarnessTools): SpeedResult[] {
  const t0 = performance.now();
  const generated = tools.run(tools.python, [GENERATOR, "--mb", String(options.mb)], "p9 generator");
  const sources = tools.lastJsonLine<Sources>(generated, "p9 generator");
  const oneRun = options.mb >= ONE_RUN_FROM_MB;
  const reps = oneRun ? 1 : options.reps;
  console.log(`== p9: records, a ${options.mb} MB JSONL (${sources.jsonl.rows.toLocaleString("en-US")} log events) and CSV (${sources.csv.rows.toLocaleString("en-US")} rows): h5dat CLI (defaults) vs pandas chunked → to_hdf(table, zlib 4)`);
  console.log(`   sources ${sources.cached ? "cached" : `generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`}; ${reps} repetition${reps === 1 ? "" : "s"}${oneRun ? " (one run, no warm-up, at this size)" : " after a warm-up"}, interleaved; machine load ${tools.load()} (2 cores, shared: expect noise)`);
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  return (["jsonl", "csv"] as const).map((kind) => runKind(kind, sources, reps, oneRun ? 1 : 0, options.mb, tools));
}

/** Both sides on one kind of source: repetitions `first`..`reps`, rep 0 (when `first` is 0) a warm-up not counted. */
function runKind(kind: Kind, sources: Sources, reps: number, first: number, mb: number, tools: HarnessTools): SpeedResult {
  const source = sources[kind];
  const runs: Record<Side, SideRun[]> = { h5dat: [], pandas: [] };
  for (let rep = first; rep <= reps; rep++) {
    for (const side of turnOrder(["h5dat", "pandas"] as const, rep)) {
      const file = path.join(tools.tempDir(), `p9-${kind}-${side}-${rep}.h5`);
      tools.settlePageCache();
      try {
        const run = side === "h5dat" ? runH5dat(source, file, tools.python) : runPandas(kind, sources, file, tools);
        if (rep > 0) runs[side].push(run);
        console.log(`   ${kind.padEnd(5)} ${rep === 0 ? "warm-up   " : `rep ${rep}/${reps}`}  ${side.padEnd(6)} ${describe(run, source)}`);
      } finally {
        tools.rm(file);
      }
    }
  }
  return summarize(kind, source, runs, mb, tools);
}

function describe(run: SideRun, source: SourceFile): string {
  if (run.failure) return `FAILED: ${run.failure.slice(0, 300)} (peak RSS ${run.peakRssMb.toFixed(0)} MB + workers ${run.workersPeakRssMb.toFixed(0)} MB)`;
  const workers = run.workersPeakRssMb > 0 ? ` + workers ${run.workersPeakRssMb.toFixed(0)} MB (at most ${run.largestWorkerRssMb.toFixed(0)} MB each)` : "";
  return `${run.rowsPerS.toFixed(0).padStart(8)} rows/s, file ${(run.fileBytes / MB).toFixed(1)} MiB (${(run.fileBytes / source.gzip4_bytes).toFixed(2)}x gzip -4), peak RSS ${run.peakRssMb.toFixed(0)} MB${workers}`;
}

/** The medians of each side, the goals' verdicts printed, and the result line. */
function summarize(kind: Kind, source: SourceFile, runs: Record<Side, SideRun[]>, mb: number, tools: HarnessTools): SpeedResult {
  const med = (side: Side, field: keyof SideRun) => tools.median(runs[side].map((run) => Number(run[field])));
  const peak = (side: Side, field: "peakRssMb" | "workersPeakRssMb" | "largestWorkerRssMb") => Math.max(...runs[side].map((run) => run[field]));
  const failure = runs.h5dat.find((run) => run.failure)?.failure;
  const h5dat = med("h5dat", "rowsPerS");
  const pandas = med("pandas", "rowsPerS");
  const ratio = h5dat / pandas;
  const overGzip = med("h5dat", "fileBytes") / source.gzip4_bytes;
  // Per process, as issue 19 sets it: the writer, or the largest worker.
  const rss = Math.max(peak("h5dat", "peakRssMb"), peak("h5dat", "largestWorkerRssMb"));
  // A failed h5dat side has no size or peak to judge (a kill by the cap says its peak in `failure`).
  const verdict = (met: boolean) => (failure ? "h5dat failed" : met ? "met" : "MISSED");
  console.log(`   ${kind}: h5dat ${h5dat.toFixed(0)} rows/s, pandas ${pandas.toFixed(0)} rows/s -> ${ratio.toFixed(2)}x (goal >= 2x: ${verdict(ratio >= 2)}); size ${overGzip.toFixed(2)}x gzip -4 (goal <= 1.5x: ${verdict(overGzip <= 1.5)}; pandas ${(med("pandas", "fileBytes") / source.gzip4_bytes).toFixed(2)}x); peak RSS ${rss.toFixed(0)} MB per process (goal <= 300 MB: ${verdict(rss <= 300)}; workers together ${peak("h5dat", "workersPeakRssMb").toFixed(0)} MB; pandas ${peak("pandas", "peakRssMb").toFixed(0)} MB)${failure ? `; h5dat failed: ${failure.slice(0, 200)}` : ""}`);
  const json: SpeedResult = {
    bench: `p9-${kind}`,
    unit: "rows/s",
    h5dat: tools.round(h5dat, 0),
    reference: tools.round(pandas, 0),
    ratio: tools.round(ratio, 2),
    reps: runs.h5dat.length,
    mb,
    rows: source.rows,
    gzip4_mb: tools.round(source.gzip4_bytes / MB, 1),
    file_mb: tools.round(med("h5dat", "fileBytes") / MB, 1),
    reference_file_mb: tools.round(med("pandas", "fileBytes") / MB, 1),
    size_over_gzip4: tools.round(overGzip, 2),
    reference_size_over_gzip4: tools.round(med("pandas", "fileBytes") / source.gzip4_bytes, 2),
    peak_rss_mb: Math.round(peak("h5dat", "peakRssMb")),
    workers_peak_rss_mb: Math.round(peak("h5dat", "workersPeakRssMb")),
    largest_worker_rss_mb: Math.round(peak("h5dat", "largestWorkerRssMb")),
    reference_peak_rss_mb: Math.round(peak("pandas", "peakRssMb")),
    ...(failure && { failure: failure.slice(0, 300) }),
  };
  console.log(JSON.stringify(json));
  return json;
}
