// Writing one entry, by its plan: prepared (in a worker, or here) and written whole; streamed
// into its dataset when large; or decoded by ffmpeg as it streams in (video, audio). Each returns
// the entry's manifest row; a failure is the row's message, and leaves nothing behind.
import fs from "node:fs";
import path from "node:path";
import { File } from "../h5/file";
import type { Group } from "../h5/group";
import type { AttributeSet } from "../h5/attrs";
import type { H5Object } from "../h5/h5-object";
import { writeBytes, writeByteStream } from "../processors/bytes";
import type { DatasetLayout } from "../processors/layout";
import { writeAudio } from "../processors/audio";
import { imageOptionsFrom } from "../processors/image";
import { ImageDecodeError, writeImageStrips, type StripPlan } from "../processors/image-strips";
import { writeVideo, type MediaInput } from "../processors/video";
import { ForkPool } from "../pool/fork-pool";
import { releasePixels } from "../pool/shared-pixels";
import type { SourceEntry } from "../sources/source-entry";
import { headThenRest } from "../sources/entry-head";
import { hdf5SignatureOffset } from "../classify/magic";
import type { ManifestRow } from "../output/manifest";
import type { EntryPlan, ProcessorName } from "./plan";
import { prepare, writePrepared, type Prepared, type PrepareTask } from "./prepare";
import { prepareChecked, quarantine } from "./records";
import { claimTarget, removePartial, type Run } from "./run";
import { messageOf } from "../error-message";
import { joinMessages } from "./entry-checks";
import { keepsAsBytes, keptAsBytesMessage } from "./fallback";

/** An entry read whole; `strips`: a large image's plan, to decode it here as it is written (memory.ts). */
export async function convertEntry(run: Run, plan: EntryPlan, bytes: Buffer, strips: StripPlan | null = null): Promise<ManifestRow> {
  const { processor, target } = plan;
  const row = { ...plan.row, bytes: bytes.length };
  let place: [Group, string] | null = null;
  // Only the processor's own work (decoding, parsing, copying an HDF5 input) may fail over to
  // the bytes: a name taken twice, or a write of the file that failed, is the entry's failure.
  let processing = true;
  let prepared: Prepared | null = null;
  try {
    // Decoding and parsing happen before the writer's turn, in a worker process when there are
    // workers; record checks of a schema rule run here (its validators are functions).
    const task = strips ? null : prepareTask(plan, bytes);
    const checked = plan.records && task ? await prepareChecked(task, plan.records) : null;
    if (checked?.prepared === null) return { ...row, status: "skipped", message: await quarantine(run.file, plan, checked) };
    prepared = checked ? checked.prepared : task ? await prepareEntry(run, task) : null;
    // Only making groups must take turns (two entries may need the same new group); the
    // datasets themselves are written concurrently, so their compression, which the binding
    // runs outside the HDF5 lock, uses every core.
    processing = false;
    place = await claimTarget(run, target);
    const [parent, name] = place;
    let object: H5Object;
    let notes: string[] = [];
    if (prepared) {
      // The entry's attrs go with its dataset, in one native call.
      object = await writePrepared(parent, name, prepared, plan.layout, entryAttrs(plan, bytes.length));
    } else if (strips) {
      object = await writeImageStrips(parent, name, strips, plan.layout, entryAttrs(plan, bytes.length));
    } else {
      processing = processor === "hdf5";
      ({ object, notes } = await write(parent, name, bytes, processor, plan.layout, plan.sourcePath));
      processing = false;
      await finishEntry(object, plan, bytes.length);
    }
    const message = joinMessages(checked ? await quarantine(run.file, plan, checked) : "", outsideStorageMessage(notes));
    if (processor === "image" && run.options.images === "both") {
      const encodedPath = `${ENCODED_ROOT}${target}`;
      const [encodedParent, encodedName] = await claimTarget(run, encodedPath);
      await (await writeBytes(encodedParent, encodedName, bytes, { compression: plan.layout.compression })).close();
      await object.attrs.set("encoded_path", encodedPath);
    }
    await object.close();
    return { ...row, target, status: "written", message: joinMessages(message, plan.row.message) };
  } catch (error) {
    if (place) await removePartial(run, target);
    const decoding = processing || error instanceof ImageDecodeError;
    if (decoding && keepsAsBytes(run.options.on_error, error, run.options.signal)) return keepBytes(run, plan, place, bytes, bytes.length, messageOf(error));
    return { ...row, message: joinMessages(messageOf(error), plan.row.message) };
  } finally {
    // Pixels mapped from a worker's file are unmapped, written or not, and the file goes back to it.
    if (prepared) releasePixels(prepared);
  }
}

