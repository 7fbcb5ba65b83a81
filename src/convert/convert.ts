// The main job: every entry of every input is classified, converted by its processor and
// written to one HDF5 file, and accounted for in the manifest (written, skipped or failed, with
// the reason). A bad entry fails alone; the run goes on.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EventEmitter } from "node:events";
import { classify, decide, HEAD_BYTES, type Classification, type ClassifyOptions } from "../classify";
import { File } from "../h5/file";
import type { Group } from "../h5/group";
import type { H5Object } from "../h5/h5-object";
import type { CreateDatasetOptions } from "../h5/dataset-creation";
import { writeBytes } from "../processors/bytes";
import { csvDelimiterFor, writeCsv } from "../processors/csv";
import { decodeImage, writeDecodedImage, type DecodedImage } from "../processors/image";
import { writeJson } from "../processors/json";
import { openSource } from "../sources/open-source";
import type { SourceEntry } from "../sources/source-entry";
import { datasetPathOf, escapeName } from "../writer/hdf5-names";
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
  /** Worker processes decoding images (default: the number of cores; 0 decodes in this process). */
  workers?: number;
  /** Entries in flight at most between reading, decoding and writing (default 2 × workers). */
  batch_process_limit?: number;
  /** What to record as the command in the root attrs (the CLI passes its argv). */
  command?: string;
}

export interface ConvertSummary {
  output: string;
  entries: number;
  written: number;
  skipped: number;
  failed: number;
  bytes: number;
  seconds: number;
  filesPerSecond: number;
  megabytesPerSecond: number;
  peakRssMb: number;
  /** The rows that failed, with their messages. */
  failures: ManifestRow[];
}

/** Progress: one event per entry, as its manifest row. */
export interface ConvertEvents {
  entry: [ManifestRow];
}

