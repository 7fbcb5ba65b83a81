// The benchmark harness: h5dat against the h5py anchor, side by side, interleaved.
//
//   npm run bench                      # every bench below at full size
//   npm run bench -- p1 --size 256     # P1 with 256 MiB instead of 1 GiB
//   npm run bench -- p1-zstd p1-blosc  # P1 with zstd:3 / blosc:lz4:5:shuffle against h5py + the same filter
//   npm run bench -- p2 --count 2000   # P2 with 2,000 datasets instead of 10,000
//   npm run bench -- p3 --files 300    # P3 with 300 JPEGs (+ 300 JSON) instead of 5,000
//   npm run bench -- p4                # 1,000 image datasets read whole, h5dat vs h5py
//   npm run bench -- p5                # peak RSS converting 0.5, 1 and 2 GB mixed tar.gz
//   npm run bench -- p9 --p9-mb 100    # records: 100 MB JSONL and CSV vs pandas (default 1024 MB)
//   npm run bench -- p6 --files 1000   # training reads: DataLoader over the stacked file vs ImageFolder
//   npm run bench -- p3-stacked        # P3 converted --layout stacked vs the files layout
//   npm run bench -- p7 --files 1000   # sharding: P3 as 16 shards + merge vs one process; 1,000 shards read
//   npm run bench -- p7-formats        # the same sharding cost over P3's files as a zip and a tar
//   npm run bench -- p8 --size 256     # whole-dataset reads of P1-shaped files (gzip, zstd, none) vs h5py
//   npm run bench -- p3-zstd           # P3's convert() with --compression zstd:3 beside gzip:4: files/s and size
//   npm run bench -- p10               # h5dat view: first paint of the tree and an image (P3 files, ≈2 GB stacked), server RSS
//
// Options (or env): --size MiB (H5DAT_BENCH_SIZE), --count N (H5DAT_BENCH_COUNT), --files N
// (H5DAT_BENCH_FILES), --p9-mb MB (H5DAT_P9_MB, default 1024), --reps N
// (H5DAT_BENCH_REPS, default 3), --rows N (P1 rows per write, default 1024), --no-sync (skip the
// Sync API runs), --variants (also time other ways to use h5dat: P2 async-close and
// async-pipelined; P1 and P2 async-prefiltered, see h5dat-side.ts), --prof (CPU profiles of the
// h5dat runs into bench/results.tmp/prof/).
//
// Every run is its own process (node for h5dat, /usr/bin/python3 for h5py), timed inside from
// file create to file close. The sides' order turns by one each repetition (h5dat async, h5py,
// h5dat sync; then h5py, sync, async; ...). Medians
// of the repetitions are reported; the last stdout line of each bench is one JSON object.
// P3 (a tar.gz through convert() against a Python reference pipeline) is in p3/run-p3.ts, P5
// (peak memory on growing archives, the same reference) in p5/run-p5.ts, P9 (JSONL and CSV
// records against pandas; two entries, p9-jsonl and p9-csv) in p9/run-p9.ts, P6 (a PyTorch
// DataLoader over the stacked layout against an ImageFolder tree) in p6/run-p6.ts, P3 stacked
// (P3's archive in the stacked layout against the files layout) in p3/run-p3-stacked.ts, P7
// (P3's archive as 16 shard processes + merge against one process; a master over 1,000 shards
// read with h5py) in p7/run-p7.ts, P7 formats (the same over a zip and a tar) in
// p7/run-p7-formats.ts, P8 (issue 22: whole-dataset reads of P1-shaped files, h5dat
// against h5py) in p8/run-p8.ts, P3 zstd (P3's convert() with zstd:3 against gzip:4) in
// p3/run-p3-zstd.ts. P1 zstd and P1 blosc (issue 22) are P1 with another filter: the h5py
// anchor uses hdf5plugin's filter IDs and settings (zstd through h5dat's HDF5 plugin, as Debian's
// hdf5plugin 4.0.1 has none; see anchors/p1.py).
//
// After each bench its entry in bench/results.json is replaced (the other benches' are kept),
// and bench/results.svg and the README's table are rendered again from that file (bench/report/).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SideParams, SideResult } from "./h5dat-side";
import { toEntry, type Sizes } from "./report/bench-entry";
import type { BenchResult, SpeedResult } from "./report/bench-result";
import { loadAverage, staticMachineFacts } from "./report/machine-facts";
import { REPORT_PATHS, renderReport } from "./report/render-report";
import { updateResults } from "./report/results-file";
import { runP3Bench } from "./p3/run-p3";
import { runP3StackedBench } from "./p3/run-p3-stacked";
import { runP6Bench } from "./p6/run-p6";
import { P5_SIZES_GB, runP5Bench } from "./p5/run-p5";
import { runP4Bench } from "./p4/run-p4";
import { runP9Bench } from "./p9/run-p9";
import { runP7Bench } from "./p7/run-p7";
import { runP7FormatsBench } from "./p7/run-p7-formats";
import { runP8Bench } from "./p8/run-p8";
import { runP3ZstdBench } from "./p3/run-p3-zstd";
import { runP10Bench } from "./p10/run-p10";
import { turnOrder } from "./turn-order";
import { pluginPath } from "../src/native/plugin-path";