/**
 * Writes an entry its processor failed on as its original bytes (`bytes`, or blocks streamed in)
 * at its target, claimed here unless `place` holds it already; returns its manifest row.
 */
async function keepBytes(run: Run, plan: EntryPlan, place: [Group, string] | null, bytes: Uint8Array | (() => AsyncIterable<Buffer>), size: number, reason: string): Promise<ManifestRow> {
  const row = { ...plan.row, bytes: size };
  let claimed = place !== null;
  try {
    const [parent, name] = place ?? (await claimTarget(run, plan.target));
    claimed = true;
    const layout = { compression: plan.layout.compression };
    const dataset = bytes instanceof Uint8Array ? await writeBytes(parent, name, bytes, layout) : await writeByteStream(parent, name, bytes(), layout);
    const { values, options } = entryAttrs(plan, size);
    await dataset.attrs.update({ ...values, processor: "bytes", fallback_reason: reason }, options);
    await dataset.close();
    return { ...row, target: plan.target, status: "written", message: joinMessages(keptAsBytesMessage(reason), plan.row.message) };
  } catch (error) {
    if (claimed) await removePartial(run, plan.target);
    return { ...row, message: joinMessages(reason, `not kept as bytes either: ${messageOf(error)}`, plan.row.message) };
  }
}

/** A large bytes entry, streamed into its dataset block by block. */
export async function streamEntry(run: Run, plan: EntryPlan, head: Buffer, rest: AsyncIterator<Buffer>): Promise<ManifestRow> {
  let bytes = 0;
  let owned = false;
  const blocks = () => headThenRest(head, rest, (total) => (bytes = total));
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
    return { ...plan.row, bytes, message: joinMessages(messageOf(error), plan.row.message) };
  }
}

/**
 * A video or audio entry, decoded by ffmpeg as it streams in: from its file when it has one,
 * else from the archive's blocks (through a pipe, or a temporary file for MP4s that need seeking).
 */
export async function convertMedia(run: Run, plan: EntryPlan, entry: SourceEntry, head: Buffer, rest: AsyncIterator<Buffer> | null): Promise<ManifestRow> {
  let bytes = entry.size ?? head.length;
  const blocks = () => headThenRest(head, rest, (total) => (bytes = total));
  const input: MediaInput = entry.file ? { path: entry.file } : { blocks: blocks(), name: path.posix.basename(entry.sourcePath), head };
  let place: [Group, string] | null = null;
  try {
    if (entry.file) await rest?.return?.();
    place = await claimTarget(run, plan.target);
    const [parent, name] = place;
    const write = plan.processor === "video" ? writeVideo : writeAudio;
    const dataset = await write(parent, name, input, { ...plan.options, signal: run.options.signal }, plan.layout);
    await finishEntry(dataset, plan, bytes);
    await dataset.close();
    return { ...plan.row, bytes, target: plan.target, status: "written" };
  } catch (error) {
    await rest?.return?.();
    if (place) await removePartial(run, plan.target);
    const reason = messageOf(error);
    if (place && keepsAsBytes(run.options.on_error, error, run.options.signal)) {
      // The bytes ffmpeg consumed are gone: a loose file is read again, an archive entry held
      // whole (up to 8 MiB) is kept from memory; a larger one streamed from an archive cannot be.
      const file = entry.file;
      if (file) return keepBytes(run, plan, place, () => fs.createReadStream(file), entry.size ?? bytes, reason);
      if (!rest) return keepBytes(run, plan, place, head, head.length, reason);
      return { ...plan.row, bytes, message: joinMessages(reason, "not kept as bytes: it was streamed from the archive, too large to hold whole", plan.row.message) };
    }
    return { ...plan.row, bytes, message: joinMessages(reason, plan.row.message) };
  }
}

/**
 * An HDF5 input that is a file on disk, copied from the file itself (as a whole file image it
 * would be held in memory twice, once by HDF5).
 */
