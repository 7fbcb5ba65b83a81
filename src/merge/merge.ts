// `h5dat merge`: the shards of one `convert --shard i/N` run joined into one master file. The
// shards are checked first (shard-files.ts: any problem and nothing is written). By default the
// master holds no copy of the data: the files layout's objects are external links into the
// shards, a stack's arrays virtual datasets over them (stack-merge.ts), with shard names relative
// to the master so the directory can move. --materialize copies everything into one
// self-contained file instead, chunks as they are stored. The master is written as
// <output>.partial and renamed at the end.
import fs from "node:fs";
import path from "node:path";
import { File } from "../h5/file";
import type { Group } from "../h5/group";
import { H5DAT_VERSION } from "../version";
import { H5DAT_GROUP } from "../schema";
import { openShards, type ShardRun } from "./shard-files";
import { mergeOwnGroup, type ManifestCounts } from "./own-group";
import { childrenOf, copyAttrs, place, shardTrees, type Placement, type ShardTree } from "./shard-tree";
import { isStackGroup, mergeStack, STACK_MEMBERS, type MergedStack } from "./stack-merge";

/** How to merge. */
export interface MergeOptions {
  /** The master file to write. */
  output: string;
  /** Copy the shards' data into the master (one self-contained file) instead of linking to it. */
  materialize?: boolean;
  /** Replace an existing output. */
  overwrite?: boolean;
  /** What to record as the command in the root attrs (the CLI passes its argv). */
  command?: string;
}

/** What a merge wrote. */
export interface MergeSummary extends ManifestCounts {
  /** The master file written. */
  output: string;
  /** How many shards were joined. */
  shards: number;
  /** "virtual" (links into the shards) or "materialized" (one self-contained file). */
  mode: "virtual" | "materialized";
  /** Each stack joined: its group and rows. */
  stacks: MergedStack[];
  /** How long the merge took. */
  seconds: number;
}

/** Merges the shard files at `paths` into `options.output`. */
export async function merge(paths: readonly string[], options: MergeOptions): Promise<MergeSummary> {
  const started = performance.now();
  const { output } = options;
  if (fs.existsSync(output) && !options.overwrite) throw new Error(`output '${output}' exists: pass --overwrite to replace it`);
  const run = await openShards(paths);
  const partial = `${output}.partial`;
  try {
    const placement: Placement = { materialize: options.materialize === true, masterDir: path.dirname(path.resolve(output)) };
    // A merge does not resume: what an interrupted one left is made again.
    await fs.promises.rm(partial, { force: true });
    const master = await File.open(partial, "w");
    let joined: { counts: ManifestCounts; stacks: MergedStack[] };
    try {
      joined = await writeMaster(master, run, placement, options);
    } finally {
      await master.close();
    }
    await fs.promises.rename(partial, output);
    const mode = placement.materialize ? "materialized" : "virtual";
    return { output, shards: run.count, mode, ...joined.counts, stacks: joined.stacks, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  } finally {
    await Promise.all(run.shards.map((shard) => shard.file.close()));
  }
}

async function writeMaster(master: File, run: ShardRun, placement: Placement, options: MergeOptions): Promise<{ counts: ManifestCounts; stacks: MergedStack[] }> {
  const trees = await shardTrees(run.shards);
  await copyAttrs(trees[0], "", master);
  for (const name of ["shard_index", "created", "command"]) await master.attrs.delete(name);
  await master.attrs.update({
    h5dat_version: H5DAT_VERSION,
    merged: new Date().toISOString(),
    merge_mode: placement.materialize ? "materialized" : "virtual",
    merged_shards: run.shards.map((shard) => path.relative(placement.masterDir, path.resolve(shard.path)).split(path.sep).join("/")),
    command: options.command ?? `merge ${run.shards.map((shard) => shard.path).join(" ")}`,
  });
  const stacks: MergedStack[] = [];
  await joinGroup(master, "", trees, placement, stacks);
  const counts = await mergeOwnGroup(master, trees, placement);
  return { counts, stacks };
}

/** Joins what the trees hold below `at` ("" the root) into the master, but the names in `except`. */
async function joinGroup(master: File, at: string, trees: readonly ShardTree[], placement: Placement, stacks: MergedStack[], except: ReadonlySet<string> = new Set()): Promise<void> {
  for (const [name, holders] of childrenOf(trees, at)) {
    const p = at === "" ? name : `${at}/${name}`;
    if (`/${p}` === H5DAT_GROUP || except.has(name)) continue;
    if (holders.length === 1) {
      await place(master, p, holders[0], placement);
      continue;
    }
    const kinds = new Set(holders.map((holder) => holder.kinds.get(p)));
    if (kinds.size !== 1 || !kinds.has("group")) {
      throw new Error(`'/${p}' is in ${holders.map((holder) => holder.shard.path).join(", ")}: an entry's object should be in one shard only (were these shards made from other inputs?)`);
    }
    const group: Group = await master.createGroup(`/${p}`);
    try {
      await copyAttrs(holders[0], p, group);
      // A stack's arrays are joined as one; the input's other objects beside it as any others.
      const stack = await isStackGroup(holders[0], p);
      if (stack) stacks.push(await mergeStack(master, group, p, holders, placement));
      await joinGroup(master, p, holders, placement, stacks, stack ? STACK_MEMBERS : new Set());
    } finally {
      await group.close();
    }
  }
}
