// Any other dataset (strings, enums, compounds of no table, references …): its first values.
import { getJson } from "../api";
import { errorBox, h } from "../dom";
import { cellText } from "./table-view";

/** The first values of a dataset, one a line. */
export function valuesView(path: string): HTMLElement {
  const root = h("div", { class: "values-view" }, "loading…");
  getJson<{ shape: number[]; size: number; values: unknown[] }>("/api/values", { path }).then(
    (answer) => root.replaceChildren(h("pre", {}, answer.values.map(cellText).join("\n") + (answer.size > answer.values.length ? `\n… ${answer.size - answer.values.length} more` : ""))),
    (error: unknown) => root.replaceChildren(errorBox(error)),
  );
  return root;
}
