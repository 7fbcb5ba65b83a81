// P8 for the harness (bench/run.ts), issue 22: whole-dataset reads of P1-shaped files (float32
// [N, 1024], chunks 256×1024) filtered with gzip 4 + shuffle, zstd:3 and nothing, h5dat
// (`await ds.read()`, and `ds.readSync()`) against h5py (`ds[()]`), in GiB/s of decoded data.
//
// Each file is written once beforehand by h5dat (P1's own writer, bench/h5dat-side.ts) and the
// same file is read by both sides. Nothing is dropped from the page cache (unlike the write
// benches, which settle it before every run): each file is read once, untimed, first, so both
// sides read from a warm cache and the bench measures the read path, not the disk. Each
// repetition turns the sides' order (turn-order.ts); rep 0 is a discarded warm-up. The first run
// of each side and file compares everything it read with P1's generated data.
//
// The entry's headline `ratio` is gzip's (h5dat async ÷ h5py); zstd's and the unfiltered file's
// numbers and ratios are kept beside it. Goals: ≥ 2× h5py for gzip and zstd, ≥ 2 GiB/s
// unfiltered. h5py's zstd comes from h5dat's HDF5 plugin (Debian's hdf5plugin 4.0.1 has none).
import fs from "node:fs";
import path from "node:path";
import type { SpeedResult } from "../report/bench-result";
import type { SideParams, SideResult } from "../h5dat-side";
import type { HarnessTools } from "../p3/run-p3";
import type { P8Params, P8Result } from "./h5dat-p8";
import { turnOrder } from "../turn-order";
import { pluginPath } from "../../src/native/plugin-path";

export interface P8Options {
  /** MiB of float32 per file (P1's size). */
  mib: number;
  reps: number;
  /** Also time the Sync API (readSync). */
  sync: boolean;
}

const HERE = __dirname;
const WRITER = path.join(HERE, "..", "h5dat-side.ts");
const SIDE = path.join(HERE, "h5dat-p8.ts");
const READER = path.join(HERE, "p8_read.py");

/** The files read: which P1 writer bench makes each, and how its filters are named. */
const CODECS = [
  { codec: "gzip", writer: "p1", label: "gzip 4 + shuffle" },
  { codec: "zstd", writer: "p1-zstd", label: "zstd:3" },
  { codec: "none", writer: "p1-raw", label: "no filters" },
] as const;
type Codec = (typeof CODECS)[number]["codec"];

/** The goals (issue 22): h5dat ÷ h5py for the compressed files, GiB/s for the unfiltered one. */
export const P8_RATIO_GOAL = 2.0;
export const P8_RAW_GIBS = 2.0;

type Side = "async" | "h5py" | "sync";

/** Runs P8, prints its lines and returns the object printed last. */
export function runP8Bench(options: P8Options, tools: HarnessTools): SpeedResult {
  const modes: Side[] = ["async", "h5py", ...(options.sync ? ["sync" as const] : [])];
  console.log(`== p8: whole-dataset reads, ${options.mib} MiB float32 [${options.mib * 256}, 1024], chunks [256, 1024]: ${CODECS.map((c) => c.label).join(", ")}`);
  console.log(`   h5dat await ds.read()${options.sync ? " and ds.readSync()" : ""} vs h5py ds[()] (zstd through h5dat's HDF5 plugin: Debian's hdf5plugin 4.0.1 has none); files written once by h5dat, warm page cache`);
  console.log(`   ${options.reps} repetitions, interleaved; machine load ${tools.load()} (2 cores, shared: expect noise)`);
  // h5py finds filter 32015 there; gzip and unfiltered reads do not look.
  const pythonEnv = { ...process.env, HDF5_PLUGIN_PATH: pluginPath() };

  const rates = new Map<string, number[]>();
  const fileMib: Partial<Record<Codec, number>> = {};
  for (const { codec, writer, label } of CODECS) {
    const file = path.join(tools.tempDir(), `p8-${codec}.h5`);
    try {
      writeFile(writer, file, options.mib, tools);
      fileMib[codec] = fs.statSync(file).size / 2 ** 20;
      warm(file);
      console.log(`   ${label}: file ${fileMib[codec]!.toFixed(1)} MiB, written by h5dat and read once untimed`);
      const verified = new Set<Side>();
      for (let rep = 0; rep <= options.reps; rep++) {
        for (const side of turnOrder(modes, rep)) {
          const verify = !verified.has(side);
          const result = side === "h5py"
            ? tools.lastJsonLine<P8Result>(tools.run(tools.python, [READER, "--file", file, ...(verify ? ["--verify"] : [])], `h5py p8 ${codec}`, pythonEnv), "h5py p8")
            : readWithH5dat({ file, mode: side, verify }, tools);
          if (result.bytes !== options.mib * 2 ** 20) throw new Error(`${side} read ${result.bytes} bytes of the ${codec} file, expected ${options.mib} MiB`);
          if (rep > 0) rates.set(`${codec}/${side}`, [...(rates.get(`${codec}/${side}`) ?? []), result.gibPerS]);
          const name = side === "h5py" ? "h5py ds[()]" : side === "async" ? "h5dat await read()" : "h5dat readSync()";
          console.log(`   ${rep === 0 ? "warm-up   " : `rep ${rep}/${options.reps}`}  ${codec.padEnd(5)} ${name.padEnd(19)} ${result.gibPerS.toFixed(2).padStart(6)} GiB/s  (${result.seconds.toFixed(2)} s, cpu ${result.cpu.toFixed(2)} s)`);
          if (verify) {
            console.log(`   check: ${result.verified}`);
            verified.add(side);
          }
        }
      }
    } finally {
      tools.rm(file);
    }
  }
  return summarize(rates, fileMib, options, tools);
}