/** Converts `inputs` (directories, files, archives) into `options.output`. */
export async function convert(inputs: string[], options: ConvertOptions, events?: EventEmitter): Promise<ConvertSummary> {
  if (inputs.length === 0) throw new Error("convert needs at least one input");
  if (fs.existsSync(options.output) && !options.overwrite) {
    throw new Error(`output '${options.output}' exists: pass --overwrite (overwrite: true) to replace it`);
  }
  const started = performance.now();
  const manifest = new Manifest();
  const file = await File.open(options.output, "w");
  const workers = options.workers ?? os.availableParallelism();
  const run: Run = {
    file, options, manifest, events, workers,
    compression: options.compression ?? "gzip",
    groupTurns: new WriteQueue(),
    pool: null,
    limit: options.batch_process_limit ?? Math.max(2, 2 * workers),
    sequence: 0,
  };
  try {
    await writeRootAttrs(file, inputs, options);
    for (const input of inputs) await convertInput(run, input);
    await manifest.write(file);
  } finally {
    await run.pool?.close();
    await file.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const counts = manifest.counts();
  const bytes = manifest.all.reduce((sum, row) => sum + row.bytes, 0);
  return {
    output: options.output,
    entries: manifest.all.length,
    ...counts,
    bytes,
    seconds,
    filesPerSecond: manifest.all.length / seconds,
    megabytesPerSecond: bytes / 1e6 / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    failures: manifest.all.filter((row) => row.status === "failed"),
  };
}

async function writeRootAttrs(file: File, inputs: string[], options: ConvertOptions): Promise<void> {
  await file.attrs.set("h5dat_version", H5DAT_VERSION);
  await file.attrs.set("hdf5_version", hdf5Version());
  await file.attrs.set("created", new Date().toISOString());
  await file.attrs.set("inputs", inputs);
  await file.attrs.set("command", options.command ?? `convert ${inputs.join(" ")}`);
  const { output, overwrite, compression, csv, images, animated, workers, batch_process_limit, image_extensions, video_extensions, allowed_types } = options;
  await file.attrs.set("options", JSON.stringify({ output, overwrite, compression, csv, images, animated, workers, batch_process_limit, image_extensions, video_extensions, allowed_types }));
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
  /** Started at the first image, when workers are wanted. */
  pool: ForkPool | null;
  /** Entries in flight at most (read, decoding, or waiting for the writer). */
  limit: number;
  /** Entry order across inputs, so the manifest lists entries as the inputs do. */
  sequence: number;
}

async function convertInput(run: Run, input: string): Promise<void> {
  const record = (row: ManifestRow, order: number) => {
    run.manifest.add(row, order);
    run.events?.emit("entry", row);
  };
  let source;
  try {
    source = await openSource(input);
  } catch (error) {
    record(inputFailure(input, error), run.sequence++);
    return;
  }
  const pending = new Set<Promise<void>>();
  try {
    if (source.groupName !== "") {
      const root = await run.groupTurns.run(() => run.file.requireGroup(escapeName(source.groupName)));
      await root.attrs.set("source", input);
    }
    // Entries are read one after another (an archive is a sequence) and then converted
    // concurrently: decoding in the workers, writing through this process's HDF5 file.
    for await (const entry of source.entries()) {
      const order = run.sequence++;
      const read = await entry.readAll().then((bytes) => ({ bytes }), (error: unknown) => ({ error }));
      const task = convertEntry(run, source.groupName, entry, read).then((row) => record(row, order));
      pending.add(task);
      void task.finally(() => pending.delete(task));
      if (pending.size >= run.limit) await Promise.race(pending);
    }
  } catch (error) {
    // The input itself broke (a truncated archive): what was read stays; the rest is one failure.
    record(inputFailure(input, error), run.sequence++);
  } finally {
    await Promise.all(pending);
    await source.close();
  }
}

/** The manifest row of an input that could not be read (missing, or a broken archive). */
function inputFailure(input: string, error: unknown): ManifestRow {
  return { source: input, source_path: "", target: "", status: "failed", bytes: 0, processor: "", message: messageOf(error) };
}

async function convertEntry(run: Run, groupName: string, entry: SourceEntry, read: { bytes: Buffer } | { error: unknown }): Promise<ManifestRow> {
  const { options } = run;
  const target = datasetPathOf(groupName, entry.sourcePath);
  const row: ManifestRow = { source: entry.source, source_path: entry.sourcePath, target: "", status: "failed", bytes: entry.size ?? 0, processor: "", message: "" };
  if ("error" in read) return { ...row, message: messageOf(read.error) };
  const { bytes } = read;
  row.bytes = bytes.length;
  const kind = classify(path.posix.basename(entry.sourcePath), bytes.subarray(0, HEAD_BYTES), options);
  const decision = decide(kind, options);
  if (decision.action === "skip") return { ...row, status: "skipped", message: decision.reason ?? "skipped" };
  const processor = processorFor(kind, options);
  row.processor = processor;
  try {
    // Decoding happens before the writer's turn, in a worker process when there are workers.
    const image = processor === "image" ? await decode(run, bytes) : undefined;
    // Only making groups must take turns (two entries may need the same new group); the
    // datasets themselves are written concurrently, so their compression, which the binding
    // runs outside the HDF5 lock, uses every core.
    const [parent, name] = await run.groupTurns.run(() => parentOf(run.file, target));
    const object = processor === "image" ? await writeDecodedImage(parent, name, image!, run.compression) : await write(run, parent, name, bytes, kind, processor, entry.sourcePath);
    await object.attrs.set("source", entry.source);
    await object.attrs.set("source_path", entry.sourcePath);
    await object.attrs.set("source_size", bytes.length, { dtype: "int64" });
    await object.attrs.set("media_type", kind.mediaType);
    await object.attrs.set("processor", processor);
    if (processor === "image" && options.images === "both") {
      const encodedPath = `${ENCODED_ROOT}${target}`;
      const [encodedParent, encodedName] = await run.groupTurns.run(() => parentOf(run.file, encodedPath));
      await (await writeBytes(encodedParent, encodedName, bytes, run.compression)).close();
      await object.attrs.set("encoded_path", encodedPath);
    }
    await object.close();
    return { ...row, target, status: "written" };
  } catch (error) {
    return { ...row, message: messageOf(error) };
  }
}

function decode(run: Run, bytes: Buffer): Promise<DecodedImage> {
  if (run.workers <= 0) return decodeImage(bytes, { animated: run.options.animated });
  run.pool ??= new ForkPool({ size: run.workers });
  return run.pool.decodeImage(bytes, { animated: run.options.animated });
}

/** Where `--images both` keeps the encoded bytes, mirroring the pixel datasets' paths. */
export const ENCODED_ROOT = "/_h5dat/encoded";

type ProcessorName = "json" | "jsonl" | "csv" | "image" | "hdf5" | "bytes";

function processorFor(kind: Classification, options: ConvertOptions): ProcessorName {
  if (kind.category === "json" || kind.category === "jsonl" || kind.category === "csv") return kind.category;
  if (kind.category === "tsv") return "csv";
  if (kind.category === "hdf5") return "hdf5";
  if (kind.category === "image") return options.images === "encoded" ? "bytes" : "image";
  // A file named as JSON that does not parse fails with the parser's message (line, column)
  // instead of being kept quietly as bytes.
  if (kind.category === "bytes" && (kind.nameExtension === "json" || kind.nameExtension === "jsonl" || kind.nameExtension === "ndjson")) {
    return kind.nameExtension === "json" ? "json" : "jsonl";
  }
  return "bytes";
}

function write(run: Run, parent: Group, name: string, bytes: Buffer, kind: Classification, processor: Exclude<ProcessorName, "image">, sourcePath: string): Promise<H5Object> {
  switch (processor) {
    case "json":
    case "jsonl":
      return writeJson(parent, name, bytes, { jsonl: processor === "jsonl" });
    case "csv":
      return writeCsv(parent, name, bytes, { mode: run.options.csv ?? "table", delimiter: kind.category === "tsv" ? "\t" : csvDelimiterFor(sourcePath) });
    case "hdf5":
      return copyHdf5(parent, name, bytes, sourcePath);
    case "bytes":
      return writeBytes(parent, name, bytes, run.compression);
  }
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

async function parentOf(file: File, target: string): Promise<[Group, string]> {
  const slash = target.lastIndexOf("/");
  return [await file.requireGroup(target.slice(0, slash) || "/"), target.slice(slash + 1)];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
