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
// Records that are not objects (a scalar line in JSONL) are whole-record cells in a json column of
// path null (field `_record`); their row's other cells are absent.
//
// Nulls and absent keys. When any cell is null or absent, the field `_mask` (attr mask_field) is a
// uint8 array of one state per column: 0 the value, 1 null, 2 absent. The value slot then holds
// 0, NaN, false or "" (so pandas sees NaN where a float is missing).
//
// Attrs: layout "records", format "json-records", records_version 1, jsonl, columns (each
// field's dotted name, the mask's included: h5dat's table readers key rows by it), column_paths
// (each column's key path as JSON text; "null" the whole-record column), column_kinds, mask_field.
//
// Writing. Rows are appended in blocks (record-stream.ts: 8k rows or 2 Mi characters of text) to an
// extendable dataset chunked at about 1 MiB of rows, with the run's compression (no shuffle). A
// block that widens a column, lengthens a string field or brings new columns or the first null
// makes the rows written so far be rewritten block by block into a new dataset of the wider
// type, which then takes the table's name: memory stays that of one block.
import type { AttributeSet } from "../h5/attrs";
import type { Dataset } from "../h5/dataset";
import { dtype as dtypes, type CompoundField, type Dtype } from "../h5/dtype";
import type { Group } from "../h5/group";
import { fieldNames } from "./csv";
import { isCompressed, type DatasetLayout } from "./layout";
import { encodeColumn, fieldBytesFor, maskOf, RecordBlock, widenSchema, type RecordKind, type RecordSchema } from "./record-columns";
import { cellsOf, type StoredColumns } from "./record-cells";
import { isWideTable } from "./wide-table";

/** The `layout` attr of a record table. */
export const RECORDS_LAYOUT = "records";
/** The `format` attr of a record table. */
export const RECORDS_FORMAT = "json-records";
/** The `records_version` attr: this layout's version. */
export const RECORDS_VERSION = 1;

const CHUNK_BYTES = 1 << 20;
/** Rows read back at a time when a widened column makes the written rows be rewritten. */
const REWRITE_ROWS = 16384;
const FIELD_BYTES: Record<RecordKind, number> = { null: 1, bool: 1, int64: 8, float64: 8, string: 0, json: 0 };

/** A block of rows encoded for the table's fields: by field name, the mask's included. */
export type EncodedRows = Record<string, ArrayLike<unknown>>;

/** The compound type, field names and attrs of a schema. */
export interface TableType {
  dtype: Dtype;
  stored: StoredColumns;
  rowBytes: number;
}

/** The table type of `schema`: one field per column, then the mask when masked. */
export function tableTypeOf(schema: RecordSchema): TableType {
  // HDF5 names are C strings: a NUL in a key shows as U+2400 in the field's name (column_paths keeps the key).
  const dotted = schema.columns.map((c) => (c.path === null ? "_record" : c.path.join(".").replace(/\0/g, "\u2400")));
  const names = fieldNames(schema.masked ? [...dotted, "_mask"] : dotted);
  const fields: CompoundField[] = schema.columns.map((c, i) => ({ name: names[i], dtype: fieldDtype(c.kind, c.bytes) }));
  if (schema.masked) fields.push({ name: names[names.length - 1], dtype: dtypes.array("uint8", [schema.columns.length]) });
  const rowBytes = schema.columns.reduce((sum, c) => sum + (FIELD_BYTES[c.kind] || c.bytes), 0) + (schema.masked ? schema.columns.length : 0);
  const stored: StoredColumns = { paths: schema.columns.map((c) => c.path), kinds: schema.columns.map((c) => c.kind), fields: names.slice(0, schema.columns.length), maskField: schema.masked ? names[names.length - 1] : "" };
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
  return {
    layout: RECORDS_LAYOUT, format: RECORDS_FORMAT, records_version: RECORDS_VERSION, jsonl,
    columns: stored.maskField ? [...stored.fields, stored.maskField] : stored.fields,
    column_paths: stored.paths.map((p) => JSON.stringify(p)),
    column_kinds: stored.kinds,
    mask_field: stored.maskField,
  };
}

/**
 * The block's cells encoded under `schema`'s kinds, and the schema with each string field long
 * enough for them (never shorter than it was).
 */
export function encodeRows(schema: RecordSchema, cells: unknown[][], rows: number): { schema: RecordSchema; rows: EncodedRows } {
  const { stored } = tableTypeOf(schema);
  const out: EncodedRows = {};
  const columns = schema.columns.map((column, c) => {
    const { data, longest } = encodeColumn(column.kind, cells[c] ?? [], rows);
    out[stored.fields[c]] = data;
    const text = column.kind === "string" || column.kind === "json";
    return { ...column, bytes: text ? Math.max(column.bytes, fieldBytesFor(longest)) : 0 };
  });
  const next = { columns, masked: schema.masked };
  if (schema.masked) out[tableTypeOf(next).stored.maskField] = maskOf({ cells, rows } as RecordBlock, columns.length);
  return { schema: next, rows: out };
}

