// P7 for the harness (bench/run.ts): what sharding costs on one machine, and how a master over
// many shards reads.
//
// Part 1, the headline: P3's tar.gz (bench/p3/run-p3.ts p3Archive) as one process against 16
// shard processes + merge (sharding-cost.ts); `ratio` = sharded ÷ one process in files/s, goal
// ≥ 0.95. The warm-up's master is checked with h5py against its one-process file.
// P7 formats (run-p7-formats.ts) runs part 1 over the same files as a tar and a zip.
//
// Part 2 (run-p7-many.ts), once: a master over 1,000 small shards, opened and read with h5py.
//
// The last stdout line is {"bench":"p7","unit":"files/s","h5dat":sharded,"reference":one process,"ratio":N,...}.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { SpeedResult } from "../report/bench-result";
import { p3Archive, type HarnessTools } from "../p3/run-p3";
import { CORES, SHARDS, costFields, measureShardingCost, oneFileArchive } from "./sharding-cost";
import { runManyShards } from "./run-p7-many";

export interface P7Options {
  /** JPEGs in P3's archive (and as many JSON files, plus one CSV). */
  files: number;
  reps: number;
}

const ROOT = path.join(__dirname, "..", "..");

/** Runs P7, prints its lines and returns the object printed last. */
export function runP7Bench(options: P7Options, tools: HarnessTools): SpeedResult {
  const archive = p3Archive(options.files, tools);
  console.log(`== p7: P3's tar.gz (${archive.count} JPEG + ${archive.count} JSON + 1 CSV = ${archive.files} files, ${(archive.bytes / 2 ** 20).toFixed(1)} MiB) one process (2 workers) vs ${SHARDS} shards ${CORES} at a time (--workers 1) + merge`);
  console.log(`   archive ${archive.path} (${archive.cached ? "cached" : "generated"}); ${options.reps} repetitions, interleaved; machine load ${tools.load()} (2 cores, shared: expect noise)`);
  buildDist();
  const compared = { path: archive.path, files: archive.files, bytes: archive.bytes, oneFile: oneFileArchive(tools.tempDir(), "tar.gz"), label: "tar.gz" };
  const cost = measureShardingCost(compared, options.reps, tools);
  console.log(`   target: sharded >= ${tools.target}x one process -> ${cost.ratio >= tools.target ? "met" : "MISSED"} (${cost.ratio.toFixed(2)}x); load now ${tools.load()}`);

  const many = manyShardsOrError(tools);
  // The rates and ratio under the harness's names (h5dat, reference, ratio); the rest as measured.
  const { sharded, one, ratio, ...costs } = costFields(cost, "", tools);
  const json: SpeedResult = {
    bench: "p7",
    unit: "files/s",
    h5dat: sharded,
    reference: one,
    ratio,
    shards: SHARDS,
    parallel: CORES,
    ...costs,
    archive_mb: tools.round(archive.bytes / 1e6, 1),
    ...many,
    reps: options.reps,
    files: archive.files,
    images: archive.count,
  };
  console.log(JSON.stringify(json));
  return json;
}

/** Part 2's fields; when it fails, its error, so that part 1's numbers are still recorded. */
function manyShardsOrError(tools: HarnessTools): Record<string, number | string | boolean> {
  try {
    return runManyShards(tools);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.log(`   part 2 FAILED: ${message.split("\n").slice(0, 6).join("\n     ")}`);
    return { many_error: message.slice(0, 2000) };
  }
}

/** `npm run build`: the shard tasks and the merge run the compiled CLI, as users do. */
export function buildDist(): void {
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "pipe" });
}
