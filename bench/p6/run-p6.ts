// P6 for the harness (bench/run.ts), issue 20: training reads. A PyTorch DataLoader (Debian's
// python3-torch, 2 workers, batch 64, shuffled) over P3's JPEGs at 224×224, images/s of one epoch
// from (a) the stacked file through examples/python/h5dat_dataset.py, (b) the same JPEGs as an
// ImageFolder tree decoded and resized with PIL, (c) h5dat's files layout (the default convert,
// one dataset per 600×400 image) read per dataset with h5py and resized with PIL; (a) and (c)
// stored with gzip 4 and with none. `ratio` = (a) with the fastest codec (none) ÷ (b).
//
// The archive is make-archive.py's (cached); the four h5 files are converted once with the
// compiled CLI and the tree extracted once, all cached beside the archive and named by its
// sha256 and h5dat's version. Each run is its own process (p6_read.py): a partial warm-up epoch
// with persistent workers, then one timed epoch, page cache warm (see p6_read.py). The sides' order
// turns each repetition. Every run must yield N images [3, 224, 224] with the same label counts
// on every side. The bound is numpy copying one image's 150,528 bytes on one core. The last stdout
// line is {"bench":"p6","unit":"images/s","h5dat":N,"reference":N,"ratio":N,...}.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { HarnessTools } from "../p3/run-p3";
import type { SpeedResult } from "../report/bench-result";
import { H5DAT_VERSION } from "../../src/version";
import { turnOrder } from "../turn-order";

export interface P6Options {
  /** JPEGs in the archive. */
  files: number;
  reps: number;
}

/** The other goals of issue 20, beside the headline's 4× (the harness's target). */
const GOALS = { gzip4OverImageFolder: 2, stackedOverFiles: 2 };

const HERE = __dirname;
const ROOT = path.join(HERE, "..", "..");
const GENERATOR = path.join(HERE, "..", "p3", "make-archive.py");
const READER = path.join(HERE, "p6_read.py");
const CLI = path.join(ROOT, "dist", "cli", "main.js");

type Side = "stacked-none" | "stacked-gzip4" | "imagefolder" | "files-none" | "files-gzip4";
const SIDES: readonly Side[] = ["stacked-none", "imagefolder", "files-none", "stacked-gzip4", "files-gzip4"];
const LABELS: Record<Side, string> = {
  "stacked-none": "(a) stacked, none",
  "stacked-gzip4": "(a) stacked, gzip 4",
  imagefolder: "(b) ImageFolder, PIL",
  "files-none": "(c) files layout, none",
  "files-gzip4": "(c) files layout, gzip 4",
};

interface ArchiveInfo {
  path: string;
  sha256: string;
  count: number;
  bytes: number;
  cached: boolean;
}

interface Run {
  images: number;
  seconds: number;
  images_per_s: number;
  main_cpu: number;
  classes: string[];
  label_counts: number[];
  shape: number[];
}

/** Where each side reads from. */
type Inputs = Record<Side, string>;

/** The CLI's arguments of each h5 side (the files layout: the default convert). */
const CONVERTS: Record<Exclude<Side, "imagefolder">, string[]> = {
  "stacked-none": ["--layout", "stacked", "--resize", "224x224", "--compression", "none"],
  "stacked-gzip4": ["--layout", "stacked", "--resize", "224x224", "--compression", "gzip:4"],
  "files-none": ["--compression", "none"],
  "files-gzip4": ["--compression", "gzip:4"],
};

