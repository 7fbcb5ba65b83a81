// A stack that several shards hold (each shard's rows of one input's images) joined into one,
// rows in shard order. By default with no copy of the images: `images`, `image_shapes`,
// `source_size`, `meta`, and the byte arrays of `paths` and `image_format` are HDF5 virtual
// datasets concatenating the shards' along axis 0, one mapping per shard, naming each shard
// relative to the master. What holds numbers local to a shard is rewritten in the master:
// `splits/*` (row indices, moved by the rows of the shards before), the ragged strings' offsets,
// and `labels` when the shards' class lists differ (numbered again against the sorted union of
// their classes; when every shard saw every class, `labels` is virtual too). --materialize
// copies every array into the master instead: a fixed stack's images chunk by chunk as stored.
import path from "node:path";
import type { Dataset } from "../h5/dataset";
import type { File } from "../h5/file";
import type { Group } from "../h5/group";
import { copyAttributes, copyAttrs, type Placement, type ShardTree } from "./shard-tree";

/** What the master holds of a stack joined. */
export interface MergedStack {
  /** The stack's group. */
  group: string;
  /** Its rows: every shard's. */
  rows: number;
  /** How many classes its labels name. */
  classes: number;
  /** A shard's label numbers had to change so that one class has one number (its class list was not the union's). */
  relabelled: boolean;
}

/** The members of a stack (the rest of its group is the input's files layout). */
export const STACK_MEMBERS = new Set(["images", "image_shapes", "source_size", "meta", "labels", "paths", "image_format", "splits"]);

/** Rows per read when numbers are rewritten. */
const BLOCK_ROWS = 1 << 16;

/** One shard's part of the stack. */
interface Part {
  tree: ShardTree;
  rows: number;
  /** The master's row of its first. */
  start: number;
  classes: string[];
}

/** Whether `holder`'s object at `at` is a stack's group. */
export async function isStackGroup(holder: ShardTree, at: string): Promise<boolean> {
  const group = await holder.shard.file.group(`/${at}`);
  try {
    return (await group.attrs.find("layout")) === "stacked";
  } finally {
    await group.close();
  }
}

/** Joins the stack at `at` (the master's `group`, attrs copied from the first holder) from the shards holding it. */
export async function mergeStack(master: File, group: Group, at: string, holders: readonly ShardTree[], placement: Placement): Promise<MergedStack> {
  const parts = await partsOf(at, holders);
  const rows = parts.reduce((sum, part) => sum + part.rows, 0);
  await checkStorages(at, parts);
  const filled = parts.filter((part) => part.rows > 0);
  const joiner = new Joiner(master, at, filled, placement);
  for (const name of ["images", "image_shapes", "source_size", "meta"]) if (await holds(filled, `${at}/${name}`)) await joiner.concatenate(name);
  for (const name of ["paths", "image_format"]) if (await holds(filled, `${at}/${name}`)) await joiner.raggedStrings(name);
  const classes = [...new Set(parts.flatMap((part) => part.classes))].sort();
  const relabelled = filled.some((part) => part.classes.join("\n") !== classes.join("\n"));
  if (await holds(filled, `${at}/labels`)) await (relabelled ? joiner.relabel(classes) : joiner.concatenate("labels"));
  await joiner.splits();
  // The group's attrs came from the first shard, which may have had no rows: what its images say comes from one that had.
  if (filled.length > 0) await copyImageAttrs(filled[0].tree, at, group);
  await group.attrs.update({ rows, class_names: classes }, { rows: { dtype: "int64" }, class_names: { dtype: "string" } });
  return { group: `/${at}`, rows, classes: classes.length, relabelled };
}

async function partsOf(at: string, holders: readonly ShardTree[]): Promise<Part[]> {
  const parts: Part[] = [];
  let start = 0;
  for (const tree of holders) {
    const rows = Number((await readAttr(tree, at, "rows")) ?? 0);
    const classes = Array.from(((await readAttr(tree, at, "class_names")) ?? []) as ArrayLike<string>, String);
    parts.push({ tree, rows, start, classes });
    start += rows;
  }
  return parts;
}

