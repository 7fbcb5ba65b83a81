// One JSON record's value, parsed for the record table (record-table.ts): JSON.parse where it is
// exact, else a small parser that keeps a number's text where a double would change it (integers
// beyond 2^53, more digits than a double holds, 1e400). The text is found cheaply: only a line
// holding a run of 16 or more number characters, or a number JSON.parse made infinite, takes
// the slow path (a false alarm inside a string costs time, never a value).
import { JsonSyntaxError, scanJsonLeaves } from "./json-tokenizer";

/** A number whose text a double would not keep: an integer beyond 2^53, 0.1000000000000000055, 1e400. */
export class NumberText {
  constructor(readonly text: string) {}
}

/** JSON text already serialized (a JSON cell read back for a rewrite keeps its text). */
export class JsonText {
  constructor(readonly text: string) {}
}

const LONG_NUMBER = /[0-9.eE+-]{16,}/;
const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|(-?[0-9][0-9.eE+-]*)|(true|false|null)|([[\]{}:,]))/y;

/** A JSON text's value (`line`: its 1-based line in the input, for errors), numbers kept as NumberText where a double would change them. */
export function parseRecord(text: string, line = 1): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The tokenizer names the line and column of the error.
    scanJsonLeaves(text, "", () => undefined, line);
    throw new JsonSyntaxError("invalid JSON", line, 1);
  }
  return LONG_NUMBER.test(text) || hasInfinity(value) ? exactParse(text) : value;
}

function hasInfinity(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (value === null || typeof value !== "object") return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (hasInfinity(v)) return true;
  return false;
}

/** A number's value, or its NumberText when a double would change it. */
function numberOf(text: string): number | NumberText {
  const n = Number(text);
  if (/^-?[0-9]+$/.test(text)) return Number.isSafeInteger(n) ? n : new NumberText(text);
  if (!Number.isFinite(n)) return new NumberText(text);
  return digitsOf(text) === digitsOf(String(n)) ? n : new NumberText(text);
}

/** The significant digits of a number's text (no sign, point, exponent, or leading/trailing zeros). */
function digitsOf(text: string): string {
  const mantissa = text.replace(/[eE].*$/, "").replace(/[-.]/g, "");
  return mantissa.replace(/^0+/, "").replace(/0+$/, "");
}

/** A valid JSON text parsed with numbers through numberOf (JSON.parse has checked it). */
function exactParse(text: string): unknown {
  TOKEN.lastIndex = 0;
  const next = (): RegExpExecArray => TOKEN.exec(text)!;
  const value = (token: RegExpExecArray): unknown => {
    if (token[1] !== undefined) return JSON.parse(token[1]) as string;
    if (token[2] !== undefined) return numberOf(token[2]);
    if (token[3] !== undefined) return token[3] === "null" ? null : token[3] === "true";
    if (token[4] === "[") {
      const array: unknown[] = [];
      for (let t = next(); t[4] !== "]"; t = next()) if (t[4] !== ",") array.push(value(t));
      return array;
    }
    const object: Record<string, unknown> = {};
    for (let t = next(); t[4] !== "}"; t = next()) {
      if (t[4] === ",") continue;
      const key = JSON.parse(t[1]) as string;
      next(); // the colon
      setKey(object, key, value(next()));
    }
    return object;
  };
  return value(next());
}

/** Sets `key` as an own property ("__proto__" included), the last of a repeated key winning as with JSON.parse. */
export function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Compact JSON text of a record value, NumberText, JsonText and BigInt as their exact text. */
export function recordJsonText(value: unknown): string {
  if (value instanceof NumberText || value instanceof JsonText) return value.text;
  if (typeof value === "bigint") return value.toString();
  if (Object.is(value, -0)) return "-0";
  if (Array.isArray(value)) return `[${value.map(recordJsonText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${recordJsonText(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A JSON cell's text read back: numbers as the kv reader gives them (integers beyond 2^53 as BigInt, others the nearest double). */
export function jsonCellValue(text: string): unknown {
  return readerValue(parseRecord(text));
}

/** A parsed value as readJSON gives it: NumberText as BigInt (integers) or the nearest double. */
export function readerValue(value: unknown): unknown {
  if (value instanceof NumberText) return /^-?[0-9]+$/.test(value.text) ? BigInt(value.text) : Number(value.text);
  if (value instanceof JsonText) return jsonCellValue(value.text);
  if (Array.isArray(value)) return value.map(readerValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setKey(out, k, readerValue(v));
    return out;
  }
  return value;
}
