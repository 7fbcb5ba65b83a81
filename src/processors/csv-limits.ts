// How large a CSV's pieces may be before the parser sees them. fast-csv gathers a field one
// character at a time into an array: a field of ~110 M characters grows that array past V8's
// largest (2^27 elements) and the process dies ("Fatal JavaScript invalid size error", SIGTRAP),
// taking the writer with it under --workers 0; a field of 80 MiB (the most allowed) parses in
// 2.5 GB peak RSS (measured, quoted or not).
// Parsed cells cost memory too: 2^24 cells of unique 12-character strings took 3.0 GB (2^25
// small integers 3.5 GB), near V8's 4 GiB heap, so a file of more cells than MAX_CSV_CELLS fails
// rather than risk the process. One linear pass over the text finds the longest field and
// counts the cells first, and fails the entry naming the row.
import { formatBytes } from "../byte-size";
import { EntryLimitError } from "../sources/entry-limits";

/** 64 MiB: far above any real cell (a long text or a base64 blob), 1/8 of the longest JS string. */
export const DEFAULT_MAX_CSV_FIELD = 64 * 2 ** 20;
/** 80 MiB: the largest field fast-csv's character array holds safely (it grows by 1.5× to < 2^27). */
export const MOST_CSV_FIELD = 80 * 2 ** 20;
/**
 * 2^24 cells: the most parsed and written within ~3 GB whatever the cells hold (measured above);
 * 2^25 string cells would take ~6 GB, past V8's heap. 1M rows × 16 columns is under it.
 */
export const MAX_CSV_CELLS = 2 ** 24;

/** The field limit of a run's options (`max_csv_field`), default applied; 0 means the most the parser holds. */
export function maxCsvFieldOf(options: { maxCsvField?: number }): number {
  const limit = options.maxCsvField ?? DEFAULT_MAX_CSV_FIELD;
  return limit === 0 ? MOST_CSV_FIELD : Math.min(limit, MOST_CSV_FIELD);
}

/** Checks a --max-csv-field value: a size up to MOST_CSV_FIELD (0: that size). */
export function checkMaxCsvField(bytes: number, flag: string): number {
  if (bytes > MOST_CSV_FIELD) throw new Error(`${flag} may be at most ${formatBytes(MOST_CSV_FIELD)} (a longer field cannot be parsed), not ${formatBytes(bytes)}`);
  return bytes;
}

const SPACE = 0x20;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Fails with an EntryLimitError when a field of `text` holds more than `maxField` bytes (UTF-8,
 * quotes included) or the text more than MAX_CSV_CELLS cells. Rows are counted as the parser and
 * csv-shape.ts count them: from 1, a line break inside quotes (`quote`, default ") continuing the row.
 */
export function checkCsvSizes(text: string, delimiter: string, maxField: number = DEFAULT_MAX_CSV_FIELD, quote = '"'): void {
  const separator = delimiter.charCodeAt(0);
  const quoteMark = quote.charCodeAt(0);
  const limit = Math.min(maxField > 0 ? maxField : MOST_CSV_FIELD, MOST_CSV_FIELD);
  let row = 1;
  let cells = 1;
  let column = 1;
  let field = 0;
  let quoted = false;
  let fieldStart = true;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === quoteMark) {
        if (text.charCodeAt(i + 1) === quoteMark) {
          i++;
          field++;
        } else quoted = false;
      }
    } else if (c === separator) {
      field = 0;
      cells++;
      column++;
      fieldStart = true;
      continue;
    } else if (c === LF || c === CR) {
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      if (i + 1 < length) {
        row++;
        cells++;
        if (cells > MAX_CSV_CELLS) throw tooManyCells(row);
      }
      column = 1;
      field = 0;
      fieldStart = true;
      continue;
    } else if (fieldStart && c === quoteMark) {
      quoted = true;
    }
    if (c !== SPACE) fieldStart = false;
    // UTF-8 bytes of the UTF-16 unit: a surrogate is half of a 4-byte character.
    field += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
    if (field > limit) throw fieldTooLarge(row, column, limit);
  }
  if (cells > MAX_CSV_CELLS) throw tooManyCells(row);
}

function fieldTooLarge(row: number, column: number, limit: number): EntryLimitError {
  return new EntryLimitError(`CSV row ${row}, column ${column}: a field over --max-csv-field ${formatBytes(limit)} (the CSV is not parsed)`);
}

function tooManyCells(row: number): EntryLimitError {
  return new EntryLimitError(`CSV row ${row}: more than ${MAX_CSV_CELLS.toLocaleString("en-US")} cells in the file, over the CSV limit (parsing more could exhaust memory; split the file)`);
}
