// P7 for the harness (bench/run.ts): what sharding costs on one machine, and how a master over
// many shards reads.
//
// Part 1, the headline: P3's tar.gz (bench/p3/run-p3.ts p3Archive) converted (a) by one process,
// convert() with 2 workers (the cores), files layout, timed from the call to its return as in P3;
// (b) as 16 shards, 2 at a time, each its own `h5dat convert --shard i/16 --workers 1` process,
// then `h5dat merge` (virtual), timed from the first shard's start to the merge's end
// (sharded-run.ts). `ratio` = (b) ÷ (a) in files/s; goal ≥ 0.95. Beside them, each repetition
// times two tasks whose shard owns no entry (`--shard 123456789/10^12`): one over the archive and
// one over a one-file archive, whose difference is what a task spends passing over the other
// shards' entries, given as seconds per GB of archive listed. The sides' order turns each
// repetition, every run starts after the page cache settles, rep 0 is a discarded warm-up. The
// warm-up's master is checked with h5py against its one-process file (check_master.py).
//
// Part 2 (run-p7-many.ts), once: a master over 1,000 small shards, opened and read with h5py.
//
// The last stdout line is {"bench":"p7","unit":"files/s","h5dat":sharded,"reference":one process,"ratio":N,...}.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { SpeedResult } from "../report/bench-result";
import type { P3Params, P3Result } from "../p3/h5dat-p3";
import { p3Archive, type HarnessTools } from "../p3/run-p3";
import { turnOrder } from "../turn-order";
import type { ShardedRunParams, ShardedRunResult } from "./sharded-run";
import { runManyShards } from "./run-p7-many";

export interface P7Options {
  /** JPEGs in P3's archive (and as many JSON files, plus one CSV). */
  files: number;
  reps: number;
}

const HERE = __dirname;
const ROOT = path.join(HERE, "..", "..");
const ONE_PROCESS = path.join(HERE, "..", "p3", "h5dat-p3.ts");
const SHARDED = path.join(HERE, "sharded-run.ts");
const CHECK = path.join(HERE, "check_master.py");
const CLI = path.join(ROOT, "dist", "cli", "main.js");

const SHARDS = 16;
/** Shard processes at once, and the one process's workers: the machine's 2 cores. */
const CORES = 2;
/** A shard index no entry hashes to (checked: such a task must convert 0 entries). */
const EMPTY_SHARD = "123456789/1000000000000";

type Side = "one" | "sharded" | "empty";