/** createDataset's options for a table of `type`: extendable, chunked at about 1 MiB of rows. */
export function tableStorage(type: TableType, layout: DatasetLayout): { dtype: Dtype; maxshape: (number | null)[]; chunks: number[]; compression?: DatasetLayout["compression"]; shuffle?: boolean } {
  const chunks = layout.chunks ?? [Math.max(1, Math.floor(CHUNK_BYTES / Math.max(1, type.rowBytes)))];
  // No shuffle: it would group the bytes of a row by their offset, scattering the words of text
  // fields (200k log events: 108 MB shuffled, 72 MB not; gzip -4 of the JSONL: 64 MB).
  return { dtype: type.dtype, maxshape: [null], chunks, ...(isCompressed(layout) && { compression: layout.compression, shuffle: false }) };
}

/** Two schemas store rows alike: same columns, kinds, field bytes and mask. */
function sameType(a: RecordSchema, b: RecordSchema): boolean {
  if (a.masked !== b.masked || a.columns.length !== b.columns.length) return false;
  return a.columns.every((c, i) => c.kind === b.columns[i].kind && c.bytes === b.columns[i].bytes);
}

/** Writes a record table block by block, widening it (rewriting the rows written) as blocks need. */
export class RecordTableWriter {
  private schema: RecordSchema = { columns: [], masked: false };
  private dataset: Dataset | null = null;
  private written = 0;

  constructor(private readonly group: Group, private readonly name: string, private readonly layout: DatasetLayout, private readonly jsonl: boolean) {}

  /** A new block over the table's columns so far. */
  block(): RecordBlock {
    return new RecordBlock(this.schema.columns.map((c) => ({ path: c.path })));
  }

  /** Appends the block's rows. */
  async add(block: RecordBlock): Promise<void> {
    const widened = widenSchema(this.schema, block);
    // Rows written before a new column lack it.
    if (this.written > 0 && widened.columns.length > this.schema.columns.length) widened.masked = true;
    const { schema, rows } = encodeRows(widened, block.cells, block.rows);
    if (!this.dataset) this.dataset = await this.create(this.name, schema);
    else if (!sameType(this.schema, schema)) await this.rewrite(schema);
    this.schema = schema;
    await this.dataset!.append(rows, block.rows);
    this.written += block.rows;
  }

  /** The table with its attrs (`more`: the entry's); an empty table when no block was added. */
  async finish(more?: AttributeSet): Promise<Dataset> {
    this.dataset ??= await this.create(this.name, this.schema);
    await this.dataset.attrs.update({ ...tableAttrs(tableTypeOf(this.schema), this.jsonl), ...more?.values }, more?.options);
    return this.dataset;
  }

  /** Closes what a failed write left open, and the half-made widened copy (the caller removes the table). */
  async abandon(): Promise<void> {
    await this.dataset?.close();
    if (await this.group.has(`${this.name}.widening`)) await this.group.delete(`${this.name}.widening`);
  }

  private async create(name: string, schema: RecordSchema): Promise<Dataset> {
    if (isTooWide(schema)) throw new Error(`the records have ${schema.columns.length} columns, too many for one compound type (use --json kv)`);
    return this.group.createDataset(name, { shape: [0], ...tableStorage(tableTypeOf(schema), this.layout) });
  }

  /** The rows written so far rewritten into a dataset of `schema`'s type, which takes the table's name. */
  private async rewrite(schema: RecordSchema): Promise<void> {
    const old = this.dataset!;
    const stored = tableTypeOf(this.schema).stored;
    const temporary = `${this.name}.widening`;
    let target = schema;
    for (;;) {
      const next = await this.create(temporary, target);
      let grown: RecordSchema | null = null;
      for (let start = 0; start < this.written && !grown; start += REWRITE_ROWS) {
        const stop = Math.min(this.written, start + REWRITE_ROWS);
        const { data } = await old.read({ start: [start], count: [stop - start] }, { columns: true });
        const encoded = encodeRows(target, cellsOf(stored, data as Record<string, ArrayLike<unknown>>, stop - start, "writer"), stop - start);
        // A column turned to JSON text may need a longer field than the block that widened it.
        if (!sameType(target, encoded.schema)) grown = encoded.schema;
        else await next.append(encoded.rows, stop - start);
      }
      if (!grown) {
        await old.close();
        await this.group.delete(this.name);
        await this.group.hardLink(this.name, temporary);
        await this.group.delete(temporary);
        this.dataset = next;
        schema.columns.forEach((c, i) => (c.bytes = target.columns[i].bytes));
        return;
      }
      await next.close();
      await this.group.delete(temporary);
      target = grown;
    }
  }
}
