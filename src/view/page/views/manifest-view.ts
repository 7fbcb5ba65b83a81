// The manifest: written / skipped / failed counts, and its rows filtered by status and text,
// each with its cause and a link to the dataset it became.
import { getJson } from "../api";
import { errorBox, h, pager } from "../dom";

/** Rows per page. */
const PAGE = 100;

interface ManifestAnswer {
  total: number;
  counts: Record<string, number>;
  matched: number;
  offset: number;
  rows: { row: number; source: string; source_path: string; target: string; status: string; bytes: number; processor: string; message: string }[];
}

/** The manifest view with its filter. */
export function manifestView(): HTMLElement {
  const status = h("select", { class: "manifest-status" }, h("option", { value: "" }, "every status"), ...["written", "skipped", "failed"].map((s) => h("option", { value: s }, s)));
  const text = h("input", { type: "search", placeholder: "filter: path, target or message", class: "manifest-text" });
  const counts = h("div", { class: "manifest-counts" });
  const list = h("div", {});
  const show = async (offset: number) => {
    let answer: ManifestAnswer;
    try {
      answer = await getJson<ManifestAnswer>("/api/manifest", { status: status.value, q: text.value, offset, limit: PAGE });
    } catch (error) {
      list.replaceChildren(errorBox(error));
      return;
    }
    counts.replaceChildren(...["written", "skipped", "failed"].map((s) => h("span", { class: `status-${s}`, "data-status": s }, `${s} ${answer.counts[s] ?? 0}`)), h("span", {}, `of ${answer.total}`));
    const head = h("tr", {}, ...["#", "status", "source path", "dataset", "processor", "message"].map((c) => h("th", {}, c)));
    const rows = answer.rows.map((r) =>
      h(
        "tr",
        { class: "manifest-row", "data-status": r.status },
        h("td", {}, r.row),
        h("td", { class: `status-${r.status}` }, r.status),
        h("td", {}, r.source_path || r.source),
        h("td", {}, r.target ? h("a", { href: `#${r.target}` }, r.target) : ""),
        h("td", {}, r.processor),
        h("td", { class: "manifest-message" }, r.message),
      ),
    );
    list.replaceChildren(pager(offset, PAGE, answer.matched, (next) => void show(next)), h("table", { class: "data-table manifest-table" }, h("thead", {}, head), h("tbody", {}, ...rows)));
  };
  status.addEventListener("change", () => void show(0));
  text.addEventListener("input", () => void show(0));
  void show(0);
  return h("div", { class: "manifest-view" }, counts, h("div", { class: "pager" }, status, text), list);
}