const BENCHES = ["p1", "p1-raw", "p1-zstd", "p1-blosc", "p2", "p3", "p4", "p5", "p9", "p6", "p3-stacked", "p7", "p7-formats", "p8", "p3-zstd", "p10"] as const;
type BenchName = (typeof BENCHES)[number];
/** The benches with an h5py anchor (runBench); P3, P4, P5, P9, P6, P3 stacked, P7, P8 and P3 zstd have their own runners. */
type H5pyBench = Exclude<BenchName, "p3" | "p4" | "p5" | "p9" | "p6" | "p3-stacked" | "p7" | "p7-formats" | "p8" | "p3-zstd" | "p10">;

const PYTHON = "/usr/bin/python3";
const HERE = __dirname;
const ROOT = path.join(HERE, "..");
const SIDE = path.join(HERE, "h5dat-side.ts");
const ANCHORS = path.join(HERE, "anchors");

/**
 * Targets (issue 7). P1–P4: the least ratio h5dat (headline mode) ÷ anchor (h5py; P3: the Python
 * reference). P5: the most MB h5dat's writer may peak at, at every archive size (and flat). P9 (issue 19):
 * h5dat ÷ pandas in rows/s (its size and memory goals are printed and kept in its result). Issue
 * 20: P6, the stacked file (fastest codec) ÷ an ImageFolder tree in images/s (its gzip 4 and
 * files-layout goals are printed and kept in its result); P3 stacked, stacked ÷ files layout.
 * P7: 16 shard processes + merge ÷ one process in files/s (its 1,000-shard read goals are printed
 * and kept in its result); P7 formats, the same over P3's files as a zip (the tar's ratio kept beside). Issue 22: P1 zstd and P1 blosc, h5dat ÷ h5py with the same filter;
 * P8, h5dat ÷ h5py reading the gzip file whole (its zstd ratio goal, the same 2×, and the
 * unfiltered goal, P8_RAW_GIBS, are printed and kept in its result); P3 zstd has no goal (it
 * tells users what zstd:3 buys over gzip:4: its ratio is zstd ÷ gzip in files/s), so its
 * target is 0 and it is always met.
 */
const TARGETS: Record<BenchName, number> = {
  p1: 1.8, "p1-raw": 1.0, "p1-zstd": 2.0, "p1-blosc": 2.0, p2: 1.5, p3: 3.0, p4: 1.0, p5: 300, p9: 2.0, p6: 4.0, "p3-stacked": 0.9, p7: 0.95, "p7-formats": 0.95, p8: 2.0, "p3-zstd": 0, p10: 1.0,
};

/** The full suite's sizes (the defaults); smaller runs are recorded as reduced. */
const FULL = { mib: 1024, count: 10000, files: 5000, p4Reads: 1000, p9Mb: 1024 };
const FULL_SIZES: Record<BenchName, Sizes> = {
  p1: { mib: FULL.mib },
  "p1-raw": { mib: FULL.mib },
  "p1-zstd": { mib: FULL.mib },
  "p1-blosc": { mib: FULL.mib },
  p2: { count: FULL.count },
  p3: { images: FULL.files },
  p4: { images: FULL.p4Reads },
  p5: { sizes_gb: P5_SIZES_GB },
  p9: { mb: FULL.p9Mb },
  p6: { images: FULL.files },
  "p3-stacked": { images: FULL.files },
  p7: { images: FULL.files },
  "p7-formats": { images: FULL.files },
  p8: { mib: FULL.mib },
  "p3-zstd": { images: FULL.files },
  p10: { images: FULL.files },
};

