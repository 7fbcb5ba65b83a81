// A stacked group: a paged grid of thumbnails (each the server's PNG of one row), captioned with
// the row's class and split, filterable by split.
import { apiUrl, getJson } from "../api";
import { errorBox, h, pager } from "../dom";

/** A thumbnail's longer side, in pixels (twice the grid's cell: sharp on a high-density screen). */
const THUMBNAIL = 200;
/** Thumbnails per page. */
const PAGE = 48;

interface StackAnswer {
  rows: number;
  of: number;
  storage: string;
  imageShape: number[];
  classNames: string[];
  splitNames: string[];
  page: { row: number; label: number; className: string; split: string; path: string }[];
}

/** The stacked group's grid. */
export function stackView(path: string): HTMLElement {
  const root = h("div", { class: "stack-view" });
  let split = "";
  const show = async (offset: number) => {
    let answer: StackAnswer;
    try {
      answer = await getJson<StackAnswer>("/api/stack", { path, split, offset, limit: PAGE });
    } catch (error) {
      root.replaceChildren(errorBox(error));
      return;
    }
    const picker = h("select", { class: "split-filter", onchange: () => ((split = picker.value), void show(0)) }, h("option", { value: "" }, `all ${answer.rows} rows`), ...answer.splitNames.map((name) => h("option", { value: name, selected: name === split }, name)));
    const figures = answer.page.map((item) =>
      h(
        "figure",
        { "data-row": item.row, "data-label": item.className, "data-split": item.split, title: item.path },
        h("img", { src: apiUrl("/api/stack-image.png", { path, row: item.row, size: THUMBNAIL }), alt: item.path, loading: "lazy" }),
        h("figcaption", {}, `#${item.row} ${item.className || "(no label)"} `, item.split ? h("span", { class: "split" }, item.split) : null),
      ),
    );
    root.replaceChildren(h("div", { class: "pager" }, "split: ", picker), pager(offset, PAGE, answer.of, (start) => void show(start)), h("div", { class: "stack-grid" }, ...figures));
  };
  void show(0);
  return root;
}
