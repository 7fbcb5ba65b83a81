// Where a conversion writes: always <output>.partial, renamed to the output only at a clean end.
// It is a new file; or the .partial an interrupted run left (--resume), whose written entries
// are kept; or the finished output itself, renamed to .partial while inputs are added (--append).
// The file records its run (/_h5dat attrs run_inputs, run_first_entry, run_options, in_flight)
// at every checkpoint, so a resumed run can tell where the last one stood.
import fs from "node:fs";
import path from "node:path";
import { File } from "../h5/file";
import { hdf5Version } from "../h5/library";
import { H5DAT_VERSION } from "../version";
import { dropQuarantined, H5DAT_GROUP } from "../schema";
import { readStoredRows, type StoredRow } from "../writer/manifest";
import type { ConvertOptions } from "./convert";
import { messageOf } from "../error-message";

export interface OutputFile {
  file: File;
  /** The path written: <output>.partial. */
  partial: string;
  /** How it was opened. */
  start: "new" | "resume" | "append";
  /** The number of this run's first entry: 0, or after the entries of the file appended to. */
  firstEntry: number;
  /** Manifest rows in the file to keep: earlier runs' rows, and this run's done entries (resume). */
  stored: StoredRow[];
}

/** Where a conversion writes until it ends cleanly. */
export function partialPathOf(output: string): string {
  return `${output}.partial`;
}

/** Opens (or creates) the .partial for a run of `inputs` into `options.output`. */
export async function openOutput(inputs: string[], options: ConvertOptions): Promise<OutputFile> {
  const { output } = options;
  await checkWritableDirectory(output);
  const partial = partialPathOf(output);
  if (options.resume && fs.existsSync(partial)) return resume(partial, inputs, options);
  if (fs.existsSync(partial) && !options.overwrite) {
    throw new Error(`'${partial}' is left from an interrupted run: pass --resume (resume: true) to continue it, or --overwrite to start again`);
  }
  if (options.append && fs.existsSync(output)) return append(output, partial, inputs, options);
  if (fs.existsSync(output) && !options.overwrite) {
    throw new Error(`output '${output}' exists: pass --overwrite (overwrite: true) to replace it, or --append to add to it`);
  }
  // Made under another name and renamed once flushed: a .partial always opens, even when the
  // run is killed at its very start.
  const fresh = `${partial}.new`;
  const made = await File.open(fresh, "w", { checkpoints: true });
  try {
    await writeRootAttrs(made, inputs, options);
    await recordRun(made, inputs, options, 0);
  } finally {
    await made.close();
  }
  await fs.promises.rename(fresh, partial);
  const file = await File.open(partial, "r+", { checkpoints: true });
  return { file, partial, start: "new", firstEntry: 0, stored: [] };
}

/** HDF5 says only "unable to open file": the cause, said before anything is written. */
async function checkWritableDirectory(output: string): Promise<void> {
  const directory = path.dirname(path.resolve(output));
  const stat = await fs.promises.stat(directory).catch(() => null);
  if (!stat) throw new Error(`cannot write '${output}': directory '${directory}' does not exist`);
  if (!stat.isDirectory()) throw new Error(`cannot write '${output}': '${directory}' is not a directory`);
  await fs.promises.access(directory, fs.constants.W_OK).catch(() => {
    throw new Error(`cannot write '${output}': directory '${directory}' is not writable`);
  });
}

/** What a file made by convert says about itself: versions, when, from what, how. */
async function writeRootAttrs(file: File, inputs: string[], options: ConvertOptions): Promise<void> {
  await file.attrs.set("h5dat_version", H5DAT_VERSION);
  await file.attrs.set("hdf5_version", hdf5Version());
  await file.attrs.set("created", new Date().toISOString());
  await file.attrs.set("inputs", inputs);
  await file.attrs.set("command", options.command ?? `convert ${inputs.join(" ")}`);
  const { output, overwrite, compression, csv, images, animated, workers, batch_process_limit, batch_chunk_size, image_extensions, video_extensions, allowed_types, gif_as_video, video, audio, max_entry_bytes, max_ratio, max_pixels, max_csv_field, on_error, truncated_images } = options;
  const recorded = { output, overwrite, compression, csv, images, animated, workers, batch_process_limit, batch_chunk_size, image_extensions, video_extensions, allowed_types, gif_as_video, video, audio, max_entry_bytes, max_ratio, max_pixels, max_csv_field, on_error, truncated_images, schema: options.schema?.file };
  await file.attrs.set("options", JSON.stringify(recorded));
}

/** The run a .partial records. */
interface RecordedRun {
  inputs: string[];
  firstEntry: number;
  options: Record<string, unknown>;
  /** Targets claimed by entries not finished at the last checkpoint. */
  inFlight: string[];
}

async function recordRun(file: File, inputs: string[], options: ConvertOptions, firstEntry: number): Promise<void> {
  const own = await file.requireGroup(H5DAT_GROUP);
  await own.attrs.update({
    run_inputs: JSON.stringify(inputs),
    run_first_entry: firstEntry,
    run_options: JSON.stringify(outcomeOptions(options)),
    in_flight: "[]",
  }, { run_first_entry: { dtype: "int64" } });
  await own.close();
}

