// Records of JSON, JSONL and CSV entries checked against a rule's `records` JSON Schema (ajv):
// compiling the validator and splitting an entry's records (which its processor cuts: see
// processors/record-set.ts) into the kept and the quarantined.
import type { Format } from "ajv";
import { lazily } from "../lazily";
import { newAjv } from "./new-ajv";

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
const recordsAjv = lazily(() => newAjv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, addUsedSchema: false, formats: FORMATS }));

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
  const ajv = recordsAjv();
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

/** JSON text of a value; BigInts as their digits. */
function jsonText(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? `\u0000${marks.push(v.toString()) - 1}\u0000` : v));
  if (text === undefined) return "null";
  return marks.length === 0 ? text : text.replace(/"\\u0000(\d+)\\u0000"/g, (_, i: string) => marks[Number(i)]);
}
