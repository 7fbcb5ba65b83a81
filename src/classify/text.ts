// Sniffing text heads: is it text at all, is it (the start of) JSON or JSON Lines, is it SVG.
// Heads are cut at an arbitrary byte, so "a valid prefix" counts as valid everywhere here.

// Non-fatal: a multi-byte character cut at the head's end becomes U+FFFD instead of an error.
// The decoder also drops a leading UTF-8 BOM.
const utf8 = new TextDecoder("utf-8");

/** The head as text, or undefined when it has control bytes no text file has (NUL, 0x01–0x08, …). */
export function headText(head: Uint8Array): string | undefined {
  for (const byte of head) {
    // Tab, LF, VT, FF, CR and ESC (ANSI colours in logs) are the control bytes text carries.
    if (byte < 0x20 && !(byte >= 0x09 && byte <= 0x0d) && byte !== 0x1b) return undefined;
  }
  return utf8.decode(head);
}

/**
 * "json" when the text is one JSON value (or its start), "jsonl" when the first line is a whole
 * value and another value follows on the next line, undefined otherwise. With `containersOnly`,
 * a bare scalar ("42", "true") does not count: a digit or word alone is no evidence of JSON.
 */
export function sniffJson(text: string, containersOnly = false): "json" | "jsonl" | undefined {
  const start = skipWhitespace(text, 0);
  if (start === text.length) return undefined;
  if (containersOnly && text[start] !== "{" && text[start] !== "[") return undefined;
  const first = scanJsonValue(text, start);
  if (first === "invalid") return undefined;
  if (first === "incomplete") return "json";
  let next = first;
  while (next < text.length && (text[next] === " " || text[next] === "\t" || text[next] === "\r")) next++;
  if (next === text.length) return "json";
  // Anything but a newline after a whole value is not JSON (e.g. "1,2,3" or "{} x").
  if (text[next] !== "\n") return undefined;
  next = skipWhitespace(text, next);
  if (next === text.length) return "json";
  return scanJsonValue(text, next) === "invalid" ? undefined : "jsonl";
}

/** True when the text, past an XML declaration, comments and a DOCTYPE, opens an <svg> element. */
export function looksLikeSvg(head: Uint8Array): boolean {
  // Only the first KiB: SVG writers put <svg near the top, and this runs on every unknown file.
  const text = headText(head.subarray(0, 1024));
  if (text === undefined) return false;
  let i = skipWhitespace(text, 0);
  for (;;) {
    const close = text.startsWith("<?", i) ? "?>" : text.startsWith("<!--", i) ? "-->" : /^<!DOCTYPE/i.test(text.slice(i, i + 9)) ? ">" : undefined;
    if (close === undefined) break;
    const end = text.indexOf(close, i);
    if (end < 0) return false;
    i = skipWhitespace(text, end + close.length);
  }
  return /^<svg[\s>/]/.test(text.slice(i, i + 5));
}

class JsonStop {
  constructor(readonly kind: "invalid" | "incomplete") {}
}
const INVALID = new JsonStop("invalid");
const INCOMPLETE = new JsonStop("incomplete");
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** Scans one JSON value from `start`: the index after it, or why it stopped. */
export function scanJsonValue(text: string, start: number): number | "invalid" | "incomplete" {
  let i = start;
  const peek = (): string => {
    if (i >= text.length) throw INCOMPLETE;
    return text[i];
  };
  const expect = (char: string): void => {
    if (peek() !== char) throw INVALID;
    i++;
  };
  const string = (): void => {
    i++;
    for (;;) {
      const char = peek();
      if (char === '"') return void i++;
      if (char < " ") throw INVALID;
      if (char === "\\") {
        i++;
        if (!'"\\/bfnrtu'.includes(peek())) throw INVALID;
      }
      i++;
    }
  };
  const value = (): void => {
    i = skipWhitespace(text, i);
    const char = peek();
    if (char === "{" || char === "[") {
      const closer = char === "{" ? "}" : "]";
      i = skipWhitespace(text, i + 1);
      if (peek() === closer) return void i++;
      for (;;) {
        if (closer === "}") {
          i = skipWhitespace(text, i);
          if (peek() !== '"') throw INVALID;
          string();
          i = skipWhitespace(text, i);
          expect(":");
        }
        value();
        i = skipWhitespace(text, i);
        if (peek() === closer) return void i++;
        expect(",");
      }
    }
    if (char === '"') return string();
    if (char === "-" || (char >= "0" && char <= "9")) {
      const begin = i;
      while (i < text.length && /[-+.eE0-9]/.test(text[i])) i++;
      // A number cut by the head's end may still become valid; elsewhere it must be whole.
      if (!NUMBER.test(text.slice(begin, i)) && i < text.length) throw INVALID;
      return;
    }
    for (const literal of ["true", "false", "null"]) {
      const piece = text.slice(i, i + literal.length);
      if (piece === literal) return void (i += literal.length);
      if (i + piece.length === text.length && literal.startsWith(piece)) throw INCOMPLETE;
    }
    throw INVALID;
  };
  try {
    value();
    return i;
  } catch (stop) {
    if (stop instanceof JsonStop) return stop.kind;
    throw stop;
  }
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  return i;
}
