// The csv processor: CSV and TSV text parsed (in a worker) into a typed table, or the cells' text
// with --csv kv.
import { csvDelimiterFor, prepareCsv, writePreparedCsv, type PreparedCsv, type WriteCsvOptions } from "./csv";
import { maxCsvFieldOf } from "./csv-limits";
import { csvRecords, keptCsvRows } from "./csv-records";
import { writeCsvBlocks } from "./csv-stream";
import type { PreparingProcessor } from "./processor";

/** CSV and TSV to a typed table (or the cells' text). */
export const csvProcessor: PreparingProcessor<"csv", WriteCsvOptions, PreparedCsv> = {
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
  taskOptions: (options) => ({
    mode: options.mode as "table" | "kv",
    delimiter: options.delimiter as string | undefined,
    expectedDelimiter: options.expected_delimiter as string,
    decimalComma: options.decimal_comma as boolean,
    maxField: options.max_csv_field as number | undefined,
  }),
  prepare: (bytes, options) => prepareCsv(bytes, options),
  writePrepared: writePreparedCsv,
  writeBlocks: (group, name, blocks, layout, options, again) => writeCsvBlocks(group, name, blocks, layout, csvProcessor.taskOptions(options), again),
  records: { from: "prepared", records: csvRecords, keep: keptCsvRows },
};
