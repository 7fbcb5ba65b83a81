// A record table's stored rows back into cells and records (record-table.ts): each field's column
// by its kind, the mask's states, and the records rebuilt from the leaves' key paths in column
// order. The writer reads rows back this way when a column widens; the reader (read/records.ts)
// to give the records back.
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { step, type Operation } from "../h5/operation";
import { ABSENT, NULL, type RecordKind } from "./record-columns";
import { jsonCellValue, JsonText, readerValue, setKey } from "./record-values";

/** What a table's attrs say of its columns, in field order. */
export interface StoredColumns {
  paths: (string[] | null)[];
  kinds: RecordKind[];
  fields: string[];
  /** The mask field's name; "" when the table has none (every cell present). */
  maskField: string;
  /** Each ragged column's text dataset, by name in the table's group ("" for other columns). */
  texts: string[];
}

/**
 * Replaces, in `data` (rows [start, start + rows) read as columns), each ragged column's end
 * offsets by its texts, read by hyperslab from the column's text dataset in `group` (the table's).
 */
export function* raggedTextsFlow(table: Dataset, stored: StoredColumns, data: Record<string, ArrayLike<unknown>>, start: number, rows: number, group: Group): Operation<void> {
  for (let c = 0; c < stored.texts.length; c++) {
    if (!stored.texts[c]) continue;
    const field = stored.fields[c];
    const ends = data[field] as ArrayLike<bigint>;
    const before = start === 0 ? 0n : ((yield* readRows(table, start - 1, 1)).data as Record<string, ArrayLike<bigint>>)[field][0];
    const last = rows > 0 ? ends[rows - 1] : before;
    const name = stored.texts[c];
    const text = (yield* step(() => group.getSync(name), () => group.get(name))) as Dataset;
    let bytes: Uint8Array;
    try {
      bytes = last > before ? ((yield* readRows(text, Number(before), Number(last - before))).data as Uint8Array) : new Uint8Array(0);
    } finally {
      yield* step(() => text.closeSync(), () => text.close());
    }
    const texts = new Array<string>(rows);
    let from = 0;
    for (let r = 0; r < rows; r++) {
      const to = Number(ends[r] - before);
      texts[r] = UTF8.decode(bytes.subarray(from, to));
      from = to;
    }
    data[field] = texts;
  }
}

const UTF8 = new TextDecoder();

/** Rows [start, start + count) of a dataset (a compound one as columns). */
function readRows(dataset: Dataset, start: number, count: number): Operation<{ data: unknown }> {
  return step(() => dataset.readSync({ start: [start], count: [count] }, { columns: true }), () => dataset.read({ start: [start], count: [count] }, { columns: true }));
}

/** "writer": cells as the writer re-encodes them (JSON as JsonText, int64 as bigint); "reader": as readJSON gives them. */
export type CellForm = "writer" | "reader";

/**
 * The cells of `rows` rows read as columns (`data`: by field name): cells[c][r] is the value,
 * null, or undefined when absent.
 */
export function cellsOf(stored: StoredColumns, data: Record<string, ArrayLike<unknown>>, rows: number, form: CellForm): unknown[][] {
  const mask = stored.maskField ? (data[stored.maskField] as ArrayLike<number>) : null;
  const width = stored.kinds.length;
  return stored.kinds.map((kind, c) => {
    const column = data[stored.fields[c]];
    const cells = new Array<unknown>(rows);
    for (let r = 0; r < rows; r++) {
      const state = mask ? mask[r * width + c] : 0;
      cells[r] = state === NULL ? null : state === ABSENT ? undefined : cellValue(kind, column[r], form);
    }
    return cells;
  });
}

function cellValue(kind: RecordKind, raw: unknown, form: CellForm): unknown {
  switch (kind) {
    case "null":
      return null;
    case "bool":
      return Boolean(raw);
    case "int64": {
      const n = raw as bigint;
      if (form === "writer") return n;
      return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case "json":
      return form === "writer" ? new JsonText(raw as string) : jsonCellValue(raw as string);
  }
  return raw;
}

/** The records of the cells: leaves set at their key paths in column order; a whole-record cell is the record. */
export function recordsOf(paths: (string[] | null)[], cells: unknown[][], rows: number): unknown[] {
  const records = new Array<unknown>(rows);
  const whole = paths.indexOf(null);
  for (let r = 0; r < rows; r++) {
    if (whole >= 0 && cells[whole][r] !== undefined) {
      records[r] = readerValue(cells[whole][r]);
      continue;
    }
    const record: Record<string, unknown> = {};
    for (let c = 0; c < paths.length; c++) {
      const value = cells[c][r];
      if (value === undefined || c === whole) continue;
      const path = paths[c]!;
      let node = record;
      for (let k = 0; k < path.length - 1; k++) {
        const key = path[k];
        if (!Object.prototype.hasOwnProperty.call(node, key)) setKey(node, key, {});
        node = node[key] as Record<string, unknown>;
      }
      setKey(node, path[path.length - 1], value);
    }
    records[r] = record;
  }
  return records;
}
