// The main job: every entry of every input is classified, converted by its processor and
// written to one HDF5 file, and accounted for in the manifest (written, skipped or failed, with
// the reason). A bad entry fails alone; the run goes on.
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { EventEmitter } from "node:events";
import type { ClassifyOptions } from "../classify";
import { File } from "../h5/file";
import type { Group } from "../h5/group";
import type { H5Object } from "../h5/h5-object";
import type { CreateDatasetOptions } from "../h5/dataset-creation";
import { writeBytes, writeByteStream } from "../processors/bytes";
import { prepare, writePrepared, type Prepared, type PrepareTask } from "./prepare";
import { openSource } from "../sources/open-source";
import type { Source, SourceEntry } from "../sources/source-entry";
import { escapeName } from "../writer/hdf5-names";
import { planEntry, type EntryPlan, type ProcessorName } from "./plan";
import { prepareChecked, quarantine } from "./records";
import type { DatasetLayout } from "../processors/layout";
import { writeSchemaAttrs, type Schema } from "../schema";
import { writeVideo, type MediaInput, type VideoOptions } from "../processors/video";
import { writeAudio, type AudioOptions } from "../processors/audio";
import { Manifest, type ManifestRow } from "../writer/manifest";
import { WriteQueue } from "../writer/write-queue";
import { ForkPool } from "../pool/fork-pool";
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

/** One conversion run: the file, the decoding workers, the manifest. */
interface Run {
  file: File;
  options: ConvertOptions;
  manifest: Manifest;
  events?: EventEmitter;
  /** Worker processes to decode images with (0: in this process). */
  workers: number;
  /** Compression of the datasets written, defaults applied. */
  compression: NonNullable<ConvertOptions["compression"]>;
  /** Group creation takes turns: two entries may need the same new group at once. */
  groupTurns: WriteQueue;
  /** Dataset paths taken by an entry of this run. */
  claimed: Set<string>;
  /** Groups entries were written into lately, by path. */
  groups: Map<string, Group>;
  /** Started at the first image, when workers are wanted. */
  pool: ForkPool | null;
  /** Entries in flight at most (read, decoding, or waiting for the writer). */
  limit: number;
  /** Entry order across inputs, so the manifest lists entries as the inputs do. */
  sequence: number;
  progress: ConvertProgress;
  /** Set when an event listener threw: the run stops. */
  listenerError?: Error;
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

async function convertEntry(run: Run, plan: EntryPlan, bytes: Buffer): Promise<ManifestRow> {
  const { processor, target } = plan;
  const row = { ...plan.row, bytes: bytes.length };
  let owned = false;
  try {
    // Decoding and parsing happen before the writer's turn, in a worker process when there are
    // workers; record checks of a schema rule run here (its validators are functions).
    const task = prepareTask(plan, bytes);
    const checked = plan.records && task ? await prepareChecked(task, plan.records) : null;
    if (checked?.prepared === null) return { ...row, status: "skipped", message: await quarantine(run.file, plan, checked) };
    const prepared = checked ? checked.prepared : task ? await prepareEntry(run, task) : null;
    // Only making groups must take turns (two entries may need the same new group); the
    // datasets themselves are written concurrently, so their compression, which the binding
    // runs outside the HDF5 lock, uses every core.
    const [parent, name] = await claimTarget(run, target);
    owned = true;
    const object = prepared ? await writePrepared(parent, name, prepared, plan.layout) : await write(parent, name, bytes, processor, plan.layout, plan.sourcePath);
    await finishEntry(object, plan, bytes.length);
    const message = checked ? await quarantine(run.file, plan, checked) : "";
    if (processor === "image" && run.options.images === "both") {
      const encodedPath = `${ENCODED_ROOT}${target}`;
      const [encodedParent, encodedName] = await claimTarget(run, encodedPath);
      await (await writeBytes(encodedParent, encodedName, bytes, { compression: plan.layout.compression })).close();
      await object.attrs.set("encoded_path", encodedPath);
    }
    await object.close();
    return { ...row, target, status: "written", message };
  } catch (error) {
    if (owned) await removePartial(run, target);
    return { ...row, message: messageOf(error) };
  }
}

/** A large bytes entry, streamed into its dataset block by block. */
async function streamEntry(run: Run, plan: EntryPlan, head: Buffer, rest: AsyncIterator<Buffer>): Promise<ManifestRow> {
  let bytes = 0;
  let owned = false;
  async function* blocks(): AsyncGenerator<Buffer> {
    bytes += head.length;
    yield head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      bytes += next.value.length;
      yield next.value;
    }
  }
  try {
    const [parent, name] = await claimTarget(run, plan.target);
    owned = true;
    const dataset = await writeByteStream(parent, name, blocks(), plan.layout);
    await finishEntry(dataset, plan, bytes);
    await dataset.close();
    return { ...plan.row, bytes, target: plan.target, status: "written" };
  } catch (error) {
    await rest.return?.();
    if (owned) await removePartial(run, plan.target);
    return { ...plan.row, bytes, message: messageOf(error) };
  }
}

/**
 * A video or audio entry, decoded by ffmpeg as it streams in: from its file when it has one,
 * else from the archive's blocks (through a pipe, or a temporary file for MP4s that need seeking).
 */
