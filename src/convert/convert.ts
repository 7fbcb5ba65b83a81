// The main job: every entry of every input is classified, converted by its processor and
// written to one HDF5 file, and accounted for in the manifest (written, skipped or failed, with
// the reason). A bad entry fails alone; the run goes on.
import fs from "node:fs";
import { EventEmitter } from "node:events";
import { File } from "../h5/file";
import { openSources } from "../sources/open-source";
import { limitsOf } from "../sources/entry-limits";
import type { Source, SourceEntry, SourceShard } from "../sources/source-entry";
import { headThenRest, readHead, type EntryHead } from "../sources/entry-head";
import { escapeName } from "../output/hdf5-names";
import { planEntry, type EntryPlan } from "./plan";
import { joinMessages } from "./entry-checks";
import { Run } from "./run";
import { shardOf, shardOutput } from "./shard";
import type { Group } from "../h5/group";
import { InputStack } from "./input-stack";
import { checkStackOptions, planStacks, type StackPlan } from "./stack-plans";
import type { WorkerPeaks } from "../pool/fork-pool";
import { messageOf } from "../error-message";
import { convertEntry, convertMedia, streamEntry, writeEntryFile } from "./write-entry";
import { finishOutput, partialPathOf } from "./output-file";
import { accountForEntries, recordVanished } from "./entry-accounting";
import { dropFingerprints } from "./run-record";
import { checkInputsExist } from "../sources/missing-inputs";
import { writeSchemaAttrs } from "../schema";
import { Manifest, readStoredRows, type ManifestRow, type StoredRow } from "../output/manifest";
import { IN_FLIGHT_BYTES, keepLargeBlocksMapped } from "../pool/memory";
import { footprintOf } from "../processors/prepare";
import { processorNamed } from "../processors/registry";
import { writeFailure } from "./write-failure";
import { isKeptAsBytes } from "./fallback";
import type { ConvertOptions } from "./options";
import type { ConvertSummary, EntryCounts } from "./results";

/** Converts `inputs` (directories, files, archives) into `options.output`. */
export async function convert(inputs: string[], given: ConvertOptions, events?: EventEmitter): Promise<ConvertSummary> {
  if (inputs.length === 0) throw new Error("convert needs at least one input");
  const options = { ...given, output: shardOutput(given.output, given.shard) };
  if (options.shard && options.append) throw new Error("--shard writes a shard of its own; it cannot --append to a file (merge the shards, or convert the new inputs as shards of their own)");
  checkInputsExist(inputs);
  checkStackOptions(options);
  // Without it, each run of a long-lived process leaves RSS higher (bench/soak.ts: +31 % in 3 P3 runs).
  keepLargeBlocksMapped();
  const started = performance.now();
  if (options.resume && !options.append && !fs.existsSync(partialPathOf(options.output)) && fs.existsSync(options.output)) {
    return finishedSummary(inputs, options.output);
  }
  // Every input is opened first: their group names decide their stacks (whose options and label
  // tables are checked before anything is written), their sizes make the progress total.
  const sources = await openSources(inputs, limitsOf(options));
  let run: Run;
  let stackPlans: (StackPlan | null)[];
  try {
    stackPlans = await planStacks(inputs, sources, options);
    // The file is written as <output>.partial and renamed only at a clean end: a crash or a fatal
    // error never leaves a half-written file under the output's name (an old one stays intact).
    run = await Run.open(inputs, options, events);
  } catch (error) {
    await closeSources(sources);
    throw error;
  }
  const { out, manifest } = run;
  const { file, partial, stored } = out;
  let workers: WorkerPeaks = { summedMb: 0, largestMb: 0 };
  let closed = false;
  // The lock is given up here when the run ends without renaming (interrupted, failed), else by the rename.
  let completed = false;
  try {
    if (options.schema) await writeSchemaAttrs(file, options.schema);
    run.progress.inputBytesTotal = sources.reduce((sum, source) => sum + (source instanceof Error ? 0 : source.size), 0);
    for (const [i, source] of sources.entries()) {
      if (options.signal?.aborted) break;
      await convertInput(run, inputs[i], source, stackPlans[i]);
      if (run.failure) throw run.failure;
    }
    if (!options.signal?.aborted) await recordVanished(run);
    await run.checkpoint();
    if (!options.signal?.aborted) {
      accountForEntries(run, stored.length);
      if (!run.order.isFinal()) manifest.renumber(run.order.finalNumbers());
      await manifest.finish(file);
      await dropFingerprints(file);
    }
    completed = true;
  } catch (error) {
    throw writeFailure(error, partial);
  } finally {
    await closeSources(sources);
    workers = await run.closePool();
    await file.close().then(() => (closed = true), (error: unknown) => {
      if (!run.failure) throw writeFailure(error, partial);
    });
    if (!completed || !closed || options.signal?.aborted) out.lock.release();
  }
  const interrupted = options.signal?.aborted === true;
  if (!interrupted && closed) await finishOutput(out, options.output).finally(() => out.lock.release());
  const seconds = (performance.now() - started) / 1000;
  const summary = summaryOf(manifest, { output: interrupted ? partial : options.output, interrupted, resumed: run.resumed, seconds, workers }, stored);
  return run.stacks.length > 0 ? { ...summary, stacks: run.stacks } : summary;
}

