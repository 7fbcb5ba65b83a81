// Writes a record table (layout: record-table.ts) block by block: each block's rows appended to
// the extendable table, its ragged columns' UTF-8 to their text datasets. A block that needs a
// wider type (a column widened, a string field lengthened or turned ragged, new columns, the
// first null) makes the rows written so far be read back and rewritten, a block at a time, into
// a new table of that type, which then takes the table's name: memory stays that of one block.
import type { AttributeSet } from "../h5/attrs";
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { runAsync } from "../h5/operation";
import { isCompressed, type DatasetLayout } from "./layout";
import { cellsOf, raggedTextsFlow, type StoredColumns } from "./record-cells";
import { RecordBlock, widenSchema, type RecordSchema } from "./record-columns";
import { encodeRows, isTooWide, raggedName, sameType, tableAttrs, tableStorage, tableTypeOf, type EncodedBlock, type TableType } from "./record-table";

/** Rows read back at a time when the written rows are rewritten into a wider table. */
const REWRITE_ROWS = 16384;

/** A table being written: its dataset and name, its ragged columns' text datasets and the bytes in each. */
class TableParts {
  readonly texts = new Map<number, Dataset>();
  readonly totals = new Map<number, number>();
  constructor(
    readonly dataset: Dataset,
    readonly name: string,
  ) {}
}

/** Records with more columns than one compound type holds (wide-table.ts' bound). */
export class TooWide extends Error {
  override name = "TooWide";
}

/** What kind of table is written: JSON records (record-table.ts) or a CSV's (csv-table-writer.ts). */
export interface TableKind {
  /** The attrs that tell a reader the table's layout. */
  attrs(type: TableType): Record<string, unknown>;
  /** Whether a table of `schema` is too wide for one compound type (TooWide is thrown). */
  tooWide(schema: RecordSchema): boolean;
}

/** JSON records' table: record-table.ts' attrs and width bound. */
export function jsonRecordsKind(jsonl: boolean): TableKind {
  return { attrs: (type) => tableAttrs(type, jsonl), tooWide: isTooWide };
}

/** Writes a record table block by block, widening it (rewriting the rows written) as blocks need. */
export class RecordTableWriter {
  private schema: RecordSchema = { columns: [], masked: false };
  private table: TableParts | null = null;
  private written = 0;

  constructor(private readonly group: Group, private readonly name: string, private readonly layout: DatasetLayout, private readonly kind: TableKind) {}

  /** A new block over the table's columns so far. */
  block(): RecordBlock {
    return new RecordBlock(this.schema.columns.map((c) => ({ path: c.path })));
  }

  /** Appends the block's records, the columns' kinds widened by their cells. */
  async add(block: RecordBlock): Promise<void> {
    const widened = widenSchema(this.schema, block);
    // Rows written before a new column lack it.
    if (this.written > 0 && widened.columns.length > this.schema.columns.length) widened.masked = true;
    await this.addRows(widened, block.cells, block.rows);
  }

  /**
   * Appends rows of cells (by column) under `schema`, whose kinds the caller widened (never
   * narrower than the table's): the rows written are rewritten first when its type differs.
   */
  async addRows(schema: RecordSchema, cells: unknown[][], rows: number): Promise<void> {
    let encoded = encodeRows(this.keepingFields(schema), cells, rows);
    if (this.table && !sameType(this.schema, encoded.schema)) {
      const target = await this.rewrite(encoded.schema);
      this.schema = target;
      // The rows written may have needed more (longer JSON text, a ragged column): this block follows.
      if (!sameType(target, encoded.schema)) encoded = encodeRows(target, cells, rows);
    }
    await this.addEncoded(encoded);
  }

  /** `schema` with the table's string fields where a column keeps its kind: as long, and ragged, as they are. */
  private keepingFields(schema: RecordSchema): RecordSchema {
    const columns = schema.columns.map((column, c) => {
      const now = this.schema.columns[c];
      return now && now.kind === column.kind ? { ...column, bytes: Math.max(column.bytes, now.bytes), ragged: column.ragged || now.ragged } : column;
    });
    return { columns, masked: schema.masked || this.schema.masked };
  }

  /** Appends rows already encoded (a whole table prepared in a worker: the first and only block). */
  async addEncoded(encoded: EncodedBlock): Promise<void> {
    if (this.table && !sameType(this.schema, encoded.schema)) throw new Error("encoded rows of another type than the table's (add() widens)");
    this.table ??= await this.create(this.name, encoded.schema);
    this.schema = encoded.schema;
    await this.append(this.table, encoded);
    this.written += encoded.count;
  }

  /** The table with its attrs (`more`: the entry's); an empty table when no block was added. */
  async finish(more?: AttributeSet): Promise<Dataset> {
    this.table ??= await this.create(this.name, this.schema);
    for (const text of this.table.texts.values()) await text.close();
    const { dataset } = this.table;
    // The version as an integer (h5py reads a plain number attr as a float).
    await dataset.attrs.update({ ...this.kind.attrs(tableTypeOf(this.schema, this.name)), ...more?.values }, { records_version: { dtype: "int64" }, ...more?.options });
    return dataset;
  }

