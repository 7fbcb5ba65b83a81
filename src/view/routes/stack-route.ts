// A stacked group (convert --layout stacked) as a paged grid: GET /api/stack?path=G&split=&offset=
// &limit= gives the stack's facts and a page of rows (label, class, split, source path); GET
// /api/stack-image.png?path=G&row=i&size=s one row's image as PNG (a thumbnail with size). Only the rows of the page are read.
import { loadSharp } from "../../processors/sharp-module";
import { Group } from "../../h5/group";
import { openStack, type StackedGroup } from "../../read/stacked";
import { encodeImage } from "../../read/image-encode";
import { VIEW_LIMITS } from "../limits";
import { jsonReply, pngReply } from "../reply";
import { ViewError } from "../view-error";
import type { Query } from "../query";
import type { ViewedFile } from "../viewed-file";
import type { Route } from "./route";

/** The largest thumbnail side asked for. */
const MAX_THUMBNAIL = 1024;

/** Runs `work` on the stack in group `path`, closed after. */
function withStack<T>(file: ViewedFile, path: string, work: (stack: StackedGroup) => Promise<T>): Promise<T> {
  return file.withObject(path, async (group) => {
    if (!(group instanceof Group)) throw new ViewError(400, `'${path}' is not a stacked group`);
    const stack = await openStack(group).catch((error: Error) => {
      throw new ViewError(400, error.message);
    });
    try {
      return await work(stack);
    } finally {
      await stack.close();
    }
  });
}

/** The split each of `rows` is in ("" for none): each split's sorted indices searched. */
async function splitsOf(stack: StackedGroup, rows: readonly number[]): Promise<string[]> {
  const found = rows.map(() => "");
  for (const name of stack.splitNames) {
    const members = await stack.split(name);
    rows.forEach((row, at) => {
      let [lo, hi] = [0, members.length];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (members[mid] < row) lo = mid + 1;
        else hi = mid;
      }
      if (members[lo] === row) found[at] = name;
    });
  }
  return found;
}

/** The rows of the page asked for: of one split, or of the whole stack. */
async function pageRows(stack: StackedGroup, query: Query): Promise<{ rows: number[]; of: number }> {
  const split = query.text("split");
  const offset = query.integer("offset", 0);
  const limit = query.integer("limit", 48, 1, VIEW_LIMITS.stackPage);
  if (split === "") return { rows: Array.from({ length: Math.max(0, Math.min(limit, stack.rows - offset)) }, (_, i) => offset + i), of: stack.rows };
  if (!stack.splitNames.includes(split)) throw new ViewError(400, `no split '${split}' (the splits: ${stack.splitNames.join(", ") || "none"})`);
  const members = await stack.split(split);
  return { rows: Array.from(members.subarray(offset, offset + limit)), of: members.length };
}

/** The stack's facts and a page of its rows. */
export const stackRoute: Route = (file, query) => {
  const path = query.objectPath();
  return withStack(file, path, async (stack) => {
    const { rows, of } = await pageRows(stack, query);
    const [labels, paths, splits] = await Promise.all([stack.labels(rows), stack.paths(rows), splitsOf(stack, rows)]);
    const page = rows.map((row, i) => ({ row, label: labels[i], className: labels[i] >= 0 ? stack.classNames[labels[i]] : "", split: splits[i], path: paths[i] }));
    return jsonReply({ rows: stack.rows, of, storage: stack.storage, imageShape: stack.imageShape, classNames: stack.classNames, splitNames: stack.splitNames, page });
  });
};

/** One row's image as PNG: fixed or ragged pixels encoded, an encoded file's bytes converted. */
export const stackImageRoute: Route = (file, query) => {
  const path = query.objectPath();
  return withStack(file, path, async (stack) => {
    const row = query.integer("row", 0, 0, Math.max(0, stack.rows - 1));
    if (stack.rows === 0) throw new ViewError(404, `'${path}' has no rows`);
    const size = query.integer("size", 0, 0, MAX_THUMBNAIL);
    const [image] = await stack.readImages([row]);
    const [height, width, channels] = image.shape;
    const png = image.format !== "" ? await loadSharp()(image.data).png().toBuffer() : await encodeImage({ data: image.data, shape: image.shape, width, height, channels, bitDepth: 8, frames: 1, colourModel: channels <= 2 ? "GREY" : "RGB" }, "png");
    // A thumbnail (`size`: its longer side at most) costs the grid a tenth of the bytes and of the
    // server's memory of the full image's PNG; without `size` the row's pixels come as stored.
    return pngReply(size === 0 || Math.max(width, height) <= size ? png : await loadSharp()(png).resize(size, size, { fit: "inside" }).png().toBuffer());
  });
};
