// The tree of groups and datasets: each group's members fetched when it is opened, a page of
// them at a time ("more…" fetches the next), so a file of 10,000 datasets paints its first
// level at once. Rows show kind, shape, dtype and stored size; selecting one sets the hash.
import { getJson } from "./api";
import { errorBox, formatBytes, h } from "./dom";
import { shapeText, type Listed } from "./listing";

/** Members fetched per request. */
const PAGE = 500;

interface MembersAnswer {
  path: string;
  total: number;
  offset: number;
  members: Listed[];
}

const nameOf = (path: string) => (path === "/" ? "/" : path.slice(path.lastIndexOf("/") + 1));

/** A row's short facts: "uint8 [64, 96, 3] gzip:6 17.7 KiB". */
function metaText(o: Listed): string {
  if (o.kind === "soft-link" || o.kind === "external-link") return `→ ${o.target ?? ""}`;
  if (o.stacked) return `stacked: ${o.stacked.rows} images`;
  if (o.kind === "group" && o.dtype) return `${o.layout ?? ""} ${o.dtype} ${shapeText(o.shape)}`;
  if (o.kind !== "dataset") return o.unreadable ? "unreadable" : "";
  const filters = o.filters && o.filters.length > 0 ? ` ${o.filters.join("+")}` : "";
  return `${o.dtype ?? ""} ${shapeText(o.shape)}${filters} ${o.storedBytes !== undefined ? formatBytes(o.storedBytes) : ""}`;
}

/** The tree pane: open groups, rows, selection. */
export class TreePanel {
  private readonly rows = new Map<string, HTMLElement>();
  private selected: string | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly select: (path: string) => void,
  ) {}

  /** Shows the root's members. */
  async start(): Promise<void> {
    const box = h("div", { class: "tree-children", "data-of": "/" });
    this.root.replaceChildren(h("div", { class: "tree-row tree-root", "data-path": "/", "data-kind": "group", onclick: () => this.select("/") }, h("span", { class: "tree-name" }, "/")), box);
    this.rows.set("/", this.root.firstElementChild as HTMLElement);
    await this.fill(box, "/", 0, 0);
  }

  /** Marks `path` selected, opening its parents first. */
  async reveal(path: string): Promise<void> {
    const parts = path.split("/").filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const parent = `/${parts.slice(0, i).join("/")}`;
      const row = this.rows.get(parent);
      if (row && row.dataset.open !== "true") await this.toggle(row, parent);
    }
    if (this.selected) this.rows.get(this.selected)?.classList.remove("selected");
    this.selected = path;
    const row = this.rows.get(path);
    row?.classList.add("selected");
    row?.scrollIntoView({ block: "nearest" });
  }

  /** Opens every group below the root, at most `limit` rows (a small file's whole tree). */
  async expandAll(limit = 5000): Promise<void> {
    for (let opened = true; opened && this.rows.size < limit; ) {
      opened = false;
      for (const [path, row] of [...this.rows]) {
        if (row.dataset.kind === "group" && row.dataset.open !== "true" && path !== "/") {
          await this.toggle(row, path);
          opened = true;
        }
      }
    }
  }

  /** Members [offset, offset + PAGE) of group `path` into `box`, at `depth`. */
  private async fill(box: HTMLElement, path: string, depth: number, offset: number): Promise<void> {
    let answer: MembersAnswer;
    try {
      answer = await getJson<MembersAnswer>("/api/members", { path, offset, limit: PAGE });
    } catch (error) {
      box.append(errorBox(error));
      return;
    }
    for (const member of answer.members) box.append(...this.row(member, depth));
    const shown = offset + answer.members.length;
    if (shown < answer.total) {
      const more: HTMLElement = h("div", { class: "tree-more", onclick: () => void (more.remove(), this.fill(box, path, depth, shown)) }, `more… (${answer.total - shown} of ${answer.total})`);
      more.style.marginLeft = `${depth * 14}px`;
      box.append(more);
    }
  }

  /** A member's row, and its (empty) children's box when a group. */
  private row(member: Listed, depth: number): HTMLElement[] {
    const group = member.kind === "group";
    const toggle = h("span", { class: "tree-toggle" }, group ? "▸" : "");
    const row = h(
      "div",
      { class: "tree-row", "data-path": member.path, "data-kind": member.kind, "data-depth": depth, title: member.path },
      toggle,
      h("span", { class: "tree-name" }, nameOf(member.path)),
      h("span", { class: `kind kind-${member.kind}` }, member.stacked ? "stacked" : member.kind),
      h("span", { class: "tree-meta" }, metaText(member)),
    );
    row.style.paddingLeft = `${6 + depth * 14}px`;
    row.addEventListener("click", (event) => {
      if (group && (event.target === toggle || row.dataset.open !== "true")) void this.toggle(row, member.path);
      if (event.target !== toggle) this.select(member.path);
    });
    this.rows.set(member.path, row);
    if (!group) return [row];
    return [row, h("div", { class: "tree-children", "data-of": member.path })];
  }

  /** Opens or closes a group's row. */
  private async toggle(row: HTMLElement, path: string): Promise<void> {
    const box = row.nextElementSibling as HTMLElement;
    const open = row.dataset.open !== "true";
    row.dataset.open = String(open);
    row.querySelector(".tree-toggle")!.textContent = open ? "▾" : "▸";
    box.hidden = !open;
    if (open && !box.dataset.loaded) {
      box.dataset.loaded = "true";
      await this.fill(box, path, Number(row.dataset.depth) + 1, 0);
    }
  }
}
