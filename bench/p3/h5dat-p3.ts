// The h5dat side of P3: one timed convert() of the archive, in its own process, printing one
// JSON line (the same fields as bench/anchors/p3.py prints).
//
//   node --import tsx bench/p3/h5dat-p3.ts '{"archive":"/tmp/h5dat-bench-cache/p3-5000.tar.gz","file":"/tmp/x.h5"}'
//
// h5dat is the compiled package (dist/, `npm run build` first), as users run it: from source,
// under tsx, each worker would also compile h5dat's TypeScript as it starts (≈ 0.7 s of CPU
// per 1,000 pairs, measured). convert() runs with its defaults (workers = the cores, gzip 4,
// images as pixels; P3 stacked adds layout "stacked" and a resize, P3 zstd a compression), timed from
// the call to its return (file opened, pool started, every entry written, manifest, pool
// stopped, file closed). A run whose summary has written != entries or any failure exits 1
// with the failures instead of a rate.
//
// Peak RSS: `peak_rss_mb` is this process's (the writer: the summary's peakRssMb, i.e.
// process.resourceUsage().maxRSS). The pool's forked workers are not in it: `workers_peak_rss_mb`
// is the summary's workersPeakRssMb, the sum of the workers' own peaks (each reports its maxRSS
// when the pool closes).
import fs from "node:fs";
import os from "node:os";

const { convert, parseResize } = require("../../dist") as typeof import("../../src");

export interface P3Params {
  archive: string;
  file: string;
  /** Worker processes (default: convert()'s default, the cores). */
  workers?: number;
  /** P3 stacked (run-p3-stacked.ts): --layout stacked with this --resize (absent: the files layout). */
  stackedResize?: string;
  /** P3 zstd (run-p3-zstd.ts): convert()'s compression as text ("zstd:3"; absent: its default, gzip 4). */
  compression?: string;
}

export interface P3Result {
  side: "h5dat" | "reference";
  bench: "p3";
  files: number;
  seconds: number;
  files_per_s: number;
  /** CPU seconds of this process (not the workers). */
  cpu: number;
  peak_rss_mb: number;
  /** h5dat: the workers' peaks, summed. */
  workers_peak_rss_mb?: number;
  workers?: number;
  fileBytes: number;
}

export async function runP3(params: P3Params): Promise<P3Result> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const stacked = params.stackedResize !== undefined ? { layout: "stacked" as const, resize: parseResize(params.stackedResize) } : {};
  const summary = await convert([params.archive], { output: params.file, overwrite: true, ...stacked, ...(params.workers !== undefined ? { workers: params.workers } : {}), ...(params.compression !== undefined ? { compression: params.compression } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  if (summary.written !== summary.entries || summary.failed !== 0) {
    const failures = summary.failures.slice(0, 10).map((row) => `${row.source_path}: ${row.message}`).join("\n  ");
    throw new Error(`h5dat P3 run incomplete: ${summary.entries} entries, ${summary.written} written, ${summary.skipped} skipped, ${summary.failed} failed\n  ${failures}`);
  }
  return {
    side: "h5dat",
    bench: "p3",
    files: summary.entries,
    seconds,
    files_per_s: summary.entries / seconds,
    cpu: (cpu.user + cpu.system) / 1e6,
    peak_rss_mb: summary.peakRssMb,
    workers_peak_rss_mb: summary.workersPeakRssMb,
    workers: params.workers ?? os.availableParallelism(),
    fileBytes: fs.statSync(params.file).size,
  };
}

if (require.main === module) {
  const params = JSON.parse(process.argv[2] ?? "{}") as P3Params;
  runP3(params).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
