// Raw bytes as a hex dump (offset, 16 bytes, their ASCII), a window of the dataset at a time.
import { getJson } from "../api";
import { errorBox, h, pager } from "../dom";

/** Bytes per window. */
const WINDOW = 4096;

/** Lines of `xxd`-style hex for `bytes`, numbered from `offset`. */
export function hexLines(bytes: Uint8Array, offset: number): string[] {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, at + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const text = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${(offset + at).toString(16).padStart(8, "0")}  ${hex.padEnd(47)}  |${text}|`);
  }
  return lines;
}

/** The hex view of a byte dataset. */
export function hexView(path: string): HTMLElement {
  const root = h("div", {});
  const show = async (offset: number) => {
    try {
      const answer = await getJson<{ total: number; offset: number; base64: string }>("/api/bytes", { path, offset, length: WINDOW });
      const bytes = Uint8Array.from(atob(answer.base64), (c) => c.charCodeAt(0));
      root.replaceChildren(pager(answer.offset, WINDOW, answer.total, (next) => void show(next)), h("pre", { class: "hex-view" }, hexLines(bytes, answer.offset).join("\n")));
    } catch (error) {
      root.replaceChildren(errorBox(error));
    }
  };
  void show(0);
  return root;
}
