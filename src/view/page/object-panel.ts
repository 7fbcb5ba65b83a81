// The right pane: the selected object's facts (as `h5dat ls` gives them) and attrs, then its
// view, chosen by the server (src/view/content-kind.ts). A view that fails shows the server's
// error where the view would be; the rest of the page goes on working.
import { getJson } from "./api";
import { errorBox, formatBytes, h } from "./dom";
import { shapeText, type Listed, type ObjectAnswer, type View } from "./listing";
import { imageView } from "./views/image-view";
import { stackView } from "./views/stack-view";
import { tableView } from "./views/table-view";
import { jsonView, recordsView } from "./views/json-view";
import { hexView } from "./views/hex-view";
import { numericView } from "./views/numeric-view";
import { audioView, videoView } from "./views/media-view";
import { manifestView } from "./views/manifest-view";
import { valuesView } from "./views/values-view";

/** A view's maker: the object's path and view in, its element (filled as its slices come) out. */
type ViewMaker = (path: string, view: View) => HTMLElement;

const VIEWS: Record<string, ViewMaker> = {
  image: imageView,
  stacked: stackView,
  table: tableView,
  json: jsonView,
  records: recordsView,
  bytes: hexView,
  numeric: numericView,
  video: videoView,
  audio: audioView,
  manifest: manifestView,
  values: valuesView,
};

/** Shows the object at `path` in `root`. */
export async function showObject(root: HTMLElement, path: string): Promise<void> {
  root.replaceChildren(h("h2", {}, path), h("p", { class: "loading" }, "loading…"));
  let answer: ObjectAnswer;
  try {
    answer = await getJson<ObjectAnswer>("/api/object", { path });
  } catch (error) {
    root.replaceChildren(h("h2", {}, path), errorBox(error));
    return;
  }
  const { object, attrs, view } = answer;
  const maker = VIEWS[view.kind];
  const body = view.kind === "unreadable" ? errorBox(view.reason) : object.unreadable && view.kind !== "group" ? errorBox(`unreadable: ${object.unreadable}`) : maker ? maker(path, view) : null;
  // The data first, as h5web shows it; the attrs, often many, after it.
  root.replaceChildren(h("h2", {}, path), factsTable(object), h("div", { class: "view", "data-view": view.kind }, body), attrsTable(attrs));
}

function factsTable(o: Listed): HTMLElement {
  const rows: [string, string][] = [["kind", o.stacked ? "stacked group" : o.kind]];
  if (o.target) rows.push(["target", o.target]);
  if (o.shape !== undefined) rows.push(["shape", shapeText(o.shape)]);
  if (o.maxshape?.some((m) => m === null)) rows.push(["maxshape", shapeText(o.maxshape.map((m) => (m === null ? "∞" : m)))]);
  if (o.dtype) rows.push(["dtype", o.dtype]);
  if (o.layout) rows.push(["layout", o.layout]);
  if (o.chunks) rows.push(["chunks", shapeText(o.chunks)]);
  if (o.filters) rows.push(["filters", o.filters.join(" + ") || "none"]);
  if (o.logicalBytes !== undefined) rows.push(["size", `${formatBytes(o.logicalBytes)} → ${formatBytes(o.storedBytes ?? 0)} stored`]);
  if (o.stacked) rows.push(["stack", `${o.stacked.rows} images, ${o.stacked.storage}${o.stacked.imageShape.length ? ` [${o.stacked.imageShape.join(", ")}]` : ""}, ${o.stacked.classNames.length} classes, splits ${o.stacked.splits.map((s) => `${s.name} ${s.rows}`).join(" / ") || "none"}`]);
  return h("table", { class: "facts" }, ...rows.map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, v))));
}

/** An attr's value as text (a long one cut; an unreadable one says why). */
function attrText(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 2000 ? `${text.slice(0, 2000)} … (${text.length} characters)` : text;
}

function attrsTable(attrs: Record<string, unknown>): HTMLElement {
  const keys = Object.keys(attrs);
  if (keys.length === 0) return h("div", { class: "attrs" });
  return h("div", {}, h("h3", {}, `attrs (${keys.length})`), h("table", { class: "attrs" }, ...keys.map((k) => h("tr", {}, h("td", {}, k), h("td", {}, attrText(attrs[k]))))));
}
