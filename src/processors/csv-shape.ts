// Where the table is in a CSV's rows. Most files are a header and rows of its width. Some start
// with metadata instead: scikit-learn's datasets begin "569,30,malignant,benign" (then rows of
// 31 cells, no header) or "506,13,,,,,,,,,,,," (then a header of 14 names). Python's csv module
// reads both as rows. Here the table's width is the one more than half the rows have (else the
// first row's, which is then the header); the rows before the first full row of that width are
// the preamble (kept as the attr `preamble`), and that row is the header unless it is all
// numbers (then there is none: columns are named column_0, column_1, ..., as pandas' header=None
// numbers them). A row of another width after the table starts makes the file ragged: no table
// can hold it (convert then keeps its bytes).
import { CsvError } from "./csv-error";

/** A CSV's rows split into preamble, header and data. Rows are numbered from 1, blank lines too. */
export interface CsvShape {
  /** The rows before the table (metadata), each as its cells joined by the delimiter. */
  preamble: string[];
  /** The header's cells; for a table without one, column_0, column_1, ... */
  header: string[];
  /** False when the first row of the table is data (after a preamble, all numbers). */
  hasHeader: boolean;
  rows: string[][];
}

/** Splits `records` (the parser's rows, blank lines as []) into preamble, header and data rows. */
export function shapeOf(records: string[][], delimiter: string): CsvShape {
  const numbered = records.map((cells, i) => ({ cells, row: i + 1 })).filter(({ cells }) => cells.length > 0);
  if (numbered.length === 0) throw new CsvError("the CSV is empty: no header row");
  const common = tableWidth(numbered.map(({ cells }) => cells.length));
  // Metadata is a few rows: unless most rows share a width, the first row is the header, and the
  // file is ragged from its first row of another width.
  const width = numbered.filter(({ cells }) => cells.length === common).length * 2 > numbered.length ? common : numbered[0].cells.length;
  let start = numbered.findIndex(({ cells }) => cells.length === width);
  if (start === 0 && numbered.length > 2 && isMetadataRow(numbered[0].cells) && !isAllNumbers(numbered[1].cells)) start = 1;
  const preamble = numbered.slice(0, start).map(({ cells }) => cells.join(delimiter));
  const first = numbered[start];
  const hasHeader = start === 0 || !isAllNumbers(first.cells);
  const body = numbered.slice(hasHeader ? start + 1 : start);
  const odd = body.find(({ cells }) => cells.length !== width);
  if (odd) {
    const against = hasHeader ? `the header (row ${first.row}) has ${width}` : `the table's first row (row ${first.row}) has ${width}`;
    const others = body.filter(({ cells }) => cells.length !== width).length;
    const more = others > 1 ? `; ${others} of the ${body.length} data rows have another width (${otherWidths(body, width)})` : "";
    throw new CsvError(`CSV row ${odd.row} has ${odd.cells.length} cells, ${against}${more}`, odd.row);
  }
  return {
    preamble,
    header: hasHeader ? first.cells : first.cells.map((_, i) => `column_${i}`),
    hasHeader,
    rows: body.map(({ cells }) => cells),
  };
}

/** The width most rows have (of two as common, the wider). */
function tableWidth(widths: number[]): number {
  const counts = new Map<number, number>();
  for (const width of widths) counts.set(width, (counts.get(width) ?? 0) + 1);
  let best = widths[0];
  for (const [width, count] of counts) {
    const bestCount = counts.get(best)!;
    if (count > bestCount || (count === bestCount && width > best)) best = width;
  }
  return best;
}

/** "2 cells: 1 row, 4 cells: 3 rows": how many rows have each width other than `width`. */
function otherWidths(rows: { cells: string[] }[], width: number): string {
  const counts = new Map<number, number>();
  for (const { cells } of rows) if (cells.length !== width) counts.set(cells.length, (counts.get(cells.length) ?? 0) + 1);
  return [...counts].map(([cells, count]) => `${cells} cells: ${count} row${count === 1 ? "" : "s"}`).join(", ");
}

const NUMBER = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

function isAllNumbers(cells: string[]): boolean {
  return cells.every((cell) => NUMBER.test(cell.trim()));
}

/**
 * A first row padded to the table's width ("506,13,,,,"): numbers, then empty cells over at least
 * half its width. A header with a few empty names at its end ("a,b,") is not one.
 */
function isMetadataRow(cells: string[]): boolean {
  let filled = cells.length;
  while (filled > 0 && cells[filled - 1] === "") filled--;
  return filled > 0 && filled <= cells.length / 2 && isAllNumbers(cells.slice(0, filled));
}
