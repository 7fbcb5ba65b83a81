// What `h5dat ls` shows: the objects under a path (or the whole tree below it), each with its
// kind and, for datasets, shape, dtype, layout, chunking, filters and sizes (logical and stored).
// Stored sizes are what the values take in the file: a dataset's chunks plus, for variable-length
// values, their objects in the global heap (vlen-heap.ts); a ragged string array's group
// (h5/ragged-strings.ts) is listed with its shape and the sizes of its two datasets together; a
// stacked group (convert --layout stacked) with its rows, image shape, classes and splits.
import type { Dataset } from "../h5/dataset";
import { Datatype } from "../h5/datatype";
import { dtypeName } from "../h5/dtype";
import type { File } from "../h5/file";
import { Group } from "../h5/group";
import { formatBytes } from "../byte-size";
import { runAsync } from "../h5/operation";
import { isRaggedStrings, raggedShape, RAGGED_LAYOUT } from "../h5/ragged-strings";
import { vlenBytes } from "./vlen-heap";
import { isStacked } from "./stacked";
import { stackedListing, stackedSummary, type StackedListing } from "./stacked-listing";
import { compressionText, FILTER_NAMES, settingOf } from "../h5/compression";

/** One object of a file as `h5dat ls` lists it. */
export interface ListedObject {
  /** Absolute path. */
  path: string;
  /** "unknown": the object could not be opened (a corrupt header); `unreadable` says why. */
  kind: "group" | "dataset" | "datatype" | "soft-link" | "external-link" | "unknown";
  /** A link's target (`file:/path` for an external link). */
  target?: string;
  /** Datasets only from here on. A dim past 2^53 is a BigInt, exact (2^60 as a number prints as 1152921504606847000). */
  shape?: (number | bigint)[] | null;
  maxshape?: (number | bigint | null)[] | null;
  dtype?: string;
  layout?: string;
  /** Where a dataset's values are when not in the file (external raw data, virtual sources). */
  outside?: string;
  chunks?: number[] | null;
  /** Filter pipeline, e.g. ["shuffle", "gzip:4"]. */
  filters?: string[];
  /** Elements × element size (for variable-length types, their fixed-size part plus the values' bytes). */
  logicalBytes?: number;
  /** Bytes the values take in the file: the dataset's storage, plus heapBytes. */
  storedBytes?: number;
  /** Variable-length values only: what their objects take in the global heap, outside the chunks (no filter compresses them). */
  heapBytes?: number;
  /** Set when the values cannot be read, with the reason (type or filter); the rest is still known. */
  unreadable?: string;
  /** A stacked group's rows, images, classes and splits. */
  stacked?: StackedListing;
  attrs: number;
}

/** How listObjects measures. */
export interface ListOptions {
  /**
   * Count variable-length values' global heap objects in stored sizes (true by default). It reads
   * every such value; `show` leaves it off, since a preview costs what it shows.
   */
  vlenHeap?: boolean;
}

const join = (prefix: string, name: string) => (prefix === "/" ? `/${name}` : `${prefix}/${name}`);

/**
 * The objects directly in `path` (a group), or every object below it with `recursive`, in name
 * order. Recursion enters each group once, at its first path in name order (HDF5's object
 * visit): a second hard link to a group, or one back up the tree, is listed but not followed,
 * as h5ls does (a cycle, legal in HDF5 or made by a corrupt link, would never end).
 */
export async function listObjects(file: File, path = "/", recursive = false, options: ListOptions = {}): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let entered: Set<string> | null = null;
  const walk = async (prefix: string, deeper: boolean) => {
    const group = await file.get(prefix);
    let names: string[];
    try {
      if (!(group instanceof Group)) return void out.push(await listObject(file, prefix, options));
      names = await group.keys();
      if (deeper && entered === null) entered = new Set((await group.visit()).filter((e) => e.kind === "group").map((e) => join(prefix, e.path)));
    } finally {
      await group.close();
    }
    for (const name of names) {
      const child = join(prefix, name);
      const listed = await listObject(file, child, options);
      out.push(listed);
      if (deeper && listed.kind === "group" && entered!.has(child)) await walk(child, true);
    }
  };
  await walk(path === "/" ? "/" : path.replace(/\/+$/, ""), recursive);
  return out;
}

/** One object's facts; an object that cannot even be opened is listed as unknown, with why. */
export async function listObject(file: File, path: string, options: ListOptions = {}): Promise<ListedObject> {
  try {
    return await describe(file, path, options);
  } catch (error) {
    return { path, kind: "unknown", unreadable: (error as Error).message, attrs: 0 };
  }
}

async function describe(file: File, path: string, options: ListOptions): Promise<ListedObject> {
  const link = path === "/" ? { type: "hard" as const } : await file.linkInfo(path);
  if (link.type === "soft") return { path, kind: "soft-link", target: link.target, attrs: 0 };
  if (link.type === "external") return { path, kind: "external-link", target: `${link.file}:${link.target}`, attrs: 0 };
  const object = await file.get(path);
  try {
    const attrs = await object.attrs.count();
    if (object instanceof Group) return { path, kind: "group", attrs, ...(await raggedFacts(object)), ...(await stackedFacts(object)) };
    if (object instanceof Datatype) return { path, kind: "datatype", attrs };
    return { path, kind: "dataset", attrs, ...(await datasetFacts(object, options.vlenHeap ?? true)) };
  } finally {
    await object.close();
  }
}