interface Options {
  benches: BenchName[];
  mib: number;
  count: number;
  files: number;
  p9Mb: number;
  reps: number;
  rows: number;
  sync: boolean;
  variants: boolean;
  prof: boolean;
}

function parseArgs(argv: string[]): Options {
  const env = process.env;
  const options: Options = {
    benches: [],
    mib: Number(env.H5DAT_BENCH_SIZE ?? FULL.mib),
    count: Number(env.H5DAT_BENCH_COUNT ?? FULL.count),
    files: Number(env.H5DAT_BENCH_FILES ?? FULL.files),
    p9Mb: Number(env.H5DAT_P9_MB ?? FULL.p9Mb),
    reps: Number(env.H5DAT_BENCH_REPS ?? 3),
    rows: 1024,
    sync: true,
    variants: false,
    prof: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = (): number => {
      const text = inline ?? argv[++i];
      const n = Number(text);
      if (!Number.isInteger(n) || n <= 0) usage(`${flag} needs a positive integer, got '${text}'`);
      return n;
    };
    switch (flag) {
      case "--size": options.mib = value(); break;
      case "--count": options.count = value(); break;
      case "--files": options.files = value(); break;
      case "--p9-mb": options.p9Mb = value(); break;
      case "--reps": options.reps = value(); break;
      case "--rows": options.rows = value(); break;
      case "--no-sync": options.sync = false; break;
      case "--variants": options.variants = true; break;
      case "--prof": options.prof = true; break;
      case "-h": case "--help": usage(); break;
      default:
        if ((BENCHES as readonly string[]).includes(flag)) options.benches.push(flag as BenchName);
        else usage(`unknown argument '${arg}'`);
    }
  }
  if (options.benches.length === 0) options.benches = [...BENCHES];
  for (const [name, n] of [["size", options.mib], ["count", options.count], ["files", options.files], ["p9-mb", options.p9Mb], ["reps", options.reps]] as const) {
    if (!Number.isInteger(n) || n <= 0) usage(`${name} must be a positive integer`);
  }
  if ((options.mib * 256) % options.rows !== 0) usage(`--size ${options.mib} MiB must be a whole number of ${options.rows}-row slabs (${options.rows / 256} MiB)`);
  return options;
}

function usage(problem?: string): never {
  const text = "usage: npm run bench -- [p1] [p1-raw] [p1-zstd] [p1-blosc] [p2] [p3] [p4] [p5] [p9] [p6] [p3-stacked] [p7] [p7-formats] [p8] [p3-zstd] [p10] [--size MiB] [--count N] [--files N] [--p9-mb MB] [--reps N] [--rows N] [--no-sync] [--variants] [--prof]";
  if (problem) {
    console.error(`bench: ${problem}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------

let tempRoot: string | null = null;
function tempDir(): string {
  if (!tempRoot) {
    tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), "h5dat-bench-"));
    const clean = () => {
      if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
      tempRoot = null;
    };
    process.on("exit", clean);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        clean();
        process.exit(130);
      });
    }
  }
  return tempRoot;
}

function lastJsonLine<T>(stdout: string, what: string): T {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`${what} printed no JSON line:\n${stdout}`);
  }
}

function run(command: string, args: string[], what: string, env: NodeJS.ProcessEnv = process.env): string {
  const child = spawnSync(command, args, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) {
    throw new Error(`${what} failed (${child.signal ?? `exit ${child.status}`}):\n${child.stderr}${child.stdout}`);
  }
  if (child.stderr.trim()) process.stderr.write(child.stderr);
  return child.stdout;
}

/** Node's flags for an h5dat run: tsx, and with --prof a CPU profile named `label`. */
function nodeFlags(label: string, prof: boolean): string[] {
  const flags = ["--import", "tsx"];
  if (prof) {
    const dir = path.join(HERE, "results.tmp", "prof");
    fs.mkdirSync(dir, { recursive: true });
    flags.push("--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`);
  }
  return flags;
}

