// JSON rebuilt from its (pointer, value) pairs, shown as a collapsible tree: each leaf carries its
// JSON pointer (data-pointer) and shows its value as JSON text. A record table's documents (a
// JSON array's elements, JSONL lines) come a page at a time.
import { getJson } from "../api";
import { errorBox, h, pager, type Child } from "../dom";

/** Documents of a record table per page. */
const PAGE = 50;
/** Levels open at first. */
const OPEN_DEPTH = 3;

const escapePointer = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");

/** `value` as a tree of <details> (objects, arrays) and leaves. */
export function jsonTree(value: unknown, pointer = "", key: Child = null, depth = 0): HTMLElement {
  const label = key === null ? null : h("span", { class: "json-key" }, `${key}: `);
  if (value === null || typeof value !== "object") {
    const kind = typeof value === "string" ? "string" : typeof value === "number" ? "number" : "literal";
    return h("div", { class: "json-leaf", "data-pointer": pointer }, label, h("span", { class: `json-${kind}` }, JSON.stringify(value)));
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) return h("div", { class: "json-leaf", "data-pointer": pointer }, label, `${open}${close}`);
  return h(
    "details",
    { open: depth < OPEN_DEPTH, "data-pointer": pointer },
    h("summary", {}, label, `${open} ${entries.length} ${Array.isArray(value) ? "items" : "keys"} ${close}`),
    ...entries.map(([k, v]) => jsonTree(v, `${pointer}/${escapePointer(k)}`, k, depth + 1)),
  );
}

/** A JSON dataset (pairs) as one tree. */
export function jsonView(path: string): HTMLElement {
  const root = h("div", { class: "json-view" }, "loading…");
  getJson<{ pairs: number; value: unknown }>("/api/json", { path }).then(
    (answer) => root.replaceChildren(jsonTree(answer.value)),
    (error: unknown) => root.replaceChildren(errorBox(error)),
  );
  return root;
}

/** A record table's documents, a page at a time, each a tree. */
export function recordsView(path: string): HTMLElement {
  const root = h("div", { class: "json-view" });
  const show = async (start: number) => {
    try {
      const answer = await getJson<{ total: number; start: number; value: unknown[] }>("/api/json", { path, start, stop: start + PAGE });
      root.replaceChildren(pager(answer.start, PAGE, answer.total, (next) => void show(next)), jsonTree(answer.value, "", null, 0));
    } catch (error) {
      root.replaceChildren(errorBox(error));
    }
  };
  void show(0);
  return root;
}