/** Shards whose stacks were stored differently (one ragged, one fixed; fixed of two shapes) cannot be one array. */
async function checkStorages(at: string, parts: readonly Part[]): Promise<void> {
  const seen = new Map<string, string>();
  for (const part of parts) {
    if (part.rows === 0) continue;
    const storage = String(await readAttr(part.tree, at, "image_storage"));
    const shape = Array.from(((await readAttr(part.tree, at, "image_shape")) ?? []) as ArrayLike<number>, Number).join("x");
    seen.set(storage === "fixed" ? `fixed ${shape}` : storage, part.tree.shard.path);
  }
  if (seen.size > 1) {
    const said = [...seen].map(([storage, shard]) => `${storage} in ${shard}`).join(", ");
    throw new Error(`the stack '/${at}' is stored differently by the shards (${said}): one array needs one storage; convert with --resize WxH (one shape) or --images encoded`);
  }
}

/** The attrs that describe a stack's images (its storage, shape, mode), copied as stored. */
async function copyImageAttrs(tree: ShardTree, at: string, to: Group): Promise<void> {
  const from = await tree.shard.file.group(`/${at}`);
  try {
    for (const name of ["image_storage", "image_shape", "image_mode"]) {
      if (!(await from.attrs.has(name))) continue;
      const { data, shape, dtype } = await from.attrs.read(name);
      await to.attrs.set(name, data, { dtype, shape });
    }
  } finally {
    await from.close();
  }
}

async function readAttr(tree: ShardTree, at: string, name: string): Promise<unknown> {
  const group = await tree.shard.file.group(`/${at}`);
  try {
    return await group.attrs.find(name);
  } finally {
    await group.close();
  }
}

async function holds(parts: readonly Part[], at: string): Promise<boolean> {
  return parts.some((part) => part.tree.kinds.has(at));
}

/** Opens the dataset at `at` of `part`'s shard for `use`, and closes it. */
async function withDataset<T>(part: Part, at: string, use: (dataset: Dataset) => Promise<T>): Promise<T> {
  const dataset = await part.tree.shard.file.dataset(`/${at}`);
  try {
    return await use(dataset);
  } finally {
    await dataset.close();
  }
}

/** Makes the master's arrays of one stack from its shards' parts (rows > 0, in shard order). */
class Joiner {
  constructor(
    private readonly master: File,
    private readonly at: string,
    private readonly parts: readonly Part[],
    private readonly placement: Placement,
  ) {}

  /** The shard file as the master names it: relative to the master's directory. */
  private sourceName(part: Part): string {
    return path.relative(this.placement.masterDir, path.resolve(part.tree.shard.path)).split(path.sep).join("/");
  }

  /** The master's `name` (below the stack) as the shards' concatenated along axis 0. */
  async concatenate(name: string): Promise<void> {
    const at = `${this.at}/${name}`;
    if (this.placement.materialize) return this.copyConcatenated(at);
    const described = await Promise.all(this.parts.map((part) => withDataset(part, at, async (d) => ({ part, dtype: d.dtype, shape: d.shape ?? [] }))));
    const [first] = described;
    // Each source starts where the ones before end (rows; a string array's bytes).
    let rows = 0;
    const sources = described.map(({ part, shape }) => {
      const source = { file: this.sourceName(part), dataset: `/${at}`, start: [rows, ...shape.slice(1).map(() => 0)], shape };
      rows += shape[0] ?? 0;
      return source;
    });
    const dataset = await this.master.createVirtualDataset(`/${at}`, { dtype: first.dtype, shape: [rows, ...first.shape.slice(1)], sources });
    try {
      await copyDatasetAttrs(first.part, at, dataset);
    } finally {
      await dataset.close();
    }
  }

  /** --materialize: the first part's array copied as stored, the others' rows appended (a fixed image array's chunks as stored). */
  private async copyConcatenated(at: string): Promise<void> {
    const [first, ...others] = this.parts;
    await withDataset(first, at, (source) => this.master.copy(source, `/${at}`));
    const joined = await this.master.dataset(`/${at}`);
    try {
      for (const part of others) await withDataset(part, at, (source) => appendAsStored(joined, source));
    } finally {
      await joined.close();
    }
  }