function runH5dat(params: SideParams, prof: boolean): SideResult {
  const flags = nodeFlags(`${params.bench}-${params.mode}`, prof);
  const out = run(process.execPath, [...flags, SIDE, JSON.stringify(params)], `h5dat ${params.bench} ${params.mode}`);
  return lastJsonLine<SideResult>(out, "h5dat side");
}

/** The P1 benches' filters, as anchors/p1.py's --codec names them. */
const P1_CODECS: Record<Exclude<H5pyBench, "p2">, string> = { p1: "gzip", "p1-raw": "none", "p1-zstd": "zstd", "p1-blosc": "blosc" };

/** What each P1 bench's datasets are filtered with, for its description line. */
const P1_FILTER_TEXT: Record<Exclude<H5pyBench, "p2">, string> = {
  p1: "gzip 4 + shuffle",
  "p1-raw": "no filters",
  "p1-zstd": "zstd:3 (h5py: filter 32015 cd (3,) = hdf5plugin.Zstd(clevel=3), through h5dat's HDF5 plugin: Debian's hdf5plugin 4.0.1 has no zstd)",
  "p1-blosc": "blosc:lz4:5:shuffle (h5py: hdf5plugin.Blosc(cname='lz4', clevel=5, shuffle=SHUFFLE), Debian's hdf5plugin 4.0.1)",
};

function anchorArgs(bench: H5pyBench, file: string, options: Options): string[] {
  if (bench === "p2") return [path.join(ANCHORS, "p2.py"), "--file", file, "--count", String(options.count)];
  return [path.join(ANCHORS, "p1.py"), "--file", file, "--mib", String(options.mib), "--rows", String(options.rows), "--codec", P1_CODECS[bench]];
}

/**
 * The anchor's environment: P1 zstd's h5py finds filter 32015 in h5dat's plugin folder (Debian's
 * hdf5plugin has no zstd); the others run as they are (blosc from hdf5plugin's own plugin).
 */
function anchorEnv(bench: H5pyBench): NodeJS.ProcessEnv {
  return bench === "p1-zstd" ? { ...process.env, HDF5_PLUGIN_PATH: pluginPath() } : process.env;
}

function runH5py(bench: H5pyBench, file: string, options: Options): SideResult {
  return lastJsonLine<SideResult>(run(PYTHON, anchorArgs(bench, file, options), `h5py ${bench}`, anchorEnv(bench)), "h5py anchor");
}

/** h5py reads the h5dat file and compares it with its own generated data. */
function checkWithH5py(bench: H5pyBench, file: string, options: Options): string {
  const args = [...anchorArgs(bench, file, options), "--check"];
  const verdict = lastJsonLine<{ ok: boolean; problems: string[]; what: string }>(run(PYTHON, args, `h5py check ${bench}`, anchorEnv(bench)), "h5py check");
  if (!verdict.ok) throw new Error(`h5dat ${bench} output is wrong (h5py check): ${verdict.problems.join("; ")}`);
  return verdict.what;
}

// ---------------------------------------------------------------------------------------------

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const mibOf = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

