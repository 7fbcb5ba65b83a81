// The one table of convert's options. Each declares its API name (ConvertOptions, camelCase), its
// config file key (snake_case, the original tool's; also its name in the attrs a file stores),
// its CLI flag and help, how the flag's text is parsed (with the CLI's message), its JSON Schema in
// the config file, its default, and whether it shapes the output. The CLI flags (cli/
// convert-command.ts), the config schema (config/config-schema.ts), the root attr `options` and
// the options a --resume must keep (run-record.ts) are all made from it; the table's order is
// the order of `h5dat convert --help`.
import { createHash } from "node:crypto";
import { parseByteSize } from "../byte-size";
import { checkMaxCsvField, MOST_CSV_FIELD } from "../processors/csv-limits";
import { compressionText } from "../h5/compression";
import { COMPRESSION_PATTERN, parseCompression } from "../h5/compression";
import { camelKeys, snakeKeys } from "../processors/option-keys";
import { PROCESSOR_OPTIONS } from "../processors/registry";
import { loadSchema } from "../schema";
import { ON_ERROR_MODES } from "./fallback";
import { labelSourceText, parseLabelSource } from "../stacked/labels";
import { parseResize, resizeText } from "../processors/resize-spec";
import { parseSplitRule, splitRuleText } from "../stacked/split-rule";
import { parseShard, shardText } from "./shard";
import type { ConvertOptions } from "./options";

/** A name of convert's options. */
export type OptionName = keyof ConvertOptions;

/** One option of convert: `C` its config key, `V` the config value's type when it is not the option's (compression: text). */
export interface ConvertOption<N extends OptionName = OptionName, C extends string = string, V = ConvertOptions[N]> {
  /** The API's name (ConvertOptions), which is also commander's name of the flag. */
  readonly name: N;
  /** The config file's key, and the option's name in the attrs an output stores; absent: not in the config file. */
  readonly configKey?: C;
  /** The config value's JSON Schema (with `configKey`). */
  readonly schema?: object;
  /** The CLI flag as commander takes it ("--max-pixels <n>"; no `<value>`: a switch); absent: no flag. */
  readonly flag?: string;
  /** The flag's help text. */
  readonly help?: string;
  /** The flag must be given. */
  readonly required?: boolean;
  /** A valued flag's text as the option's value; throws the CLI's message, naming `flag`. */
  parse?(text: string, flag: string): ConvertOptions[N] | Promise<ConvertOptions[N]>;
  /** A config value as the option's value, when the two differ in type. */
  fromConfig?(value: V): ConvertOptions[N];
  /** The value when none is given: the CLI gives it to a valued flag, and --resume compares with it. */
  readonly default?: ConvertOptions[N];
  /**
   * Kept in the output: "shape" (it changes what is written: in the root attr `options`, in the
   * run record, and a --resume must keep it), "run" (how it ran: the root attr only), or not at all.
   */
  readonly stored?: "shape" | "run";
  /** The value as stored, when not as given (a schema: its file's path). */
  storedAs?(value: ConvertOptions[N]): unknown;
  /** The value as a --resume compares it, defaults applied (compression: "gzip:4" however given). */
  comparedAs?(value: ConvertOptions[N]): unknown;
}

/** Declares one option, its types inferred. */
function option<N extends OptionName, C extends string = never, V = ConvertOptions[N]>(spec: ConvertOption<N, C, V>): ConvertOption<N, C, V> {
  return spec;
}

/**
 * The video or audio processor's defaults: in the config file its --schema rule options as
 * rules write them (snake_case, as the stored attrs keep them), in the API camelCase.
 */
function processorDefaults<N extends "video" | "audio">(name: N, title: string): ConvertOption<N, N, Record<string, unknown>> {
  return option<N, N, Record<string, unknown>>({
    name,
    configKey: name,
    schema: { description: `${title} processor defaults (a --schema rule's options go on top).`, type: "object", additionalProperties: false, properties: PROCESSOR_OPTIONS[name] },
    fromConfig: (value) => camelKeys(value),
    storedAs: (value) => (value === undefined ? undefined : snakeKeys(value)),
    stored: "shape",
  });
}

/** A flag's whole number (at least `least`). */
function parseCount(text: string, flag: string, least = 0): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < least) throw new Error(`${flag} must be a whole number${least > 0 ? ` of at least ${least}` : ""}, not '${text}'`);
  return n;
}

