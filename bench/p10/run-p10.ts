// P10 for the harness (bench/run.ts), issue 24: `h5dat view` opening big files. P3's archive
// converted twice, as P3 does (a dataset per file: 5,000 JPEGs, 5,000 JSON, a CSV: 10,000+
// datasets) and stacked (--layout stacked --resize 448x320 --compression none: ≈ 2 GB of
// images in one [N, H, W, 3] array); each is served by `h5dat view` and browsed by headless
// Chromium (view-p10.ts): time to first paint of the tree and of an image, and the server's
// peak RSS while browsing. Goals: under 1 s each; under 150 MB.
//
// The entry's `h5dat` is the slowest of the four first paints, in seconds; its `reference` the
// 1 s goal, and `ratio` goal ÷ slowest (≥ 1: met), the chart's axis for every bench.
import fs from "node:fs";
import path from "node:path";
import type { SpeedResult } from "../report/bench-result";
import { p3Archive, type HarnessTools } from "../p3/run-p3";

export interface P10Options {
  /** JPEGs in P3's archive (and as many JSON files). */
  files: number;
  reps: number;
}

const ROOT = path.join(__dirname, "..", "..");
const CLI = path.join(ROOT, "src", "cli", "main.ts");
const SIDE = path.join(__dirname, "view-p10.ts");
/** The goals: seconds to first paint, MB of server RSS. */
export const P10_PAINT_S = 1;
export const P10_RSS_MB = 150;

interface Paints {
  tree_s: number;
  image_s: number;
  rss_peak_mb: number;
  file_bytes: number;
}

/** The paths browsed in a file: an image, a big group, a table (ls -r --json picks them). */
function pathsOf(file: string, tools: HarnessTools): { image: string; group: string; table: string; datasets: number } {
  const listed = JSON.parse(tools.run(process.execPath, ["--import", "tsx", CLI, "ls", "-r", "--json", file], "h5dat ls")) as { path: string; kind: string; shape?: number[]; dtype?: string; stacked?: unknown }[];
  const datasets = listed.filter((o) => o.kind === "dataset").length;
  const stack = listed.find((o) => o.stacked);
  if (stack) return { image: stack.path, group: stack.path, table: stack.path, datasets };
  const image = listed.find((o) => o.kind === "dataset" && o.shape?.length === 3 && o.dtype === "uint8")!;
  const group = image.path.slice(0, image.path.lastIndexOf("/"));
  const table = listed.find((o) => o.kind === "dataset" && o.path.endsWith(".csv"))?.path ?? image.path;
  return { image: image.path, group, table, datasets };
}

/** Runs P10, prints its lines and returns the object printed last. */
export function runP10Bench(options: P10Options, tools: HarnessTools): SpeedResult {
  const archive = p3Archive(options.files, tools);
  console.log(`== p10: h5dat view over P3's archive (${archive.count} JPEG + ${archive.count} JSON), converted as files and stacked; headless Chromium`);
  console.log(`   ${options.reps} repetitions (a warm-up first); machine load ${tools.load()} (2 cores, shared: expect noise)`);
  // The server runs as users run it, from dist/ (view-p10.ts).
  tools.run("npm", ["run", "build"], "npm run build");
  const dir = tools.tempDir();
  const files = path.join(dir, "p10-files.h5");
  const stacked = path.join(dir, "p10-stacked.h5");
  const convert = (out: string, ...flags: string[]) => tools.run(process.execPath, ["--import", "tsx", CLI, "convert", archive.path, "-o", out, "--overwrite", ...flags], `convert ${path.basename(out)}`);
  const measured: Record<string, Paints & { datasets: number }> = {};
  try {
    convert(files);
    convert(stacked, "--layout", "stacked", "--resize", "448x320:fill", "--compression", "none", "--split", "train=0.8,val=0.2");
    for (const [name, file] of [["files", files], ["stacked", stacked]] as const) {
      const paths = pathsOf(file, tools);
      console.log(`   ${name}: ${(fs.statSync(file).size / 2 ** 30).toFixed(2)} GiB, ${paths.datasets} datasets; image ${paths.image}`);
      const out = tools.run(process.execPath, ["--import", "tsx", SIDE, file, paths.image, paths.group, paths.table, String(options.reps)], `view ${name}`);
      process.stdout.write(out.split("\n").filter((line) => line.startsWith("   ")).map((line) => `${line}\n`).join(""));
      measured[name] = { ...tools.lastJsonLine<Paints>(out, `p10 ${name}`), datasets: paths.datasets };
    }
  } finally {
    tools.rm(files);
    tools.rm(stacked);
  }
  return report(measured, options);
}

function report(measured: Record<string, Paints & { datasets: number }>, options: P10Options): SpeedResult {
  const { files, stacked } = measured;
  const slowest = Math.max(files.tree_s, files.image_s, stacked.tree_s, stacked.image_s);
  const rss = Math.max(files.rss_peak_mb, stacked.rss_peak_mb);
  console.log(`   first paint (medians): files tree ${files.tree_s.toFixed(3)} s, image ${files.image_s.toFixed(3)} s; stacked tree ${stacked.tree_s.toFixed(3)} s, image ${stacked.image_s.toFixed(3)} s`);
  console.log(`   goal: each under ${P10_PAINT_S} s -> ${slowest < P10_PAINT_S ? "met" : "MISSED"} (slowest ${slowest.toFixed(3)} s); server RSS peak ${rss} MB, goal under ${P10_RSS_MB} MB -> ${rss < P10_RSS_MB ? "met" : "MISSED"}`);
  const result: SpeedResult = {
    bench: "p10",
    unit: "s",
    h5dat: round3(slowest),
    reference: P10_PAINT_S,
    ratio: Math.round((P10_PAINT_S / slowest) * 100) / 100,
    reps: options.reps,
    images: options.files,
    files_tree_s: round3(files.tree_s),
    files_image_s: round3(files.image_s),
    files_datasets: files.datasets,
    stacked_tree_s: round3(stacked.tree_s),
    stacked_image_s: round3(stacked.image_s),
    stacked_gib: round3(stacked.file_bytes / 2 ** 30),
    rss_peak_mb: rss,
    rss_goal_met: rss < P10_RSS_MB,
  };
  console.log(JSON.stringify(result));
  return result;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