/** Writes a P1-shaped file with P1's h5dat writer (async API), untimed. */
function writeFile(writer: SideParams["bench"], file: string, mib: number, tools: HarnessTools): void {
  const params: SideParams = { bench: writer, mode: "async", file, mib, rows: 1024 };
  tools.lastJsonLine<SideResult>(tools.run(process.execPath, [...tools.nodeFlags(`p8-write-${writer}`, false), WRITER, JSON.stringify(params)], `h5dat p8 write (${writer})`), "h5dat p8 writer");
}

/** Reads the file's bytes once, so the timed reads find them in the page cache. */
function warm(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(16 << 20);
    while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0) {
      // only the page cache is wanted
    }
  } finally {
    fs.closeSync(fd);
  }
}

function readWithH5dat(params: P8Params, tools: HarnessTools): P8Result {
  const out = tools.run(process.execPath, [...tools.nodeFlags(`p8-${params.mode}`, false), SIDE, JSON.stringify(params)], `h5dat p8 ${params.mode}`);
  return tools.lastJsonLine<P8Result>(out, "h5dat p8 side");
}

/** Medians per file and side, the goals' verdicts, and the entry's JSON (printed last). */
function summarize(rates: Map<string, number[]>, fileMib: Partial<Record<Codec, number>>, options: P8Options, tools: HarnessTools): SpeedResult {
  const med = (codec: Codec, side: Side) => tools.median(rates.get(`${codec}/${side}`) ?? [NaN]);
  const r2 = (value: number) => tools.round(value, 2);
  console.log(`   medians of ${options.reps} (GiB/s of decoded float32):`);
  for (const { codec } of CODECS) {
    const h5py = med(codec, "h5py");
    const sync = options.sync ? `, readSync() ${med(codec, "sync").toFixed(2)} (${(med(codec, "sync") / h5py).toFixed(2)}x)` : "";
    console.log(`     ${codec.padEnd(5)} h5dat read() ${med(codec, "async").toFixed(2).padStart(6)}  h5py ${h5py.toFixed(2).padStart(6)}  ${(med(codec, "async") / h5py).toFixed(2)}x h5py${sync}`);
  }
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  const ratio = (codec: Codec) => med(codec, "async") / med(codec, "h5py");
  console.log(`   target: gzip h5dat read() >= ${P8_RATIO_GOAL.toFixed(1)}x h5py -> ${verdict(ratio("gzip") >= P8_RATIO_GOAL)} (${ratio("gzip").toFixed(2)}x)`);
  console.log(`   goals kept beside it: zstd >= ${P8_RATIO_GOAL.toFixed(1)}x h5py -> ${verdict(ratio("zstd") >= P8_RATIO_GOAL)} (${ratio("zstd").toFixed(2)}x); unfiltered >= ${P8_RAW_GIBS} GiB/s -> ${verdict(med("none", "async") >= P8_RAW_GIBS)} (${med("none", "async").toFixed(2)} GiB/s); load now ${tools.load()}`);
  const json: SpeedResult = {
    bench: "p8",
    unit: "GiB/s",
    h5dat: r2(med("gzip", "async")),
    h5py: r2(med("gzip", "h5py")),
    ratio: r2(ratio("gzip")),
    mode: "async",
    ...(options.sync ? { h5datSync: r2(med("gzip", "sync")) } : {}),
    zstd_h5dat: r2(med("zstd", "async")),
    zstd_h5py: r2(med("zstd", "h5py")),
    zstd_ratio: r2(ratio("zstd")),
    ...(options.sync ? { zstd_h5datSync: r2(med("zstd", "sync")) } : {}),
    none_h5dat: r2(med("none", "async")),
    none_h5py: r2(med("none", "h5py")),
    none_ratio: r2(ratio("none")),
    ...(options.sync ? { none_h5datSync: r2(med("none", "sync")) } : {}),
    zstd_ratio_goal: P8_RATIO_GOAL,
    zstd_met: ratio("zstd") >= P8_RATIO_GOAL,
    none_goal_gibs: P8_RAW_GIBS,
    none_met: med("none", "async") >= P8_RAW_GIBS,
    file_mib: Object.fromEntries(Object.entries(fileMib).map(([codec, mib]) => [codec, tools.round(mib, 1)])),
    reps: options.reps,
    mib: options.mib,
  };
  console.log(JSON.stringify(json));
  return json;
}