function entryCountsOf(rows: readonly ManifestRow[]): EntryCounts {
  const count = (status: ManifestRow["status"]) => rows.filter((row) => row.status === status).length;
  const kept = rows.filter(isKeptAsBytes).length;
  return { entries: rows.length, written: count("written") - kept, keptAsBytes: kept, skipped: count("skipped"), failed: count("failed") };
}

/** What a summary takes from the run rather than from its manifest. */
type RunFacts = Pick<ConvertSummary, "output" | "interrupted" | "resumed" | "seconds"> & { workers: WorkerPeaks };

/**
 * The summary of a run whose entries are accounted for in `manifest`: its own rows, apart from
 * the `earlier` runs' an appended file holds (counted in `inFile`).
 */
function summaryOf(manifest: Manifest, { output, interrupted, resumed, seconds, workers }: RunFacts, earlier: readonly StoredRow[] = []): ConvertSummary {
  const before = new Set(earlier.map(({ row }) => row));
  const rows = manifest.all.filter((row) => !before.has(row));
  const bytes = rows.reduce((sum, row) => sum + row.bytes, 0);
  const kept = rows.filter(isKeptAsBytes);
  return {
    output,
    interrupted,
    resumed,
    ...entryCountsOf(rows),
    ...(earlier.length > 0 && { inFile: entryCountsOf(manifest.all) }),
    bytes,
    seconds,
    // A finished run resumed takes no time: its rates are 0, not 0 / 0.
    filesPerSecond: seconds === 0 ? 0 : rows.length / seconds,
    megabytesPerSecond: seconds === 0 ? 0 : bytes / 1e6 / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    workersPeakRssMb: workers.summedMb,
    largestWorkerRssMb: workers.largestMb,
    failures: rows.filter((row) => row.status === "failed"),
    kept,
  };
}

/** Resuming a run that had finished: nothing to do; the summary of what its output holds. */
async function finishedSummary(inputs: string[], output: string): Promise<ConvertSummary> {
  const file = await File.open(output, "r");
  try {
    const made = await file.attrs.find("inputs");
    if (JSON.stringify(Array.isArray(made) ? made.map(String) : made) !== JSON.stringify(inputs)) {
      throw new Error(`'${output}' exists and was made from ${JSON.stringify(made)}, not ${JSON.stringify(inputs)}: nothing to resume`);
    }
    const manifest = new Manifest();
    manifest.carry((await readStoredRows(file)) ?? []);
    return { ...summaryOf(manifest, { output, interrupted: false, resumed: manifest.all.length, seconds: 0, workers: { summedMb: 0, largestMb: 0 } }), alreadyComplete: true };
  } finally {
    await file.close();
  }
}

async function closeSources(sources: readonly (Source | Error)[]): Promise<void> {
  for (const source of sources) if (!(source instanceof Error)) await source.close();
}

