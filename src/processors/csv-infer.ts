// A CSV column's type, inferred from all its cells as pandas' read_csv would: int64 when every cell
// is an integer in int64's range, float64 when every non-empty cell is a number (empty cells are
// NaN), bool when every cell is one pair's word (true/false or yes/no, any case: a column mixing
// "yes" and "false" is not read as answers to one question, and stays text), else text.
// With a decimal comma ("12,5", --decimal-comma) numbers are written that way only: "12.5" is then
// text, as with pandas' decimal=","; "1.234,5" too (no thousands separator is read, to keep a
// cell's reading unambiguous).
// The typing is kept as cells come (ColumnTyping), so that a CSV read in blocks (csv-stream.ts)
// gets the type the whole column would: it only ever widens, int64 → float64 → string, and
// bool → string.
import type { CsvColumn, CsvColumnType } from "./csv-table";

const INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL_POINT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const DECIMAL_COMMA = /^[+-]?(?:[0-9]+,?[0-9]*|,[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Digits an integer may have and be in int64's range whatever they are (sign aside). */
const SURELY_INT64_DIGITS = 18;

/** The words a bool column may hold, by pair; the first of each pair is true. */
const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ["true", "false"],
  ["yes", "no"],
];

function isInt64(cell: string): boolean {
  if (!INTEGER.test(cell)) return false;
  if (cell.length <= SURELY_INT64_DIGITS) return true;
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

/** What a ColumnTyping has seen, as plain data (it crosses from a worker process, csv-block.ts). */
export interface TypingState {
  cells: number;
  /** Every cell an int64. */
  ints: boolean;
  /** The BOOLEAN_PAIRS index every cell is a word of; UNDECIDED before a cell, NO_PAIR when none. */
  pair: number;
  /** Every non-empty cell a number. */
  allNumbers: boolean;
  numbers: number;
}

const UNDECIDED = -1;
const NO_PAIR = -2;

/** A column's type as its cells come: each candidate type stays until a cell rules it out. */
export class ColumnTyping {
  private readonly state: TypingState = { cells: 0, ints: true, pair: UNDECIDED, allNumbers: true, numbers: 0 };
  private readonly decimal: RegExp;

  constructor(private readonly decimalComma = false) {
    this.decimal = decimalComma ? DECIMAL_COMMA : DECIMAL_POINT;
  }

  /** Takes more of the column's cells. */
  see(cells: readonly string[]): void {
    const state = this.state;
    for (const cell of cells) {
      state.cells++;
      if (state.ints && !isInt64(cell)) state.ints = false;
      if (state.pair === UNDECIDED) {
        const first = cell.toLowerCase();
        const index = BOOLEAN_PAIRS.findIndex((words) => words.includes(first));
        state.pair = index < 0 ? NO_PAIR : index;
      } else if (state.pair !== NO_PAIR && !BOOLEAN_PAIRS[state.pair].includes(cell.toLowerCase())) {
        state.pair = NO_PAIR;
      }
      if (state.allNumbers && cell !== "") {
        if (this.decimal.test(cell) || SPECIAL.test(cell)) state.numbers++;
        else state.allNumbers = false;
      }
    }
  }

  /** Takes what another typing saw of the cells after these (a block typed in a worker). */
  merge(after: TypingState): void {
    if (after.cells === 0) return;
    const state = this.state;
    if (state.pair === UNDECIDED) state.pair = after.pair;
    else if (state.pair !== after.pair) state.pair = NO_PAIR;
    state.cells += after.cells;
    state.ints &&= after.ints;
    state.allNumbers &&= after.allNumbers;
    state.numbers += after.numbers;
  }

  /** What it has seen. */
  get seen(): TypingState {
    return { ...this.state };
  }

  /** Text for good: a cell was neither a number nor a bool word of the column's pair, so no cell to come can type it. */
  get settledText(): boolean {
    return !this.state.ints && !this.state.allNumbers && this.state.pair === NO_PAIR;
  }

  /** The type of all the cells seen (string for none). */
  get type(): CsvColumnType {
    const state = this.state;
    if (state.cells === 0) return "string";
    if (state.ints) return "int64";
    if (state.pair >= 0) return "bool";
    return state.allNumbers && state.numbers > 0 ? "float64" : "string";
  }

  /** Cells of this column (seen) as values of `type` (this.type, or a wider type). */
  values(cells: readonly string[], type: CsvColumnType = this.type): CsvColumn {
    switch (type) {
      case "int64":
        return BigInt64Array.from(cells, (c) => BigInt(c));
      case "bool": {
        const yes = BOOLEAN_PAIRS[this.state.pair][0];
        return cells.map((c) => c.toLowerCase() === yes);
      }
      case "float64":
        return Float64Array.from(cells, (c) => toFloat(c, this.decimalComma));
    }
    return cells as string[];
  }
}

/** A column's type and values from its cells; `decimalComma` reads "12,5" as 12.5. */
export function inferColumn(cells: string[], decimalComma = false): { type: CsvColumnType; values: CsvColumn } {
  const typing = new ColumnTyping(decimalComma);
  typing.see(cells);
  const type = typing.type;
  return { type, values: typing.values(cells, type) };
}