  /** Closes what a failed write left open, and removes the text datasets and a half-made wider copy (the caller removes the table). */
  async abandon(): Promise<void> {
    if (this.table) await this.close(this.table);
    const temporary = `${this.name}.widening`;
    const names = [temporary, ...this.schema.columns.flatMap((_, c) => [raggedName(this.name, c), raggedName(temporary, c)])];
    for (const name of names) if (await this.group.has(name)) await this.group.delete(name);
  }

  private async create(name: string, schema: RecordSchema): Promise<TableParts> {
    if (this.kind.tooWide(schema)) throw new TooWide(`the records have ${schema.columns.length} columns, too many for one compound type (use --json-layout kv)`);
    return new TableParts(await this.group.createDataset(name, { shape: [0], ...tableStorage(tableTypeOf(schema, name), this.layout) }), name);
  }

  /** Appends a block: its ragged texts to their datasets (the offsets made absolute), then its rows. */
  private async append(parts: TableParts, encoded: EncodedBlock): Promise<void> {
    const { stored } = tableTypeOf(encoded.schema, parts.name);
    for (const [c, bytes] of encoded.texts) {
      let text = parts.texts.get(c);
      if (!text) parts.texts.set(c, (text = await this.createText(raggedName(parts.name, c))));
      const base = BigInt(parts.totals.get(c) ?? 0);
      const ends = encoded.rows[stored.fields[c]] as BigUint64Array;
      for (let r = 0; r < ends.length; r++) ends[r] += base;
      if (bytes.length > 0) await text.append(bytes, bytes.length);
      parts.totals.set(c, (parts.totals.get(c) ?? 0) + bytes.length);
    }
    await parts.dataset.append(encoded.rows, encoded.count);
  }

  /** A ragged column's text dataset: uint8, extendable, chunked at 1 MiB, compressed as the table. */
  private createText(name: string): Promise<Dataset> {
    return this.group.createDataset(name, {
      shape: [0], dtype: "uint8", maxshape: [null], chunks: [1 << 20],
      ...(isCompressed(this.layout) && { compression: this.layout.compression }),
      attrs: { ragged_text_of: this.name },
    });
  }

  /** The rows written rewritten into a table of `schema`'s type (or wider, as they need), which takes the table's name; the type it got. */
  private async rewrite(schema: RecordSchema): Promise<RecordSchema> {
    const old = this.table!;
    const stored = tableTypeOf(this.schema, old.name).stored;
    let target = schema;
    for (;;) {
      const next = await this.create(`${this.name}.widening`, target);
      const grown = await this.copyRows(old, stored, next, target);
      if (!grown) {
        await this.replace(old, next);
        return target;
      }
      await this.close(next);
      await this.remove(next);
      target = grown;
    }
  }

  /** Copies the rows written into `next`; the wider type they need instead, if `target` does not hold them. */
  private async copyRows(old: TableParts, stored: StoredColumns, next: TableParts, target: RecordSchema): Promise<RecordSchema | null> {
    for (let start = 0; start < this.written; start += REWRITE_ROWS) {
      const count = Math.min(this.written, start + REWRITE_ROWS) - start;
      const { data } = await old.dataset.read({ start: [start], count: [count] }, { columns: true });
      const columns = data as Record<string, ArrayLike<unknown>>;
      await runAsync(raggedTextsFlow(old.dataset, stored, columns, start, count, this.group));
      const encoded = encodeRows(target, cellsOf(stored, columns, count, "writer"), count);
      if (!sameType(target, encoded.schema)) return encoded.schema;
      await this.append(next, encoded);
    }
    return null;
  }

  /** The old table and texts removed, the new ones linked at the table's names. */
  private async replace(old: TableParts, next: TableParts): Promise<void> {
    await this.close(old);
    await this.remove(old);
    const moved = new TableParts(next.dataset, this.name);
    await this.move(next.name, this.name);
    for (const [c, text] of next.texts) {
      await this.move(raggedName(next.name, c), raggedName(this.name, c));
      moved.texts.set(c, text);
      moved.totals.set(c, next.totals.get(c)!);
    }
    this.table = moved;
  }

  private async move(from: string, to: string): Promise<void> {
    await this.group.hardLink(to, from);
    await this.group.delete(from);
  }

  private async close(parts: TableParts): Promise<void> {
    for (const text of parts.texts.values()) if (text.isOpen) await text.close();
    if (parts.dataset.isOpen) await parts.dataset.close();
  }

  private async remove(parts: TableParts): Promise<void> {
    await this.group.delete(parts.name);
    for (const c of parts.texts.keys()) await this.group.delete(raggedName(parts.name, c));
  }
}
