// `h5dat convert <inputs...> -o out.h5`: runs convert() with progress lines and a summary.
// Exit codes: 0 nothing failed, 2 some entries failed (the file is still valid), 1 fatal or a
// usage error (a missing input: nothing is created).
import { EventEmitter } from "node:events";
import type { Command } from "commander";
import { loadConfig } from "../config/load-config";
import type { Config } from "../config/config-schema";
import type { ConvertOptions } from "../convert/options";
import { convert } from "../convert/convert";
import type { ConvertSummary, EntryCounts } from "../convert/results";
import { keepLargeBlocksMapped } from "../pool/memory";
import { ON_ERROR_MODES, type OnError } from "../convert/fallback";
import { loadSchema } from "../schema";
import { parseCompression } from "../processors/layout";
import { checkMaxCsvField } from "../processors/csv-limits";
import { parseByteSize } from "../byte-size";
import { checkInputsExist } from "../sources/missing-inputs";
import { entryLine, showProgress } from "./progress";

interface CliOptions {
  output: string;
  config?: string;
  schema?: string;
  compression?: string;
  csv?: string;
  images?: string;
  animated?: boolean;
  onError?: string;
  truncatedImages?: boolean;
  workers?: string;
  overwrite?: boolean;
  resume?: boolean;
  append?: boolean;
  checkpointEntries?: string;
  checkpointSeconds?: string;
  quiet?: boolean;
  json?: boolean;
  maxEntryBytes?: string;
  maxRatio?: string;
  maxPixels?: string;
  maxCsvField?: string;
}

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

/**
 * Ctrl-C (SIGINT) or SIGTERM stop the run cleanly: nothing new is read, what is in flight is
 * written with the manifest, and the file stays as .partial; the exit code is then 130 or 143.
 * A second signal exits at once.
 */
function stopOnSignals(): { signal: AbortSignal; exitCode: number | null; dispose: () => void } {
  const controller = new AbortController();
  const state = { signal: controller.signal, exitCode: null as number | null, dispose: () => {} };
  const on = (name: NodeJS.Signals, code: number) => () => {
    if (state.exitCode !== null) process.exit(state.exitCode);
    state.exitCode = code;
    process.stderr.write(`\n${name}: finishing the entries in flight and the manifest (again to quit at once)\n`);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  const onInt = on("SIGINT", 130);
  const onTerm = on("SIGTERM", 143);
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  state.dispose = () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  };
  return state;
}

/** `12 entries: 10 written, 0 kept as bytes, 1 skipped, 1 failed`. */
function countsLine(counts: EntryCounts): string {
  return `${counts.entries} entries: ${counts.written} written, ${counts.keptAsBytes} kept as bytes, ${counts.skipped} skipped, ${counts.failed} failed`;
}

/** The summary, entries kept as bytes, and failures when progress lines did not already show them. */
function describe(summary: ConvertSummary, listFailures: boolean): string {
  // Resuming a run that had finished does nothing, as rsync on a done copy: say so, not "resumed".
  if (summary.alreadyComplete) return `${summary.output} is already complete: nothing to resume (${countsLine(summary)})`;
  return [
    ...(summary.interrupted ? [`interrupted: the file is left as ${summary.output} (continue with --resume)`] : []),
    ...(summary.resumed > 0 ? [`resumed: ${summary.resumed} entries were done by the interrupted run`] : []),
    // Appended to a file, this run's counts are told apart from the file's.
    ...(summary.inFile ? [`this run: ${countsLine(summary)}`, `in the file: ${countsLine(summary.inFile)}`] : [countsLine(summary)]),
    `${summary.seconds.toFixed(2)} s, ${summary.filesPerSecond.toFixed(1)} files/s, ${summary.megabytesPerSecond.toFixed(1)} MB/s, peak RSS ${summary.peakRssMb.toFixed(0)} MB (+ ${summary.workersPeakRssMb.toFixed(0)} MB in workers)`,
    // Progress lines show only failures: entries kept as bytes are listed here either way.
    ...summary.kept.map(entryLine),
    ...(listFailures ? summary.failures.map(entryLine) : []),
    `→ ${summary.output}`,
  ].join("\n");
}

