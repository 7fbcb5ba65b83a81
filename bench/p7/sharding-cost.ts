// What going sharded costs on one machine, for one archive: (a) one process, convert() with 2
// workers (the cores), files layout, timed from the call to its return as in P3; (b) 16 shards,
// 2 at a time, each its own `h5dat convert --shard i/16 --workers 1` process, then `h5dat merge`
// (virtual), timed from the first shard's start to the merge's end (sharded-run.ts); (c) two
// tasks whose shard owns no entry: one over the archive and one over a one-file archive of the
// same format, whose difference is what a task spends passing over the other shards' entries.
// The sides' order turns each repetition, every run starts after the page cache settles, rep 0
// is a discarded warm-up. P7 runs it over P3's tar.gz, P7 formats over the same files as a tar
// and a zip.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { P3Params, P3Result } from "../p3/h5dat-p3";
import type { HarnessTools } from "../p3/run-p3";
import { turnOrder } from "../turn-order";
import type { ShardedRunParams, ShardedRunResult } from "./sharded-run";

const HERE = __dirname;
const ONE_PROCESS = path.join(HERE, "..", "p3", "h5dat-p3.ts");
const SHARDED = path.join(HERE, "sharded-run.ts");
const CHECK = path.join(HERE, "check_master.py");
const CLI = path.join(HERE, "..", "..", "dist", "cli", "main.js");

export const SHARDS = 16;
/** Shard processes at once, and the one process's workers: the machine's 2 cores. */
export const CORES = 2;
/** A shard index no entry hashes to (checked: such a task must convert 0 entries). */
const EMPTY_SHARD = "123456789/1000000000000";

/** An archive to compare on, and the one-file archive of its format (the baseline of (c)). */
export interface ComparedArchive {
  path: string;
  /** Files in it (the entries every side must convert). */
  files: number;
  bytes: number;
  oneFile: string;
  /** Printed before each line: "tar.gz", "zip", ... */
  label: string;
}

/** Medians over the timed repetitions (rep 0 aside). */
export interface ShardingCost {
  /** files/s, 16 shards + merge and one process. */
  sharded: number;
  one: number;
  ratio: number;
  merge_s: number;
  /** A shard task's mean wall seconds, against one process's time over 16. */
  shard_task_mean_s: number;
  one_process_sixteenth_s: number;
  /** Wall seconds of a task owning no entry, over the archive and over one file. */
  empty_shard_s: number;
  empty_shard_one_file_s: number;
  /** (empty over the archive − empty over one file) per GB of archive. */
  listing_s_per_gb: number;
}

type Side = "one" | "sharded" | "empty";