export async function copyHdf5File(run: Run, plan: EntryPlan, file: string, head: Buffer, size: number): Promise<ManifestRow> {
  const row = { ...plan.row, bytes: size };
  let place: [Group, string] | null = null;
  try {
    checkHdf5Signature(head);
    place = await claimTarget(run, plan.target);
    const [parent, name] = place;
    const source = await File.open(file, "r");
    let object: H5Object;
    let notes: string[];
    try {
      notes = await parent.copyFile(source, name, { inputDirectory: await inputDirectoryOf(plan.row.source) });
      object = await parent.get(name);
    } finally {
      await source.close();
    }
    await finishEntry(object, plan, size);
    await object.close();
    return { ...row, target: plan.target, status: "written", message: joinMessages(outsideStorageMessage(notes), plan.row.message) };
  } catch (error) {
    if (place) await removePartial(run, plan.target);
    // A file that is no HDF5 (or one HDF5 cannot copy) is kept as its bytes, read again from disk.
    if (keepsAsBytes(run.options.on_error, error, run.options.signal)) return keepBytes(run, plan, place, () => fs.createReadStream(file), size, messageOf(error));
    return { ...row, message: joinMessages(messageOf(error), plan.row.message) };
  }
}

/**
 * The directory a copied HDF5 file's external raw data and virtual sources may be read from: the
 * input, when it is a directory (as a real path, which binding/external_copy.cc compares real
 * paths with). A loose file or an archive reaches no other file.
 */
async function inputDirectoryOf(input: string): Promise<string | undefined> {
  const stat = await fs.promises.stat(input).catch(() => null);
  return stat?.isDirectory() ? fs.promises.realpath(input) : undefined;
}

/** What a copy did with storage outside the file (Group.copyFile's notes), for the manifest row. */
function outsideStorageMessage(notes: string[]): string {
  const shown = notes.slice(0, 10).join("; ");
  return notes.length > 10 ? `${shown}; and ${notes.length - 10} more` : shown;
}

/** The attrs every converted entry carries. */
function entryAttrs(plan: EntryPlan, size: number): AttributeSet {
  return {
    values: { source: plan.row.source, source_path: plan.sourcePath, source_size: size, media_type: plan.kind.mediaType, processor: plan.processor },
    options: { source_size: { dtype: "int64" } },
  };
}

async function finishEntry(object: H5Object, plan: EntryPlan, size: number): Promise<void> {
  const { values, options } = entryAttrs(plan, size);
  if (plan.processor === "hdf5") {
    // A copied file's root attrs are its own (CF files have a global `source`): where one has the
    // name of an h5dat attr, it stays and h5dat's value goes beside it as `h5dat_<name>`.
    const taken = new Set(await object.attrs.keys());
    for (const name of Object.keys(values).filter((n) => taken.has(n))) {
      values[`h5dat_${name}`] = values[name];
      if (options?.[name]) options[`h5dat_${name}`] = options[name];
      delete values[name];
    }
  }
  await object.attrs.update(values, options);
}

/** The preparing work of an entry, for processors that have some. */
function prepareTask(plan: EntryPlan, bytes: Buffer): PrepareTask | null {
  const { options } = plan;
  switch (plan.processor) {
    case "image":
      return { processor: "image", bytes, options: imageOptionsFrom(options) };
    case "json":
    case "jsonl":
      return { processor: plan.processor, bytes };
    case "csv":
      return { processor: "csv", bytes, options: { mode: options.mode as "table" | "kv", delimiter: options.delimiter as string, maxField: options.max_csv_field as number | undefined } };
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
async function write(parent: Group, name: string, bytes: Buffer, processor: ProcessorName, layout: DatasetLayout, sourcePath: string): Promise<{ object: H5Object; notes: string[] }> {
  if (processor === "hdf5") return copyHdf5(parent, name, bytes, sourcePath);
  return { object: await writeBytes(parent, name, bytes, layout), notes: [] };
}

/**
 * An HDF5 input is copied in whole: its tree (root attrs included) becomes the group `name`,
 * references, dimension scales and soft links still meaning what they meant (Group.copyFile).
 */
async function copyHdf5(parent: Group, name: string, bytes: Buffer, sourcePath: string): Promise<{ object: H5Object; notes: string[] }> {
  checkHdf5Signature(bytes);
  const image = await File.openImage(bytes, sourcePath);
  let notes: string[];
  try {
    // Read from memory (an archive member): nothing outside it is read, whatever it names.
    notes = await parent.copyFile(image, name);
  } finally {
    await image.close();
  }
  return { object: await parent.get(name), notes };
}

/** HDF5's own error for a file without its signature ("not a file ID") does not say so. */
function checkHdf5Signature(head: Buffer): void {
  if (hdf5SignatureOffset(head) === undefined) throw new Error("not an HDF5 file: no HDF5 signature at offset 0, 512, 1024, ... (only its name says HDF5)");
}
