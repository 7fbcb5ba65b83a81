// The csv processor: CSV and TSV text parsed (in a worker) into a typed table, or the cells' text
// with --csv kv.
import { csvDelimiterFor, prepareCsv, writePreparedCsv, type PreparedCsv, type WriteCsvOptions } from "./csv";
import { maxCsvFieldOf } from "./csv-limits";
import { csvRecords, keptCsvRows } from "./csv-records";
import type { PreparingProcessor } from "./processor";

/** CSV and TSV to a typed table (or the cells' text). */
export const csvProcessor: PreparingProcessor<"csv", WriteCsvOptions, PreparedCsv> = {
  name: "csv",
  options: {
    mode: { description: "table: typed compound dataset (default); kv: the cells' text as [R, C] strings.", enum: ["table", "kv"] },
    delimiter: { description: "The cell separator, one character (default: tab for .tsv/.tab, else comma).", type: "string", minLength: 1, maxLength: 1 },
  },
  takes: (kind) => kind.category === "csv" || kind.category === "tsv",
  defaults: (settings, { kind, sourcePath }) => ({
    mode: settings.csv ?? "table",
    delimiter: kind.category === "tsv" ? "\t" : csvDelimiterFor(sourcePath),
    max_csv_field: maxCsvFieldOf(settings),
  }),
  notEmpty: "an empty file has no header row",
  prepares: "worker",
  streams: "never",
  taskOptions: (options) => ({ mode: options.mode as "table" | "kv", delimiter: options.delimiter as string, maxField: options.max_csv_field as number | undefined }),
  prepare: (bytes, options) => prepareCsv(bytes, options),
  writePrepared: writePreparedCsv,
  records: { from: "prepared", records: csvRecords, keep: keptCsvRows },
};
