// The union of the shards' trees. Every entry went to one shard, so below the groups several
// shards share (an input's group, its directories) each object is held by one shard alone: the
// master links to it there (an external link, relative to the master's directory) or, with
// --materialize, copies it (H5Ocopy: chunks copied as stored, never decompressed). Groups held by
// several shards are made in the master with the first holder's attrs, and walked; a stacked
// group (layout "stacked") is joined by stack-merge.ts instead; h5dat's own group by merge.ts.
import path from "node:path";
import type { Group, VisitEntry } from "../h5/group";
import type { H5Object } from "../h5/h5-object";
import type { ShardFile } from "./shard-files";

/** What one shard holds, by path relative to its root. */
export interface ShardTree {
  shard: ShardFile;
  kinds: Map<string, VisitEntry["kind"]>;
}

/** How the master takes an object held by one shard. */
export interface Placement {
  /** Link to the shard (default) or copy the object into the master. */
  materialize: boolean;
  /** The master's directory: external links name shards relative to it. */
  masterDir: string;
}

/** Each shard's objects, listed once. */
export async function shardTrees(shards: readonly ShardFile[]): Promise<ShardTree[]> {
  return Promise.all(shards.map(async (shard) => ({ shard, kinds: new Map((await shard.file.visit()).map(({ path: p, kind }) => [p, kind])) })));
}

/** The names below `at` ("" the root) in each tree, with the trees holding them, sorted by name. */
export function childrenOf(trees: readonly ShardTree[], at: string): Map<string, ShardTree[]> {
  const children = new Map<string, ShardTree[]>();
  const prefix = at === "" ? "" : `${at}/`;
  for (const tree of trees) {
    for (const p of tree.kinds.keys()) {
      if (!p.startsWith(prefix)) continue;
      const name = p.slice(prefix.length);
      if (name.includes("/")) continue;
      children.set(name, [...(children.get(name) ?? []), tree]);
    }
  }
  return new Map([...children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Links to (or copies) the object at `at` of `holder`'s shard, as the master's `at`. */
export async function place(master: Group, at: string, holder: ShardTree, placement: Placement): Promise<void> {
  const { shard } = holder;
  if (!placement.materialize) {
    const relative = path.relative(placement.masterDir, path.resolve(shard.path)).split(path.sep).join("/");
    await master.externalLink(`/${at}`, relative, `/${at}`);
    return;
  }
  const object = await shard.file.get(`/${at}`);
  try {
    await master.copy(object, `/${at}`);
  } finally {
    await object.close();
  }
}

/** Copies the attrs of `from`'s object at `at` ("" the root) onto `to`. */
export async function copyAttrs(from: ShardTree, at: string, to: H5Object): Promise<void> {
  const { file } = from.shard;
  const object = at === "" ? null : await file.get(`/${at}`);
  try {
    await copyAttributes(object ?? file, to);
  } finally {
    await object?.close();
  }
}

/** Copies every attr of `from` onto `to` as stored (dtype and shape, empty arrays too), but the names in `except`. */
export async function copyAttributes(from: H5Object, to: H5Object, except: ReadonlySet<string> = new Set()): Promise<void> {
  for (const name of await from.attrs.keys()) {
    if (except.has(name)) continue;
    const { data, shape, dtype } = await from.attrs.read(name);
    await to.attrs.set(name, data, { dtype, shape });
  }
}
