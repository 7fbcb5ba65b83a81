// A CSV's typed table written by the record table writer (record-writer.ts): one compound field
// per column, as record-table.ts stores a JSON record's leaves, with the CSV's own attrs. Its text
// columns are fixed-length UTF-8 fields sized to a power of two at least the longest cell, or,
// past 4 KiB, ragged: the field holds each cell's end offset into `<table>.ragged.<column>`, a
// compressed uint8 dataset beside the table (attr ragged_datasets). Unlike HDF5's variable-length
// strings, which live in the uncompressed global heap, both are compressed in the chunks.
// A table is written as one block (parsed whole, csv.ts) or block by block as it is read
// (csv-stream.ts); either way the rows are appended to an extendable dataset chunked at ~1 MiB.
import type { AttributeSet } from "../h5/attrs";
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import type { CsvColumnType } from "./csv-table";
import type { DatasetLayout } from "./layout";
import type { RecordSchema } from "./record-columns";
import type { TableType } from "./record-table";
import { RecordTableWriter } from "./record-writer";

/** The record schema of a CSV table: one column per field, of the CSV's types, no mask (empty cells are NaN or ""). */
export function csvSchema(fields: readonly string[], types: readonly CsvColumnType[]): RecordSchema {
  return { columns: fields.map((field, c) => ({ path: [field], kind: types[c], bytes: 0, ragged: false, bigInts: false })), masked: false };
}

/** What a CSV table's attrs say: its header as written, the preamble, and its ragged columns' datasets. */
export interface CsvTableHeader {
  columns: string[];
  preamble?: string[];
}

/** A writer of a CSV table `name` in `group`, blocks appended as they come. */
export function csvTableWriter(group: Group, name: string, layout: DatasetLayout, header: CsvTableHeader): RecordTableWriter {
  // Whether it is too wide is decided before, by the CSV's own columns (wide-table.ts).
  return new RecordTableWriter(group, name, layout, { attrs: (type) => csvTableAttrs(type, header), tooWide: () => false });
}

function csvTableAttrs(type: TableType, header: CsvTableHeader): Record<string, unknown> {
  const { texts } = type.stored;
  const relative = (name: string) => name.slice(name.lastIndexOf("/") + 1);
  return {
    columns: header.columns,
    mode: "table",
    ...(header.preamble && { preamble: header.preamble }),
    ...(texts.some((t) => t !== "") && { ragged_datasets: texts.map(relative) }),
  };
}

/** Writes a whole parsed table's columns (by field) as one block; `more`: the entry's attrs. */
export async function writeCsvTable(group: Group, name: string, schema: RecordSchema, values: unknown[][], rows: number, header: CsvTableHeader, layout: DatasetLayout, more?: AttributeSet): Promise<Dataset> {
  const writer = csvTableWriter(group, name, layout, header);
  try {
    await writer.addRows(schema, values, rows);
    return await writer.finish(more);
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}