/** Runs P7, prints its lines and returns the object printed last. */
export function runP7Bench(options: P7Options, tools: HarnessTools): SpeedResult {
  const archive = p3Archive(options.files, tools);
  const gb = archive.bytes / 1e9;
  console.log(`== p7: P3's tar.gz (${archive.count} JPEG + ${archive.count} JSON + 1 CSV = ${archive.files} files, ${(archive.bytes / 2 ** 20).toFixed(1)} MiB) one process (2 workers) vs ${SHARDS} shards ${CORES} at a time (--workers 1) + merge`);
  console.log(`   archive ${archive.path} (${archive.cached ? "cached" : "generated"}); ${options.reps} repetitions, interleaved; machine load ${tools.load()} (2 cores, shared: expect noise)`);
  buildDist();
  const oneFile = oneFileArchive(tools.tempDir());

  const rates: Record<"one" | "sharded", number[]> = { one: [], sharded: [] };
  const merges: number[] = [];
  const shardMeans: number[] = [];
  const oneWalls: number[] = [];
  const empties: Record<"archive" | "oneFile", number[]> = { archive: [], oneFile: [] };
  let checked = false;
  for (let rep = 0; rep <= options.reps; rep++) {
    const tag = rep === 0 ? "warm-up   " : `rep ${rep}/${options.reps}`;
    const single = path.join(tools.tempDir(), `p7-one-${rep}.h5`);
    const shardDir = path.join(tools.tempDir(), `p7-shards-${rep}`);
    try {
      for (const side of turnOrder<Side>(["sharded", "one", "empty"], rep)) {
        tools.settlePageCache();
        if (side === "one") {
          const params: P3Params = { archive: archive.path, file: single, workers: CORES };
          const started = performance.now();
          const result = tools.lastJsonLine<P3Result>(tools.run(process.execPath, [...tools.nodeFlags("p7-one", false), ONE_PROCESS, JSON.stringify(params)], "p7 one process"), "p7 one process");
          const wall = (performance.now() - started) / 1000;
          if (result.files !== archive.files) throw new Error(`one process converted ${result.files} files, the archive has ${archive.files}`);
          if (rep > 0) { rates.one.push(result.files_per_s); oneWalls.push(wall); }
          console.log(`   ${tag}  ${"one process, 2 workers".padEnd(30)} ${result.files_per_s.toFixed(1).padStart(7)} files/s  (convert() ${result.seconds.toFixed(2)} s, process ${wall.toFixed(2)} s)`);
        } else if (side === "sharded") {
          const params: ShardedRunParams = { archive: archive.path, dir: shardDir, count: SHARDS, parallel: CORES, workers: 1 };
          const result = tools.lastJsonLine<ShardedRunResult>(tools.run(process.execPath, ["--import", "tsx", SHARDED, JSON.stringify(params)], "p7 sharded"), "p7 sharded");
          if (result.entries !== archive.files) throw new Error(`the shards converted ${result.entries} files, the archive has ${archive.files}`);
          const rate = archive.files / result.seconds;
          const meanShard = result.shard_seconds.reduce((a, b) => a + b, 0) / SHARDS;
          if (rep > 0) { rates.sharded.push(rate); merges.push(result.merge_seconds); shardMeans.push(meanShard); }
          console.log(`   ${tag}  ${`${SHARDS} shards, ${CORES} at a time + merge`.padEnd(30)} ${rate.toFixed(1).padStart(7)} files/s  (${result.seconds.toFixed(2)} s: shards ${result.shards_seconds.toFixed(2)} s, each ${Math.min(...result.shard_seconds).toFixed(1)}–${Math.max(...result.shard_seconds).toFixed(1)} s, mean ${meanShard.toFixed(2)} s; merge ${result.merge_seconds.toFixed(2)} s)`);
        } else {
          const overArchive = emptyShardSeconds(archive.path, tools);
          const overOneFile = emptyShardSeconds(oneFile, tools);
          if (rep > 0) { empties.archive.push(overArchive); empties.oneFile.push(overOneFile); }
          console.log(`   ${tag}  ${"a shard owning no entry".padEnd(30)} ${overArchive.toFixed(2)} s over the archive, ${overOneFile.toFixed(2)} s over a one-file archive: ${((overArchive - overOneFile) / gb).toFixed(2)} s per GB listed`);
        }
      }
      if (!checked) {
        const out = tools.run(tools.python, [CHECK, path.join(shardDir, "master.h5"), single, String(archive.files)], "p7 check of the master");
        const verdict = tools.lastJsonLine<{ ok: boolean; problems: string[]; what: string }>(out, "p7 check");
        if (!verdict.ok) throw new Error(`the merged master is wrong (h5py check): ${verdict.problems.join("; ")}`);
        console.log(`   check: ${verdict.what}`);
        checked = true;
      }
    } finally {
      tools.rm(single);
      fs.rmSync(shardDir, { recursive: true, force: true });
    }
  }

  const one = tools.median(rates.one);
  const sharded = tools.median(rates.sharded);
  const ratio = sharded / one;
  const emptyArchive = tools.median(empties.archive);
  const emptyOneFile = tools.median(empties.oneFile);
  const perGb = (emptyArchive - emptyOneFile) / gb;
  const oneSeconds = archive.files / one;
  console.log(`   medians of ${options.reps}:`);
  console.log(`     ${SHARDS} shards + merge  ${sharded.toFixed(1).padStart(7)} files/s (${(archive.files / sharded).toFixed(1)} s)   ${ratio.toFixed(2)}x one process`);
  console.log(`     one process          ${one.toFixed(1).padStart(7)} files/s (${oneSeconds.toFixed(1)} s; the process ${tools.median(oneWalls).toFixed(1)} s)`);
  console.log(`     merge alone ${tools.median(merges).toFixed(2)} s; a shard task ${tools.median(shardMeans).toFixed(2)} s on average against 1/${SHARDS} of one process ${(oneSeconds / SHARDS).toFixed(2)} s`);
  console.log(`     passing over other shards' entries: ${emptyArchive.toFixed(2)} s over the archive − ${emptyOneFile.toFixed(2)} s over one file = ${perGb.toFixed(2)} s per GB of archive listed`);
  console.log(`   target: sharded >= ${tools.target}x one process -> ${ratio >= tools.target ? "met" : "MISSED"} (${ratio.toFixed(2)}x); load now ${tools.load()}`);

  const many = manyShardsOrError(tools);
  const json: SpeedResult = {
    bench: "p7",
    unit: "files/s",
    h5dat: tools.round(sharded, 1),
    reference: tools.round(one, 1),
    ratio: tools.round(ratio, 2),
    shards: SHARDS,
    parallel: CORES,
    merge_s: tools.round(tools.median(merges), 2),
    shard_task_mean_s: tools.round(tools.median(shardMeans), 2),
    one_process_sixteenth_s: tools.round(oneSeconds / SHARDS, 2),
    empty_shard_s: tools.round(emptyArchive, 2),
    empty_shard_one_file_s: tools.round(emptyOneFile, 2),
    listing_s_per_gb: tools.round(perGb, 2),
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

/**
 * `npm run build` for dist/. Until the native virtual-dataset op lands, tsc reports
 * merge/stack-merge.ts's call to it but still emits dist/, which P7's files layout does not need.
 */
function buildDist(): void {
  try {
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "pipe" });
  } catch (error) {
    const out = String((error as { stdout?: Buffer }).stdout ?? "");
    const errors = out.split("\n").filter((line) => line.includes("error TS"));
    const onlyVirtual = errors.length > 0 && errors.every((line) => line.includes("createVirtualDataset"));
    if (!onlyVirtual || !fs.existsSync(path.join(ROOT, "dist", "index.js"))) throw error;
    console.log(`   note: npm run build: ${errors.length} type error(s) for the missing virtual-dataset op; using the dist/ tsc emitted`);
  }
}

