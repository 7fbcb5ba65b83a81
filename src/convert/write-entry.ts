// Writing one entry, by its plan: prepared (in a worker, or here) and written whole; streamed
// into its dataset when large; or decoded by ffmpeg as it streams in (video, audio). Each returns
// the entry's manifest row; a failure is the row's message, and leaves nothing behind.
import fs from "node:fs";
import path from "node:path";
import type { Group } from "../h5/group";
import type { AttributeSet } from "../h5/attrs";
import type { H5Object } from "../h5/h5-object";
import { writeBytes, writeByteStream } from "../processors/bytes";
import type { DecodedImage } from "../processors/decoded-image";
import type { MediaInput } from "../processors/ffmpeg-input";
import { writePrepared, type Prepared } from "../processors/prepare";
import { ProcessorError } from "../processors/processor";
import { FALLBACK_PROCESSOR, processorNamed } from "../processors/registry";
import { releasePixels } from "../pool/shared-pixels";
import type { SourceEntry } from "../sources/source-entry";
import { headThenRest } from "../sources/entry-head";
import { EntrySpill } from "../sources/entry-spill";
import type { ManifestRow } from "../output/manifest";
import type { EntryPlan } from "./plan";
import { prepareChecked, quarantine } from "./records";
import type { Run } from "./run";
import { encodedPathOf } from "./encoded-root";
import { messageOf } from "../error-message";
import { joinMessages } from "./entry-checks";
import { keepsAsBytes, keptAsBytesMessage } from "./fallback";

/**
 * An entry read whole; `pieces`: its footprint's plan (a large image's strips), to prepare it here
 * piece by piece as it is written.
 */
export async function convertEntry(run: Run, plan: EntryPlan, bytes: Buffer, pieces: unknown = null): Promise<ManifestRow> {
  const { target } = plan;
  const processor = processorNamed(plan.processor);
  const row = { ...plan.row, bytes: bytes.length };
  let place: [Group, string] | null = null;
  // Only the processor's own work (decoding, parsing, copying an HDF5 input) may fail over to
  // the bytes: a name taken twice, or a write of the file that failed, is the entry's failure.
  let processing = true;
  let prepared: Prepared | null = null;
  try {
    // Decoding and parsing happen before the writer's turn, in a worker process when there are
    // workers; record checks of a schema rule run here (its validators are functions).
    const task = pieces || processor.prepares !== "worker" ? null : { processor: plan.processor, bytes, options: processor.taskOptions(plan.options) };
    const checked = plan.records && task ? await prepareChecked(task, plan.records) : null;
    if (checked?.prepared === null) return { ...row, status: "skipped", message: await quarantine(run.file, plan, checked) };
    prepared = checked ? checked.prepared : task ? await run.prepare(task) : null;
    // Only making groups must take turns (two entries may need the same new group); the
    // datasets themselves are written concurrently, so their compression, which the binding
    // runs outside the HDF5 lock, uses every core.
    processing = false;
    if (plan.stack && prepared) {
      // A row of its input's stack: written in input order, with the rows before it.
      await plan.stack.add(prepared.value as DecodedImage, bytes);
      return { ...row, target: plan.stack.target, status: "written", message: plan.row.message };
    }
    place = await run.claimTarget(target);
    const [parent, name] = place;
    let object: H5Object;
    let notes: string[] = [];
    if (prepared) {
      // The entry's attrs go with its dataset, in one native call.
      object = await writePrepared(parent, name, prepared, plan.layout, entryAttrs(plan, bytes.length));
    } else if (processor.prepares === "worker") {
      // Not prepared whole: its footprint planned pieces, prepared here as they are written.
      object = await processor.writePieces!(parent, name, pieces, plan.layout, entryAttrs(plan, bytes.length));
    } else {
      if (processor.streams === "always") throw new Error(`the ${processor.name} processor takes its entries as they stream in`);
      // The fallback's own write is storing, not processing: it has nothing to fall back to.
      processing = processor !== FALLBACK_PROCESSOR;
      ({ object, notes } = await processor.write(parent, name, bytes, plan.layout, plan.sourcePath));
      processing = false;
      await finishEntry(object, plan, bytes.length);
    }
    const message = joinMessages(checked ? await quarantine(run.file, plan, checked) : "", outsideStorageMessage(notes));
    if (processor.prepares === "worker" && processor.keepsEncoded?.(run.options)) await writeEncoded(run, plan, bytes, object);
    await object.close();
    return { ...row, target, status: "written", message: joinMessages(message, plan.row.message) };
  } catch (error) {
    if (place) await run.removePartial(target);
    const decoding = processing || error instanceof ProcessorError;
    if (decoding && keepsAsBytes(run.options.onError, error, run.options.signal)) return keepBytes(run, plan, place, bytes, bytes.length, messageOf(error));
    return { ...row, message: joinMessages(messageOf(error), plan.row.message) };
  } finally {
    // Pixels mapped from a worker's file are unmapped, written or not, and the file goes back to it.
    if (prepared) releasePixels(prepared);
  }
}

