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
  const check = new CsvSizeCheck(delimiter, maxField, quote, MAX_CSV_CELLS);
  check.feed(text);
}

/**
 * checkCsvSizes over text that comes in pieces (a CSV read as it streams, csv-stream.ts, which
 * holds one block of cells at a time and so gives no cell limit): the state of the field, quote
 * and line carries from one piece to the next.
 */
export class CsvSizeCheck {
  private readonly separator: number;
  private readonly quoteMark: number;
  private readonly limit: number;
  private row = 1;
  private cells = 1;
  private column = 1;
  private field = 0;
  private quoted = false;
  private fieldStart = true;
  /** A line ended: the next character starts a row (a break at the very end starts none). */
  private lineEnded = false;
  /** The last piece ended in a quote inside quotes, or in a CR: the next piece's first character says what it was. */
  private pendingQuote = false;
  private pendingCR = false;
  /** Where in the last piece fed its last row ended (after the line break; -1: none ended in it). */
  lastBreak = -1;

  constructor(delimiter: string, maxField: number = DEFAULT_MAX_CSV_FIELD, quote = '"', private readonly maxCells = Infinity) {
    this.separator = delimiter.charCodeAt(0);
    this.quoteMark = quote.charCodeAt(0);
    this.limit = Math.min(maxField > 0 ? maxField : MOST_CSV_FIELD, MOST_CSV_FIELD);
  }

  /** Checks the next piece of the text. */
  feed(text: string): void {
    const length = text.length;
    let i = 0;
    this.lastBreak = -1;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    if (this.pendingQuote && length > 0) {
      this.pendingQuote = false;
      // A doubled quote is one quote in the field; else the quotes closed before this piece.
      if (text.charCodeAt(i) === this.quoteMark) {
        i++;
        this.field++;
      } else this.quoted = false;
    }
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      if (this.lineEnded) {
        this.lineEnded = false;
        this.row++;
        this.cells++;
        if (this.cells > this.maxCells) throw tooManyCells(this.row);
      }
      if (this.quoted) {
        if (c === this.quoteMark) {
          if (i + 1 === length) this.pendingQuote = true;
          else if (text.charCodeAt(i + 1) === this.quoteMark) {
            i++;
            this.field++;
          } else this.quoted = false;
        }
      } else if (c === this.separator) {
        this.field = 0;
        this.cells++;
        this.column++;
        this.fieldStart = true;
        continue;
      } else if (c === LF || c === CR) {
        if (c === CR) {
          if (i + 1 === length) this.pendingCR = true;
          else if (text.charCodeAt(i + 1) === LF) i++;
        }
        // A CR ending the piece may be half of a CRLF: the row ends in the next piece.
        if (!this.pendingCR) this.lastBreak = i + 1;
        this.lineEnded = true;
        this.column = 1;
        this.field = 0;
        this.fieldStart = true;
        continue;
      } else if (this.fieldStart && c === this.quoteMark) {
        this.quoted = true;
      }
      if (c !== SPACE) this.fieldStart = false;
      // UTF-8 bytes of the UTF-16 unit: a surrogate is half of a 4-byte character.
      this.field += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
      if (this.field > this.limit) throw fieldTooLarge(this.row, this.column, this.limit);
    }
    if (this.cells > this.maxCells) throw tooManyCells(this.row);
  }
}

function fieldTooLarge(row: number, column: number, limit: number): EntryLimitError {
  return new EntryLimitError(`CSV row ${row}, column ${column}: a field over --max-csv-field ${formatBytes(limit)} (the CSV is not parsed)`);
}

function tooManyCells(row: number): EntryLimitError {
  return new EntryLimitError(`CSV row ${row}: more than ${MAX_CSV_CELLS.toLocaleString("en-US")} cells in the file, over the CSV limit (parsing more could exhaust memory; split the file)`);
}