function runBench(bench: H5pyBench, options: Options): SpeedResult {
  const p2 = bench === "p2";
  const unit = p2 ? "datasets/s" : "MiB/s";
  const digits = p2 ? 0 : 1;
  const size = p2 ? `${options.count} datasets of 64x64x3 uint8, gzip 4, one group`
    : `${options.mib} MiB float32 [${options.mib * 256}, 1024], chunks [256, 1024], ${P1_FILTER_TEXT[bench]}, ${options.rows}-row writes`;
  console.log(`== ${bench}: ${size}`);
  console.log(`   ${options.reps} repetitions, interleaved; machine load ${load()} (2 cores, shared: expect noise)`);

  // The headline is the async API used as async APIs are used for throughput: P2 keeps up to
  // 8 creates in flight (their compression then runs on both cores, outside the HDF5 lock);
  // one-await-at-a-time and Sync are reported beside it.
  const h5datModes: SideParams["mode"][] = [...(p2 ? ["async-pipelined" as const] : []), "async", ...(options.sync ? ["sync" as const] : [])];
  if (options.variants && p2) h5datModes.push("async-close", "async-prefiltered");
  if (options.variants && bench === "p1") h5datModes.push("async-prefiltered");
  const rates = new Map<string, number[]>();
  // CPU in user space and in the kernel, per side: p1-raw's time is nearly all the kernel's.
  const cpus = new Map<string, { user: number[]; kernel: number[] }>();
  const record = (key: string, result: SideResult) => {
    rates.set(key, [...(rates.get(key) ?? []), result.rate]);
    const cpu = cpus.get(key) ?? { user: [], kernel: [] };
    cpu.user.push(result.cpu - result.kernelCpu);
    cpu.kernel.push(result.kernelCpu);
    cpus.set(key, cpu);
  };
  let poolSha: string | null = null;
  const verified = new Set<string>();

  const sameData = (result: SideResult) => {
    if (poolSha === null) poolSha = result.poolSha;
    else if (poolSha !== result.poolSha) throw new Error(`the two sides generated different data (${poolSha} vs ${result.poolSha})`);
  };
  const show = (rep: number, label: string, result: SideResult) => {
    console.log(`   ${rep === 0 ? "warm-up   " : `rep ${rep}/${options.reps}`}  ${label.padEnd(22)} ${result.rate.toFixed(digits).padStart(8)} ${unit}  (${result.seconds.toFixed(2)} s, cpu ${result.cpu.toFixed(2)} s of which kernel ${result.kernelCpu.toFixed(2)} s, file ${mibOf(result.fileBytes)} MiB)`);
  };

  // Rep 0 is a warm-up, not counted: the first run after start pays for page-cache writeback of
  // earlier files and cold caches (seen as 700 against 3,300 MiB/s on p1-raw).
  for (let rep = 0; rep <= options.reps; rep++) {
    for (const mode of turnOrder<SideParams["mode"] | "h5py">([h5datModes[0], "h5py", ...h5datModes.slice(1)], rep)) {
      const file = path.join(tempDir(), `${bench}-${mode}-${rep}.h5`);
      settlePageCache();
      try {
        if (mode === "h5py") {
          const result = runH5py(bench, file, options);
          sameData(result);
          if (rep > 0) record("h5py", result);
          show(rep, "h5py 3.7 (HDF5 1.10.8)", result);
        } else {
          const verify = !verified.has(mode);
          const result = runH5dat({ bench, mode, file, mib: options.mib, rows: options.rows, count: options.count, verify }, options.prof);
          sameData(result);
          if (rep > 0) record(mode, result);
          show(rep, `h5dat ${mode}`, result);
          if (verify) {
            console.log(`   check: ${result.verified}`);
            console.log(`   check: ${checkWithH5py(bench, file, options)}`);
            verified.add(mode);
          }
        }
      } finally {
        fs.rmSync(file, { force: true });
      }
    }
  }

  const med = (key: string) => median(rates.get(key) ?? [NaN]);
  const headline = h5datModes[0];
  const h5dat = med(headline);
  const h5py = med("h5py");
  const ratio = h5dat / h5py;
  console.log(`   medians of ${options.reps} (same data on both sides, sha256 ${poolSha!.slice(0, 12)}…):`);
  for (const mode of h5datModes) {
    console.log(`     h5dat ${mode.padEnd(16)} ${med(mode).toFixed(digits).padStart(8)} ${unit}   ${(med(mode) / h5py).toFixed(2)}x h5py`);
  }
  console.log(`     h5py                   ${h5py.toFixed(digits).padStart(8)} ${unit}`);
  const cpuOf = (key: string) => `${median(cpus.get(key)?.user ?? [NaN]).toFixed(2)} s user, ${median(cpus.get(key)?.kernel ?? [NaN]).toFixed(2)} s kernel`;
  console.log(`   cpu (medians): h5dat ${headline} ${cpuOf(headline)}; h5py ${cpuOf("h5py")}`);
  const target = TARGETS[bench];
  console.log(`   target: h5dat ${headline} >= ${target.toFixed(1)}x h5py -> ${ratio >= target ? "met" : "MISSED"} (${ratio.toFixed(2)}x); load now ${load()}`);
  const json: SpeedResult = {
    bench,
    unit,
    h5dat: round(h5dat, digits),
    h5py: round(h5py, digits),
    ratio: round(ratio, 2),
    mode: headline,
    ...(headline !== "async" ? { h5datOneAwaitAtATime: round(med("async"), digits) } : {}),
    ...(rates.has("sync") ? { h5datSync: round(med("sync"), digits) } : {}),
    reps: options.reps,
    ...(p2 ? { count: options.count } : { mib: options.mib }),
  };
  console.log(JSON.stringify(json));
  return json;
}