function parseSeconds(text: string, flag: string): number {
  const n = Number(text);
  if (!(n > 0)) throw new Error(`${flag} must be a number of seconds above 0, not '${text}'`);
  return n;
}

/** A flag's value that must be one of `modes`; `said` lists them for the message ("table or kv"). */
function oneOf<T extends string>(modes: readonly T[], said: string): (text: string, flag: string) => T {
  return (text, flag) => {
    if (!modes.includes(text as T)) throw new Error(`${flag} must be ${said}, not '${text}'`);
    return text as T;
  };
}

/** A --csv-delimiter: one character, or a tab written as \t (shells make a literal tab awkward). */
function parseDelimiter(text: string, flag: string): string {
  const delimiter = text === "\\t" || text.toLowerCase() === "tab" ? "\t" : text;
  if (delimiter.length !== 1) throw new Error(`${flag} must be one character (a tab as \\t), not '${text}'`);
  return delimiter;
}

const EXTENSIONS = { type: "array", items: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9.+-]*$" }, uniqueItems: true };
const CSV_MODES = ["table", "kv"] as const;
const IMAGE_MODES = ["pixels", "encoded", "both"] as const;
const LAYOUTS = ["files", "stacked"] as const;
const COUNT = { type: "integer", minimum: 0 };

/** A whole number of 0 or more: the config's schema (`description`) and the flag's parser. */
function counted(description: string): { schema: object; parse: (text: string, flag: string) => number } {
  return { schema: { description, ...COUNT }, parse: (text, flag) => parseCount(text, flag) };
}