/** `--images both`: the entry's encoded bytes at the same path under ENCODED_ROOT (encoded-root.ts), named by the attr `encoded_path`. */
async function writeEncoded(run: Run, plan: EntryPlan, bytes: Buffer, object: H5Object): Promise<void> {
  const encodedPath = encodedPathOf(plan.target);
  const [encodedParent, encodedName] = await run.claimTarget(encodedPath);
  await (await writeBytes(encodedParent, encodedName, bytes, { compression: plan.layout.compression })).close();
  await object.attrs.set("encoded_path", encodedPath);
}

/**
 * Writes an entry its processor failed on as its original bytes (`bytes`, or blocks streamed in)
 * at its target, claimed here unless `place` holds it already; returns its manifest row.
 */
async function keepBytes(run: Run, plan: EntryPlan, place: [Group, string] | null, bytes: Uint8Array | (() => AsyncIterable<Buffer>), size: number, reason: string): Promise<ManifestRow> {
  const row = { ...plan.row, bytes: size };
  let claimed = place !== null;
  try {
    const [parent, name] = place ?? (await run.claimTarget(plan.target));
    claimed = true;
    const layout = { compression: plan.layout.compression };
    const dataset = bytes instanceof Uint8Array ? await writeBytes(parent, name, bytes, layout) : await writeByteStream(parent, name, bytes(), layout);
    const { values, options } = entryAttrs(plan, size);
    await dataset.attrs.update({ ...values, processor: FALLBACK_PROCESSOR.name, fallback_reason: reason }, options);
    await dataset.close();
    return { ...row, target: plan.target, status: "written", message: joinMessages(keptAsBytesMessage(reason), plan.row.message) };
  } catch (error) {
    if (claimed) await run.removePartial(plan.target);
    return { ...row, message: joinMessages(reason, `not kept as bytes either: ${messageOf(error)}`, plan.row.message) };
  }
}

/**
 * A large entry of a processor that streams "large" ones (bytes, JSON records, CSV), written block
 * by block. For a processor that rereads, an archive's entry is copied as it streams (entry-spill.ts),
 * a loose file read again from disk: the processor may read it twice, and a failed one is kept as bytes.
 */
export async function streamEntry(run: Run, plan: EntryPlan, entry: SourceEntry, head: Buffer, rest: AsyncIterator<Buffer>): Promise<ManifestRow> {
  const processor = processorNamed(plan.processor);
  let bytes = 0;
  let place: [Group, string] | null = null;
  const rereads = processor.prepares === "worker" && processor.rereads === true;
  const spill = rereads && !entry.file ? await EntrySpill.create() : null;
  const file = entry.file;
  const again = (): AsyncIterable<Uint8Array> => (spill ? spill.read() : fs.createReadStream(file!));
  const blocks = () => headThenRest(head, rest, (total) => (bytes = total));
  try {
    if (processor.streams !== "large" || !processor.writeBlocks) throw new Error(`the ${processor.name} processor needs its entries whole`);
    place = await run.claimTarget(plan.target);
    const [parent, name] = place;
    const read = spill ? spill.copying(blocks()) : blocks();
    const prepare = (piece: Uint8Array, options: unknown) => run.prepare({ processor: plan.processor, bytes: piece, options }).then((prepared) => prepared.value);
    const context = { prepare, ...(rereads && { again: againAfter(spill, again) }) };
    const dataset = await processor.writeBlocks(parent, name, read, plan.layout, plan.options, context);
    await finishEntry(dataset, plan, bytes);
    await dataset.close();
    return { ...plan.row, bytes, target: plan.target, status: "written" };
  } catch (error) {
    const reason = messageOf(error);
    if (place) await run.removePartial(plan.target);
    if (rereads && place && keepsAsBytes(run.options.onError, error, run.options.signal)) {
      await spill?.drain();
      return await keepBytes(run, plan, place, again as () => AsyncIterable<Buffer>, entry.size ?? bytes, reason);
    }
    await rest.return?.();
    return { ...plan.row, bytes, message: joinMessages(reason, plan.row.message) };
  } finally {
    await spill?.remove();
  }
}

