// The columns of a record table (record-table.ts) and a block of records cut into them: each
// record's leaves by key path (nested objects flattened), each column's kind inferred from its
// cells and widened as blocks come (int64 → float64 → json; anything mixed → json), and the
// cells encoded as the compound dataset's fields. A cell is absent (undefined), null, or a value.
import { isEncodedStrings, longestOf, stringsOf, type EncodedStrings } from "../h5/encoded-strings";
import { JsonText, NumberText, recordJsonText } from "./record-values";

/** A column's kind: what its cells hold, and so its field's type. */
export type RecordKind = "null" | "bool" | "int64" | "float64" | "string" | "json";

/** One column: the key path of its leaf (null: whole records that are not objects), kind and string field bytes. */
export interface RecordColumn {
  path: string[] | null;
  kind: RecordKind;
  /** Bytes of its fixed-length string field (string and json kinds; a power of two, at least 8; 0 when ragged). */
  bytes: number;
  /** Its texts are ragged: UTF-8 in a uint8 dataset beside the table, its field their end offsets (see record-table.ts). */
  ragged: boolean;
  /** It holds integers beyond 2^53 (a float64 would change them). */
  bigInts: boolean;
}

/** The columns, and whether any cell is null or absent (the table then has a mask field). */
export interface RecordSchema {
  columns: RecordColumn[];
  masked: boolean;
}

/** Cell states in the mask field. */
export const PRESENT = 0;
/** A null cell. */
export const NULL = 1;
/** An absent key (or a column the record has no leaf in). */
export const ABSENT = 2;

interface PathNode {
  children: Map<string, PathNode>;
  column: number;
}

/** Cuts records into the columns of a schema, adding columns for new key paths. */
export class RecordBlock {
  /** Cells by column: each an array over the block's rows (holes are absent cells). */
  readonly cells: unknown[][] = [];
  rows = 0;
  private readonly root: PathNode = { children: new Map(), column: -1 };

  constructor(readonly columns: { path: string[] | null }[]) {
    columns.forEach((column, c) => {
      this.cells.push([]);
      if (column.path) this.nodeOf(column.path).column = c;
    });
  }

  /** Adds one record as the next row. */
  add(record: unknown): void {
    const row = this.rows++;
    if (isNested(record) || (isPlainObject(record) && Object.keys(record).length === 0)) {
      this.addLeaves(record as Record<string, unknown>, this.root, [], row);
    } else {
      this.cells[this.columnAt(this.root, null)][row] = record;
    }
  }

  private addLeaves(object: Record<string, unknown>, node: PathNode, path: string[], row: number): void {
    for (const key of Object.keys(object)) {
      const value = object[key];
      let child = node.children.get(key);
      if (!child) node.children.set(key, (child = { children: new Map(), column: -1 }));
      if (isNested(value)) this.addLeaves(value as Record<string, unknown>, child, [...path, key], row);
      else this.cells[this.columnAt(child, [...path, key])][row] = value;
    }
  }

  /** The column of a leaf node (the root: the whole-record column), made when new. */
  private columnAt(node: PathNode, path: string[] | null): number {
    if (node.column < 0) {
      node.column = this.columns.length;
      this.columns.push({ path });
      this.cells.push([]);
    }
    return node.column;
  }

  private nodeOf(path: string[]): PathNode {
    let node = this.root;
    for (const key of path) {
      let child = node.children.get(key);
      if (!child) node.children.set(key, (child = { children: new Map(), column: -1 }));
      node = child;
    }
    return node;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof NumberText) && !(value instanceof JsonText);
}

/** A non-empty object: flattened into its leaves' columns (an empty one is a JSON cell "{}"). */
function isNested(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const _ in value) return true;
  return false;
}

/** The kind of one cell value (null and absent: "null"). */
function cellKind(value: unknown): RecordKind {
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "number":
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? "int64" : "float64";
    case "bigint":
      return "int64";
    case "string":
      // A fixed-length field drops trailing NULs: text holding one goes as JSON ("\u0000").
      return value.includes("\0") ? "json" : "string";
  }
  if (value === null || value === undefined) return "null";
  if (value instanceof NumberText) return isInt64Text(value.text) ? "int64" : "json";
  return "json";
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isInt64Text(text: string): boolean {
  if (!/^-?[0-9]+$/.test(text)) return false;
  const n = BigInt(text);
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** Whether an int64 cell is beyond 2^53 (a double would change it). */
function isBigInt(value: unknown): boolean {
  return value instanceof NumberText || (typeof value === "bigint" && (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)));
}

/** The kind of two kinds' cells together: the narrowest that keeps both exactly. */
export function widerKind(a: RecordKind, b: RecordKind, bigInts: boolean): RecordKind {
  if (a === b || b === "null") return a;
  if (a === "null") return b;
  const numbers = (a === "int64" && b === "float64") || (a === "float64" && b === "int64");
  return numbers && !bigInts ? "float64" : "json";
}

