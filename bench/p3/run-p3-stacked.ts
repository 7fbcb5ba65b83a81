// P3 stacked for the harness (bench/run.ts), issue 20: P3's tar.gz through convert() with
// --layout stacked --resize 224x224 against the same convert() in the files layout (its default),
// side by side, interleaved; `ratio` = stacked ÷ files layout in files/s (goal: no slower than 0.9×).
//
// Both sides are h5dat-p3.ts (the compiled package, convert()'s defaults otherwise: workers = the
// cores, gzip 4), each run its own process after the page cache settles; rep 0 is a discarded
// warm-up. The first file of each side is checked with h5py: the files layout's by P3's own check
// (bench/anchors/p3.py --check); the stack's by CHECK_STACK below (N rows of [224, 224, 3], every
// image labelled by its class directory, the JSON and CSV beside it in the files layout).
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { SpeedResult } from "../report/bench-result";
import type { P3Params, P3Result } from "./h5dat-p3";
import { p3Archive, type HarnessTools, type P3Options } from "./run-p3";
import { turnOrder } from "../turn-order";

const HERE = __dirname;
const SIDE = path.join(HERE, "h5dat-p3.ts");
const REFERENCE = path.join(HERE, "..", "anchors", "p3.py");
const RESIZE = "224x224";

type Layout = "files" | "stacked";
const LABELS: Record<Layout, string> = { files: "files layout", stacked: `stacked, --resize ${RESIZE}` };

/** The stack of a P3 file, checked with h5py: its verdict as P3's check prints one. */
const CHECK_STACK = `
import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
count = int(sys.argv[2])
groups = [g for g in f.values() if isinstance(g, h5py.Group) and g.attrs.get("layout") == "stacked"]
problems = []
if len(groups) != 1:
    problems.append("%d stacked groups" % len(groups))
else:
    g = groups[0]
    o = g["paths/offsets"][:]; b = g["paths/bytes"][:].tobytes()
    paths = [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)]
    classes = [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]]
    if g["images"].shape != (count, 224, 224, 3): problems.append("images %s" % (g["images"].shape,))
    if [classes[n] for n in g["labels"][:]] != [p.split("/")[1] for p in paths]: problems.append("labels differ from the class directories")
    jsons = [n for n in g["meta"]] if "meta" in g else []
    if len(jsons) != count or "labels.csv" not in g: problems.append("%d JSON beside the stack, labels.csv %s" % (len(jsons), "labels.csv" in g))
    if g["images"][count // 2].max() == 0: problems.append("a blank image")
print(json.dumps({"ok": not problems, "problems": problems, "what": "h5py: a stack of %d images [224, 224, 3] labelled by their class directories, %d JSON and the CSV beside it" % (count, count)}))
`;

/** Runs P3 stacked, prints its lines and returns the object printed last. */
export function runP3StackedBench(options: Omit<P3Options, "prof">, tools: HarnessTools): SpeedResult {
  const archive = p3Archive(options.files, tools);
  console.log(`== p3-stacked: P3's tar.gz (${archive.count} JPEG + ${archive.count} JSON + 1 CSV = ${archive.files} files) through convert(), --layout stacked --resize ${RESIZE} vs the files layout`);
  console.log(`   archive ${archive.path} (${archive.cached ? "cached" : "generated"}); ${options.reps} repetitions, interleaved; machine load ${tools.load()}`);
  execFileSync("npm", ["run", "build"], { cwd: path.join(HERE, "..", ".."), stdio: "ignore" });

  const rates: Record<Layout, number[]> = { files: [], stacked: [] };
  const checked = new Set<Layout>();
  for (let rep = 0; rep <= options.reps; rep++) {
    for (const layout of turnOrder(["stacked", "files"] as const, rep)) {
      const file = path.join(tools.tempDir(), `p3-${layout}-${rep}.h5`);
      tools.settlePageCache();
      try {
        const params: P3Params = { archive: archive.path, file, ...(layout === "stacked" ? { stackedResize: RESIZE } : {}) };
        const result = tools.lastJsonLine<P3Result>(tools.run(process.execPath, [...tools.nodeFlags(`p3-${layout}`, false), SIDE, JSON.stringify(params)], `h5dat p3 ${layout}`), `h5dat p3 ${layout}`);
        if (result.files !== archive.files) throw new Error(`${layout} converted ${result.files} files, the archive has ${archive.files}`);
        if (rep > 0) rates[layout].push(result.files_per_s);
        console.log(`   ${rep === 0 ? "warm-up   " : `rep ${rep}/${options.reps}`}  ${LABELS[layout].padEnd(26)} ${result.files_per_s.toFixed(1).padStart(7)} files/s  (${result.seconds.toFixed(2)} s, writer cpu ${result.cpu.toFixed(2)} s, file ${(result.fileBytes / 2 ** 20).toFixed(1)} MiB)`);
        if (!checked.has(layout)) {
          const out = layout === "files"
            ? tools.run(tools.python, [REFERENCE, "--archive", archive.path, "--file", file, "--check"], "p3 check of the files layout")
            : tools.run(tools.python, ["-c", CHECK_STACK, file, String(archive.count)], "p3 check of the stack");
          const verdict = tools.lastJsonLine<{ ok: boolean; problems: string[]; what: string }>(out, `p3 check (${layout})`);
          if (!verdict.ok) throw new Error(`the ${LABELS[layout]} file is wrong (h5py check): ${verdict.problems.join("; ")}`);
          console.log(`   check (${layout}): ${verdict.what}`);
          checked.add(layout);
        }
      } finally {
        tools.rm(file);
      }
    }
  }

  const stacked = tools.median(rates.stacked);
  const files = tools.median(rates.files);
  const ratio = stacked / files;
  console.log(`   medians of ${options.reps}:`);
  console.log(`     ${LABELS.stacked.padEnd(26)} ${stacked.toFixed(1).padStart(7)} files/s   ${ratio.toFixed(2)}x the files layout`);
  console.log(`     ${LABELS.files.padEnd(26)} ${files.toFixed(1).padStart(7)} files/s`);
  console.log(`   target: stacked >= ${tools.target}x files layout -> ${ratio >= tools.target ? "met" : "MISSED"} (${ratio.toFixed(2)}x); load now ${tools.load()}`);
  const json: SpeedResult = {
    bench: "p3-stacked",
    unit: "files/s",
    h5dat: tools.round(stacked, 1),
    reference: tools.round(files, 1),
    ratio: tools.round(ratio, 2),
    reps: options.reps,
    files: archive.files,
    images: archive.count,
  };
  console.log(JSON.stringify(json));
  return json;
}