/** Runs the comparison `reps` + 1 times, prints a line per run and the medians; checks rep 0's master with h5py. */
export function measureShardingCost(archive: ComparedArchive, reps: number, tools: HarnessTools): ShardingCost {
  const gb = archive.bytes / 1e9;
  const rates: Record<"one" | "sharded", number[]> = { one: [], sharded: [] };
  const merges: number[] = [];
  const shardMeans: number[] = [];
  const empties: Record<"archive" | "oneFile", number[]> = { archive: [], oneFile: [] };
  const label = archive.label.padEnd(6);
  for (let rep = 0; rep <= reps; rep++) {
    const tag = rep === 0 ? "warm-up   " : `rep ${rep}/${reps}`;
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
          if (result.files !== archive.files) throw new Error(`one process converted ${result.files} files of ${archive.path}, it has ${archive.files}`);
          if (rep > 0) rates.one.push(result.files_per_s);
          console.log(`   ${label} ${tag}  ${"one process, 2 workers".padEnd(30)} ${result.files_per_s.toFixed(1).padStart(7)} files/s  (convert() ${result.seconds.toFixed(2)} s, process ${wall.toFixed(2)} s)`);
        } else if (side === "sharded") {
          const params: ShardedRunParams = { archive: archive.path, dir: shardDir, count: SHARDS, parallel: CORES, workers: 1 };
          const result = tools.lastJsonLine<ShardedRunResult>(tools.run(process.execPath, ["--import", "tsx", SHARDED, JSON.stringify(params)], "p7 sharded"), "p7 sharded");
          if (result.entries !== archive.files) throw new Error(`the shards converted ${result.entries} files of ${archive.path}, it has ${archive.files}`);
          const rate = archive.files / result.seconds;
          const meanShard = result.shard_seconds.reduce((a, b) => a + b, 0) / SHARDS;
          if (rep > 0) { rates.sharded.push(rate); merges.push(result.merge_seconds); shardMeans.push(meanShard); }
          console.log(`   ${label} ${tag}  ${`${SHARDS} shards, ${CORES} at a time + merge`.padEnd(30)} ${rate.toFixed(1).padStart(7)} files/s  (${result.seconds.toFixed(2)} s: shards ${result.shards_seconds.toFixed(2)} s, each ${Math.min(...result.shard_seconds).toFixed(1)}–${Math.max(...result.shard_seconds).toFixed(1)} s, mean ${meanShard.toFixed(2)} s; merge ${result.merge_seconds.toFixed(2)} s)`);
        } else {
          const overArchive = emptyShardSeconds(archive.path, tools);
          const overOneFile = emptyShardSeconds(archive.oneFile, tools);
          if (rep > 0) { empties.archive.push(overArchive); empties.oneFile.push(overOneFile); }
          console.log(`   ${label} ${tag}  ${"a shard owning no entry".padEnd(30)} ${overArchive.toFixed(2)} s over the archive, ${overOneFile.toFixed(2)} s over a one-file archive: ${((overArchive - overOneFile) / gb).toFixed(2)} s per GB listed`);
        }
      }
      if (rep === 0) {
        const out = tools.run(tools.python, [CHECK, path.join(shardDir, "master.h5"), single, String(archive.files)], "p7 check of the master");
        const verdict = tools.lastJsonLine<{ ok: boolean; problems: string[]; what: string }>(out, "p7 check");
        if (!verdict.ok) throw new Error(`the merged master of ${archive.path} is wrong (h5py check): ${verdict.problems.join("; ")}`);
        console.log(`   ${label} check: ${verdict.what}`);
      }
    } finally {
      tools.rm(single);
      fs.rmSync(shardDir, { recursive: true, force: true });
    }
  }

  const one = tools.median(rates.one);
  const sharded = tools.median(rates.sharded);
  const emptyArchive = tools.median(empties.archive);
  const emptyOneFile = tools.median(empties.oneFile);
  const cost: ShardingCost = {
    sharded, one, ratio: sharded / one,
    merge_s: tools.median(merges),
    shard_task_mean_s: tools.median(shardMeans),
    one_process_sixteenth_s: archive.files / one / SHARDS,
    empty_shard_s: emptyArchive,
    empty_shard_one_file_s: emptyOneFile,
    listing_s_per_gb: (emptyArchive - emptyOneFile) / gb,
  };
  console.log(`   ${label} medians of ${reps}:`);
  console.log(`     ${SHARDS} shards + merge  ${sharded.toFixed(1).padStart(7)} files/s (${(archive.files / sharded).toFixed(1)} s)   ${cost.ratio.toFixed(2)}x one process`);
  console.log(`     one process          ${one.toFixed(1).padStart(7)} files/s (${(archive.files / one).toFixed(1)} s)`);
  console.log(`     merge alone ${cost.merge_s.toFixed(2)} s; a shard task ${cost.shard_task_mean_s.toFixed(2)} s on average against 1/${SHARDS} of one process ${cost.one_process_sixteenth_s.toFixed(2)} s`);
  console.log(`     passing over other shards' entries: ${emptyArchive.toFixed(2)} s over the archive − ${emptyOneFile.toFixed(2)} s over one file = ${cost.listing_s_per_gb.toFixed(2)} s per GB of archive listed`);
  return cost;
}

/** `cost` rounded for a result line, its keys prefixed (`tar_ratio`, ...). */
export function costFields(cost: ShardingCost, prefix: string, tools: HarnessTools): Record<string, number> {
  return Object.fromEntries(Object.entries(cost).map(([key, value]) => [`${prefix}${key}`, tools.round(value, key === "sharded" || key === "one" ? 1 : 2)]));
}

/** A one-file archive in `format` (made once in `dir`): a task's cost over it is its start, the listing's cost aside. */
export function oneFileArchive(dir: string, format: "tar.gz" | "tar" | "zip"): string {
  const archive = path.join(dir, `p7-one-file.${format}`);
  if (!fs.existsSync(archive)) {
    const name = "p7-one-file.txt";
    fs.writeFileSync(path.join(dir, name), "one entry\n");
    if (format === "zip") execFileSync("zip", ["-q", "-X", archive, name], { cwd: dir });
    else execFileSync("tar", [format === "tar" ? "cf" : "czf", archive, "-C", dir, name]);
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