/**
 * Starts every run from the same page-cache state: earlier runs' dirty pages written back and
 * clean ones dropped (root only; elsewhere just `sync`). Without it p1-raw runs were bimodal,
 * stalling in the kernel at random (≈1,000 against ≈3,500 MiB/s on either side).
 */
function settlePageCache(): void {
  spawnSync("sync");
  try {
    fs.writeFileSync("/proc/sys/vm/drop_caches", "1");
  } catch {
    // not root, or not Linux: sync alone
  }
}

/** A bench's result, or its results (P9: one per kind of source). */
function runOne(bench: BenchName, options: Options): BenchResult | BenchResult[] {
  const tools = {
    python: PYTHON, run, lastJsonLine, nodeFlags, settlePageCache, tempDir, median, round, load,
    rm: (file: string) => fs.rmSync(file, { force: true }), target: TARGETS[bench],
  };
  if (bench === "p3") return runP3Bench({ files: options.files, reps: options.reps, prof: options.prof }, tools);
  if (bench === "p4") return runP4Bench({ reps: options.reps, prof: options.prof, variants: options.variants }, tools);
  if (bench === "p5") return runP5Bench(tools);
  if (bench === "p9") return runP9Bench({ mb: options.p9Mb, reps: options.reps }, tools);
  if (bench === "p6") return runP6Bench({ files: options.files, reps: options.reps }, tools);
  if (bench === "p3-stacked") return runP3StackedBench({ files: options.files, reps: options.reps }, tools);
  if (bench === "p7") return runP7Bench({ files: options.files, reps: options.reps }, tools);
  if (bench === "p7-formats") return runP7FormatsBench({ files: options.files, reps: options.reps }, tools);
  if (bench === "p8") return runP8Bench({ mib: options.mib, reps: options.reps, sync: options.sync }, tools);
  if (bench === "p3-zstd") return runP3ZstdBench({ files: options.files, reps: options.reps }, tools);
  if (bench === "p10") return runP10Bench({ files: options.files, reps: options.reps }, tools);
  return runBench(bench, options);
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const machine = staticMachineFacts(PYTHON);
  for (const bench of options.benches) {
    const loadStart = loadAverage();
    const results = [runOne(bench, options)].flat();
    const machineNow = { ...machine, loadStart, loadEnd: loadAverage() };
    const date = new Date().toISOString();
    const entries = results.map((result) => toEntry(result, { target: TARGETS[bench], fullSizes: FULL_SIZES[bench], date, machine: machineNow }));
    // Recorded as each bench ends: a later bench failing keeps the earlier ones' results.
    updateResults(REPORT_PATHS.results, entries, date);
    record(entries.map((entry) => entry.bench).join(", "));
  }
}

/** Renders the chart and README table; on stderr, as stdout's last line is the bench's JSON. */
function record(bench: string): void {
  try {
    const { readmeChanged } = renderReport(REPORT_PATHS);
    console.error(`bench: ${bench} recorded in ${path.relative(ROOT, REPORT_PATHS.results)}, ${path.relative(ROOT, REPORT_PATHS.chart)}${readmeChanged ? " and the README's table" : ""}`);
  } catch (error) {
    // The results file is written; `npm run bench:report` renders it once the problem is fixed.
    console.error(`bench: ${bench} recorded in ${path.relative(ROOT, REPORT_PATHS.results)}, but not rendered: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

try {
  main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
