// h5dat's own group in the master: every shard's manifest rows in one manifest, with counts over
// all of them as attrs, and the rest of the shards' /_h5dat (a schema's text, quarantined
// records, encoded copies) joined: an object one shard holds is placed as any other, a table
// several hold (the quarantine) is the first one's copied with the others' rows appended.
import type { File } from "../h5/file";
import type { Group } from "../h5/group";
import { Manifest, MANIFEST_PATH, readStoredRows, type ManifestRow } from "../output/manifest";
import { H5DAT_GROUP } from "../schema";
import { childrenOf, copyAttributes, place, type Placement, type ShardTree } from "./shard-tree";

/** The /_h5dat attrs a run keeps about itself: a shard's, not the master's. */
const RUN_ATTRS = new Set(["run_inputs", "run_first_entry", "run_options", "in_flight"]);

/** What the master's manifest holds, by status. */
export interface ManifestCounts {
  /** Rows in the master's manifest: every entry of every shard. */
  entries: number;
  /** Entries written (kept as bytes included). */
  written: number;
  /** Entries skipped, each with its reason. */
  skipped: number;
  /** Entries that failed, each with its cause. */
  failed: number;
}

/** Writes the master's /_h5dat from the shards'; the counts of its manifest. */
export async function mergeOwnGroup(master: File, trees: readonly ShardTree[], placement: Placement): Promise<ManifestCounts> {
  const own = await master.requireGroup(H5DAT_GROUP);
  try {
    const first = await trees[0].shard.file.group(H5DAT_GROUP);
    try {
      await copyAttributes(first, own, RUN_ATTRS);
    } finally {
      await first.close();
    }
    await joinBelow(master, H5DAT_GROUP.slice(1), trees, placement);
    const counts = await mergeManifests(master, trees);
    await own.attrs.update({ ...counts }, Object.fromEntries(Object.keys(counts).map((key) => [key, { dtype: "int64" as const }])));
    return counts;
  } finally {
    await own.close();
  }
}

async function joinBelow(master: File, at: string, trees: readonly ShardTree[], placement: Placement): Promise<void> {
  for (const [name, holders] of childrenOf(trees, at)) {
    const p = `${at}/${name}`;
    if (`/${p}` === MANIFEST_PATH) continue;
    const kind = holders[0].kinds.get(p);
    if (holders.length === 1) await place(master, p, holders[0], placement);
    else if (kind === "group") {
      await (await master.requireGroup(`/${p}`)).close();
      await joinBelow(master, p, holders, placement);
    } else await appendRows(master, p, holders);
  }
}

/** The first holder's table copied, the others' rows appended. */
async function appendRows(master: File, at: string, holders: readonly ShardTree[]): Promise<void> {
  const [first, ...others] = holders;
  await place(master, at, first, { materialize: true, masterDir: "" });
  const joined = await master.dataset(`/${at}`);
  try {
    for (const holder of others) {
      const dataset = await holder.shard.file.dataset(`/${at}`);
      try {
        await joined.append((await dataset.read()).data);
      } finally {
        await dataset.close();
      }
    }
  } finally {
    await joined.close();
  }
}

/**
 * Every shard's manifest rows in one manifest: by input (in the order convert was given them),
 * then by shard, then in the shard's entry order. The entry numbers are the rows' places in it.
 */
async function mergeManifests(master: File, trees: readonly ShardTree[]): Promise<ManifestCounts> {
  const inputs = ((await trees[0].shard.file.attrs.find("inputs")) ?? []) as string[];
  const rank = (row: ManifestRow) => {
    const i = inputs.indexOf(row.source);
    return i < 0 ? inputs.length : i;
  };
  const rows: { row: ManifestRow; shard: number; entry: number }[] = [];
  for (const { shard } of trees) for (const { row, entry } of (await readStoredRows(shard.file)) ?? []) rows.push({ row, shard: shard.index, entry });
  rows.sort((a, b) => rank(a.row) - rank(b.row) || a.shard - b.shard || a.entry - b.entry);
  const manifest = new Manifest();
  for (const [i, { row }] of rows.entries()) manifest.add(row, i);
  await manifest.finish(master as Group);
  const { written, skipped, failed } = manifest.counts();
  return { entries: rows.length, written, skipped, failed };
}
