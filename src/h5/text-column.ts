// A column of texts as their UTF-8 bytes end to end and each text's end offset: what a worker
// process that parsed them sends the writer (two typed arrays cross a process by copy, where an
// array of strings is rebuilt string by string), and what the writer packs into fixed-length
// string fields (encode.ts) or keeps as a ragged column's bytes, without making a JS string.

/** Texts packed end to end: text r is bytes [ends[r - 1], ends[r]) (from 0 for the first). */
export interface TextColumn {
  readonly kind: "texts";
  readonly length: number;
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
  /** The longest text's bytes. */
  readonly longest: number;
}

/** Whether a column is a TextColumn (one may have crossed a process: a plain object). */
export function isTextColumn(column: unknown): column is TextColumn {
  return typeof column === "object" && column !== null && (column as { kind?: unknown }).kind === "texts";
}

/** The texts packed (UTF-8). */
export function textColumnOf(texts: readonly string[]): TextColumn {
  const ends = new Uint32Array(texts.length);
  let total = 0;
  for (let r = 0; r < texts.length; r++) ends[r] = total += Buffer.byteLength(texts[r]);
  // Its own buffer: a typed array crosses a process with the whole buffer under it (not Buffer's pool).
  const array = new Uint8Array(total);
  const bytes = Buffer.from(array.buffer, 0, total);
  let at = 0;
  let longest = 0;
  for (let r = 0; r < texts.length; r++) {
    const written = bytes.write(texts[r], at, "utf8");
    if (written > longest) longest = written;
    at += written;
  }
  return { kind: "texts", length: texts.length, bytes: array, ends, longest };
}

/** The texts as strings. */
export function textsOf(column: TextColumn): string[] {
  const texts = new Array<string>(column.length);
  const buffer = Buffer.from(column.bytes.buffer, column.bytes.byteOffset, column.bytes.length);
  let from = 0;
  for (let r = 0; r < column.length; r++) {
    const to = column.ends[r];
    texts[r] = buffer.toString("utf8", from, to);
    from = to;
  }
  return texts;
}