/** A tar.gz of one small file: a task's cost over it is its start, the listing's cost aside. */
function oneFileArchive(dir: string): string {
  const archive = path.join(dir, "p7-one-file.tar.gz");
  if (!fs.existsSync(archive)) {
    fs.writeFileSync(path.join(dir, "p7-one-file.txt"), "one entry\n");
    execFileSync("tar", ["czf", archive, "-C", dir, "p7-one-file.txt"]);
  }
  return archive;
}

/** Wall seconds of `h5dat convert --shard` for a shard owning no entry of `input`, spawn to exit. */
function emptyShardSeconds(input: string, tools: HarnessTools): number {
  const output = path.join(tools.tempDir(), "p7-empty-shard.h5");
  const started = performance.now();
  const out = tools.run(process.execPath, [CLI, "convert", input, "--shard", EMPTY_SHARD, "--workers", "1", "-o", output, "--overwrite", "--json"], "p7 empty shard");
  const seconds = (performance.now() - started) / 1000;
  tools.rm(output);
  const summary = tools.lastJsonLine<{ entries: number }>(out, "p7 empty shard");
  if (summary.entries !== 0) throw new Error(`shard ${EMPTY_SHARD} of ${input} owns ${summary.entries} entries: pick another index`);
  return seconds;
}
