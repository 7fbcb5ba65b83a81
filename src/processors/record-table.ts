// JSON Lines, and a JSON document that is an array of objects, as ONE compound dataset [N]: one
// row per record in source order, one field per leaf key path, like pandas' to_hdf(format="table").
//
// Columns. Nested objects are flattened to their leaves (field `user.id`, attr column_paths
// `["user","id"]`, so a key holding a dot stays apart from a nested one). Each column has a kind
// (attr column_kinds) inferred from its cells: int64, float64, bool, string (fixed-length UTF-8,
// NUL-padded: gzip eats the padding, and unlike variable-length strings, which HDF5 keeps in its
// uncompressed global heap, the text is compressed in the chunks), json (the cells' JSON text in
// a fixed-length string field: arrays, empty objects, a column whose cells mix kinds, integers
// beyond int64 and numbers a double would change), or null (only nulls, a uint8 field of zeros).
// A column widens as cells come: int64 → float64 (unless it holds integers beyond 2^53) → json;
// anything else mixed → json. String fields are sized to a power of two at least the longest cell.
// Ragged text: a string or json column whose longest cell passes RAGGED_BYTES (4 KiB) keeps its
// texts' UTF-8 in a uint8 dataset beside the table, `<table>.ragged.<column index>` (attr
// ragged_datasets; the dataset's attr ragged_text_of names the table), chunked and compressed
// like it, and its field holds each cell's end offset there (uint64; a cell starts where the row
// before it ends): one 1 MB outlier does not widen every row to 1 MB.
// Records that are not objects (a scalar line in JSONL) are whole-record cells in a json column of
// path null (field `_record`); their row's other cells are absent.
//
// Nulls and absent keys. When any cell is null or absent, the field `_mask` (attr mask_field) is a
// uint8 array of one state per column: 0 the value, 1 null, 2 absent. The value slot then holds
// 0, NaN, false or "" (so pandas sees NaN where a float is missing).
//
// Attrs: layout "records", format "json-records", records_version 1, jsonl, columns (each
// field's dotted name, the mask's included: h5dat's table readers key rows by it), column_paths
// (each column's key path as JSON text; "null" the whole-record column), column_kinds, mask_field,
// ragged_datasets (each column's text dataset, "" for those in their field).
//
// Writing (record-writer.ts). Rows are appended in blocks (record-stream.ts: 4k rows or 1 Mi characters of text) to an
// extendable dataset chunked at about 1 MiB of rows, with the run's compression (no shuffle). A
// block that widens a column, lengthens a string field or brings new columns or the first null
// makes the rows written so far be rewritten block by block into a new dataset of the wider
// type, which then takes the table's name: memory stays that of one block.
import { dtype as dtypes, type CompoundField, type Dtype } from "../h5/dtype";
import type { EncodedStrings } from "../h5/encoded-strings";
import { fieldNames } from "./field-names";
import { isCompressed, type DatasetLayout } from "./layout";
import { encodeColumn, fieldBytesFor, maskOf, RAGGED_BYTES, raggedOf, RecordBlock, type RecordKind, type RecordSchema } from "./record-columns";
import type { StoredColumns } from "./record-cells";
import { isWideTable } from "./wide-table";

/** The `layout` attr of a record table. */
export const RECORDS_LAYOUT = "records";
/** The `format` attr of a record table. */
export const RECORDS_FORMAT = "json-records";
/** The `records_version` attr: this layout's version. */
export const RECORDS_VERSION = 1;

const CHUNK_BYTES = 1 << 20;
const FIELD_BYTES: Record<RecordKind, number> = { null: 1, bool: 1, int64: 8, float64: 8, string: 0, json: 0 };

/** A block of rows encoded for the table's fields: by field name, the mask's included. */
export type EncodedRows = Record<string, ArrayLike<unknown> | EncodedStrings>;

/** The compound type, field names and attrs of a schema. */
export interface TableType {
  dtype: Dtype;
  stored: StoredColumns;
  rowBytes: number;
}

/** The name of a ragged column's text dataset, beside the table `table`. */
export function raggedName(table: string, column: number): string {
  return `${table}.ragged.${column}`;
}

/** The table type of `schema` for a table named `name`: one field per column, then the mask when masked. */
export function tableTypeOf(schema: RecordSchema, name: string): TableType {
  // HDF5 names are C strings: a NUL in a key shows as U+2400 in the field's name (column_paths keeps the key).
  const dotted = schema.columns.map((c) => (c.path === null ? "_record" : c.path.join(".").replace(/\0/g, "\u2400")));
  const names = fieldNames(schema.masked ? [...dotted, "_mask"] : dotted);
  const fields: CompoundField[] = schema.columns.map((c, i) => ({ name: names[i], dtype: c.ragged ? "uint64" : fieldDtype(c.kind, c.bytes) }));
  if (schema.masked) fields.push({ name: names[names.length - 1], dtype: dtypes.array("uint8", [schema.columns.length]) });
  const rowBytes = schema.columns.reduce((sum, c) => sum + (c.ragged ? 8 : FIELD_BYTES[c.kind] || c.bytes), 0) + (schema.masked ? schema.columns.length : 0);
  const stored: StoredColumns = {
    paths: schema.columns.map((c) => c.path),
    kinds: schema.columns.map((c) => c.kind),
    fields: names.slice(0, schema.columns.length),
    maskField: schema.masked ? names[names.length - 1] : "",
    texts: schema.columns.map((c, i) => (c.ragged ? raggedName(name, i) : "")),
  };
  return { dtype: dtypes.compound(fields), stored, rowBytes };
}

