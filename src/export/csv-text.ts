// A table back to CSV text: the header row, then one line per row; cells quoted when they hold
// the delimiter, a quote or a line break (quotes doubled), as RFC 4180 writes them.

/** One cell's text: numbers and BigInts as written, NaN as an empty cell, booleans as true/false. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" && Number.isNaN(value)) return "";
  return String(value);
}

function quoted(text: string, delimiter: string): string {
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text of `columns` (header) and `rows` (values in column order), each line ended by \n. */
export function csvText(columns: readonly string[], rows: Iterable<readonly unknown[]>, delimiter = ","): string {
  return csvLines([columns], delimiter) + csvLines(rows, delimiter);
}

/** The lines of `rows` alone (a table written block by block), each ended by \n. */
export function csvLines(rows: Iterable<readonly unknown[]>, delimiter = ","): string {
  let text = "";
  for (const row of rows) text += row.map((cell) => quoted(cellText(cell), delimiter)).join(delimiter) + "\n";
  return text;
}