/** Records the targets of the entries in flight (at a checkpoint). */
export async function recordInFlight(file: File, targets: Iterable<string>): Promise<void> {
  const own = await file.requireGroup(H5DAT_GROUP);
  await own.attrs.set("in_flight", JSON.stringify([...targets]));
  await own.close();
}

async function readRun(file: File, partial: string): Promise<RecordedRun> {
  const own = (await file.has(H5DAT_GROUP)) ? await file.requireGroup(H5DAT_GROUP) : null;
  const text = async (name: string) => (own ? await own.attrs.find(name) : undefined);
  const [inputs, firstEntry, options, inFlight] = await Promise.all([text("run_inputs"), text("run_first_entry"), text("run_options"), text("in_flight")]);
  await own?.close();
  if (inputs === undefined || firstEntry === undefined) {
    throw new Error(`'${partial}' records no run to resume (not left by an interrupted convert)`);
  }
  return {
    inputs: JSON.parse(String(inputs)) as string[],
    firstEntry: Number(firstEntry),
    options: JSON.parse(String(options ?? "{}")) as Record<string, unknown>,
    inFlight: JSON.parse(String(inFlight ?? "[]")) as string[],
  };
}

/**
 * Continues an interrupted run: the same inputs and the same options that shape the output are
 * required. Its written and skipped entries are kept; failed ones are done again (an entry cut
 * off by Ctrl-C failed); what entries in flight at the last checkpoint had written is removed.
 */
async function resume(partial: string, inputs: string[], options: ConvertOptions): Promise<OutputFile> {
  const file = await File.open(partial, "r+", { checkpoints: true }).catch((error: unknown) => {
    throw new Error(`cannot resume '${partial}': ${messageOf(error)} (start again with --overwrite)`);
  });
  try {
    const run = await readRun(file, partial);
    if (JSON.stringify(run.inputs) !== JSON.stringify(inputs)) {
      throw new Error(`cannot resume '${partial}': it was made from ${JSON.stringify(run.inputs)}, not ${JSON.stringify(inputs)}`);
    }
    const changed = changedOptions(run.options, outcomeOptions(options));
    if (changed.length > 0) throw new Error(`cannot resume '${partial}': options changed since it was started (${changed.join(", ")})`);
    const stored = (await readStoredRows(file)) ?? [];
    const redo = new Set(run.inFlight);
    for (const { entry, row } of stored) if (entry >= run.firstEntry && row.status === "failed" && row.target) redo.add(row.target);
    for (const target of run.inFlight) if (await file.has(target)) await file.delete(target);
    await dropQuarantined(file, redo);
    const kept = stored.filter(({ entry, row }) => entry < run.firstEntry || row.status !== "failed");
    return { file, partial, start: "resume", firstEntry: run.firstEntry, stored: kept };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** Adds to a finished output: renamed to .partial for the run, back at its end. */
async function append(output: string, partial: string, inputs: string[], options: ConvertOptions): Promise<OutputFile> {
  await fs.promises.rename(output, partial);
  const file = await File.open(partial, "r+", { checkpoints: true });
  try {
    const stored = (await readStoredRows(file)) ?? [];
    const firstEntry = stored.reduce((max, { entry }) => Math.max(max, entry + 1), 0);
    const earlier = await file.attrs.find("inputs");
    await file.attrs.set("inputs", [...(Array.isArray(earlier) ? earlier.map(String) : []), ...inputs]);
    const appended = await file.attrs.find("appended");
    await file.attrs.set("appended", [...(Array.isArray(appended) ? appended.map(String) : []), `${new Date().toISOString()} ${options.command ?? `convert --append ${inputs.join(" ")}`}`]);
    await recordRun(file, inputs, options, firstEntry);
    return { file, partial, start: "append", firstEntry, stored };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** Options that change what is written (not how fast): a resumed run must keep them. */
export function outcomeOptions(options: ConvertOptions): Record<string, unknown> {
  const { image_extensions, video_extensions, allowed_types, video, audio, max_entry_bytes, max_ratio, max_pixels, max_csv_field } = options;
  // Defaults applied, so that leaving an option out and giving its default compare equal.
  const gzipLevel = options.compression === undefined || options.compression === "gzip" ? 4 : options.compression;
  const outcome = {
    compression: gzipLevel === null || gzipLevel === "none" ? "none" : `gzip:${gzipLevel}`,
    csv: options.csv ?? "table",
    images: options.images ?? "pixels",
    animated: options.animated ?? false,
    gif_as_video: options.gif_as_video ?? false,
    on_error: options.on_error ?? "keep",
    truncated_images: options.truncated_images ?? false,
    image_extensions, video_extensions, allowed_types, video, audio, max_entry_bytes, max_ratio, max_pixels, max_csv_field,
    schema: options.schema?.file,
  };
  return JSON.parse(JSON.stringify(outcome)) as Record<string, unknown>;
}

function changedOptions(before: Record<string, unknown>, now: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(now)]);
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(now[key])).sort();
}
