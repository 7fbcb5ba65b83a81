// The csv processor: CSV and TSV text parsed (in a worker) into a typed table, or the cells' text
// with --csv kv; a large one is written as it streams in, its blocks of rows parsed in the workers
// (csv-stream.ts, csv-block.ts).
import { csvDelimiterFor, prepareCsv, writePreparedCsv, type PreparedCsv, type WriteCsvOptions } from "./csv";
import { parseCsvBlock, type CsvBlock } from "./csv-block";
import { maxCsvFieldOf } from "./csv-limits";
import { csvRecords, keptCsvRows } from "./csv-records";
import { writeCsvBlocks, type CsvBlockOptions } from "./csv-stream";
import type { PreparingProcessor } from "./processor";

/** A task's result: a whole CSV prepared, or one block of a large one's rows. */
type CsvResult = PreparedCsv | { mode: "block"; block: CsvBlock };

/** A whole CSV's result (a block is written by csv-stream.ts, never alone). */
function whole(result: CsvResult): PreparedCsv {
  if (result.mode === "block") throw new Error("a CSV block is part of a table written as it streams");
  return result;
}

/** CSV and TSV to a typed table (or the cells' text). */
export const csvProcessor: PreparingProcessor<"csv", WriteCsvOptions | CsvBlockOptions, CsvResult> = {
  name: "csv",
  options: {
    mode: { description: "table: typed compound dataset (default); kv: the cells' text as [R, C] strings.", enum: ["table", "kv"] },
    delimiter: { description: "The cell separator, one character (default: --csv-delimiter, else sniffed from the first rows among , ; tab |).", type: "string", minLength: 1, maxLength: 1 },
    decimal_comma: { description: "Read 12,5 as 12.5 where the delimiter is not a comma (default: --decimal-comma).", type: "boolean" },
  },
  takes: (kind) => kind.category === "csv" || kind.category === "tsv",
  defaults: (settings, { kind, sourcePath }) => ({
    mode: settings.csv ?? "table",
    delimiter: settings.csvDelimiter,
    // What the name says (tab for .tsv) decides only where the rows split as well either way.
    expected_delimiter: kind.category === "tsv" ? "\t" : csvDelimiterFor(sourcePath),
    decimal_comma: settings.decimalComma ?? false,
    max_csv_field: maxCsvFieldOf(settings),
  }),
  notEmpty: "an empty file has no header row",
  prepares: "worker",
  streams: "large",
  rereads: true,
  taskOptions: csvOptions,
  prepare: async (bytes, options) => ("block" in options ? { mode: "block", block: await parseCsvBlock(bytes, options.block) } : prepareCsv(bytes, options)),
  writePrepared: (group, name, result, layout, more) => writePreparedCsv(group, name, whole(result), layout, more),
  writeBlocks: (group, name, blocks, layout, options, context) => writeCsvBlocks(group, name, blocks, layout, csvOptions(options), context && { ...context, prepare: async (piece, task) => ((await context.prepare(piece, task)) as CsvResult & { mode: "block" }).block }),
  records: { from: "prepared", records: (result) => csvRecords(whole(result)), keep: (result, kept) => keptCsvRows(whole(result), kept) },
};

/** The task's options from the entry's processor options. */
function csvOptions(options: Record<string, unknown>): WriteCsvOptions {
  return {
    mode: options.mode as "table" | "kv",
    delimiter: options.delimiter as string | undefined,
    expectedDelimiter: options.expected_delimiter as string,
    decimalComma: options.decimal_comma as boolean,
    maxField: options.max_csv_field as number | undefined,
  };
}
