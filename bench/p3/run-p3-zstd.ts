// P3 zstd for the harness (bench/run.ts), issue 22: P3's tar.gz through convert() with
// --compression zstd:3 beside the same convert() with gzip:4 (its default), side by side,
// interleaved, so users can choose a codec with numbers: files/s and the output file's size for
// each. `ratio` = zstd ÷ gzip in files/s; there is no goal (the target is 0: always met), the
// sizes are kept beside it (`gzip_mib`, `zstd_mib`, `size_ratio` = zstd's ÷ gzip's).
//
// Both sides are h5dat-p3.ts (the compiled package, convert()'s defaults otherwise: workers = the
// cores, images as pixels), each run its own process after the page cache settles; rep 0 is a
// discarded warm-up. The first file of each side is checked with h5py: P3's own check
// (bench/anchors/p3.py --check: every entry present, sample pixels within 3 of PIL's decode) and
// CHECK_FILTER below (an image dataset carries the filter asked for). h5py reads zstd through
// h5dat's HDF5 plugin (HDF5_PLUGIN_PATH; Debian's hdf5plugin 4.0.1 has no zstd).
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { SpeedResult } from "../report/bench-result";
import type { P3Params, P3Result } from "./h5dat-p3";
import { p3Archive, type HarnessTools, type P3Options } from "./run-p3";
import { turnOrder } from "../turn-order";
import { pluginPath } from "../../src/native/plugin-path";

const HERE = __dirname;
const SIDE = path.join(HERE, "h5dat-p3.ts");
const REFERENCE = path.join(HERE, "..", "anchors", "p3.py");

type Codec = "gzip" | "zstd";
const SETTINGS: Record<Codec, string> = { gzip: "gzip:4", zstd: "zstd:3" };
/** The filter each codec's image datasets must carry: HDF5's deflate 1 at level 4, or hdf5plugin's Zstd 32015 at level 3. */
const FILTERS: Record<Codec, string> = { gzip: "(1, (4,))", zstd: "(32015, (3,))" };

/** Which filters the file's first image dataset carries, checked with h5py: a verdict as P3's check prints one. */
const CHECK_FILTER = `
import h5py, json, sys
path, want = sys.argv[1], sys.argv[2]
found = []
def visit(name, obj):
    if not found and isinstance(obj, h5py.Dataset) and obj.attrs.get("CLASS") == b"IMAGE":
        found.append(obj)
with h5py.File(path, "r") as f:
    f.visititems(visit)
    plist = found[0].id.get_create_plist() if found else None
    got = [(plist.get_filter(i)[0], tuple(plist.get_filter(i)[2])) for i in range(plist.get_nfilters())] if found else []
compressors = [str(g) for g in got if g[0] != 2]
ok = bool(found) and compressors == [want]
print(json.dumps({"ok": ok, "problems": [] if ok else ["image filters %s, expected %s" % (got, want)], "what": "h5py: image datasets filtered by %s" % want}))
`;

