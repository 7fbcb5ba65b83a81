// A CSV's dialect (cell separator and quote character) sniffed from its first rows, as Python's
// csv.Sniffer does it: the separator is the candidate (, ; tab |) that splits the sampled rows into
// the same number of cells (more than one) most consistently, and the quote is the character seen
// around whole cells. The file's name only breaks ties: a .tsv whose rows split as consistently at
// tabs as at anything else is read with tabs, but a .tsv without a tab in it whose rows all split
// at ';' is read with ';' (the content clearly says so). Europe's "a;b;12,5" files are the case
// that failed before: read at commas, their header had 1 cell and their rows 2.

/** How a CSV's text is split: its cell separator and quote character. */
export interface CsvDialect {
  delimiter: string;
  quote: string;
  /** The delimiter was sniffed (not given by --csv-delimiter or a schema rule). */
  sniffed: boolean;
}

/** The separators the sniffer chooses among, in the order ties go (after the file name's). */
const SNIFFED_DELIMITERS: readonly string[] = [",", "\t", ";", "|"];

/** The text the sniffer reads: the first 64 KiB (at least a few rows of any real table). */
const SAMPLE_CHARS = 64 * 1024;

/**
 * The dialect of `text`: `delimiter` when given, else sniffed, `expected` (the file name's: tab for
 * .tsv, else comma) winning ties and the undecided (one column).
 */
export function dialectOf(text: string, delimiter: string | undefined, expected = ","): CsvDialect {
  const sample = sampleOf(text);
  const quote = sniffQuote(sample);
  if (delimiter !== undefined) return { delimiter, quote, sniffed: false };
  return { delimiter: sniffDelimiter(sample, quote, expected), quote, sniffed: true };
}

/** The first rows of `text`, whole lines only when it goes on. */
function sampleOf(text: string): string {
  if (text.length <= SAMPLE_CHARS) return text;
  const cut = text.lastIndexOf("\n", SAMPLE_CHARS);
  return cut > 0 ? text.slice(0, cut) : text.slice(0, SAMPLE_CHARS);
}

/** How consistently a separator splits the sample: the usual cell count and the share of rows that have it. */
interface Split {
  delimiter: string;
  cells: number;
  share: number;
}

/** The candidate splitting the sample most consistently into more than one cell; ties to `expected`, then to more cells. */
function sniffDelimiter(sample: string, quote: string, expected: string): string {
  const candidates = [expected, ...SNIFFED_DELIMITERS.filter((d) => d !== expected)];
  let best: Split | null = null;
  for (const delimiter of candidates) {
    const split = splitOf(sample, delimiter, quote);
    if (split.cells < 2) continue;
    if (!best || split.share > best.share || (split.share === best.share && split.cells > best.cells && best.delimiter !== expected)) best = split;
  }
  return best?.delimiter ?? expected;
}

/** The usual cell count of the sample's rows split at `delimiter`, and the share of rows that have it. */
function splitOf(sample: string, delimiter: string, quote: string): Split {
  const counts = cellCounts(sample, delimiter, quote);
  const tally = new Map<number, number>();
  for (const count of counts) tally.set(count, (tally.get(count) ?? 0) + 1);
  let cells = 0;
  let rows = 0;
  for (const [count, times] of tally) if (times > rows || (times === rows && count > cells)) [cells, rows] = [count, times];
  return { delimiter, cells, share: counts.length === 0 ? 0 : rows / counts.length };
}

/** Each non-blank row's cell count, quotes respected (a quoted separator or line break is in a cell). */
function cellCounts(sample: string, delimiter: string, quote: string): number[] {
  const counts: number[] = [];
  let cells = 1;
  let blank = true;
  let quoted = false;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i];
    if (quoted) {
      if (c === quote) {
        if (sample[i + 1] === quote) i++;
        else quoted = false;
      }
    } else if (c === quote) {
      quoted = true;
      blank = false;
    } else if (c === delimiter) {
      cells++;
      blank = false;
    } else if (c === "\n" || c === "\r") {
      if (!blank) counts.push(cells);
      cells = 1;
      blank = true;
    } else blank = false;
  }
  if (!blank) counts.push(cells);
  return counts;
}

/**
 * A quote around a whole cell of up to 512 characters: after a row's start or a separator, before
 * a separator or the row's end. The bound keeps a long row of unclosed quotes (",'a,'a,...")
 * linear: unbounded, 20,000 of them took 5 s.
 */
const QUOTED_CELL = /(?:^|[,;\t|]) *(["'])[^\n]{0,512}?\1 *(?=[,;\t|]|\r?$)/gm;

/** The quote character: ' when more cells are quoted with it than with ", else " (also when none is). */
function sniffQuote(sample: string): string {
  let double = 0;
  let single = 0;
  for (const match of sample.matchAll(QUOTED_CELL)) {
    if (match[1] === '"') double++;
    else single++;
  }
  return single > double ? "'" : '"';
}

/** A delimiter as messages show it: ',' ';' '|' or '\t'. */
export function delimiterText(delimiter: string): string {
  return delimiter === "\t" ? "'\\t' (tab)" : `'${delimiter}'`;
}
