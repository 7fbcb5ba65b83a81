// Dimensions as `ls` and `show` print them, the way `ncdump -h` shows a NetCDF-4 file's: each
// axis by its dimension's name and size (UNLIMITED when the scale can grow), the scale dataset
// behind it, and for a scale dataset the dimension it is.
import { axisName, type Dimensions } from "../h5/dimension-scales";
import type { File } from "../h5/file";
import { Dataset } from "../h5/dataset";
import type { ListedObject } from "./listing";

/** What `ls --json` adds to a dataset: its axes' names, and the dimension it is when a scale. */
export interface ListedDimensions {
  /** One name per axis ("" for an axis without scale or label); absent when no axis has one. */
  dims?: string[];
  /** The dimension's name when the dataset is a dimension scale. */
  scale?: string;
}

/** The dims of one dataset, or null when they cannot be read (the listing goes on without). */
export async function datasetDimensions(file: File, path: string): Promise<Dimensions | null> {
  try {
    const object = await file.get(path);
    try {
      return object instanceof Dataset ? await object.dims() : null;
    } finally {
      await object.close();
    }
  } catch {
    return null;
  }
}

/** The listing's datasets with their dimension names (and scale name) added. */
export async function withDimensions(file: File, objects: ListedObject[]): Promise<(ListedObject & ListedDimensions)[]> {
  const out: (ListedObject & ListedDimensions)[] = [];
  for (const object of objects) {
    // Scales, labels and DIMENSION_LIST are attributes: a dataset without any has no dims.
    const dims = object.kind === "dataset" && object.attrs > 0 ? await datasetDimensions(file, object.path) : null;
    out.push(dims ? { ...object, ...listedDimensions(dims) } : object);
  }
  return out;
}

/** What listings show of a dataset's dimensions: its axes' names, and the dimension it is when a scale. */
export function listedDimensions(dims: Dimensions): ListedDimensions {
  const names = dims.axes.map(axisName);
  return {
    ...(names.some((n) => n !== "") ? { dims: names } : {}),
    ...(dims.dimension !== null ? { scale: dims.dimension } : {}),
  };
}

/** `  dims: time×lat×lon` / `  scale: time` after a listing line, or "". */
export function dimensionSuffix(listed: ListedDimensions): string {
  const parts: string[] = [];
  if (listed.dims) parts.push(`dims: ${listed.dims.map((n) => n || "-").join("×")}`);
  if (listed.scale !== undefined) parts.push(`scale: ${listed.scale}`);
  return parts.length > 0 ? `  ${parts.join("  ")}` : "";
}

/** `show`'s lines for a dataset's dimensions, one per axis, as ncdump -h names them. */
export function dimensionLines(dims: Dimensions): string[] {
  const lines: string[] = [];
  if (dims.isScale) lines.push(`  dimension scale: ${dims.dimension}${dims.scaleName ? ` (NAME ${JSON.stringify(dims.scaleName)})` : ""}`);
  if (!dims.axes.some((a) => a.scales.length > 0 || a.label !== "" || a.error)) return lines;
  lines.push("  dimensions:");
  dims.axes.forEach((axis, i) => {
    const label = axis.label ? ` "${axis.label}"` : "";
    const scales = axis.scales.map((s) => `${s.dimension} = ${s.unlimited ? `UNLIMITED (${s.size} currently)` : s.size}  ← ${s.path}${s.coordinate ? "" : " (no values: dimension only)"}`);
    const what = axis.error ? `unreadable: ${axis.error}` : scales.length > 0 ? scales.join("; ") : "(no scale)";
    lines.push(`    [${i}]${label} ${what}`);
  });
  return lines;
}

/** One dimension a group defines: a scale dataset directly in it. */
export interface GroupDimension {
  name: string;
  /** Exact: a BigInt past 2^53, as the listing's shape. */
  size: number | bigint;
  unlimited: boolean;
  path: string;
}

/** A group's dimensions: the scale datasets directly in it, as ncdump -h lists a group's. */
export async function groupDimensions(file: File, members: ListedObject[]): Promise<GroupDimension[]> {
  const out: GroupDimension[] = [];
  for (const member of members) {
    if (member.kind !== "dataset" || member.attrs === 0) continue;
    const dims = await datasetDimensions(file, member.path);
    if (!dims?.dimension) continue;
    out.push({ name: dims.dimension, size: member.shape?.[0] ?? 1, unlimited: member.maxshape?.[0] === null, path: member.path });
  }
  return out;
}

/** `show`'s lines for a group's dimensions. */
export function groupDimensionLines(dimensions: GroupDimension[]): string[] {
  const lines = dimensions.map((d) => `    ${d.name} = ${d.unlimited ? `UNLIMITED (${d.size} currently)` : d.size}  ← ${d.path}`);
  return lines.length > 0 ? ["  dimensions:", ...lines] : [];
}