function fieldDtype(kind: RecordKind, bytes: number): Dtype {
  if (kind === "string" || kind === "json") return dtypes.string({ length: bytes });
  return kind === "null" ? "uint8" : kind;
}

/** Whether the schema's compound type would pass HDF5's header message cap (wide-table.ts): such records stay key/value pairs. */
export function isTooWide(schema: RecordSchema): boolean {
  const type = (k: RecordKind) => (k === "json" ? "string" : k === "null" ? "int64" : k);
  return isWideTable([...schema.columns.map((c) => (c.path ?? []).join(".")), "_mask"], [...schema.columns.map((c) => type(c.kind)), "bool"]);
}

/** The attrs that tell a reader the layout. */
export function tableAttrs(type: TableType, jsonl: boolean): Record<string, unknown> {
  const { stored } = type;
  // Names relative to the table's group: the table and its texts move together.
  const relative = (name: string) => name.slice(name.lastIndexOf("/") + 1);
  return {
    layout: RECORDS_LAYOUT, format: RECORDS_FORMAT, records_version: RECORDS_VERSION, jsonl,
    columns: stored.maskField ? [...stored.fields, stored.maskField] : stored.fields,
    column_paths: stored.paths.map((p) => JSON.stringify(p)),
    column_kinds: stored.kinds,
    mask_field: stored.maskField,
    ragged_datasets: stored.texts.map(relative),
  };
}

/** A block encoded: the schema that holds it, its rows by field, and each ragged column's UTF-8 (its field: end offsets from the block's start). */
export interface EncodedBlock {
  schema: RecordSchema;
  rows: EncodedRows;
  count: number;
  texts: [column: number, bytes: Uint8Array][];
}

/**
 * The block's cells encoded under `schema`'s kinds, and the schema with each string field long
 * enough for them (never shorter than it was), or ragged past RAGGED_BYTES.
 */
export function encodeRows(schema: RecordSchema, cells: unknown[][], rows: number): EncodedBlock {
  const { stored } = tableTypeOf(schema, "");
  const out: EncodedRows = {};
  const texts: EncodedBlock["texts"] = [];
  const columns = schema.columns.map((column, c) => {
    const { data, longest } = encodeColumn(column.kind, cells[c] ?? [], rows);
    out[stored.fields[c]] = data;
    if (column.kind !== "string" && column.kind !== "json") return { ...column, bytes: 0, ragged: false };
    const bytes = Math.max(column.bytes, fieldBytesFor(longest));
    if (!column.ragged && bytes <= RAGGED_BYTES) return { ...column, bytes };
    const ragged = raggedOf(data as string[] | EncodedStrings);
    out[stored.fields[c]] = ragged.ends;
    texts.push([c, ragged.bytes]);
    return { ...column, bytes: 0, ragged: true };
  });
  const next = { columns, masked: schema.masked };
  if (schema.masked) out[tableTypeOf(next, "").stored.maskField] = maskOf({ cells, rows } as RecordBlock, columns.length);
  return { schema: next, rows: out, count: rows, texts };
}

/** createDataset's options for a table of `type`: extendable, chunked at about 1 MiB of rows. */
export function tableStorage(type: TableType, layout: DatasetLayout): { dtype: Dtype; maxshape: (number | null)[]; chunks: number[]; compression?: DatasetLayout["compression"]; shuffle?: boolean } {
  const chunks = layout.chunks ?? [Math.max(1, Math.floor(CHUNK_BYTES / Math.max(1, type.rowBytes)))];
  // No shuffle: it would group the bytes of a row by their offset, scattering the words of text
  // fields (200k log events: 108 MB shuffled, 72 MB not; gzip -4 of the JSONL: 64 MB).
  return { dtype: type.dtype, maxshape: [null], chunks, ...(isCompressed(layout) && { compression: layout.compression, shuffle: false }) };
}

/** Two schemas store rows alike: same columns, kinds, field bytes, ragged texts and mask. */
export function sameType(a: RecordSchema, b: RecordSchema): boolean {
  if (a.masked !== b.masked || a.columns.length !== b.columns.length) return false;
  return a.columns.every((c, i) => c.kind === b.columns[i].kind && c.bytes === b.columns[i].bytes && c.ragged === b.columns[i].ragged);
}
