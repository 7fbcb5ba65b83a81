// Records of JSON, JSONL and CSV entries checked against a rule's `records` JSON Schema (ajv):
// compiling the validator, cutting an entry into records, and splitting them into the kept and
// the quarantined. What a record is:
//   - JSON: each element when the top level is an array, else the whole document;
//   - JSONL: each non-blank line;
//   - CSV: each data row, as an object keyed by the compound field names (the header, made
//     unique and non-empty as the table writer does), values typed as the table infers them
//     (int64 → number, float64 → number with NaN/±Inf as null, bool → boolean, else string;
//     "kv" mode: every value a string).
// Each record also keeps its exact JSON text (numbers as written), for the quarantine.
import Ajv, { type Format } from "ajv";
import { fieldNames, type PreparedCsv } from "../processors/csv";
import { decodeText, type TextSource } from "../processors/text-input";

/** null when `record` is valid, else ajv's error text ("record/id must be integer, ..."). */
export type RecordValidator = (record: unknown) => string | null;

/** A few common formats (ajv knows none by itself); any other `format` is an error at load. */
const FORMATS: Record<string, Format> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  time: /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(z|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/i,
  "date-time": /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[t ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/i,
  email: /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
  uri: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
  uuid: /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i,
  ipv4: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
};

// Strict: an unknown keyword (a typo such as "requried") is an error, not a silently ignored key.
// addUsedSchema: false lets two rules hold schemas with the same $id.
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, addUsedSchema: false, formats: FORMATS });

/** Longest error text kept for one record. */
const MAX_ERROR = 2000;

/**
 * Compiles a `records` JSON Schema (draft-07); `definitions` (the schema file's) are what
 * "#/definitions/<name>" refers to, next to the schema's own. Throws ajv's error when `schema`
 * is not a valid JSON Schema.
 */
export function compileRecords(schema: object | boolean, definitions: Record<string, object | boolean> = {}): RecordValidator {
  let root: object | boolean = schema;
  if (typeof schema === "object" && Object.keys(definitions).length > 0) {
    const own = (schema as { definitions?: Record<string, unknown> }).definitions ?? {};
    root = { ...schema, definitions: { ...definitions, ...own } };
  }
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(root);
  } catch (error) {
    // "schema is invalid: data/type must be ..." → "type must be ..."
    throw new Error((error as Error).message.replace(/^schema is invalid: /, "").replace(/(^|, )data\//g, "$1").replace(/(^|, )data /g, "$1"));
  }
  return (record) => {
    if (validate(record)) return null;
    const text = ajv.errorsText(validate.errors, { dataVar: "record" });
    return text.length > MAX_ERROR ? `${text.slice(0, MAX_ERROR)}…` : text;
  };
}

/** An entry's records: their values (what is validated) and exact JSON texts. */
export interface RecordSet {
  /** array: a JSON array's elements; document: one JSON document; lines: JSONL; rows: CSV. */
  layout: "array" | "document" | "lines" | "rows";
  values: unknown[];
  texts: string[];
}

/** A record a schema rule rejected, and why. */
export interface QuarantinedRecord {
  /** 0-based: the array element, JSONL record (among non-blank lines) or CSV data row. */
  index: number;
  record: unknown;
  /** The record as JSON text (as written in the source for JSON/JSONL). */
  json: string;
  /** ajv's error text. */
  error: string;
}

/** Records split by a schema rule into those kept and those quarantined. */
export interface SplitRecords {
  kept: unknown[];
  /** Indexes of the kept records, ascending. */
  keptIndexes: number[];
  quarantined: QuarantinedRecord[];
}

/** Validates every record; `texts` (a RecordSet's) give the quarantined records' JSON text. */
export function splitRecords(values: unknown[], validate: RecordValidator, texts?: string[]): SplitRecords {
  const result: SplitRecords = { kept: [], keptIndexes: [], quarantined: [] };
  values.forEach((record, index) => {
    const error = validate(record);
    if (error === null) {
      result.kept.push(record);
      result.keptIndexes.push(index);
    } else {
      result.quarantined.push({ index, record, json: texts?.[index] ?? jsonText(record), error });
    }
  });
  return result;
}

// ---------------------------------------------------------------------------------- JSON, JSONL

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

// ------------------------------------------------------------------------------------------ CSV

/** The rows of a parsed CSV (prepareCsv's result) as records. */
export function csvRecords(prepared: PreparedCsv): RecordSet {
  const set: RecordSet = { layout: "rows", values: [], texts: [] };
  if (prepared.mode === "kv") {
    const fields = fieldNames(prepared.header);
    for (let r = 0; r < prepared.rows; r++) {
      const cells = prepared.cells.slice(r * fields.length, (r + 1) * fields.length);
      set.values.push(Object.fromEntries(fields.map((field, c) => [field, cells[c]])));
      set.texts.push(`{${fields.map((field, c) => `${JSON.stringify(field)}:${JSON.stringify(cells[c])}`).join(",")}}`);
    }
    return set;
  }
  const { table } = prepared;
  const fields = fieldNames(table.columns);
  for (let r = 0; r < table.rows; r++) {
    const record: Record<string, unknown> = {};
    const parts: string[] = [];
    fields.forEach((field, c) => {
      const cell = table.values[c][r];
      let value: unknown;
      let text: string;
      if (typeof cell === "bigint") {
        value = Number(cell);
        text = cell.toString();
      } else if (typeof cell === "number" && !Number.isFinite(cell)) {
        value = null;
        text = "null";
      } else {
        value = cell;
        text = JSON.stringify(cell);
      }
      Object.defineProperty(record, field, { value, writable: true, enumerable: true, configurable: true });
      parts.push(`${JSON.stringify(field)}:${text}`);
    });
    set.values.push(record);
    set.texts.push(`{${parts.join(",")}}`);
  }
  return set;
}

/** The parsed CSV with only the rows at `keptIndexes` (column types as inferred from all rows). */
export function keptCsvRows(prepared: PreparedCsv, keptIndexes: readonly number[]): PreparedCsv {
  if (prepared.mode === "kv") {
    const width = prepared.header.length;
    const cells = keptIndexes.flatMap((r) => prepared.cells.slice(r * width, (r + 1) * width));
    return { mode: "kv", header: prepared.header, cells, rows: keptIndexes.length };
  }
  const { table } = prepared;
  const values = table.values.map((column) => {
    if (column instanceof BigInt64Array) return BigInt64Array.from(keptIndexes, (r) => column[r]);
    if (column instanceof Float64Array) return Float64Array.from(keptIndexes, (r) => column[r]);
    return keptIndexes.map((r) => column[r]) as boolean[] | string[];
  });
  return { mode: "table", table: { ...table, values, rows: keptIndexes.length } };
}

/** JSON text of a value; BigInts as their digits. */
function jsonText(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? `\u0000${marks.push(v.toString()) - 1}\u0000` : v));
  if (text === undefined) return "null";
  return marks.length === 0 ? text : text.replace(/"\\u0000(\d+)\\u0000"/g, (_, i: string) => marks[Number(i)]);
}
