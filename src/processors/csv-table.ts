// The shape of a parsed CSV table (its own module: the CSV files and wide-table.ts share it).

/** A column's inferred type: int64 when every cell is an integer in int64's range, float64 when
 * every non-empty cell is a number (empty cells become NaN), bool when every cell is true/false
 * (any case), else UTF-8 string. A column of only empty cells is a string column. */
export type CsvColumnType = "int64" | "float64" | "bool" | "string";

/** One column's values: BigInt64Array, Float64Array, boolean[] or string[] by its type. */
export type CsvColumn = BigInt64Array | Float64Array | boolean[] | string[];

/** A parsed CSV: its header, each column's type, and the rows' values by column. */
export interface CsvTable {
  /** The header row, as written. */
  columns: string[];
  types: CsvColumnType[];
  /** One entry per column, each holding one value per data row. */
  values: CsvColumn[];
  /** Number of data rows (the header excluded). */
  rows: number;
  /** Metadata rows before the table, each as its cells joined by the delimiter (see csv-shape.ts). */
  preamble?: string[];
}
