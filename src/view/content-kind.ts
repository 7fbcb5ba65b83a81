// Which view the page gives an object, decided from its attrs, dtype and shape the way `h5dat show`
// decides its preview: an image, a stacked group's grid, a table, JSON, a video, an audio clip,
// raw bytes, the manifest, numbers (a plot or a heatmap), or other values listed.
import { Dataset } from "../h5/dataset";
import { Group, type H5Member } from "../h5/group";
import { runAsync } from "../h5/operation";
import { isRaggedStrings, raggedShape } from "../h5/ragged-strings";
import { isAttributeHead, isUnreadableAttribute } from "../h5/attribute-info";
import { numericDtypeName } from "../read/image-scaling";
import { isStacked } from "../read/stacked";
import { MANIFEST_PATH } from "../output/manifest";
import { RECORDS_FORMAT } from "../processors/record-table";
import { WIDE_LAYOUT } from "../processors/wide-table";

/** The views of the page. */
export type ContentKind = "group" | "stacked" | "image" | "table" | "json" | "records" | "video" | "audio" | "bytes" | "manifest" | "numeric" | "values" | "datatype";

/** The view an object gets, with what the page needs to ask for its slices. */
export interface ContentView {
  /** Which view. */
  kind: ContentKind;
  /** The shape the view pages over (a ragged array's [rows, 2], a dataset's own). */
  shape?: number[] | null;
  /** Frames of a video or an animated image. */
  frames?: number;
  /** Whether a JSON dataset holds JSON Lines. */
  jsonl?: boolean;
}

/** The value of attr `name` among `attrs` (read by readAttributes), unless unreadable or cut. */
function attrOf(attrs: Record<string, unknown>, name: string): unknown {
  const value = Object.hasOwn(attrs, name) ? attrs[name] : undefined;
  return isAttributeHead(value) || isUnreadableAttribute(value) ? undefined : value;
}

/** The view of `member`, given its attrs. */
export async function contentView(member: H5Member, attrs: Record<string, unknown>): Promise<ContentView> {
  if (member instanceof Group) return groupView(member, attrs);
  if (!(member instanceof Dataset)) return { kind: "datatype" };
  return datasetView(member, attrs);
}

async function groupView(group: Group, attrs: Record<string, unknown>): Promise<ContentView> {
  if (await runAsync(isRaggedStrings(group))) {
    const shape = await runAsync(raggedShape(group));
    if (attrOf(attrs, "format") === "json-pointer-pairs") return { kind: "json", shape, jsonl: attrOf(attrs, "jsonl") === true };
    return { kind: shape.length === 2 ? "table" : "values", shape };
  }
  if (await isStacked(group)) return { kind: "stacked" };
  if (attrOf(attrs, "layout") === WIDE_LAYOUT) return { kind: "table" };
  return { kind: "group" };
}

function datasetView(dataset: Dataset, attrs: Record<string, unknown>): ContentView {
  const shape = dataset.shape;
  const processor = attrOf(attrs, "processor");
  const mediaType = attrOf(attrs, "media_type");
  const rank = shape?.length ?? 0;
  if (dataset.name === MANIFEST_PATH) return { kind: "manifest", shape };
  if (processor === "image" || attrOf(attrs, "CLASS") === "IMAGE") {
    const animated = attrOf(attrs, "frame_count") !== undefined && rank === 4;
    return { kind: "image", shape, frames: animated ? shape![0] : 1 };
  }
  if (attrOf(attrs, "format") === RECORDS_FORMAT) return { kind: "records", shape, jsonl: attrOf(attrs, "jsonl") === true };
  if (attrOf(attrs, "format") === "json-pointer-pairs") return { kind: "json", shape, jsonl: attrOf(attrs, "jsonl") === true };
  if (processor === "video" && rank === 4) return { kind: "video", shape, frames: shape![0] };
  if (processor === "audio") return { kind: "audio", shape };
  const byteVector = rank === 1 && (dataset.dtype === "uint8" || dataset.dtype === "int8");
  if (byteVector && typeof mediaType === "string" && mediaType.startsWith("image/")) return { kind: "image", shape, frames: 1 };
  if (processor === "bytes" || (byteVector && typeof mediaType === "string")) return { kind: "bytes", shape };
  if ((dataset.dtype as { kind?: string }).kind === "compound" || attrOf(attrs, "mode") === "kv") return { kind: "table", shape };
  // Pixels by their shape alone, as h5web offers an RGB view: [H, W, 3|4] an image, [N, H, W, C]
  // frames (a stack's images array, frames of any source) shown one at a time.
  const pixels = dataset.dtype === "uint8" || dataset.dtype === "uint16";
  const last = shape?.[rank - 1] ?? 0;
  if (pixels && rank === 3 && (last === 3 || last === 4)) return { kind: "image", shape, frames: 1 };
  if (pixels && rank === 4 && last >= 1 && last <= 4) return { kind: "video", shape, frames: shape![0] };
  if (numericDtypeName(dataset.dtype) !== undefined && rank > 0) return { kind: byteVector ? "bytes" : "numeric", shape };
  return { kind: "values", shape };
}
