// `show` prints to a terminal, where one dataset's preview must not scroll everything else away:
// each line is cut to the terminal's width and a preview to a fixed number of lines, and the cut
// is said (`… (1,234 more characters)`, `… 58 more rows`). --json keeps everything it read.

/** How much of a preview is printed. */
export interface PreviewBounds {
  /** Characters per line: the terminal's columns, or DEFAULT_WIDTH when stdout is no terminal. */
  width: number;
  /** Lines of a preview (a table shows its --rows rows whatever this says). */
  lines: number;
}

/** Width when stdout is a pipe or a file: as wide as most terminals, short enough to read. */
export const DEFAULT_WIDTH = 100;
/** Lines of a preview: about one screen's worth with the object's facts and attrs above it. */
export const PREVIEW_LINES = 20;
/** The least kept of a cut line, however narrow the terminal says it is. */
const LEAST_KEPT = 20;

/** The bounds for this process's stdout. */
export function previewBounds(stdout: { isTTY?: boolean; columns?: number } = process.stdout): PreviewBounds {
  const columns = stdout.isTTY ? stdout.columns : undefined;
  return { width: columns !== undefined && columns > 0 ? columns : DEFAULT_WIDTH, lines: PREVIEW_LINES };
}

/** A count as people read it: 1,234. */
export function countText(n: number | bigint): string {
  return n.toLocaleString("en-US");
}

/** `1,234 more rows`, `1 more row`: a count and its words (given in the plural, ending in s). */
export function counted(n: number | bigint, plural: string): string {
  return `${countText(n)} ${n === 1 || n === 1n ? plural.slice(0, -1) : plural}`;
}

/** `line` cut to `width` characters (code points), the cut said: `… (1,234 more characters)`. */
export function cutLine(line: string, width: number): string {
  const characters = [...line];
  if (characters.length <= width) return line;
  // The note takes room too: what is kept and the note together fit the width.
  const noteFor = (kept: number) => ` … (${counted(characters.length - kept, "more characters")})`;
  const kept = Math.max(LEAST_KEPT, width - noteFor(width).length);
  return characters.slice(0, kept).join("").trimEnd() + noteFor(kept);
}

/** `text` broken into lines of `width` characters (long JSON, one string), at most `lines` of them. */
export function wrapText(text: string, { width, lines }: PreviewBounds): string[] {
  const characters = [...text];
  const rows: string[] = [];
  for (let at = 0; at < characters.length && rows.length < lines; at += width) rows.push(characters.slice(at, at + width).join(""));
  const shown = rows.reduce((sum, row) => sum + [...row].length, 0);
  if (shown < characters.length) rows.push(`… (${counted(characters.length - shown, "more characters")})`);
  return rows;
}

/**
 * `items` joined by ", " into lines no wider than `width` (one wider item is a line of its own,
 * cut), at most `lines` lines; and how many items those lines hold.
 */
export function wrapItems(items: readonly string[], { width, lines }: PreviewBounds): { lines: string[]; shown: number } {
  const rows: string[] = [];
  let row = "";
  let shown = 0;
  for (const item of items) {
    const next = row === "" ? item : `${row}, ${item}`;
    // A line that goes on ends in ',': that takes a column too.
    if (row !== "" && [...next].length + 1 > width) {
      if (rows.length + 1 >= lines) break;
      rows.push(`${row},`);
      row = item;
    } else {
      row = next;
    }
    shown++;
  }
  if (row !== "") rows.push(row);
  return { lines: rows.map((line) => cutLine(line, width)), shown };
}

/** At most `lines` of `rows`, then `… 58 more <what>` for the rest. */
export function firstLines(rows: readonly string[], lines: number, what: string): string[] {
  if (rows.length <= lines) return [...rows];
  return [...rows.slice(0, lines), `… ${counted(rows.length - lines, `more ${what}`)}`];
}
