// `--shard i/N`: one of N independent tasks converting the same inputs (a Slurm array task, a
// Kubernetes Indexed Job pod), each writing a complete h5dat file of its share of the entries,
// which `h5dat merge` stitches into one. An entry's shard is a pure function of its input's group
// name and its source path, so it does not depend on worker count, order, machine or time:
//   shard = (first 8 bytes of SHA-256("<group>\n<source path>") as a big-endian uint64) mod N.
// Every task still lists every input; the entries of other shards are passed over unread (an
// archive's inside the addon, binding/archive/shard_filter.h, which must hash as shardOf does).
import { createHash } from "node:crypto";
import path from "node:path";
import type { InputFingerprint } from "./input-fingerprint";

/** This task's shard: `index` of `count` (0 ≤ index < count). */
export interface ShardSpec {
  /** This task's shard, 0-based. */
  index: number;
  /** How many shards the run has (N). */
  count: number;
}

/** The environment variables `--shard auto/N` reads the index from, in order (Slurm's minus SLURM_ARRAY_TASK_MIN). */
export const SHARD_INDEX_VARIABLES = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "H5DAT_SHARD_INDEX"] as const;

/** Parses `i/N` or `auto/N` (the index from the scheduler's environment). */
export function parseShard(text: string, flag = "--shard", env: NodeJS.ProcessEnv = process.env): ShardSpec {
  const match = /^(auto|[0-9]+)\/([0-9]+)$/.exec(text.trim());
  if (!match) throw new Error(`${flag} must be i/N or auto/N (as in 3/16), not '${text}'`);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`${flag} ${text}: N must be at least 1`);
  const index = match[1] === "auto" ? indexFromEnvironment(flag, text, env) : Number(match[1]);
  if (!(index < count)) throw new Error(`${flag} ${text}: the shard index ${index} is not below N = ${count} (indices run 0 to ${count - 1})`);
  return { index, count };
}

function indexFromEnvironment(flag: string, text: string, env: NodeJS.ProcessEnv): number {
  for (const name of SHARD_INDEX_VARIABLES) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    // An array --array=1-16 numbers its tasks from 1: the index counts from the array's first.
    const base = name === "SLURM_ARRAY_TASK_ID" ? Number(env.SLURM_ARRAY_TASK_MIN ?? 0) : 0;
    const index = Number(value) - base;
    if (!Number.isSafeInteger(index) || index < 0) throw new Error(`${flag} ${text}: ${name}=${value}${base ? ` (minus SLURM_ARRAY_TASK_MIN=${base})` : ""} is no shard index`);
    return index;
  }
  throw new Error(`${flag} ${text}: no shard index in the environment: set one of ${SHARD_INDEX_VARIABLES.join(", ")} (Slurm array jobs and Kubernetes Indexed Jobs set theirs), or give the index (${text.replace("auto", "3")})`);
}

/** `i/N` as the flag writes it. */
export function shardText({ index, count }: ShardSpec): string {
  return `${index}/${count}`;
}

/** The shard of the entry at `sourcePath` of the input whose group is `group` ("" for a loose file). */
export function shardOf(group: string, sourcePath: string, count: number): number {
  const digest = createHash("sha256").update(`${group}\n${sourcePath}`).digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count));
}

/** The output name with `{i}` and `{N}` expanded, the index zero-padded to N's width (out-{i}-of-{N}.h5 → out-03-of-16.h5). */
export function shardOutput(output: string, shard: ShardSpec | undefined): string {
  if (!/\{i\}|\{N\}/.test(output)) return output;
  if (!shard) throw new Error(`output '${output}' names {i} or {N}, which only --shard i/N fills in`);
  const width = String(shard.count).length;
  return output.replaceAll("{i}", String(shard.index).padStart(width, "0")).replaceAll("{N}", String(shard.count));
}

/**
 * What makes shards of one run: the inputs (each one's name and fingerprint: a file's size and
 * mtime, a directory's listing with sizes and mtimes, an archive's size, mtime and end bytes), the
 * shard count and the options that shape the output. `h5dat merge` refuses shards whose
 * fingerprints differ.
 */
export function shardFingerprint(inputs: readonly string[], fingerprints: readonly InputFingerprint[], count: number, options: Record<string, unknown>): string {
  const named = inputs.map((input, i) => ({ name: path.basename(path.resolve(input)), ...fingerprints[i] }));
  return createHash("sha256").update(JSON.stringify({ inputs: named, count, options })).digest("hex");
}