async function convertMedia(run: Run, plan: EntryPlan, entry: SourceEntry, head: Buffer, rest: AsyncIterator<Buffer> | null): Promise<ManifestRow> {
  let bytes = entry.size ?? head.length;
  let owned = false;
  async function* blocks(): AsyncGenerator<Buffer> {
    bytes = head.length;
    yield head;
    for (let next = await rest?.next(); next && !next.done; next = await rest!.next()) {
      bytes += next.value.length;
      yield next.value;
    }
  }
  const input: MediaInput = entry.file ? { path: entry.file } : { blocks: blocks(), name: path.posix.basename(entry.sourcePath), head };
  try {
    if (entry.file) await rest?.return?.();
    const [parent, name] = await claimTarget(run, plan.target);
    owned = true;
    const write = plan.processor === "video" ? writeVideo : writeAudio;
    const dataset = await write(parent, name, input, { ...plan.options, signal: run.options.signal }, plan.layout);
    await finishEntry(dataset, plan, bytes);
    await dataset.close();
    return { ...plan.row, bytes, target: plan.target, status: "written" };
  } catch (error) {
    await rest?.return?.();
    if (owned) await removePartial(run, plan.target);
    return { ...plan.row, bytes, message: messageOf(error) };
  }
}

/** The attrs every converted entry carries. */
async function finishEntry(object: H5Object, plan: EntryPlan, size: number): Promise<void> {
  await object.attrs.update(
    { source: plan.row.source, source_path: plan.sourcePath, source_size: size, media_type: plan.kind.mediaType, processor: plan.processor },
    { source_size: { dtype: "int64" } },
  );
}

/** A failed entry leaves nothing behind: what it wrote at the target it claimed is removed. */
async function removePartial(run: Run, target: string): Promise<void> {
  try {
    if (await run.file.has(target)) await run.file.delete(target);
  } catch {
    // Nothing was written, or the file itself failed: the manifest row tells the cause.
  }
}

/** The preparing work of an entry, for processors that have some. */
function prepareTask(plan: EntryPlan, bytes: Buffer): PrepareTask | null {
  const { options } = plan;
  switch (plan.processor) {
    case "image":
      return { processor: "image", bytes, options: { animated: options.animated as boolean | undefined, orientation: options.orientation !== "ignore" } };
    case "json":
    case "jsonl":
      return { processor: plan.processor, bytes };
    case "csv":
      return { processor: "csv", bytes, options: { mode: options.mode as "table" | "kv", delimiter: options.delimiter as string } };
    default:
      return null;
  }
}

/**
 * Runs `task` in a worker process (here when there are none). Even a 1 KiB JSON costs this
 * process, the one writer, less CPU to send and receive than to parse (bench/NOTES.md, "Pool
 * transfer"), so every task goes to the pool.
 */
function prepareEntry(run: Run, task: PrepareTask): Promise<Prepared> {
  if (run.workers <= 0) return prepare(task);
  run.pool ??= new ForkPool({ size: run.workers, batchSize: run.options.batch_chunk_size });
  return run.pool.run(task);
}

/** Where `--images both` keeps the encoded bytes, mirroring the pixel datasets' paths. */
export const ENCODED_ROOT = "/_h5dat/encoded";

/** Writes an entry whose processor has no preparing step. */
function write(parent: Group, name: string, bytes: Buffer, processor: ProcessorName, layout: DatasetLayout, sourcePath: string): Promise<H5Object> {
  if (processor === "hdf5") return copyHdf5(parent, name, bytes, sourcePath);
  return writeBytes(parent, name, bytes, layout);
}

/** An HDF5 input is copied in whole: its tree (root attrs included) becomes the group `name`. */
async function copyHdf5(parent: Group, name: string, bytes: Buffer, sourcePath: string): Promise<H5Object> {
  const image = await File.openImage(bytes, sourcePath);
  try {
    await parent.copy(image, name);
  } finally {
    await image.close();
  }
  return parent.get(name);
}

/**
 * Reserves `target` for one entry and returns its parent group (made if missing) and name. Two
 * entries of one name (an archive may hold both) cannot both have it: the later one fails, and
 * since a target has one owner, a failed entry may remove what it wrote without touching another's.
 */
function claimTarget(run: Run, target: string): Promise<[Group, string]> {
  return run.groupTurns.run(async () => {
    if (run.claimed.has(target)) throw new Error(`'${target}' was already written by an earlier entry of the same name`);
    run.claimed.add(target);
    const slash = target.lastIndexOf("/");
    const parentPath = target.slice(0, slash) || "/";
    let parent = run.groups.get(parentPath);
    if (!parent) {
      parent = await run.file.requireGroup(parentPath);
      // Entries come in directory order, so the recent groups are the ones needed again. A group
      // dropped here closes when collected (or with the file); an entry using it keeps it alive.
      if (run.groups.size >= OPEN_GROUPS) run.groups.delete(run.groups.keys().next().value!);
      run.groups.set(parentPath, parent);
    }
    return [parent, target.slice(slash + 1)];
  });
}

/** Parent groups kept open between entries (each lookup would cost three HDF5 calls). */
const OPEN_GROUPS = 64;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
