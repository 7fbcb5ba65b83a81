// A tiny element builder (the whole "UI stack" of the page): h("div", { class: "x" }, child, …).

/** A child of h(): a node, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** An element with props (class, data-*, on<event> handlers, attributes) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") element.addEventListener(key.slice(2), value as EventListener);
    else if (key === "class") element.className = String(value);
    else if (key in element && !key.includes("-")) (element as unknown as Record<string, unknown>)[key] = value;
    else element.setAttribute(key, String(value));
  }
  append(element, ...children);
  return element;
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) if (child !== null && child !== undefined && child !== false) parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

/** The error box a failed view shows. */
export function errorBox(error: unknown): HTMLElement {
  return h("div", { class: "view-error", role: "alert" }, error instanceof Error ? error.message : String(error));
}

/** Bytes as "1.5 MiB". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) [value, unit] = [value / 1024, unit + 1];
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Previous / next buttons and a "a–b of n" label, calling `go(start)`. */
export function pager(start: number, size: number, total: number, go: (start: number) => void): HTMLElement {
  const stop = Math.min(total, start + size);
  return h(
    "div",
    { class: "pager" },
    h("button", { disabled: start <= 0, onclick: () => go(Math.max(0, start - size)), class: "pager-prev" }, "◀ previous"),
    h("span", { class: "pager-label" }, total === 0 ? "none" : `${start}–${stop - 1} of ${total}`),
    h("button", { disabled: stop >= total, onclick: () => go(stop), class: "pager-next" }, "next ▶"),
  );
}
