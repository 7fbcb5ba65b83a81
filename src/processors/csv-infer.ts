// A CSV column's type, inferred from all its cells as pandas' read_csv would: int64 when every cell
// is an integer in int64's range, float64 when every non-empty cell is a number (empty cells are
// NaN), bool when every cell is one pair's word (true/false or yes/no, any case: a column mixing
// "yes" and "false" is not read as answers to one question, and stays text), else text.
// With a decimal comma ("12,5", --decimal-comma) numbers are written that way only: "12.5" is then
// text, as with pandas' decimal=","; "1.234,5" too (no thousands separator is read, to keep a
// cell's reading unambiguous).
import type { CsvColumn, CsvColumnType } from "./csv-table";

const INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL_POINT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const DECIMAL_COMMA = /^[+-]?(?:[0-9]+,?[0-9]*|,[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The words a bool column may hold, by pair; the first of each pair is true. */
const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ["true", "false"],
  ["yes", "no"],
];

function isInt64(cell: string): boolean {
  if (!INTEGER.test(cell)) return false;
  const n = BigInt(cell);
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** A numeric cell's value, as Python's float() reads it (nan, inf and infinity in any case). */
function toFloat(cell: string, decimalComma: boolean): number {
  if (cell === "") return NaN;
  const special = SPECIAL.exec(cell);
  if (!special) return Number(decimalComma ? cell.replace(",", ".") : cell);
  if (special[2].toLowerCase() === "nan") return NaN;
  return special[1] === "-" ? -Infinity : Infinity;
}

/** The bool pair every cell is a word of, or null. */
function booleanPair(cells: string[]): readonly [string, string] | null {
  if (cells.length === 0) return null;
  const first = cells[0].toLowerCase();
  const pair = BOOLEAN_PAIRS.find((words) => words.includes(first));
  if (!pair) return null;
  return cells.every((cell) => pair.includes(cell.toLowerCase())) ? pair : null;
}

/** Whether every non-empty cell is a number (and one is), read with a decimal point or comma. */
function allNumbers(cells: string[], decimalComma: boolean): boolean {
  const decimal = decimalComma ? DECIMAL_COMMA : DECIMAL_POINT;
  let numbers = 0;
  for (const cell of cells) {
    if (cell === "") continue;
    if (!decimal.test(cell) && !SPECIAL.test(cell)) return false;
    numbers++;
  }
  return numbers > 0;
}

/** A column's type and values from its cells; `decimalComma` reads "12,5" as 12.5. */
export function inferColumn(cells: string[], decimalComma = false): { type: CsvColumnType; values: CsvColumn } {
  if (cells.length > 0 && cells.every(isInt64)) return { type: "int64", values: BigInt64Array.from(cells, (c) => BigInt(c)) };
  const pair = booleanPair(cells);
  if (pair) return { type: "bool", values: cells.map((c) => c.toLowerCase() === pair[0]) };
  if (allNumbers(cells, decimalComma)) return { type: "float64", values: Float64Array.from(cells, (c) => toFloat(c, decimalComma)) };
  return { type: "string", values: cells };
}
