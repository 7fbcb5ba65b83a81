// The records of a CSV entry, as a --schema rule's `records` checks them: each data row, as an
// object keyed by the compound field names (the header, made unique and non-empty as the table
// writer does), values typed as the table infers them (int64 → number, float64 → number with
// NaN/±Inf as null, bool → boolean, else string; "kv" mode: every value a string).
import type { PreparedCsv } from "./csv";
import { fieldNames } from "./field-names";
import type { RecordSet } from "./record-set";

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