/** Makes `target` with `make(partial)` unless a sidecar says it was made from this archive by this h5dat. */
function cached(target: string, archive: ArchiveInfo, args: string[], make: (partial: string) => void): boolean {
  const sidecar = `${target}.json`;
  const stamp = JSON.stringify({ archiveSha256: archive.sha256, h5datVersion: H5DAT_VERSION, args });
  if (fs.existsSync(target) && fs.existsSync(sidecar) && fs.readFileSync(sidecar, "utf8") === stamp) return true;
  const partial = `${target}.${process.pid}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  try {
    make(partial);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(partial, target);
    fs.writeFileSync(sidecar, stamp);
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return false;
}

function prepare(archive: ArchiveInfo, tools: HarnessTools): Inputs {
  const base = archive.path.replace(/\.tar\.gz$/, "");
  const inputs = {} as Inputs;
  for (const [side, args] of Object.entries(CONVERTS) as [Exclude<Side, "imagefolder">, string[]][]) {
    const file = `${base}.p6-${side}.h5`;
    const t0 = performance.now();
    const hit = cached(file, archive, args, (partial) => {
      tools.run(process.execPath, [CLI, "convert", archive.path, "-o", partial, "--overwrite", ...args], `p6 convert (${side})`);
    });
    console.log(`   ${LABELS[side].padEnd(26)} ${file} (${hit ? "cached" : `converted in ${((performance.now() - t0) / 1000).toFixed(1)} s`}, ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB)`);
    inputs[side] = file;
  }
  const tree = `${base}.p6-imagefolder`;
  const hit = cached(tree, archive, ["images/"], (partial) => {
    fs.mkdirSync(partial);
    execFileSync("tar", ["-xzf", archive.path, "-C", partial, "images/"]);
  });
  console.log(`   ${LABELS.imagefolder.padEnd(26)} ${tree}/images (${hit ? "cached" : "extracted"})`);
  inputs.imagefolder = path.join(tree, "images");
  return inputs;
}

/** Runs P6, prints its lines and returns the object printed last. */
export function runP6Bench(options: P6Options, tools: HarnessTools): SpeedResult {
  const archive = tools.lastJsonLine<ArchiveInfo>(tools.run(tools.python, [GENERATOR, "--count", String(options.files)], "p3 archive generator"), "p3 generator");
  console.log(`== p6: DataLoader (2 workers, batch 64, shuffled) over ${archive.count} JPEG 600x400 at 224x224, one epoch after a partial warm-up`);
  console.log(`   archive ${archive.path} (${archive.cached ? "cached" : "generated"}, sha256 ${archive.sha256.slice(0, 12)}…); ${options.reps} repetitions, interleaved; machine load ${tools.load()}`);
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  const inputs = prepare(archive, tools);

  const rates = new Map<Side, number[]>();
  let counts: string | null = null;
  for (let rep = 1; rep <= options.reps; rep++) {
    for (const side of turnOrder(SIDES, rep - 1)) {
      const kind = side.startsWith("stacked") ? "stacked" : side.startsWith("files") ? "files" : "imagefolder";
      const run = tools.lastJsonLine<Run>(tools.run(tools.python, [READER, "--side", kind, "--path", inputs[side]], `p6 ${side}`), `p6 ${side}`);
      const seen = JSON.stringify([run.classes, run.label_counts]);
      counts ??= seen;
      if (run.images !== archive.count || seen !== counts || run.shape.join() !== "3,224,224") {
        throw new Error(`${LABELS[side]} read ${run.images} images of shape [${run.shape}], labels ${seen}; expected ${archive.count} of [3,224,224], labels ${counts}`);
      }
      rates.set(side, [...(rates.get(side) ?? []), run.images_per_s]);
      console.log(`   rep ${rep}/${options.reps}  ${LABELS[side].padEnd(26)} ${run.images_per_s.toFixed(1).padStart(8)} images/s  (${run.seconds.toFixed(2)} s, main process cpu ${run.main_cpu.toFixed(2)} s)`);
    }
  }
  const copies = [0, 1, 2].map(() => tools.lastJsonLine<Run>(tools.run(tools.python, [READER, "--side", "memcpy"], "p6 memcpy"), "p6 memcpy").images_per_s);

  const med = (side: Side) => tools.median(rates.get(side) ?? [Number.NaN]);
  const bound = tools.median(copies);
  const ratio = med("stacked-none") / med("imagefolder");
  const ratioGzip4 = med("stacked-gzip4") / med("imagefolder");
  const overFiles = { none: med("stacked-none") / med("files-none"), gzip4: med("stacked-gzip4") / med("files-gzip4") };
  console.log(`   medians of ${options.reps} (every run: ${archive.count} images [3, 224, 224], the same label counts):`);
  for (const side of SIDES) console.log(`     ${LABELS[side].padEnd(26)} ${med(side).toFixed(1).padStart(8)} images/s   ${(med(side) / med("imagefolder")).toFixed(2)}x ImageFolder`);
  console.log(`     bound: numpy copy of 150,528 B on one core ${bound.toFixed(0)} images/s; (a) none reaches ${((100 * med("stacked-none")) / bound).toFixed(1)}% of it`);
  const verdict = (value: number, goal: number) => `${value >= goal ? "met" : "MISSED"} (${value.toFixed(2)}x)`;
  console.log(`   target: (a) none >= ${tools.target}x (b) -> ${verdict(ratio, tools.target)}; (a) gzip 4 >= ${GOALS.gzip4OverImageFolder}x (b) -> ${verdict(ratioGzip4, GOALS.gzip4OverImageFolder)}`);
  console.log(`           (a) >= ${GOALS.stackedOverFiles}x (c): none ${verdict(overFiles.none, GOALS.stackedOverFiles)}, gzip 4 ${verdict(overFiles.gzip4, GOALS.stackedOverFiles)}; load now ${tools.load()}`);
  const json: SpeedResult = {
    bench: "p6",
    unit: "images/s",
    h5dat: tools.round(med("stacked-none"), 1),
    reference: tools.round(med("imagefolder"), 1),
    ratio: tools.round(ratio, 2),
    stacked_gzip4: tools.round(med("stacked-gzip4"), 1),
    ratio_gzip4: tools.round(ratioGzip4, 2),
    files_none: tools.round(med("files-none"), 1),
    files_gzip4: tools.round(med("files-gzip4"), 1),
    ratio_over_files_none: tools.round(overFiles.none, 2),
    ratio_over_files_gzip4: tools.round(overFiles.gzip4, 2),
    memcpy_bound: Math.round(bound),
    bound_share: tools.round(med("stacked-none") / bound, 3),
    reps: options.reps,
    images: archive.count,
  };
  console.log(JSON.stringify(json));
  return json;
}