async function datasetFacts(dataset: Dataset, heap: boolean): Promise<Partial<ListedObject>> {
  const unreadable = dataset.unreadable;
  // A value that cannot be read leaves the heap uncounted: the rest is still listed.
  const vlen = heap ? await vlenBytes(dataset).catch(() => null) : null;
  return {
    shape: dataset.exactShape,
    maxshape: dataset.exactMaxshape,
    dtype: dtypeName(dataset.dtype),
    layout: dataset.layout,
    chunks: dataset.chunks,
    filters: dataset.filters.map(filterLabel),
    logicalBytes: dataset.size * dataset.itemsize + (vlen?.data ?? 0),
    storedBytes: dataset.storageSize + (vlen?.heap ?? 0),
    ...(vlen ? { heapBytes: vlen.heap } : {}),
    ...(dataset.outside ? { outside: dataset.outside } : {}),
    ...(unreadable ? { unreadable } : {}),
  };
}

/** A ragged string array's group as one object: its shape, and its two datasets' sizes together. */
async function raggedFacts(group: Group): Promise<Partial<ListedObject>> {
  if (!(await runAsync(isRaggedStrings(group)))) return {};
  const shape = await runAsync(raggedShape(group));
  let logicalBytes = 0;
  let storedBytes = 0;
  for (const name of ["bytes", "offsets"]) {
    const member = await group.dataset(name);
    logicalBytes += member.size * member.itemsize;
    storedBytes += member.storageSize;
    await member.close();
  }
  return { shape, dtype: "string", layout: RAGGED_LAYOUT, logicalBytes, storedBytes };
}

/** A stacked group's facts; one that cannot be read as a stack is listed as a plain group, saying why. */
async function stackedFacts(group: Group): Promise<Partial<ListedObject>> {
  if (!(await isStacked(group))) return {};
  try {
    return { stacked: await stackedListing(group) };
  } catch (error) {
    return { unreadable: `a stacked group that cannot be read: ${(error as Error).message}` };
  }
}

/** JSON.stringify's replacer for listings: a BigInt dim as its exact digits, in a string. */
export function listingJson(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** One line per object: path, kind, and a dataset's shape, dtype, chunks, filters and sizes. */
export function listingLines(objects: ListedObject[]): string[] {
  const width = Math.min(60, Math.max(0, ...objects.map((o) => o.path.length)));
  return objects.map((o) => {
    const head = `${o.path.padEnd(width)}  `;
    if (o.kind === "soft-link" || o.kind === "external-link") return `${head}${o.kind} → ${o.target}`;
    if (o.kind === "unknown") return `${head}unknown  unreadable: ${o.unreadable}`;
    if (o.kind === "group" && o.layout === RAGGED_LAYOUT) return `${head}group ${RAGGED_LAYOUT} ${o.dtype} [${o.shape!.join(", ")}]  bytes+offsets  ${sizes(o)}`;
    if (o.kind === "group" && o.stacked) return `${head}group stacked: ${stackedSummary(o.stacked)}`;
    if (o.kind === "group" && o.unreadable) return `${head}group  unreadable: ${o.unreadable}`;
    if (o.kind !== "dataset") return `${head}${o.kind}`;
    const shape = o.shape === null ? "empty" : o.shape!.length === 0 ? "scalar" : `[${o.shape!.join(", ")}]`;
    const growable = o.maxshape?.some((m) => m === null) ? " (extensible)" : "";
    const storage = `${o.chunks ? `chunks [${o.chunks.join(", ")}]` : o.layout!}${o.outside ? ` → ${o.outside}` : ""}`;
    const filters = o.filters!.length > 0 ? ` ${o.filters!.join("+")}` : "";
    const unreadable = o.unreadable ? `  unreadable: ${o.unreadable}` : "";
    return `${head}dataset ${o.dtype} ${shape}${growable}  ${storage}${filters}  ${sizes(o)}${unreadable}`;
  });
}

/** "logical → stored (ratio×)", the stored size naming its vlen heap part when there is one. */
function sizes(o: ListedObject): string {
  const heap = o.heapBytes !== undefined ? ` (incl. ${formatBytes(o.heapBytes)} vlen heap)` : "";
  const ratio = o.storedBytes! > 0 ? ` (${(o.logicalBytes! / o.storedBytes!).toFixed(2)}×)` : "";
  return `${formatBytes(o.logicalBytes!)} → ${formatBytes(o.storedBytes!)}${heap}${ratio}`;
}

/** A filter as listings name it: a compressor's setting text ("gzip:4", "zstd:3", "blosc:lz4:5:shuffle"), else its name. */
function filterLabel(filter: { id: number; name: string; values: readonly number[] }): string {
  const setting = settingOf([filter]);
  if (setting) return compressionText(setting);
  return FILTER_NAMES.get(filter.id) ?? (filter.name || `filter-${filter.id}`);
}
