// P4 for the harness (bench/run.ts): 1,000 image datasets of a converted file read whole
// (decompressed), h5dat's readImage against h5py's f[p][()], side by side, interleaved.
//
// The file is P3's archive of 1,000 JPEGs (make-archive.py --count 1000) converted once with
// convert() and cached next to the archive (<archive>.h5, with a sidecar naming the archive's
// sha256). The paths are a seeded shuffle of its image datasets, the same list for both sides.
// Each run is its own process; before each the file is read through once, so both start from a
// warm page cache (this measures decompression and the API, not the disk). Rep 0 is an untimed
// check: both sides hash every image's pixels and the digests must agree. The last stdout line is
// {"bench":"p4","unit":"images/s","h5dat":N,"h5py":N,"ratio":N,...}; `h5dat` is readImage with
// PIPELINE reads in flight (as P2's headline keeps creates in flight), one-await-at-a-time and
// Sync reported beside it.
import fs from "node:fs";
import path from "node:path";
import type { HarnessTools } from "../p3/run-p3";
import type { SpeedResult } from "../report/bench-result";
import { PIPELINE, type P4Mode, type P4Params, type P4ReadResult } from "./h5dat-p4";
import { H5DAT_VERSION } from "../../src/version";
import { turnOrder } from "../turn-order";

export interface P4Options {
  reps: number;
  prof: boolean;
  /** Also time the h5 layer's own Dataset.read (HDF5 inflating inside its lock). */
  variants: boolean;
}

const HERE = __dirname;
const GENERATOR = path.join(HERE, "..", "p3", "make-archive.py");
const SIDE = path.join(HERE, "h5dat-p4.ts");
const ANCHOR = path.join(HERE, "..", "anchors", "p4.py");

/** JPEGs in the archive, and images read per run. */
const ARCHIVE_IMAGES = 1000;
const READS = 1000;
const SEED = 0x5eed0004;

interface ArchiveInfo {
  path: string;
  sha256: string;
  count: number;
  height: number;
  width: number;
}

interface Converted {
  archiveSha256: string;
  h5datVersion: string;
  images: string[];
  seconds: number;
}

/** mulberry32: a small seeded PRNG, so the list is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` paths: seeded shuffles of all of them, one after another. */
function pick(paths: string[], count: number): string[] {
  const next = random(SEED);
  const out: string[] = [];
  while (out.length < count) {
    const round = [...paths];
    for (let i = round.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [round[i], round[j]] = [round[j], round[i]];
    }
    out.push(...round.slice(0, count - out.length));
  }
  return out;
}

/** Reads the file through once: both sides then start with it in the page cache. */
function warm(file: string): void {
  const fd = fs.openSync(file, "r");
  const block = Buffer.allocUnsafe(8 << 20);
  try {
    while (fs.readSync(fd, block, 0, block.length, null) > 0);
  } finally {
    fs.closeSync(fd);
  }
}

