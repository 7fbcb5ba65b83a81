// The error of a CSV that cannot be read as a table (its own module: the CSV files share it).

/** A CSV that cannot be read as a table; `row` is 1-based, the header being row 1. */
export class CsvError extends Error {
  constructor(message: string, readonly row: number | null = null) {
    super(message);
    this.name = "CsvError";
  }
}
