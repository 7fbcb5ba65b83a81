// A JSON scanner that reports leaves (with their RFC 6901 pointers) instead of building values,
// so that each number keeps the text it was written with: JSON.parse would round
// 12345678901234567890123 and turn 1e400 into Infinity. It is iterative (an explicit stack), so
// deep nesting cannot overflow the JS stack.

/** Invalid JSON: the message names the 1-based line and column of the offending character. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based line of the error in the whole input. */
    readonly line: number,
    /** 1-based column (UTF-16 code units) of the error on that line. */
    readonly column: number,
  ) {
    super(`invalid JSON at line ${line}, column ${column}: ${message}`);
    this.name = "JsonSyntaxError";
  }
}

/** Receives each leaf: its pointer and its JSON text. */
export type LeafSink = (pointer: string, text: string) => void;

/** One pointer token escaped per RFC 6901 (`~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The unescaped tokens of a JSON pointer ("" is the root, no tokens). */
export function pointerTokens(pointer: string): string[] {
  if (pointer === "") return [];
  if (pointer[0] !== "/") throw new Error(`invalid JSON pointer '${pointer}': it must be empty or start with '/'`);
  return pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** A JSON number's grammar (RFC 8259), anchored at the scan position. */
export const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

interface Frame {
  kind: "array" | "object";
  pointer: string;
  count: number;
  /** An object's keys so far: a repeated key resets its value (see document()). */
  keys?: Set<string>;
}

/**
 * Scans one JSON document in `text` and calls `emit` for each leaf in document order: scalars,
 * empty arrays and empty objects. Leaf text is the number as written, a string re-encoded with
 * JSON.stringify, or the literal. An object whose first key is "0" is preceded by a `{}` row at
 * its own pointer, so that a reader creating containers on demand (an array when the first token
 * below it is "0") builds an object there: pointers alone cannot tell [1] from {"0": 1}.
 * A repeated key whose new value is a non-empty container is preceded by an empty container row
 * at its pointer, so that the last value wins as with JSON.parse, instead of merging into the first.
 * `firstLine` is the line number of `text`'s first line in the whole input, for errors.
 */
export function scanJsonLeaves(text: string, prefix: string, emit: LeafSink, firstLine = 1): void {
  new Scanner(text, firstLine).document(prefix, emit);
}

class Scanner {
  private pos = 0;

  constructor(private readonly text: string, private readonly firstLine: number) {}

  document(prefix: string, emit: LeafSink): void {
    const stack: Frame[] = [];
    let pointer = prefix;
    let repeated = false;
    for (;;) {
      const reset = repeated;
      repeated = false;
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === "[") {
        if (this.opensEmpty("]")) {
          emit(pointer, "[]");
        } else {
          if (reset) emit(pointer, "[]");
          stack.push({ kind: "array", pointer, count: 0 });
          pointer += "/0";
          continue;
        }
      } else if (c === "{") {
        if (this.opensEmpty("}")) {
          emit(pointer, "{}");
        } else {
          const key = this.key();
          if (key === "0" || reset) emit(pointer, "{}");
          stack.push({ kind: "object", pointer, count: 0, keys: new Set([key]) });
          pointer += "/" + escapePointerToken(key);
          continue;
        }
      } else {
        emit(pointer, this.scalar());
      }
      // After a value: close finished containers, or move to the next member.
      let next: string | null = null;
      while (next === null && stack.length > 0) {
        const frame = stack[stack.length - 1];
        this.skipSpace();
        const d = this.text[this.pos];
        if (d === ",") {
          this.pos++;
          frame.count++;
          if (frame.kind === "array") {
            next = `${frame.pointer}/${frame.count}`;
          } else {
            this.skipSpace();
            const key = this.key();
            repeated = frame.keys!.has(key);
            frame.keys!.add(key);
            next = frame.pointer + "/" + escapePointerToken(key);
          }
        } else if (d === (frame.kind === "array" ? "]" : "}")) {
          this.pos++;
          stack.pop();
        } else {
          this.fail(frame.kind === "array" ? "expected ',' or ']'" : "expected ',' or '}'");
        }
      }
      if (next === null) break;
      pointer = next;
    }
    this.skipSpace();
    if (this.pos < this.text.length) this.fail("unexpected text after the JSON value");
  }

  /** An object key and its colon. */
  private key(): string {
    if (this.text[this.pos] !== '"') this.fail("expected a string key");
    const key = this.string();
    this.skipSpace();
    if (this.text[this.pos] !== ":") this.fail("expected ':'");
    this.pos++;
    return key;
  }

  /** A string, number or literal at the position; returns its leaf text. */
  private scalar(): string {
    const c = this.text[this.pos];
    if (c === '"') return JSON.stringify(this.string());
    if (c === "-" || (c >= "0" && c <= "9")) {
      NUMBER.lastIndex = this.pos;
      const m = NUMBER.exec(this.text);
      if (!m) this.fail("invalid number");
      this.pos += m[0].length;
      const after = this.text[this.pos];
      if (after !== undefined && /[0-9.eE+-]/.test(after)) this.fail("invalid number");
      return m[0];
    }
    for (const literal of ["true", "false", "null"]) {
      if (this.text.startsWith(literal, this.pos)) {
        this.pos += literal.length;
        return literal;
      }
    }
    this.fail(c === undefined ? "unexpected end of input" : "expected a JSON value");
  }

  /** A string's decoded value; the position is on its opening quote. */
  private string(): string {
    const start = ++this.pos;
    const text = this.text;
    let out = "";
    let run = start;
    for (;;) {
      const code = text.charCodeAt(this.pos);
      if (Number.isNaN(code)) this.fail("unterminated string");
      if (code === 0x22) break;
      if (code < 0x20) this.fail("control character in string (escape it)");
      if (code === 0x5c) {
        out += text.slice(run, this.pos);
        const e = text[this.pos + 1];
        if (e === "u") {
          const hex = text.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.pos++;
            this.fail("invalid \\u escape");
          }
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
        } else if (e !== undefined && e in ESCAPES) {
          out += ESCAPES[e];
          this.pos += 2;
        } else {
          this.pos++;
          this.fail("invalid escape");
        }
        run = this.pos;
        continue;
      }
      this.pos++;
    }
    out += text.slice(run, this.pos);
    this.pos++;
    return out;
  }

  /** Steps over the opening bracket at `pos`; true (and over `close` too) when the container is empty. */
  private opensEmpty(close: "]" | "}"): boolean {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] !== close) return false;
    this.pos++;
    return true;
  }

  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else return;
    }
  }

  private fail(message: string): never {
    let line = this.firstLine;
    let lineStart = 0;
    for (let i = 0; i < this.pos && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const found = this.text[this.pos];
    const what = found === undefined ? "" : ` (found ${JSON.stringify(found)})`;
    throw new JsonSyntaxError(message + what, line, this.pos - lineStart + 1);
  }
}
