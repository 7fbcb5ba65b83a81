// P7 formats for the harness (bench/run.ts): P7's part 1 (sharding-cost.ts: one process against
// 16 shard processes + merge) over P3's files as an uncompressed tar and as a zip, made once from
// P3's tar.gz and cached beside it. A tar.gz cannot be skipped through: every shard task inflates
// the whole stream, so with 16 tasks the gunzip is paid 16 times. A tar's entries are skipped by
// seeking, a zip's listing is its central directory: there a task's cost beyond its share is its
// start and the merge's share. `ratio` is the zip's (sharded ÷ one process, files/s), the tar's beside it.
//
// The last stdout line is {"bench":"p7-formats","unit":"files/s","h5dat":zip sharded,"reference":zip one process,"ratio":N,"tar_ratio":N,...}.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type { SpeedResult } from "../report/bench-result";
import { p3Archive, type HarnessTools } from "../p3/run-p3";
import { buildDist } from "./run-p7";
import { CORES, SHARDS, costFields, measureShardingCost, oneFileArchive } from "./sharding-cost";

export interface P7FormatsOptions {
  files: number;
  reps: number;
}

/** Runs P7 formats, prints its lines and returns the object printed last. */
export function runP7FormatsBench(options: P7FormatsOptions, tools: HarnessTools): SpeedResult {
  const archive = p3Archive(options.files, tools);
  const tar = repacked(archive.path, "tar");
  const zip = repacked(archive.path, "zip");
  console.log(`== p7-formats: P3's ${archive.files} files as a tar (${mib(tar)} MiB) and a zip (${mib(zip)} MiB): one process (2 workers) vs ${SHARDS} shards ${CORES} at a time (--workers 1) + merge`);
  console.log(`   ${options.reps} repetitions each, interleaved; machine load ${tools.load()} (2 cores, shared: expect noise)`);
  buildDist();
  const [tarCost, zipCost] = ([["tar", tar], ["zip", zip]] as const).map(([format, file]) => {
    const compared = { path: file, files: archive.files, bytes: fs.statSync(file).size, oneFile: oneFileArchive(tools.tempDir(), format), label: format };
    return measureShardingCost(compared, options.reps, tools);
  });
  console.log(`   target: zip sharded >= ${tools.target}x one process -> ${zipCost.ratio >= tools.target ? "met" : "MISSED"} (${zipCost.ratio.toFixed(2)}x; tar ${tarCost.ratio.toFixed(2)}x); load now ${tools.load()}`);
  const json: SpeedResult = {
    bench: "p7-formats",
    unit: "files/s",
    h5dat: tools.round(zipCost.sharded, 1),
    reference: tools.round(zipCost.one, 1),
    ratio: tools.round(zipCost.ratio, 2),
    shards: SHARDS,
    parallel: CORES,
    ...costFields(zipCost, "zip_", tools),
    ...costFields(tarCost, "tar_", tools),
    tar_mb: tools.round(fs.statSync(tar).size / 1e6, 1),
    zip_mb: tools.round(fs.statSync(zip).size / 1e6, 1),
    reps: options.reps,
    files: archive.files,
    images: archive.count,
  };
  console.log(JSON.stringify(json));
  return json;
}

const mib = (file: string) => (fs.statSync(file).size / 2 ** 20).toFixed(1);

/** `tarGz`'s files as a `format` archive beside it (made once: gunzipped, or unpacked and zipped with zip's defaults). */
function repacked(tarGz: string, format: "tar" | "zip"): string {
  const out = tarGz.replace(/\.tar\.gz$/, `.${format}`);
  if (fs.existsSync(out)) return out;
  const partial = `${out}.partial`;
  if (format === "tar") {
    execFileSync("sh", ["-c", 'gzip -dc "$1" > "$2"', "sh", tarGz, partial]);
  } else {
    const unpacked = fs.mkdtempSync(`${out}.unpacked-`);
    try {
      execFileSync("tar", ["xzf", tarGz, "-C", unpacked]);
      execFileSync("zip", ["-q", "-r", "-X", partial, "."], { cwd: unpacked });
    } finally {
      fs.rmSync(unpacked, { recursive: true, force: true });
    }
  }
  fs.renameSync(partial, out);
  return out;
}
