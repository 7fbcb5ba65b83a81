// P3 for the harness (bench/run.ts): a Fashion-like tar.gz through h5dat's convert() and through
// the Python reference pipeline (bench/anchors/p3.py), side by side, interleaved.
//
// The archive comes from make-archive.py (cached, generated before any timing). Each repetition
// runs h5dat then the reference, each in its own process after the page cache is settled; rep 0
// is a discarded warm-up. The first file of each side is checked with h5py against the archive
// (all images present as (600, 400, 3) uint8, sample pixels within 3 of PIL's decode, every JSON
// and the CSV present). The last stdout line is
// {"bench":"p3","unit":"files/s","h5dat":N,"reference":N,"ratio":N,"peak_rss_mb":N,...}.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { SpeedResult } from "../report/bench-result";
import type { P3Params, P3Result } from "./h5dat-p3";
import { turnOrder } from "../turn-order";

export interface P3Options {
  /** JPEGs in the archive (and as many JSON files, plus one CSV). */
  files: number;
  reps: number;
  prof: boolean;
}

/** What the harness lends: its process runner, page-cache settling, temp dir and statistics. */
export interface HarnessTools {
  python: string;
  run: (command: string, args: string[], what: string, env?: NodeJS.ProcessEnv) => string;
  lastJsonLine: <T>(stdout: string, what: string) => T;
  nodeFlags: (label: string, prof: boolean) => string[];
  settlePageCache: () => void;
  tempDir: () => string;
  median: (values: number[]) => number;
  round: (value: number, digits: number) => number;
  load: () => string;
  rm: (file: string) => void;
  target: number;
}

const HERE = __dirname;
const GENERATOR = path.join(HERE, "make-archive.py");
const SIDE = path.join(HERE, "h5dat-p3.ts");
const REFERENCE = path.join(HERE, "..", "anchors", "p3.py");

/** The P3 archive make-archive.py made (or found cached). */
export interface ArchiveInfo {
  path: string;
  count: number;
  files: number;
  bytes: number;
  sha256: string;
  cached: boolean;
  height: number;
  width: number;
}

interface Verdict {
  ok: boolean;
  problems: string[];
  what: string;
  images: number;
}

/** The P3 archive of `files` JPEGs (and as many JSON files), made once and cached. */
export function p3Archive(files: number, tools: HarnessTools): ArchiveInfo {
  return tools.lastJsonLine<ArchiveInfo>(tools.run(tools.python, [GENERATOR, "--count", String(files)], "p3 archive generator"), "p3 generator");
}