  /** A ragged string array (`paths`, `image_format`): its bytes concatenated, its offsets moved by the bytes before. */
  async raggedStrings(name: string): Promise<void> {
    const at = `${this.at}/${name}`;
    const group = await this.master.createGroup(`/${at}`);
    try {
      await copyAttrs(this.parts[0].tree, at, group);
      await this.concatenate(`${name}/bytes`);
      const offsets: bigint[] = [0n];
      for (const part of this.parts) {
        const own = await withDataset(part, `${at}/offsets`, async (d) => (await d.read()).data as BigUint64Array);
        const base = offsets[offsets.length - 1];
        for (let i = 1; i < own.length; i++) offsets.push(base + own[i]);
      }
      await (await group.createDataset("offsets", { dtype: "uint64", data: BigUint64Array.from(offsets), chunks: true, compression: "gzip" })).close();
      await group.attrs.set("shape", [offsets.length - 1], { dtype: "uint64" });
    } finally {
      await group.close();
    }
  }

  /** `labels` numbered against `classes` (the sorted union of the shards'): each shard's numbers mapped to the union's. */
  async relabel(classes: readonly string[]): Promise<void> {
    const at = `${this.at}/labels`;
    const rows = this.parts.reduce((sum, part) => sum + part.rows, 0);
    const labels = await this.master.createDataset(`/${at}`, { dtype: "int64", shape: [rows], chunks: [Math.max(1, Math.min(rows, BLOCK_ROWS))], compression: "gzip" });
    try {
      for (const part of this.parts) {
        const map = part.classes.map((name) => BigInt(classes.indexOf(name)));
        for (let from = 0; from < part.rows; from += BLOCK_ROWS) {
          const to = Math.min(part.rows, from + BLOCK_ROWS);
          const own = await withDataset(part, at, async (d) => (await d.read(`${from}:${to}`)).data as BigInt64Array);
          const mapped = own.map((n) => (n < 0n ? n : map[Number(n)]));
          await labels.write(mapped, `${part.start + from}:${part.start + to}`);
        }
      }
      await labels.attrs.set("class_names", [...classes], { dtype: "string" });
    } finally {
      await labels.close();
    }
  }

  /** `splits/<name>`: each shard's row indices moved by its start, in shard order (so still sorted). */
  async splits(): Promise<void> {
    const names = new Set<string>();
    for (const part of this.parts) for (const p of part.tree.kinds.keys()) if (p.startsWith(`${this.at}/splits/`)) names.add(p.slice(`${this.at}/splits/`.length));
    for (const name of [...names].sort()) {
      const rows: bigint[] = [];
      for (const part of this.parts) {
        if (!part.tree.kinds.has(`${this.at}/splits/${name}`)) continue;
        const own = await withDataset(part, `${this.at}/splits/${name}`, async (d) => (await d.read()).data as BigInt64Array);
        for (const r of own) rows.push(r + BigInt(part.start));
      }
      await (await this.master.requireGroup(`/${this.at}/splits`)).close();
      await (await this.master.createDataset(`/${this.at}/splits/${name}`, { dtype: "int64", data: BigInt64Array.from(rows), chunks: true, compression: "gzip" })).close();
    }
  }
}

/** Appends `source`'s rows to `joined`: chunk by chunk as stored when both are chunked alike along axis 0 one row a chunk, else by value. */
async function appendAsStored(joined: Dataset, source: Dataset): Promise<void> {
  const shape = source.shape ?? [];
  const rows = shape[0] ?? 0;
  const chunks = source.chunks;
  const start = joined.shape?.[0] ?? 0;
  if (chunks && chunks[0] === 1 && chunks.every((size, axis) => axis === 0 || size === shape[axis]) && sameChunks(joined.chunks, chunks)) {
    await joined.resize(start + rows);
    for (let r = 0; r < rows; r++) {
      const { bytes, filterMask } = await source.readChunk([r, ...shape.slice(1).map(() => 0)]);
      await joined.writeChunk([start + r, ...shape.slice(1).map(() => 0)], bytes, filterMask);
    }
    return;
  }
  for (let from = 0; from < rows; from += BLOCK_ROWS) await joined.append((await source.read(`${from}:${Math.min(rows, from + BLOCK_ROWS)}`)).data);
}

function sameChunks(a: readonly number[] | null, b: readonly number[]): boolean {
  return a !== null && a.length === b.length && a.every((size, i) => size === b[i]);
}

async function copyDatasetAttrs(part: Part, at: string, to: Dataset): Promise<void> {
  await withDataset(part, at, async (source) => {
    await copyAttributes(source, to);
  });
}