/** The entry again from its start: the copy's rest taken first. */
function againAfter(spill: EntrySpill | null, again: () => AsyncIterable<Uint8Array>): () => AsyncIterable<Uint8Array> {
  return () => ({
    async *[Symbol.asyncIterator]() {
      await spill?.drain();
      yield* again();
    },
  });
}

/**
 * An entry of a processor that streams (video, audio), decoded by ffmpeg as it streams in: from
 * its file when it has one, else from the archive's blocks (through a pipe, or a temporary file
 * for MP4s that need seeking).
 */
export async function convertMedia(run: Run, plan: EntryPlan, entry: SourceEntry, head: Buffer, rest: AsyncIterator<Buffer> | null): Promise<ManifestRow> {
  let bytes = entry.size ?? head.length;
  const blocks = () => headThenRest(head, rest, (total) => (bytes = total));
  const input: MediaInput = entry.file ? { path: entry.file } : { blocks: blocks(), name: path.posix.basename(entry.sourcePath), head };
  const processor = processorNamed(plan.processor);
  let place: [Group, string] | null = null;
  try {
    if (entry.file) await rest?.return?.();
    if (processor.streams !== "always") throw new Error(`the ${processor.name} processor does not decode a stream`);
    place = await run.claimTarget(plan.target);
    const [parent, name] = place;
    const dataset = await processor.writeStream(parent, name, input, plan.options, plan.layout, run.options.signal);
    await finishEntry(dataset, plan, bytes);
    await dataset.close();
    return { ...plan.row, bytes, target: plan.target, status: "written" };
  } catch (error) {
    await rest?.return?.();
    if (place) await run.removePartial(plan.target);
    const reason = messageOf(error);
    if (place && keepsAsBytes(run.options.onError, error, run.options.signal)) {
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
 * An entry that is a file on disk, written by its processor from the file itself (an HDF5 input:
 * as a whole file image it would be held in memory twice, once by HDF5).
 */
export async function writeEntryFile(run: Run, plan: EntryPlan, file: string, head: Buffer, size: number): Promise<ManifestRow> {
  const processor = processorNamed(plan.processor);
  const row = { ...plan.row, bytes: size };
  let place: [Group, string] | null = null;
  try {
    if (processor.prepares === "worker" || processor.streams === "always" || !processor.writeFile) throw new Error(`the ${processor.name} processor does not read files`);
    place = await run.claimTarget(plan.target);
    const [parent, name] = place;
    const { object, notes } = await processor.writeFile(parent, name, file, head, await inputDirectoryOf(plan.row.source));
    await finishEntry(object, plan, size);
    await object.close();
    return { ...row, target: plan.target, status: "written", message: joinMessages(outsideStorageMessage(notes), plan.row.message) };
  } catch (error) {
    if (place) await run.removePartial(plan.target);
    // A file its processor cannot take (no HDF5, or one HDF5 cannot copy) is kept as its bytes, read again from disk.
    if (keepsAsBytes(run.options.onError, error, run.options.signal)) return keepBytes(run, plan, place, () => fs.createReadStream(file), size, messageOf(error));
    return { ...row, message: joinMessages(messageOf(error), plan.row.message) };
  }
}

/**
 * The directory a copied HDF5 file's external raw data and virtual sources may be read from: the
 * input, when it is a directory (as a real path, which binding/copy/external_copy.cc compares real
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
  if (processorNamed(plan.processor).keepsInputAttrs) {
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