function convertOnce(archive: ArchiveInfo, tools: HarnessTools): { file: string; converted: Converted; cached: boolean } {
  const file = archive.path.replace(/\.tar\.gz$/, "") + ".h5";
  const sidecar = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(sidecar)) {
    const converted = JSON.parse(fs.readFileSync(sidecar, "utf8")) as Converted;
    if (converted.archiveSha256 === archive.sha256 && converted.h5datVersion === H5DAT_VERSION) return { file, converted, cached: true };
  }
  const partial = `${file}.${process.pid}.partial`;
  try {
    const params: P4Params = { job: "convert", archive: archive.path, file: partial };
    const out = tools.run(process.execPath, [...tools.nodeFlags("p4-convert", false), SIDE, JSON.stringify(params)], "h5dat p4 convert");
    const made = tools.lastJsonLine<{ images: string[]; seconds: number }>(out, "h5dat p4 convert");
    const converted: Converted = { archiveSha256: archive.sha256, h5datVersion: H5DAT_VERSION, images: made.images, seconds: made.seconds };
    fs.renameSync(partial, file);
    fs.writeFileSync(sidecar, JSON.stringify(converted));
    return { file, converted, cached: false };
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/** Runs P4, prints its lines and returns the object printed last. */
export function runP4Bench(options: P4Options, tools: HarnessTools): SpeedResult {
  const archive = tools.lastJsonLine<ArchiveInfo>(tools.run(tools.python, [GENERATOR, "--count", String(ARCHIVE_IMAGES)], "p3 archive generator"), "p3 generator");
  const { file, converted, cached } = convertOnce(archive, tools);
  if (converted.images.length === 0) throw new Error(`no image datasets in ${file}`);
  const paths = pick(converted.images, READS);
  const list = path.join(tools.tempDir(), "p4-paths.json");
  fs.writeFileSync(list, JSON.stringify(paths));
  const size = fs.statSync(file).size;
  console.log(`== p4: ${READS} random image datasets (of ${converted.images.length}, [${archive.height}, ${archive.width}, 3] uint8, gzip 4, one chunk each) read whole`);
  console.log(`   file ${file} (${cached ? "cached" : `converted in ${converted.seconds.toFixed(1)} s`}, ${(size / 2 ** 20).toFixed(0)} MiB), page cache warm for both sides`);
  console.log(`   ${options.reps} repetitions, interleaved; rep 0 is an untimed check (sha256 of all pixels); machine load ${tools.load()} (2 cores, shared: expect noise)`);

  const modes: P4Mode[] = ["async-pipelined", "async", "sync", ...(options.variants ? (["h5-async", "h5-sync"] as const) : [])];
  const rates = new Map<string, number[]>();
  const labels: Record<string, string> = {
    "async-pipelined": `readImage, ${PIPELINE} in flight`,
    async: "readImage, one at a time",
    sync: "readImageSync",
    "h5-async": "h5 Dataset.read",
    "h5-sync": "h5 Dataset.readSync",
    h5py: "h5py f[p][()]",
  };
  let reference: string | null = null;
  let pixelBytes = 0;

  for (let rep = 0; rep <= options.reps; rep++) {
    const check = rep === 0;
    for (const side of turnOrder([modes[0], "h5py" as const, ...modes.slice(1)], rep)) {
      warm(file);
      let result: P4ReadResult;
      if (side === "h5py") {
        const args = [ANCHOR, "--file", file, "--list", list, ...(check ? ["--hash"] : [])];
        result = tools.lastJsonLine<P4ReadResult>(tools.run(tools.python, args, "h5py p4"), "h5py p4");
      } else {
        const params: P4Params = { job: "read", file, list, mode: side, hash: check };
        const out = tools.run(process.execPath, [...tools.nodeFlags(`p4-${side}`, options.prof && !check), SIDE, JSON.stringify(params)], `h5dat p4 ${side}`);
        result = tools.lastJsonLine<P4ReadResult>(out, `h5dat p4 ${side}`);
      }
      if (result.images !== READS) throw new Error(`${side} read ${result.images} images, not ${READS}`);
      if (check) {
        reference ??= result.sha256!;
        pixelBytes = result.bytes;
        if (result.sha256 !== reference) throw new Error(`${labels[side]} read different pixels: sha256 ${result.sha256} against ${reference}`);
      } else {
        rates.set(side, [...(rates.get(side) ?? []), result.images_per_s]);
      }
      console.log(`   ${check ? "check     " : `rep ${rep}/${options.reps}`}  ${labels[side].padEnd(26)} ${result.images_per_s.toFixed(1).padStart(7)} images/s  (${result.seconds.toFixed(2)} s, cpu ${result.cpu.toFixed(2)} s${check ? `, sha256 ${result.sha256!.slice(0, 12)}…` : ""})`);
    }
  }

  const med = (key: string) => tools.median(rates.get(key) ?? [Number.NaN]);
  const h5py = med("h5py");
  const h5dat = med(modes[0]);
  const ratio = h5dat / h5py;
  console.log(`   medians of ${options.reps} (same ${(pixelBytes / 2 ** 20).toFixed(0)} MiB of pixels on every side, sha256 ${reference!.slice(0, 12)}…):`);
  for (const mode of modes) console.log(`     ${labels[mode].padEnd(26)} ${med(mode).toFixed(1).padStart(7)} images/s   ${(med(mode) / h5py).toFixed(2)}x h5py`);
  console.log(`     ${labels.h5py.padEnd(26)} ${h5py.toFixed(1).padStart(7)} images/s`);
  console.log(`   target: h5dat >= ${tools.target.toFixed(1)}x h5py -> ${ratio >= tools.target ? "met" : "MISSED"} (${ratio.toFixed(2)}x); load now ${tools.load()}`);
  const json: SpeedResult = {
    bench: "p4",
    unit: "images/s",
    h5dat: tools.round(h5dat, 1),
    h5py: tools.round(h5py, 1),
    ratio: tools.round(ratio, 2),
    mode: modes[0],
    h5datOneAwaitAtATime: tools.round(med("async"), 1),
    h5datSync: tools.round(med("sync"), 1),
    ...(options.variants ? { h5LayerAsync: tools.round(med("h5-async"), 1), h5LayerSync: tools.round(med("h5-sync"), 1) } : {}),
    reps: options.reps,
    images: READS,
  };
  console.log(JSON.stringify(json));
  return json;
}
