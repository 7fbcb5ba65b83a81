// P5 for the harness (bench/run.ts): peak memory while converting mixed tar.gz archives of 0.5, 1
// and 2 GB (make-mixed.py: P3's 5,000 JPEG + 5,000 JSON + CSV, then 100 MiB blobs), h5dat's CLI
// against the Python reference pipeline (bench/anchors/p3.py) on the same archives.
//
// h5dat runs as users run it: the compiled CLI (`npm run build` first), default settings. Its
// writer's peak RSS is the headline (the summary's peakRssMb); the workers' peaks are reported
// beside it. The reference's is its main process plus its largest worker. One run per size:
// peak memory, unlike speed, barely moves with the machine's load. The last stdout line is
// {"bench":"p5","unit":"MB","h5dat":N,"reference":N,...}, N the peaks at the largest size.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { HarnessTools } from "../p3/run-p3";

const HERE = __dirname;
const ROOT = path.join(HERE, "..", "..");
const GENERATOR = path.join(HERE, "make-mixed.py");
const CLI = path.join(ROOT, "dist", "cli", "main.js");
const REFERENCE = path.join(HERE, "..", "anchors", "p3.py");

/** Archive sizes in GB. */
const SIZES = [0.5, 1, 2];
/** The target: the writer's peak stays under this at every size. */
const LIMIT_MB = 300;

interface ArchiveInfo {
  path: string;
  files: number;
  bytes: number;
  cached: boolean;
}

interface Summary {
  entries: number;
  written: number;
  failed: number;
  seconds: number;
  peakRssMb: number;
  workersPeakRssMb: number;
}

interface Reference {
  files: number;
  seconds: number;
  peak_rss_mb: number;
}

export function runP5Bench(tools: HarnessTools): void {
  console.log("== p5: peak RSS converting mixed tar.gz archives of " + SIZES.join(", ") + " GB (h5dat CLI, defaults) vs the Python reference");
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  const rows: { gb: number; h5dat: number; workers: number; reference: number }[] = [];
  for (const gb of SIZES) {
    const archive = tools.lastJsonLine<ArchiveInfo>(tools.run(tools.python, [GENERATOR, "--gb", String(gb)], "p5 archive generator"), "p5 generator");
    const file = path.join(tools.tempDir(), `p5-${gb}.h5`);
    try {
      tools.settlePageCache();
      const summary = tools.lastJsonLine<Summary>(tools.run(process.execPath, [CLI, "convert", archive.path, "-o", file, "--overwrite", "--json"], "h5dat p5"), "h5dat p5");
      if (summary.written !== archive.files || summary.failed !== 0) throw new Error(`h5dat wrote ${summary.written} of ${archive.files} entries (${summary.failed} failed)`);
      tools.rm(file);
      tools.settlePageCache();
      const reference = tools.lastJsonLine<Reference>(tools.run(tools.python, [REFERENCE, "--archive", archive.path, "--file", file], "reference p5"), "p5 reference");
      rows.push({ gb, h5dat: summary.peakRssMb, workers: summary.workersPeakRssMb, reference: reference.peak_rss_mb });
      console.log(`   ${String(gb).padStart(3)} GB (${(archive.bytes / 1e9).toFixed(2)} GB, ${archive.files} files): h5dat writer ${summary.peakRssMb.toFixed(0)} MB + workers ${summary.workersPeakRssMb.toFixed(0)} MB (${summary.seconds.toFixed(0)} s); reference ${reference.peak_rss_mb.toFixed(0)} MB (${reference.seconds.toFixed(0)} s)`);
    } finally {
      tools.rm(file);
    }
  }
  const writer = rows.map((r) => r.h5dat);
  const spread = Math.max(...writer) - Math.min(...writer);
  const flat = spread <= 0.1 * Math.max(...writer);
  console.log(`   target: writer peak <= ${LIMIT_MB} MB at every size and flat -> ${Math.max(...writer) <= LIMIT_MB && flat ? "met" : "MISSED"} (max ${Math.max(...writer).toFixed(0)} MB, spread ${spread.toFixed(0)} MB)`);
  const last = rows[rows.length - 1];
  console.log(JSON.stringify({
    bench: "p5",
    unit: "MB",
    h5dat: Math.round(last.h5dat),
    reference: Math.round(last.reference),
    workers: Math.round(last.workers),
    sizes_gb: SIZES,
    h5dat_by_size: rows.map((r) => Math.round(r.h5dat)),
    workers_by_size: rows.map((r) => Math.round(r.workers)),
    reference_by_size: rows.map((r) => Math.round(r.reference)),
  }));
}
