// The shards `h5dat merge` is given, checked before anything is written: each a finished h5dat
// file made with --shard, all of one run (one shard count, one fingerprint: the same inputs and
// options), every index from 0 to N-1 exactly once. Every problem is told at once, each naming
// its shard; any problem and nothing is written.
import path from "node:path";
import { File } from "../h5/file";
import { FINGERPRINTS_PATH } from "../convert/run-record";
import { MANIFEST_PATH } from "../output/manifest";

/** A shard that passed the checks, open for reading. */
export interface ShardFile {
  /** Its path as given. */
  path: string;
  index: number;
  file: File;
}

/** What every shard of the run says alike. */
export interface ShardRun {
  count: number;
  fingerprint: string;
  /** The shards by index. */
  shards: ShardFile[];
}

/** Thrown when the shards cannot be merged: every problem, each naming its shard. */
export class ShardCheckError extends Error {
  constructor(
    /** Each problem, naming its shard. */
    readonly problems: string[],
  ) {
    super(`cannot merge: ${problems.length === 1 ? problems[0] : `\n  ${problems.join("\n  ")}`}\nnothing was written`);
    this.name = "ShardCheckError";
  }
}

/** Opens and checks the shards at `paths`; throws a ShardCheckError (the files closed) when they are not one run's whole set. */
export async function openShards(paths: readonly string[]): Promise<ShardRun> {
  const problems: string[] = [];
  const opened: (ShardFile & { count: number; fingerprint: string })[] = [];
  const seen = new Map<string, string>();
  for (const given of paths) {
    const resolved = path.resolve(given);
    if (seen.has(resolved)) {
      problems.push(`${given}: given twice`);
      continue;
    }
    seen.set(resolved, given);
    if (given.endsWith(".partial")) {
      problems.push(`${given}: an unfinished shard (its task did not end): run that task again, it rewrites its shard`);
      continue;
    }
    const shard = await openShard(given).catch((error: Error) => error);
    if (shard instanceof Error) problems.push(`${given}: ${shard.message}`);
    else opened.push(shard);
  }
  problems.push(...runProblems(opened));
  if (problems.length > 0 || opened.length === 0) {
    await Promise.all(opened.map((shard) => shard.file.close()));
    throw new ShardCheckError(problems.length > 0 ? problems : ["no shards given"]);
  }
  const shards = [...opened].sort((a, b) => a.index - b.index).map(({ path: p, index, file }) => ({ path: p, index, file }));
  return { count: opened[0].count, fingerprint: opened[0].fingerprint, shards };
}

/** One shard, open, with what its root says of it; throws what makes it no finished shard. */
async function openShard(given: string): Promise<ShardFile & { count: number; fingerprint: string }> {
  const file = await File.open(given, "r");
  try {
    const [index, count, fingerprint] = await Promise.all(["shard_index", "shard_count", "shard_fingerprint"].map((name) => file.attrs.find(name)));
    if (index === undefined || count === undefined || fingerprint === undefined) throw new Error("not a shard: its root has no shard_index/shard_count/shard_fingerprint attrs (convert it with --shard i/N)");
    // A finished run drops the fingerprints it kept for resuming: still there, the run did not end.
    if (await file.has(FINGERPRINTS_PATH)) throw new Error("its run did not finish (it still records what a --resume needs): run that task again");
    if (!(await file.has(MANIFEST_PATH))) throw new Error(`it has no manifest (${MANIFEST_PATH})`);
    return { path: given, index: Number(index), count: Number(count), fingerprint: String(fingerprint), file };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** Problems of the set: counts or fingerprints that differ from the first shard's, indices twice or missing. */
function runProblems(shards: readonly (ShardFile & { count: number; fingerprint: string })[]): string[] {
  if (shards.length === 0) return [];
  const [first] = shards;
  const problems: string[] = [];
  const byIndex = new Map<number, string>();
  for (const shard of shards) {
    if (shard.count !== first.count) problems.push(`${shard.path}: a shard of ${shard.count}, but ${first.path} is a shard of ${first.count}`);
    else if (shard.fingerprint !== first.fingerprint) problems.push(`${shard.path}: of another run than ${first.path} (other inputs or options: their shard_fingerprint attrs differ)`);
    const twin = byIndex.get(shard.index);
    if (twin !== undefined) problems.push(`${shard.path}: shard ${shard.index} of ${shard.count} again (${twin} is too)`);
    else byIndex.set(shard.index, shard.path);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) problems.push(`shard${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${first.count} missing: give every shard of the run`);
  return problems;
}
