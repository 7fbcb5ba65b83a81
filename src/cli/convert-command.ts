// `h5dat convert <inputs...> -o out.h5`: runs convert() with progress lines and a summary.
// Exit codes: 0 nothing failed, 2 some entries failed (the file is still valid), 1 fatal or a
// usage error (a missing input: nothing is created).
import { EventEmitter } from "node:events";
import { Option, type Command } from "commander";
import { loadConfig } from "../config/load-config";
import type { Config } from "../config/config-schema";
import type { ConvertOptions } from "../convert/options";
import { convert } from "../convert/convert";
import type { ConvertSummary, EntryCounts, StackSummary } from "../convert/results";
import { keepLargeBlocksMapped } from "../pool/memory";
import { everyOption, flaggedOptions, longFlagOf, takesValue, type ConvertOption } from "../convert/option-table";
import { checkInputsExist } from "../sources/missing-inputs";
import { entryLine, showProgress } from "./progress";

/** The flags of `convert` by commander's names: each option of the table's (text, or true for a switch), and the command's own. */
interface CliOptions extends Partial<Record<string, string | boolean>> {
  config?: string;
  quiet?: boolean;
  json?: boolean;
}

/** Commander's name of an option's flag: its API name, or for a flag named apart (--json-layout of `json`) the flag's camelCase. */
function flagAttribute(spec: ConvertOption): string {
  return longFlagOf(spec).slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
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
    `${summary.seconds.toFixed(2)} s, ${summary.filesPerSecond.toFixed(1)} files/s, ${summary.megabytesPerSecond.toFixed(1)} MB/s, peak RSS ${summary.peakRssMb.toFixed(0)} MB (+ ${summary.workersPeakRssMb.toFixed(0)} MB in workers, at most ${summary.largestWorkerRssMb.toFixed(0)} MB each)`,
    // Progress lines show only failures: entries kept as bytes are listed here either way.
    ...summary.kept.map(entryLine),
    ...(summary.stacks ?? []).map(stackLine),
    ...(listFailures ? summary.failures.map(entryLine) : []),
    `→ ${summary.output}`,
  ].join("\n");
}

/** `stack /fashion: 44,424 images, 12 without a label; 20 rows of styles.csv matched no image`. */
function stackLine(stack: StackSummary): string {
  const table = stack.labelTable === undefined ? "" : `; ${stack.tableRowsWithoutImage} rows of ${stack.labelTable} matched no image`;
  return `stack ${stack.group}: ${stack.rows} images, ${stack.unlabelled} without a label${table}`;
}

/** Adds `h5dat convert` to the program: its flags come from convert's option table. */
export function addConvertCommand(program: Command): void {
  const command = program
    .command("convert")
    .description("convert files, directories and archives into one HDF5 file")
    .argument("<inputs...>", "directories, files or archives (zip, tar, tar.gz, tar.xz, gz, ...)");
  // The table's flags in its order; --config (not an option of convert's: where they come from) after --output.
  for (const spec of flaggedOptions()) {
    command.addOption(flagOf(spec));
    if (spec.name === "output") command.option("--config <file>", "a JSON config file (see `h5dat config --schema`)");
  }
  command
    .option("--quiet", "no progress lines")
    .option("--json", "print the summary as JSON")
    .action(async (inputs: string[], options: CliOptions) => {
      // A missing input is a usage error: exit 1 before any output (or progress bar) appears.
      checkInputsExist(inputs);
      const config = options.config ? loadConfig(options.config) : {};
      const runOptions = await optionsOf(options, config);
      keepLargeBlocksMapped();
      const stop = stopOnSignals();
      const events = new EventEmitter();
      const progress = !options.quiet && !options.json;
      const stopProgress = progress ? showProgress(events) : () => undefined;
      const summary = await convert(
        inputs,
        {
          ...runOptions,
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

/** The commander option of a table option's flag. */
function flagOf(spec: ConvertOption): Option {
  const flag = new Option(spec.flag!, spec.help);
  return spec.required ? flag.makeOptionMandatory() : flag;
}

/**
 * The run's options from the flags, which override the config file, which overrides the defaults
 * (given to valued flags only: a switch left out stays out of the attrs an output stores).
 */
async function optionsOf(flags: CliOptions, config: Config): Promise<Omit<ConvertOptions, "signal" | "command">> {
  const options: Record<string, unknown> = {};
  for (const spec of everyOption()) options[spec.name] = await valueOf(spec, flags, config);
  return options as unknown as Omit<ConvertOptions, "signal" | "command">;
}

/** One option's value from its flag, else the config, else its default when its flag takes a value. */
async function valueOf(spec: ConvertOption, flags: CliOptions, config: Config): Promise<unknown> {
  const given = flags[flagAttribute(spec)];
  if (given !== undefined) return typeof given === "string" && spec.parse ? spec.parse(given, longFlagOf(spec)) : given;
  const configured = spec.configKey === undefined ? undefined : (config as Record<string, unknown>)[spec.configKey];
  if (configured !== undefined) return spec.fromConfig ? spec.fromConfig(configured) : configured;
  return takesValue(spec) ? spec.default : undefined;
}
