// The main job: every entry of every input is classified, converted by its processor and
// written to one HDF5 file, and accounted for in the manifest (written, skipped or failed, with
// the reason). A bad entry fails alone; the run goes on.
import fs from "node:fs";
import os from "node:os";
import { EventEmitter } from "node:events";
import type { ClassifyOptions } from "../classify";
import { File } from "../h5/file";
import type { CreateDatasetOptions } from "../h5/dataset-creation";
import { openSource } from "../sources/open-source";
import type { Source, SourceEntry } from "../sources/source-entry";
import { escapeName } from "../writer/hdf5-names";
import { planEntry } from "./plan";
import { messageOf, type Run } from "./run";
import { convertEntry, convertMedia, streamEntry } from "./write-entry";
import { writeSchemaAttrs, type Schema } from "../schema";
import type { VideoOptions } from "../processors/video";
import type { AudioOptions } from "../processors/audio";
import { Manifest, type ManifestRow } from "../writer/manifest";
import { WriteQueue } from "../writer/write-queue";
import { H5DAT_VERSION } from "../version";
import { hdf5Version } from "../h5/library";

export interface ConvertOptions extends ClassifyOptions {
  /** The HDF5 file to write. */
  output: string;
  /** Replace an existing output (otherwise converting refuses to). */
  overwrite?: boolean;
  /** Compression of byte datasets: "gzip" (level 4), a gzip level, or "none". */
  compression?: CreateDatasetOptions["compression"];
  /** CSV as a typed table (default) or the original tool's key/value strings. */
  csv?: "table" | "kv";
  /**
   * Images as decoded pixels (default), as their encoded bytes (uint8), or both: pixels at the
   * entry's path and the bytes at the same path under /_h5dat/encoded (attr `encoded_path`).
   */
  images?: "pixels" | "encoded" | "both";
  /** Every frame of animated GIF/WebP images as [T, H, W, C] (default: the first frame). */
  animated?: boolean;
  /** Decode animated GIFs as video (the video processor and its options) instead of as images. */
  gif_as_video?: boolean;
  /** Video processor defaults (a schema rule's options go on top). */
  video?: VideoOptions;
  /** Audio processor defaults (a schema rule's options go on top). */
  audio?: AudioOptions;
  /** A loaded --schema: declared groups and attrs, routing rules, record checks. */
  schema?: Schema;
  /**
   * Worker processes decoding images and parsing JSON/CSV (default: the number of cores; 0 does
   * everything in this process).
   */
  workers?: number;
  /**
   * Entries in flight at most between reading, decoding and writing (default 4 × workers ×
   * batch_chunk_size, at least 8: fewer left workers waiting in P3). Their data is also capped.
   */
  batch_process_limit?: number;
  /** Entries sent to a worker in one message (default 1). */
  batch_chunk_size?: number;
  /**
   * Stops the run: no new entry is read, video/audio in progress is cut off (its entry fails),
   * the rest in flight is written, the manifest too, and the file stays as <output>.partial.
   */
  signal?: AbortSignal;
  /** What to record as the command in the root attrs (the CLI passes its argv). */
  command?: string;
}

export interface ConvertSummary {
  /** The file written: the output, or its .partial when the run was interrupted. */
  output: string;
  /** The run was stopped by `signal`: entries not yet read are not in the manifest. */
  interrupted: boolean;
  entries: number;
  written: number;
  skipped: number;
  failed: number;
  bytes: number;
  seconds: number;
  filesPerSecond: number;
  megabytesPerSecond: number;
  /** This process's peak RSS (MB). */
  peakRssMb: number;
  /** The worker processes' peak RSS (MB), summed. */
  workersPeakRssMb: number;
  /** The rows that failed, with their messages. */
  failures: ManifestRow[];
}

/** How far a run is, measured in input bytes (an archive's compressed bytes): the basis of an ETA. */
export interface ConvertProgress {
  /** Input bytes read so far, over all inputs. */
  inputBytesRead: number;
  /** Input bytes in all (the sizes of the archives, directories and files given). */
  inputBytesTotal: number;
}

/** Progress: one event per entry, as its manifest row, with the run's progress then. */
export interface ConvertEvents {
  entry: [ManifestRow, ConvertProgress];
}