/** Every option of convert, in the order of `h5dat convert --help` (config-only ones last). */
export const CONVERT_OPTIONS = [
  option({ name: "output", flag: "-o, --output <file>", help: "the HDF5 file to write", required: true, parse: (text) => text, stored: "run" }),
  option({
    name: "schema",
    flag: "--schema <file>",
    help: "a schema file: groups, attrs, routing rules, record checks (see `h5dat schema --meta`)",
    parse: (text) => loadSchema(text),
    stored: "shape",
    storedAs: (schema) => schema?.file,
    // Its rules shape the output (targets, processors, stacks): a resume with the file edited is refused.
    comparedAs: (schema) => schema && { file: schema.file, sha256: createHash("sha256").update(schema.text).digest("hex") },
  }),
  option({
    name: "compression",
    configKey: "compression",
    schema: { description: "gzip[:0-9], zstd[:1-22], lz4, blosc[:CNAME[:0-9][:SHUFFLE]], bitshuffle[:lz4|:zstd[:1-22]] or none.", type: "string", pattern: COMPRESSION_PATTERN },
    flag: "--compression <c>",
    help: "gzip[:0-9], zstd[:1-22], lz4, blosc:CNAME[:0-9][:shuffle|bitshuffle|noshuffle], bitshuffle[:lz4|:zstd] or none (default gzip:4)",
    parse: (text, flag) => parseCompression(text, flag),
    fromConfig: (text: string) => parseCompression(text, "--compression"),
    default: parseCompression("gzip:4"),
    stored: "shape",
    comparedAs: compressionText,
  }),
  option({
    name: "csv",
    configKey: "csv",
    schema: { description: "table (typed columns) or kv (cell text).", enum: CSV_MODES },
    flag: "--csv <mode>",
    help: "table (typed columns) or kv (cell text) (default table)",
    parse: oneOf(CSV_MODES, "table or kv"),
    default: "table",
    stored: "shape",
  }),
  option({
    name: "csvDelimiter",
    configKey: "csv_delimiter",
    schema: { description: "The CSV/TSV cell separator, one character (default: sniffed per file among , ; tab |).", type: "string", minLength: 1, maxLength: 1 },
    flag: "--csv-delimiter <c>",
    help: "the CSV/TSV cell separator, one character: ';', '|', tab as '\\t' (default: sniffed per file among , ; tab |)",
    parse: parseDelimiter,
    stored: "shape",
  }),
  option({
    name: "decimalComma",
    configKey: "decimal_comma",
    schema: { description: "Read 12,5 as 12.5 in CSV/TSV files not separated by commas (default false).", type: "boolean" },
    flag: "--decimal-comma",
    help: "read 12,5 as 12.5 in CSV/TSV files not separated by commas",
    default: false,
    stored: "shape",
    // Off compares as absent: a run interrupted before this option existed resumes.
    comparedAs: (on) => on || undefined,
  }),
  option({
    name: "json",
    configKey: "json",
    schema: { description: "table (records that are objects as a typed table) or kv ((pointer, value) pairs).", enum: CSV_MODES },
    // --json is convert's switch for a JSON summary: the flag has its own name.
    flag: "--json-layout <mode>",
    help: "JSONL and JSON arrays of objects: table (typed columns) or kv (pointer/value pairs) (default table)",
    parse: oneOf(CSV_MODES, "table or kv"),
    default: "table",
    stored: "shape",
  }),
  option({
    name: "layout",
    configKey: "layout",
    schema: { description: "files (one dataset per file) or stacked (one images array per input, with labels and splits).", enum: LAYOUTS },
    flag: "--layout <layout>",
    help: "files (a dataset per file) or stacked (images [N, H, W, C] per input, with labels, paths, splits) (default files)",
    parse: oneOf(LAYOUTS, "files or stacked"),
    default: "files",
    stored: "shape",
  }),
  option({
    name: "resize",
    configKey: "resize",
    schema: { description: "Stacked layout: WxH[:cover|contain|fill], every image brought to that box.", type: "string" },
    flag: "--resize <box>",
    help: "stacked layout: WxH[:cover|contain|fill], every image brought to one shape and RGB (default: each image's own; ragged when they differ)",
    parse: (text) => parseResize(text),
    fromConfig: (text: string) => parseResize(text),
    stored: "shape",
    storedAs: (spec) => spec && resizeText(spec),
  }),
  option({
    name: "labels",
    configKey: "labels",
    schema: { description: "Stacked layout: dir (the parent directory's name), none, or FILE:KEY:COLUMN.", type: "string" },
    flag: "--labels <source>",
    help: "stacked layout: dir (parent directory), none, or FILE:KEY:COLUMN (default dir)",
    parse: (text) => parseLabelSource(text),
    fromConfig: (text: string) => parseLabelSource(text),
    stored: "shape",
    storedAs: (source) => source && labelSourceText(source),
  }),
  option({
    name: "split",
    configKey: "split",
    schema: { description: "Stacked layout: NAME=SHARE,... by a stable hash of each path and the seed (split directories win).", type: "string" },
    flag: "--split <rule>",
    help: "stacked layout: train=0.8,val=0.1,test=0.1 by a stable hash of each path and --seed (train/ val/ test/ directories win)",
    parse: (text) => parseSplitRule(text),
    fromConfig: (text: string) => parseSplitRule(text),
    stored: "shape",
    storedAs: (rule) => rule && splitRuleText(rule),
  }),
  option({
    name: "seed",
    configKey: "seed",
    ...counted("Stacked layout: the seed of the split's hash (default 0)."),
    flag: "--seed <n>",
    help: "stacked layout: the seed of --split's hash (default 0)",
    stored: "shape",
  }),
  option({
    name: "images",
    configKey: "images",
    schema: { description: "pixels (decoded), encoded (the file's bytes) or both.", enum: IMAGE_MODES },
    flag: "--images <mode>",
    help: "pixels, encoded or both (default pixels)",
    parse: oneOf(IMAGE_MODES, "pixels, encoded or both"),
    default: "pixels",
    stored: "shape",
  }),
  option({
    ...counted("Worker processes decoding images and parsing large JSON/CSV (default: the number of cores; 0 = all in the main process)."),
    name: "workers",
    configKey: "workers",
    flag: "--workers <n>",
    help: "worker processes decoding images (default: the number of cores; 0 = none)",
    stored: "run",
  }),
  option({
    name: "animated",
    configKey: "animated",
    schema: { description: "Every frame of animated GIF/WebP images as [T, H, W, C], every page of a multi-page TIFF as [P, H, W, C] (default: the first).", type: "boolean" },
    flag: "--animated",
    help: "every frame of animated GIF/WebP as [T, H, W, C], every page of a TIFF as [P, H, W, C] (default: the first)",
    default: false,
    stored: "shape",
  }),
  option({
    name: "onError",
    configKey: "on_error",
    schema: {
      description: "An entry its processor cannot convert: keep (default) stores its original bytes at its path (attrs processor \"bytes\", media_type, fallback_reason; manifest \"kept as bytes: <error>\"); fail fails it. Limits (max_*) fail either way.",
      enum: ON_ERROR_MODES,
    },
    flag: "--on-error <mode>",
    help: "an entry its processor cannot convert: keep (its original bytes, attr fallback_reason) or fail (default keep)",
    parse: oneOf(ON_ERROR_MODES, "keep or fail"),
    default: "keep",
    stored: "shape",
  }),
  option({
    name: "truncatedImages",
    configKey: "truncated_images",
    schema: { description: "Decode truncated JPEGs as far as their data goes, as PIL's LOAD_TRUNCATED_IMAGES (default false: they fail, or are kept as bytes).", type: "boolean" },
    flag: "--truncated-images",
    help: "decode truncated JPEGs as far as their data goes, as PIL's LOAD_TRUNCATED_IMAGES (default: they fail)",
    default: false,
    stored: "shape",
  }),
  option({
    name: "maxEntryBytes",
    configKey: "max_entry_bytes",
    schema: { description: "An entry holding more bytes (decompressed) fails, read no further (default 64 GiB; 0 = no limit).", ...COUNT },
    flag: "--max-entry-bytes <size>",
    help: "an entry holding more (decompressed) fails, e.g. 512M (default 64G; 0 = no limit)",
    parse: parseByteSize,
    stored: "shape",
  }),
  option({
    ...counted("An archive entry expanding more than this many times its compressed bytes fails, judged once it has produced 32 MiB (default 200; 0 = no limit)."),
    name: "maxRatio",
    configKey: "max_ratio",
    flag: "--max-ratio <n>",
    help: "an archive entry expanding more than n times fails, judged past 32 MiB (default 200; 0 = no limit)",
    stored: "shape",
  }),
  option({
    ...counted("An image of more pixels (width × height × frames) fails before decoding (default 268402689; 0 = no limit)."),
    name: "maxPixels",
    configKey: "max_pixels",
    flag: "--max-pixels <n>",
    help: "an image of more pixels fails before decoding (default 268402689; 0 = no limit)",
    stored: "shape",
  }),
  option({
    name: "maxCsvField",
    configKey: "max_csv_field",
    schema: { description: "A CSV/TSV with a field of more bytes fails, not parsed (default 64 MiB; at most and 0 = 80 MiB, the most the parser holds).", ...COUNT, maximum: MOST_CSV_FIELD },
    flag: "--max-csv-field <size>",
    help: "a CSV/TSV with a longer field fails, not parsed, e.g. 16M (default 64M; at most 80M)",
    parse: (text, flag) => checkMaxCsvField(parseByteSize(text, flag), flag),
    stored: "shape",
  }),
  option({ name: "overwrite", flag: "--overwrite", help: "replace an existing output (or a .partial left by an interrupted run; never one a live run is writing)", stored: "run" }),
  option({
    name: "resume",
    flag: "--resume",
    help: "continue the interrupted run that left <output>.partial (same inputs and options; files added, changed or removed since are handled entry by entry, a changed archive refuses)",
  }),
  option({ name: "append", flag: "--append", help: "add the inputs to an existing output; what it holds stays untouched" }),
  option({
    name: "shard",
    configKey: "shard",
    schema: { description: "i/N or auto/N: convert only shard i of N (auto: the index from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or H5DAT_SHARD_INDEX); `h5dat merge` joins the shards.", type: "string", pattern: "^(auto|[0-9]+)/[0-9]+$" },
    flag: "--shard <i/N>",
    help: "convert only shard i of N, entries assigned by a hash of their path (auto/N: the index from Slurm's or Kubernetes' environment); {i} and {N} in -o are filled in; join with `h5dat merge`",
    parse: (text, flag) => parseShard(text, flag),
    fromConfig: (text: string) => parseShard(text, "shard"),
    stored: "shape",
    storedAs: (spec) => spec && shardText(spec),
  }),
  option({
    name: "checkpointEntries",
    configKey: "checkpoint_entries",
    schema: { description: "Store the manifest and flush the file (crash-consistent on disk) every this many entries (default 1000).", type: "integer", minimum: 1 },
    flag: "--checkpoint-entries <n>",
    help: "store the manifest and flush the file every n entries (default 1000)",
    parse: (text, flag) => parseCount(text, flag, 1),
  }),
  option({
    name: "checkpointSeconds",
    configKey: "checkpoint_seconds",
    schema: { description: "... or every this many seconds, whichever comes first (default 10).", type: "number", exclusiveMinimum: 0 },
    flag: "--checkpoint-seconds <s>",
    help: "... or every s seconds, whichever comes first (default 10)",
    parse: parseSeconds,
  }),
  option({
    name: "imageExtensions",
    configKey: "image_extensions",
    schema: { description: "Extensions (without the dot) treated as images when magic bytes do not decide.", ...EXTENSIONS },
    stored: "shape",
  }),
  option({
    name: "videoExtensions",
    configKey: "video_extensions",
    schema: { description: "Extensions (without the dot) treated as video when magic bytes do not decide.", ...EXTENSIONS },
    stored: "shape",
  }),
  option({
    name: "allowedTypes",
    configKey: "allowed_types",
    schema: {
      description: "Categories (image, video, audio, json, jsonl, csv, tsv, hdf5, archive, bytes), media types or wildcards (image/*) to convert; other files are skipped with a reason.",
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
    },
    stored: "shape",
  }),
  option({ name: "batchChunkSize", configKey: "batch_chunk_size", schema: { description: "Entries handed to a worker at a time.", type: "integer", minimum: 1 }, stored: "run" }),
  option({
    name: "batchProcessLimit",
    configKey: "batch_process_limit",
    schema: { description: "Most entries in flight between the readers, the workers and the writer.", type: "integer", minimum: 1 },
    stored: "run",
  }),
  option({
    name: "gifAsVideo",
    configKey: "gif_as_video",
    schema: { description: "Decode animated GIFs as video ([T, H, W, 3] through ffmpeg, with the video options) instead of as images.", type: "boolean" },
    default: false,
    stored: "shape",
  }),
  processorDefaults("video", "Video"),
  processorDefaults("audio", "Audio"),
] as const;