/** Converts the entries of one input; `stackPlan`: how its stack is made (null: it has none). */
async function convertInput(run: Run, input: string, source: Source | Error, stackPlan: StackPlan | null): Promise<void> {
  const record = (row: ManifestRow, order: number, plan?: EntryPlan) => run.record(row, order, plan?.target);
  if (source instanceof Error) {
    if (!run.carry(inputFailure(input, source))) record(inputFailure(input, source), run.nextOrder());
    return;
  }
  const inputStart = run.progress.inputBytesRead;
  const pending = new Set<Promise<void>>();
  let bytesInFlight = 0;
  let stack: InputStack | null = null;
  const { shard } = run.options;
  try {
    stack = await openInputGroup(run, input, source, stackPlan);
    // Each entry's position in its input ({index} of a schema target), whatever becomes of it.
    let next = 0;
    for await (const entry of source.entries(shardPassing(run, inputStart))) {
      if (run.failure || run.options.signal?.aborted) break;
      next += entry.passedOver ?? 0;
      const index = next++;
      // Another shard's entry: passed over unread.
      if (shard && shardOf(source.groupName, entry.sourcePath, shard.count) !== shard.index) continue;
      // Its place in the stack's input order; settled (filled by its row, or passed over) once recorded.
      const slot = stack?.nextSlot() ?? -1;
      const record = (row: ManifestRow, order: number, plan?: EntryPlan) => {
        run.record(row, order, plan?.target);
        stack?.settle(slot);
      };
      run.progress.inputBytesRead = inputStart + entry.position;
      if (run.carry(entryFailure(entry, "resumed"))) {
        // Done by the interrupted run (a stack's row is in the stack already): its slot is passed over.
        stack?.settle(slot);
        continue;
      }
      const order = run.nextOrder();
      const read = await readEntry(entry).catch((error: unknown) => ({ error }));
      if ("error" in read) {
        record(entryFailure(entry, read.error), order);
        continue;
      }
      const planned = planEntry(run.options, run.compression, source.groupName, entry, read.head, index);
      const plan = stack && !("done" in planned) ? stack.planFor(planned, slot) : planned;
      if ("done" in plan) {
        await read.rest?.return?.();
        record(plan.done, order);
        continue;
      }
      const written = await writeUnread(run, plan, entry, read);
      if (written) {
        record(written, order, plan);
        continue;
      }
      const bytes = read.rest ? await readRest(read.head, read.rest).catch((error: unknown) => error as Error) : read.head;
      if (bytes instanceof Error) {
        record({ ...plan.row, message: joinMessages(messageOf(bytes), plan.row.message) }, order);
        continue;
      }
      // An image counts what it decodes to, known from its header: several large ones are not
      // decoded at once.
      const footprint = await footprintOf(plan.processor, bytes, plan.options);
      while (pending.size > 0 && bytesInFlight + footprint.bytes > IN_FLIGHT_BYTES) await Promise.race(pending);
      bytesInFlight += footprint.bytes;
      const task = convertEntry(run, plan, bytes, footprint.pieces).then((row) => record(row, order, plan));
      pending.add(task);
      void task.finally(() => {
        pending.delete(task);
        bytesInFlight -= footprint.bytes;
      });
      while (pending.size >= run.limit || (pending.size > 0 && bytesInFlight >= IN_FLIGHT_BYTES)) await Promise.race(pending);
    }
  } catch (error) {
    // The input itself broke (a truncated archive): what was read stays; the rest is one failure.
    if (!run.carry(inputFailure(input, error))) record(inputFailure(input, error), run.nextOrder());
  } finally {
    await Promise.all(pending);
    const failure = await stack?.finish(input);
    if (failure) record(failure, run.nextOrder());
    await source.close();
    run.progress.inputBytesRead = inputStart + source.size;
  }
}

/** What an archive passes over natively: other shards' entries (the bytes it reads meanwhile still move progress). */
function shardPassing(run: Run, inputStart: number): SourceShard | undefined {
  const { shard, signal } = run.options;
  return shard && { ...shard, signal, onPassing: (position: number) => (run.progress.inputBytesRead = inputStart + position) };
}

/** Makes the input's group (its attr `source` set) and, with a plan, its stack. */
async function openInputGroup(run: Run, input: string, source: Source, stackPlan: StackPlan | null): Promise<InputStack | null> {
  let group: Group = run.file;
  if (source.groupName !== "") {
    group = await run.inTurn(() => run.file.requireGroup(escapeName(source.groupName)));
    await group.attrs.set("source", input);
  }
  return stackPlan ? InputStack.open(run, group, source.groupName === "" ? "" : `/${escapeName(source.groupName)}`, stackPlan) : null;
}

/**
 * Writes an entry now, before the next is read, when its processor does not need it whole: it
 * streams (media through ffmpeg, frames into the dataset as they come; bytes too large to hold),
 * or reads a file on disk itself (an HDF5 file is copied from the file, however large). Null: the
 * entry is read whole first.
 */
async function writeUnread(run: Run, plan: EntryPlan, entry: SourceEntry, read: { head: Buffer; rest: AsyncIterator<Buffer> | null }): Promise<ManifestRow | null> {
  const processor = processorNamed(plan.processor);
  if (processor.streams === "always") return convertMedia(run, plan, entry, read.head, read.rest);
  if (processor.prepares === "writer" && processor.writeFile && entry.file) {
    await read.rest?.return?.();
    return writeEntryFile(run, plan, entry.file, read.head, entry.size ?? read.head.length);
  }
  // A schema rule's record checks need the entry's records whole.
  if (read.rest && processor.streams === "large" && !plan.records) return streamEntry(run, plan, entry, read.head, read.rest);
  return null;
}

/** Entries up to this size are read whole and converted concurrently; larger ones stream. */
const WHOLE_ENTRY_BYTES = 8 << 20;

/** An entry's first WHOLE_ENTRY_BYTES (all of it when smaller), and its remaining blocks. */
function readEntry(entry: SourceEntry): Promise<EntryHead> {
  return readHead(entry.blocks()[Symbol.asyncIterator](), WHOLE_ENTRY_BYTES);
}

async function readRest(head: Buffer, rest: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const block of headThenRest(head, rest)) parts.push(block);
  return Buffer.concat(parts);
}

/** The manifest row of an input that could not be read (missing, or a broken archive). */
function inputFailure(input: string, error: unknown): ManifestRow {
  return { source: input, source_path: "", target: "", status: "failed", bytes: 0, processor: "", message: messageOf(error) };
}

function entryFailure(entry: SourceEntry, error: unknown): ManifestRow {
  return { source: entry.source, source_path: entry.sourcePath, target: "", status: "failed", bytes: entry.size ?? 0, processor: "", message: joinMessages(messageOf(error), entry.groupNote ?? "") };
}