/** Converts `inputs` (directories, files, archives) into `options.output`. */
export async function convert(inputs: string[], options: ConvertOptions, events?: EventEmitter): Promise<ConvertSummary> {
  if (inputs.length === 0) throw new Error("convert needs at least one input");
  if (fs.existsSync(options.output) && !options.overwrite) {
    throw new Error(`output '${options.output}' exists: pass --overwrite (overwrite: true) to replace it`);
  }
  const started = performance.now();
  const manifest = new Manifest();
  // The file is written as <output>.partial and renamed only at a clean end: a crash or a fatal
  // error never leaves a half-written file under the output's name (an old one stays intact).
  const partial = partialPathOf(options.output);
  const file = await File.open(partial, "w");
  const sources: (Source | Error)[] = [];
  let workersPeakRssMb = 0;
  const workers = options.workers ?? os.availableParallelism();
  const run: Run = {
    file, options, manifest, events, workers,
    compression: options.compression ?? "gzip",
    groupTurns: new WriteQueue(),
    claimed: new Set(),
    groups: new Map(),
    pool: null,
    limit: options.batch_process_limit ?? Math.max(8, 4 * workers * (options.batch_chunk_size ?? 1)),
    sequence: 0,
    progress: { inputBytesRead: 0, inputBytesTotal: 0 },
  };
  try {
    await writeRootAttrs(file, inputs, options);
    if (options.schema) await writeSchemaAttrs(file, options.schema);
    // Every input is opened first: their sizes make the total that progress is measured against.
    for (const input of inputs) sources.push(await openSource(input).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
    run.progress.inputBytesTotal = sources.reduce((sum, source) => sum + (source instanceof Error ? 0 : source.size), 0);
    for (const [i, source] of sources.entries()) {
      if (options.signal?.aborted) break;
      await convertInput(run, inputs[i], source);
      if (run.listenerError) throw run.listenerError;
    }
    await manifest.write(file);
  } finally {
    for (const source of sources) if (!(source instanceof Error)) await source.close();
    workersPeakRssMb = (await run.pool?.close()) ?? 0;
    await file.close();
  }
  const interrupted = options.signal?.aborted === true;
  if (!interrupted) await fs.promises.rename(partial, options.output);
  const seconds = (performance.now() - started) / 1000;
  const counts = manifest.counts();
  const bytes = manifest.all.reduce((sum, row) => sum + row.bytes, 0);
  return {
    output: interrupted ? partial : options.output,
    interrupted,
    entries: manifest.all.length,
    ...counts,
    bytes,
    seconds,
    filesPerSecond: manifest.all.length / seconds,
    megabytesPerSecond: bytes / 1e6 / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    workersPeakRssMb,
    failures: manifest.all.filter((row) => row.status === "failed"),
  };
}

/** Where a conversion writes until it ends cleanly. */
export function partialPathOf(output: string): string {
  return `${output}.partial`;
}

async function writeRootAttrs(file: File, inputs: string[], options: ConvertOptions): Promise<void> {
  await file.attrs.set("h5dat_version", H5DAT_VERSION);
  await file.attrs.set("hdf5_version", hdf5Version());
  await file.attrs.set("created", new Date().toISOString());
  await file.attrs.set("inputs", inputs);
  await file.attrs.set("command", options.command ?? `convert ${inputs.join(" ")}`);
  const { output, overwrite, compression, csv, images, animated, workers, batch_process_limit, batch_chunk_size, image_extensions, video_extensions, allowed_types, gif_as_video, video, audio } = options;
  const recorded = { output, overwrite, compression, csv, images, animated, workers, batch_process_limit, batch_chunk_size, image_extensions, video_extensions, allowed_types, gif_as_video, video, audio, schema: options.schema?.file };
  await file.attrs.set("options", JSON.stringify(recorded));
}

async function convertInput(run: Run, input: string, source: Source | Error): Promise<void> {
  const record = (row: ManifestRow, order: number) => {
    run.manifest.add(row, order);
    try {
      run.events?.emit("entry", row, { ...run.progress });
    } catch (error) {
      // A listener's error is the caller's: it ends the run (convert rejects with it), after the
      // entries in flight are accounted for.
      run.listenerError ??= error instanceof Error ? error : new Error(String(error));
    }
  };
  if (source instanceof Error) {
    record(inputFailure(input, source), run.sequence++);
    return;
  }
  const inputStart = run.progress.inputBytesRead;
  const pending = new Set<Promise<void>>();
  let bytesInFlight = 0;
  try {
    if (source.groupName !== "") {
      const root = await run.groupTurns.run(() => run.file.requireGroup(escapeName(source.groupName)));
      await root.attrs.set("source", input);
    }
    // Entries are read one after another (an archive is a sequence) and then converted
    // concurrently: decoding in the workers, writing through this process's HDF5 file. At most
    // `limit` entries and about IN_FLIGHT_BYTES of their data are held at once.
    let index = 0;
    for await (const entry of source.entries()) {
      if (run.listenerError || run.options.signal?.aborted) break;
      const order = run.sequence++;
      run.progress.inputBytesRead = inputStart + entry.position;
      const read = await readEntry(entry).catch((error: unknown) => ({ error }));
      if ("error" in read) {
        record(entryFailure(entry, read.error), order);
        continue;
      }
      const plan = planEntry(run.options, run.compression, source.groupName, entry, read.head, index++);
      if ("done" in plan) {
        await read.rest?.return?.();
        record(plan.done, order);
        continue;
      }
      if (plan.processor === "video" || plan.processor === "audio") {
        // Media stream through ffmpeg now, frames into the dataset as they come.
        record(await convertMedia(run, plan, entry, read.head, read.rest), order);
        continue;
      }
      if (read.rest && plan.processor === "bytes") {
        // Too large to hold: bytes stream into their dataset now, before the next entry is read.
        // Other processors need the whole entry, and read the rest of it.
        record(await streamEntry(run, plan, read.head, read.rest), order);
        continue;
      }
      const bytes = read.rest ? await readRest(read.head, read.rest).catch((error: unknown) => error as Error) : read.head;
      if (bytes instanceof Error) {
        record({ ...plan.row, message: messageOf(bytes) }, order);
        continue;
      }
      bytesInFlight += bytes.length;
      const task = convertEntry(run, plan, bytes).then((row) => record(row, order));
      pending.add(task);
      void task.finally(() => {
        pending.delete(task);
        bytesInFlight -= bytes.length;
      });
      while (pending.size >= run.limit || (pending.size > 0 && bytesInFlight >= IN_FLIGHT_BYTES)) await Promise.race(pending);
    }
  } catch (error) {
    // The input itself broke (a truncated archive): what was read stays; the rest is one failure.
    record(inputFailure(input, error), run.sequence++);
  } finally {
    await Promise.all(pending);
    await source.close();
    run.progress.inputBytesRead = inputStart + source.size;
  }
}

/** Entries up to this size are read whole and converted concurrently; larger ones stream. */
const WHOLE_ENTRY_BYTES = 8 << 20;
/** Data of entries read but not yet written, at most (one larger entry may exceed it alone). */
const IN_FLIGHT_BYTES = 128 << 20;

/** An entry's first WHOLE_ENTRY_BYTES (all of it when smaller), and its remaining blocks. */
async function readEntry(entry: SourceEntry): Promise<{ head: Buffer; rest: AsyncIterator<Buffer> | null }> {
  const blocks = entry.blocks()[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  while (size < WHOLE_ENTRY_BYTES) {
    const next = await blocks.next();
    if (next.done) return { head: parts.length === 1 ? parts[0] : Buffer.concat(parts), rest: null };
    parts.push(next.value);
    size += next.value.length;
  }
  return { head: Buffer.concat(parts), rest: blocks };
}

async function readRest(head: Buffer, rest: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts = [head];
  for (let next = await rest.next(); !next.done; next = await rest.next()) parts.push(next.value);
  return Buffer.concat(parts);
}

/** The manifest row of an input that could not be read (missing, or a broken archive). */
function inputFailure(input: string, error: unknown): ManifestRow {
  return { source: input, source_path: "", target: "", status: "failed", bytes: 0, processor: "", message: messageOf(error) };
}

function entryFailure(entry: SourceEntry, error: unknown): ManifestRow {
  return { source: entry.source, source_path: entry.sourcePath, target: "", status: "failed", bytes: entry.size ?? 0, processor: "", message: messageOf(error) };
}

