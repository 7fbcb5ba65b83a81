// P7's sharded side: an archive converted as `count` shards by the compiled CLI, `parallel` at a
// time, each its own process (`h5dat convert --shard i/N --workers W`, as a Slurm array task or a
// Kubernetes pod runs it), then `h5dat merge` (virtual) over them. Timed from the first shard's
// start to the merge's end: the whole cost of going sharded on one machine.
//
//   node --import tsx bench/p7/sharded-run.ts '{"archive":"...","dir":"/tmp/x","count":16,"parallel":2,"workers":1}'
//
// The last stdout line is one JSON object (ShardedRunResult). A shard or merge that fails, or
// shards whose entries do not add up to the master's, exits 1.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const CLI = path.join(__dirname, "..", "..", "dist", "cli", "main.js");

export interface ShardedRunParams {
  archive: string;
  /** Where the shards and the master go (made if missing; emptied of earlier shards). */
  dir: string;
  count: number;
  /** Shard processes running at once (the cores). */
  parallel: number;
  /** --workers of each shard process. */
  workers: number;
}

export interface ShardedRunResult {
  /** First shard started to merge ended. */
  seconds: number;
  /** Shards only: first started to last ended. */
  shards_seconds: number;
  merge_seconds: number;
  /** Each shard process's wall time, spawn to exit, by index. */
  shard_seconds: number[];
  /** Each shard's entries, by index. */
  shard_entries: number[];
  entries: number;
  master: string;
  shards: string[];
}

/** What the CLI's --json summary says that P7 uses. */
interface CliSummary {
  entries: number;
  written: number;
  failed: number;
}

/** Runs `node dist/cli/main.js args...`; resolves with its last stdout line as JSON and its wall time. */
export function runCli<T>(args: string[]): Promise<{ json: T; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`h5dat ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${stderr}${stdout}`));
      try {
        resolve({ json: JSON.parse(stdout.trim().split("\n").pop() ?? "") as T, seconds });
      } catch {
        reject(new Error(`h5dat ${args.join(" ")} printed no JSON line:\n${stdout}`));
      }
    });
  });
}

/** The shard file names, as `-o out-{i}-of-{N}.h5` fills them in. */
export function shardPaths(dir: string, count: number): string[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => path.join(dir, `out-${String(i).padStart(width, "0")}-of-${count}.h5`));
}

export async function runSharded(params: ShardedRunParams): Promise<ShardedRunResult> {
  fs.mkdirSync(params.dir, { recursive: true });
  const shards = shardPaths(params.dir, params.count);
  for (const file of shards) fs.rmSync(file, { force: true });
  const master = path.join(params.dir, "master.h5");
  const shardSeconds: number[] = new Array(params.count).fill(0);
  const shardEntries: number[] = new Array(params.count).fill(0);
  const output = path.join(params.dir, "out-{i}-of-{N}.h5");

  const started = performance.now();
  let next = 0;
  // `parallel` lanes, each taking the next index when its shard ends: an array job's tasks on
  // `parallel` slots.
  const lane = async () => {
    while (next < params.count) {
      const index = next++;
      const args = ["convert", params.archive, "--shard", `${index}/${params.count}`, "--workers", String(params.workers), "-o", output, "--overwrite", "--json"];
      const { json, seconds } = await runCli<CliSummary>(args);
      if (json.written !== json.entries || json.failed !== 0) throw new Error(`shard ${index}/${params.count}: ${json.entries} entries, ${json.written} written, ${json.failed} failed`);
      shardSeconds[index] = seconds;
      shardEntries[index] = json.entries;
    }
  };
  await Promise.all(Array.from({ length: params.parallel }, lane));
  const shardsDone = performance.now();
  const merged = await runCli<CliSummary>(["merge", ...shards, "-o", master, "--overwrite", "--json"]);
  const seconds = (performance.now() - started) / 1000;

  const entries = shardEntries.reduce((a, b) => a + b, 0);
  if (merged.json.entries !== entries) throw new Error(`the master lists ${merged.json.entries} entries, the shards ${entries}`);
  return {
    seconds,
    shards_seconds: (shardsDone - started) / 1000,
    merge_seconds: merged.seconds,
    shard_seconds: shardSeconds,
    shard_entries: shardEntries,
    entries,
    master,
    shards,
  };
}

if (require.main === module) {
  runSharded(JSON.parse(process.argv[2] ?? "{}") as ShardedRunParams).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