export function addConvertCommand(program: Command): void {
  program
    .command("convert")
    .description("convert files, directories and archives into one HDF5 file")
    .argument("<inputs...>", "directories, files or archives (zip, tar, tar.gz, tar.xz, gz, ...)")
    .requiredOption("-o, --output <file>", "the HDF5 file to write")
    .option("--config <file>", "a JSON config file (see `h5dat config --schema`)")
    .option("--schema <file>", "a schema file: groups, attrs, routing rules, record checks (see `h5dat schema --meta`)")
    .option("--compression <c>", "gzip, gzip:0-9 or none (default gzip:4)")
    .option("--csv <mode>", "table (typed columns) or kv (cell text) (default table)")
    .option("--images <mode>", "pixels, encoded or both (default pixels)")
    .option("--workers <n>", "worker processes decoding images (default: the number of cores; 0 = none)")
    .option("--animated", "every frame of animated GIF/WebP as [T, H, W, C], every page of a TIFF as [P, H, W, C] (default: the first)")
    .option("--on-error <mode>", "an entry its processor cannot convert: keep (its original bytes, attr fallback_reason) or fail (default keep)")
    .option("--truncated-images", "decode truncated JPEGs as far as their data goes, as PIL's LOAD_TRUNCATED_IMAGES (default: they fail)")
    .option("--max-entry-bytes <size>", "an entry holding more (decompressed) fails, e.g. 512M (default 64G; 0 = no limit)")
    .option("--max-ratio <n>", "an archive entry expanding more than n times fails, judged past 32 MiB (default 200; 0 = no limit)")
    .option("--max-pixels <n>", "an image of more pixels fails before decoding (default 268402689; 0 = no limit)")
    .option("--max-csv-field <size>", "a CSV/TSV with a longer field fails, not parsed, e.g. 16M (default 64M; at most 80M)")
    .option("--overwrite", "replace an existing output (or a .partial left by an interrupted run; never one a live run is writing)")
    .option("--resume", "continue the interrupted run that left <output>.partial (same inputs and options; files added, changed or removed since are handled entry by entry, a changed archive refuses)")
    .option("--append", "add the inputs to an existing output; what it holds stays untouched")
    .option("--checkpoint-entries <n>", "store the manifest and flush the file every n entries (default 1000)")
    .option("--checkpoint-seconds <s>", "... or every s seconds, whichever comes first (default 10)")
    .option("--quiet", "no progress lines")
    .option("--json", "print the summary as JSON")
    .action(async (inputs: string[], options: CliOptions) => {
      // A missing input is a usage error: exit 1 before any output (or progress bar) appears.
      checkInputsExist(inputs);
      const config = options.config ? loadConfig(options.config) : {};
      const schema = options.schema ? await loadSchema(options.schema) : undefined;
      const runOptions = optionsOf(options, config);
      keepLargeBlocksMapped();
      const stop = stopOnSignals();
      const events = new EventEmitter();
      const progress = !options.quiet && !options.json;
      const stopProgress = progress ? showProgress(events) : () => undefined;
      const summary = await convert(
        inputs,
        {
          ...runOptions,
          schema,
          signal: stop.signal,
          command: ["h5dat", ...process.argv.slice(2)].join(" "),
        },
        events,
      ).finally(() => {
        stopProgress();
        stop.dispose();
      });
      console.log(options.json ? JSON.stringify(summary) : describe(summary, !progress));
      process.exitCode = stop.exitCode ?? (summary.failed > 0 ? 2 : 0);
    });
}

/** The run's options from the flags, which override the config file, which overrides the defaults. */
function optionsOf(options: CliOptions, config: Config): Omit<ConvertOptions, "schema" | "signal" | "command"> {
  const csv = options.csv ?? config.csv ?? "table";
  if (csv !== "table" && csv !== "kv") throw new Error(`--csv must be table or kv, not '${csv}'`);
  const images = options.images ?? config.images ?? "pixels";
  if (images !== "pixels" && images !== "encoded" && images !== "both") throw new Error(`--images must be pixels, encoded or both, not '${images}'`);
  const onError = options.onError ?? config.on_error ?? "keep";
  if (!ON_ERROR_MODES.includes(onError as OnError)) throw new Error(`--on-error must be keep or fail, not '${onError}'`);
  return {
    output: options.output,
    overwrite: options.overwrite,
    resume: options.resume,
    append: options.append,
    checkpointEntries: options.checkpointEntries !== undefined ? parseCount(options.checkpointEntries, "--checkpoint-entries", 1) : config.checkpoint_entries,
    checkpointSeconds: options.checkpointSeconds !== undefined ? parseSeconds(options.checkpointSeconds, "--checkpoint-seconds") : config.checkpoint_seconds,
    compression: parseCompression(options.compression ?? config.compression ?? "gzip:4", "--compression"),
    csv,
    images,
    animated: options.animated ?? config.animated,
    onError: onError as OnError,
    truncatedImages: options.truncatedImages ?? config.truncated_images,
    workers: options.workers !== undefined ? parseCount(options.workers, "--workers") : config.workers,
    batchProcessLimit: config.batch_process_limit,
    batchChunkSize: config.batch_chunk_size,
    imageExtensions: config.image_extensions,
    videoExtensions: config.video_extensions,
    allowedTypes: config.allowed_types,
    gifAsVideo: config.gif_as_video,
    video: config.video,
    audio: config.audio,
    maxEntryBytes: options.maxEntryBytes !== undefined ? parseByteSize(options.maxEntryBytes, "--max-entry-bytes") : config.max_entry_bytes,
    maxRatio: options.maxRatio !== undefined ? parseCount(options.maxRatio, "--max-ratio") : config.max_ratio,
    maxPixels: options.maxPixels !== undefined ? parseCount(options.maxPixels, "--max-pixels") : config.max_pixels,
    maxCsvField: options.maxCsvField !== undefined ? checkMaxCsvField(parseByteSize(options.maxCsvField, "--max-csv-field"), "--max-csv-field") : config.max_csv_field,
  };
}