/** Every option, as the loops over the table take them. */
const ALL: readonly ConvertOption[] = CONVERT_OPTIONS as readonly ConvertOption[];

/** Every option of the table, in its order. */
export function everyOption(): readonly ConvertOption[] {
  return ALL;
}

/** An option's name in stored attrs: its config key, or its API name when it has none (output, schema). */
function storedKey(spec: ConvertOption): string {
  return spec.configKey ?? spec.name;
}

/** Stored values as JSON keeps them (undefined left out). */
function asJson(entries: [string, unknown][]): Record<string, unknown> {
  return JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, unknown>;
}

/** The root attr `options`: the options as given that shape the output or say how it ran. */
export function storedOptions(options: ConvertOptions): Record<string, unknown> {
  return asJson(ALL.filter((spec) => spec.stored !== undefined).map((spec) => {
    const value = options[spec.name];
    return [storedKey(spec), spec.storedAs ? spec.storedAs(value) : value];
  }));
}

/** Options that change what is written (not how fast), defaults applied: a resumed run must keep them. */
export function outcomeOptions(options: ConvertOptions): Record<string, unknown> {
  return asJson(ALL.filter((spec) => spec.stored === "shape").map((spec) => {
    // Defaults applied, so that leaving an option out and giving its default compare equal.
    const value = options[spec.name] ?? spec.default;
    const compared = spec.comparedAs ?? spec.storedAs;
    return [storedKey(spec), compared ? compared(value) : value];
  }));
}

/** The config file's keys, as JSON Schema properties. */
export function configProperties(): Record<string, object> {
  return Object.fromEntries(ALL.filter((spec) => spec.configKey !== undefined).map((spec) => [spec.configKey!, spec.schema ?? {}]));
}

/** The options that have a CLI flag. */
export function flaggedOptions(): readonly ConvertOption[] {
  return ALL.filter((spec) => spec.flag !== undefined);
}

/** The long flag of an option ("--max-pixels"), as its messages name it. */
export function longFlagOf(spec: ConvertOption): string {
  return /--[a-z-]+/.exec(spec.flag ?? "")?.[0] ?? `--${spec.name}`;
}

/** Whether the option's flag takes a value (not a switch). */
export function takesValue(spec: ConvertOption): boolean {
  return spec.flag?.includes("<") === true;
}

/** The config file's contents: each option under its config key, as the config file gives it. */
export type Config = {
  [S in (typeof CONVERT_OPTIONS)[number] as S extends ConvertOption<OptionName, infer C> ? C : never]?: S extends ConvertOption<OptionName, string, infer V> ? V : never;
};

