// A table, a page of rows at a time, each page read by the server as one hyperslab.
import { getJson } from "../api";
import { errorBox, h, pager } from "../dom";

/** Rows per page. */
const PAGE = 50;

interface TableAnswer {
  columns: string[];
  start: number;
  stop: number;
  total: number;
  rows: unknown[][];
}

/** A cell as text. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The table view: a pager, and rows [start, start + PAGE). */
export function tableView(path: string): HTMLElement {
  const root = h("div", { class: "table-view" });
  const show = async (start: number) => {
    let answer: TableAnswer;
    try {
      answer = await getJson<TableAnswer>("/api/table", { path, start, stop: start + PAGE });
    } catch (error) {
      root.replaceChildren(errorBox(error));
      return;
    }
    const head = h("tr", {}, h("th", {}, "#"), ...answer.columns.map((c) => h("th", {}, c)));
    const body = answer.rows.map((row, i) => h("tr", { "data-row": answer.start + i }, h("td", {}, answer.start + i), ...row.map((v) => h("td", { title: cellText(v) }, cellText(v)))));
    root.replaceChildren(pager(answer.start, PAGE, answer.total, (next) => void show(next)), h("table", { class: "data-table" }, h("thead", {}, head), h("tbody", {}, ...body)));
  };
  void show(0);
  return root;
}