/** Runs P3 zstd, prints its lines and returns the object printed last. */
export function runP3ZstdBench(options: Omit<P3Options, "prof">, tools: HarnessTools): SpeedResult {
  const archive = p3Archive(options.files, tools);
  console.log(`== p3-zstd: P3's tar.gz (${archive.count} JPEG + ${archive.count} JSON + 1 CSV = ${archive.files} files) through convert(), --compression zstd:3 vs gzip:4 (the default)`);
  console.log(`   archive ${archive.path} (${archive.cached ? "cached" : "generated"}); ${options.reps} repetitions, interleaved; machine load ${tools.load()}`);
  execFileSync("npm", ["run", "build"], { cwd: path.join(HERE, "..", ".."), stdio: "ignore" });
  // h5py reads the zstd file's images through h5dat's plugin.
  const pythonEnv = { ...process.env, HDF5_PLUGIN_PATH: pluginPath() };

  const rates: Record<Codec, number[]> = { gzip: [], zstd: [] };
  const sizes: Record<Codec, number[]> = { gzip: [], zstd: [] };
  const checked = new Set<Codec>();
  for (let rep = 0; rep <= options.reps; rep++) {
    for (const codec of turnOrder(["zstd", "gzip"] as const, rep)) {
      const file = path.join(tools.tempDir(), `p3-${codec}-${rep}.h5`);
      tools.settlePageCache();
      try {
        const params: P3Params = { archive: archive.path, file, compression: SETTINGS[codec] };
        const result = tools.lastJsonLine<P3Result>(tools.run(process.execPath, [...tools.nodeFlags(`p3-${codec}`, false), SIDE, JSON.stringify(params)], `h5dat p3 ${codec}`), `h5dat p3 ${codec}`);
        if (result.files !== archive.files) throw new Error(`${codec} converted ${result.files} files, the archive has ${archive.files}`);
        if (rep > 0) {
          rates[codec].push(result.files_per_s);
          sizes[codec].push(result.fileBytes);
        }
        console.log(`   ${rep === 0 ? "warm-up   " : `rep ${rep}/${options.reps}`}  ${SETTINGS[codec].padEnd(7)} ${result.files_per_s.toFixed(1).padStart(7)} files/s  (${result.seconds.toFixed(2)} s, writer cpu ${result.cpu.toFixed(2)} s, peak RSS ${result.peak_rss_mb.toFixed(0)} MB + workers ${(result.workers_peak_rss_mb ?? 0).toFixed(0)} MB, file ${(result.fileBytes / 2 ** 20).toFixed(1)} MiB)`);
        if (!checked.has(codec)) {
          for (const [what, args] of [
            ["entries and pixels", [REFERENCE, "--archive", archive.path, "--file", file, "--check"]],
            ["filters", ["-c", CHECK_FILTER, file, FILTERS[codec]]],
          ] as const) {
            const verdict = tools.lastJsonLine<{ ok: boolean; problems: string[]; what: string }>(tools.run(tools.python, [...args], `p3 check of the ${codec} file (${what})`, pythonEnv), `p3 check (${codec})`);
            if (!verdict.ok) throw new Error(`the ${SETTINGS[codec]} file is wrong (h5py check): ${verdict.problems.join("; ")}`);
            console.log(`   check (${codec}): ${verdict.what}`);
          }
          checked.add(codec);
        }
      } finally {
        tools.rm(file);
      }
    }
  }

  const zstd = tools.median(rates.zstd);
  const gzip = tools.median(rates.gzip);
  const mib = (codec: Codec) => tools.median(sizes[codec]) / 2 ** 20;
  const ratio = zstd / gzip;
  console.log(`   medians of ${options.reps}:`);
  console.log(`     zstd:3  ${zstd.toFixed(1).padStart(7)} files/s   ${ratio.toFixed(2)}x gzip:4's rate; file ${mib("zstd").toFixed(1)} MiB (${(mib("zstd") / mib("gzip")).toFixed(3)}x gzip:4's)`);
  console.log(`     gzip:4  ${gzip.toFixed(1).padStart(7)} files/s   file ${mib("gzip").toFixed(1)} MiB (archive ${(archive.bytes / 2 ** 20).toFixed(1)} MiB)`);
  console.log(`   no target (a choice for users, not a goal); load now ${tools.load()}`);
  const json: SpeedResult = {
    bench: "p3-zstd",
    unit: "files/s",
    h5dat: tools.round(zstd, 1),
    reference: tools.round(gzip, 1),
    ratio: tools.round(ratio, 2),
    zstd_mib: tools.round(mib("zstd"), 1),
    gzip_mib: tools.round(mib("gzip"), 1),
    size_ratio: tools.round(mib("zstd") / mib("gzip"), 3),
    archive_mib: tools.round(archive.bytes / 2 ** 20, 1),
    reps: options.reps,
    files: archive.files,
    images: archive.count,
  };
  console.log(JSON.stringify(json));
  return json;
}
