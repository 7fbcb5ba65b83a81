// The records of a JSON or JSONL entry, as a --schema rule's `records` checks them: each
// element when the top level is an array, else the whole document; JSONL: each non-blank line.
import type { RecordSet } from "./record-set";
import { decodeText, type TextSource } from "./text-input";

/** The records of a JSON or JSONL text (or its bytes, gzip detected). Invalid JSON throws. */
export function jsonRecords(source: TextSource, options: { jsonl?: boolean } = {}): RecordSet {
  const text = decodeText(source);
  if (options.jsonl) {
    const set: RecordSet = { layout: "lines", values: [], texts: [] };
    // Blank lines are those the JSONL processor skips too, so indexes match its /0, /1, ...
    text.split("\n").forEach((raw, i) => {
      if (/^[ \t\r]*$/.test(raw)) return;
      const line = raw.replace(/^[ \t\r]+|[ \t\r]+$/g, "");
      try {
        set.values.push(JSON.parse(line));
      } catch (error) {
        throw new SyntaxError(`invalid JSON on line ${i + 1}: ${(error as Error).message}`);
      }
      set.texts.push(line);
    });
    return set;
  }
  const value: unknown = JSON.parse(text);
  if (Array.isArray(value)) return { layout: "array", values: value, texts: arrayElementTexts(text) };
  return { layout: "document", values: [value], texts: [text.trim()] };
}

/**
 * The JSON/JSONL text of the kept records only (numbers as written): an array of the kept
 * elements, the kept lines, or the document — null when a lone document was not kept.
 */
export function keptJsonText(set: RecordSet, keptIndexes: readonly number[]): string | null {
  const kept = keptIndexes.map((i) => set.texts[i]);
  switch (set.layout) {
    case "array":
      return `[${kept.join(",")}]`;
    case "lines":
      return kept.map((line) => `${line}\n`).join("");
    default:
      return kept.length > 0 ? kept[0] : null;
  }
}

/** The texts of a valid JSON text's top-level array elements. */
function arrayElementTexts(text: string): string[] {
  const texts: string[] = [];
  const push = (piece: string) => {
    const trimmed = piece.trim();
    if (trimmed !== "") texts.push(trimmed);
  };
  let start = text.indexOf("[") + 1;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth === 0) {
        push(text.slice(start, i));
        break;
      }
      depth--;
    } else if (c === 0x2c /* , */ && depth === 0) {
      push(text.slice(start, i));
      start = i + 1;
    }
  }
  return texts;
}