/** The schema that holds `old` and the block: each column's kind widened by its cells (string bytes are set as the block is encoded). */
export function widenSchema(old: RecordSchema, block: RecordBlock): RecordSchema {
  let masked = old.masked;
  const columns = block.columns.map((column, c): RecordColumn => {
    const before = old.columns[c] ?? { path: column.path, kind: "null" as RecordKind, bytes: 0, bigInts: false, ragged: false };
    let { kind, bigInts } = before;
    const cells = block.cells[c];
    let present = 0;
    cells.forEach((value) => {
      if (value === null) return;
      present++;
      const own = cellKind(value);
      if (own === "int64" && !bigInts && isBigInt(value)) bigInts = true;
      kind = widerKind(kind, own, bigInts);
    });
    if (present < block.rows) masked = true;
    return { ...before, kind, bigInts };
  });
  return { columns, masked };
}

/** One column's cells as its field's data, and the longest string's bytes (string and json kinds). */
export function encodeColumn(kind: RecordKind, column: ArrayLike<unknown> | EncodedStrings, rows: number): { data: BigInt64Array | Float64Array | Uint8Array | boolean[] | string[] | EncodedStrings; longest: number } {
  // Packed texts (a CSV's, from a worker) go as they are into a string field, as strings elsewhere.
  if (isEncodedStrings(column) && kind === "string" && column.ends.length === rows) return { data: column, longest: longestOf(column) };
  const cells: ArrayLike<unknown> = isEncodedStrings(column) ? stringsOf(column) : column;
  const present = (r: number) => cells[r] !== undefined && cells[r] !== null;
  switch (kind) {
    case "null":
      return { data: new Uint8Array(rows), longest: 0 };
    case "bool":
      if (cells instanceof Uint8Array && cells.length === rows) return { data: cells, longest: 0 };
      return { data: Array.from({ length: rows }, (_, r) => cells[r] === true), longest: 0 };
    // A CSV's typed column (csv-infer.ts) is its field's data already.
    case "int64":
      if (cells instanceof BigInt64Array && cells.length === rows) return { data: cells, longest: 0 };
      return { data: BigInt64Array.from({ length: rows }, (_, r) => (present(r) ? toBigInt(cells[r]) : 0n)), longest: 0 };
    case "float64":
      if (cells instanceof Float64Array && cells.length === rows) return { data: cells, longest: 0 };
      // "": a CSV column of empty cells so far, rewritten as numbers (csv-table-writer.ts).
      return { data: Float64Array.from({ length: rows }, (_, r) => (present(r) && cells[r] !== "" ? Number(cells[r]) : NaN)), longest: 0 };
  }
  let longest = 0;
  const data = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    const text = !present(r) ? "" : kind === "string" ? (cells[r] as string) : recordJsonText(cells[r]);
    data[r] = text;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: only long texts are measured exactly.
    const bytes = text.length * 3 <= longest ? 0 : Buffer.byteLength(text);
    if (bytes > longest) longest = bytes;
  }
  return { data, longest };
}

function toBigInt(value: unknown): bigint {
  if (value instanceof NumberText) return BigInt(value.text);
  return typeof value === "bigint" ? value : BigInt(value as number);
}

/** The mask field's data: each row's cell states, row-major [rows, columns]. */
export function maskOf(block: RecordBlock, columns: number): Uint8Array {
  const mask = new Uint8Array(block.rows * columns);
  for (let c = 0; c < columns; c++) {
    const cells = block.cells[c] ?? [];
    for (let r = 0; r < block.rows; r++) {
      const value = cells[r];
      if (value === undefined) mask[r * columns + c] = ABSENT;
      else if (value === null) mask[r * columns + c] = NULL;
    }
  }
  return mask;
}

/**
 * The longest fixed-length string field: a text column past it is ragged, so that one long
 * outlier (a 1 MB stack trace among short messages) does not widen every row to its length.
 */
export const RAGGED_BYTES = 4096;

/** The texts of a ragged column as one UTF-8 buffer and each cell's end offset in it (absent and null cells: empty). */
export function raggedOf(texts: readonly string[] | EncodedStrings): { bytes: Uint8Array; ends: BigUint64Array } {
  if (isEncodedStrings(texts)) return { bytes: texts.bytes, ends: BigUint64Array.from(texts.ends, (end) => BigInt(end)) };
  const bytes = Buffer.from(texts.join(""), "utf8");
  const ends = new BigUint64Array(texts.length);
  let end = 0;
  texts.forEach((text, r) => {
    end += Buffer.byteLength(text);
    ends[r] = BigInt(end);
  });
  return { bytes, ends };
}

/** String field bytes for texts of `longest` bytes: a power of two, at least 8 (doubling as they grow). */
export function fieldBytesFor(longest: number): number {
  let bytes = 8;
  while (bytes < longest) bytes *= 2;
  return bytes;
}