/** Runs P3, prints its lines and returns the object printed last. */
export function runP3Bench(options: P3Options, tools: HarnessTools): SpeedResult {
  const t0 = performance.now();
  const archive = p3Archive(options.files, tools);
  const made = archive.cached ? "cached" : `generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`;
  console.log(`== p3: tar.gz of ${archive.count} JPEG ${archive.height}x${archive.width} (HxW) + ${archive.count} JSON + 1 CSV = ${archive.files} files, ${(archive.bytes / 2 ** 20).toFixed(1)} MiB`);
  console.log(`   archive ${archive.path} (${made}, sha256 ${archive.sha256.slice(0, 12)}…)`);
  console.log(`   ${options.reps} repetitions, interleaved: h5dat convert() (default workers) vs Python tarfile + PIL + h5py, Pool(2); machine load ${tools.load()} (2 cores, shared: expect noise)`);

  // The h5dat side runs the compiled package (see h5dat-p3.ts), built from this tree now.
  execFileSync("npm", ["run", "build"], { cwd: path.join(HERE, "..", ".."), stdio: "ignore" });
  const rates: Record<"h5dat" | "reference", number[]> = { h5dat: [], reference: [] };
  const rss: Record<"h5dat" | "workers" | "reference", number[]> = { h5dat: [], workers: [], reference: [] };
  const checked = new Set<string>();
  const check = (side: string, file: string) => {
    const out = tools.run(tools.python, [REFERENCE, "--archive", archive.path, "--file", file, "--check"], `p3 check of ${side}'s file`);
    const verdict = tools.lastJsonLine<Verdict>(out, "p3 check");
    if (!verdict.ok || verdict.images !== archive.count) {
      throw new Error(`${side}'s P3 output is wrong (h5py check): ${verdict.problems.join("; ") || `${verdict.images} images`}`);
    }
    console.log(`   check (${side}): ${verdict.what}`);
    checked.add(side);
  };

  for (let rep = 0; rep <= options.reps; rep++) {
    for (const side of turnOrder(["h5dat", "reference"] as const, rep)) {
      const file = path.join(tools.tempDir(), `p3-${side}-${rep}.h5`);
      tools.settlePageCache();
      try {
        let result: P3Result;
        if (side === "h5dat") {
          const params: P3Params = { archive: archive.path, file };
          const out = tools.run(process.execPath, [...tools.nodeFlags(`p3-h5dat`, options.prof), SIDE, JSON.stringify(params)], "h5dat p3");
          result = tools.lastJsonLine<P3Result>(out, "h5dat p3 side");
        } else {
          result = tools.lastJsonLine<P3Result>(tools.run(tools.python, [REFERENCE, "--archive", archive.path, "--file", file], "reference p3"), "p3 reference");
        }
        if (result.files !== archive.files) throw new Error(`${side} converted ${result.files} files, the archive has ${archive.files}`);
        if (rep > 0) {
          rates[side].push(result.files_per_s);
          rss[side].push(result.peak_rss_mb);
          if (side === "h5dat") rss.workers.push(result.workers_peak_rss_mb ?? 0);
        }
        const memory = side === "h5dat"
          ? `peak RSS ${result.peak_rss_mb.toFixed(0)} MB + ${result.workers} workers ${(result.workers_peak_rss_mb ?? 0).toFixed(0)} MB`
          : `peak RSS ${result.peak_rss_mb.toFixed(0)} MB (main + largest worker)`;
        console.log(`   ${rep === 0 ? "warm-up   " : `rep ${rep}/${options.reps}`}  ${(side === "h5dat" ? "h5dat convert()" : "reference (Python)").padEnd(19)} ${result.files_per_s.toFixed(1).padStart(7)} files/s  (${result.seconds.toFixed(2)} s, main cpu ${result.cpu.toFixed(2)} s, ${memory}, file ${(result.fileBytes / 2 ** 20).toFixed(1)} MiB)`);
        if (!checked.has(side)) check(side, file);
      } finally {
        tools.rm(file);
      }
    }
  }

  const h5dat = tools.median(rates.h5dat);
  const reference = tools.median(rates.reference);
  const ratio = h5dat / reference;
  const peak = (values: number[]) => Math.max(...values);
  console.log(`   medians of ${options.reps}:`);
  console.log(`     h5dat convert()      ${h5dat.toFixed(1).padStart(7)} files/s   ${ratio.toFixed(2)}x reference; peak RSS ${peak(rss.h5dat).toFixed(0)} MB (+ workers ${peak(rss.workers).toFixed(0)} MB)`);
  console.log(`     reference (Python)   ${reference.toFixed(1).padStart(7)} files/s   peak RSS ${peak(rss.reference).toFixed(0)} MB (main + largest worker)`);
  console.log(`   target: h5dat >= ${tools.target.toFixed(1)}x reference -> ${ratio >= tools.target ? "met" : "MISSED"} (${ratio.toFixed(2)}x); load now ${tools.load()}`);
  const json: SpeedResult = {
    bench: "p3",
    unit: "files/s",
    h5dat: tools.round(h5dat, 1),
    reference: tools.round(reference, 1),
    ratio: tools.round(ratio, 2),
    peak_rss_mb: Math.round(peak(rss.h5dat)),
    workers_peak_rss_mb: Math.round(peak(rss.workers)),
    reference_peak_rss_mb: Math.round(peak(rss.reference)),
    reps: options.reps,
    files: archive.files,
    images: archive.count,
  };
  console.log(JSON.stringify(json));
  return json;
}
