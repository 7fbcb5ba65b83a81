// One conversion run, built whole by Run.open: the output it writes (opened, resumed or appended
// to), the manifest, the decoding workers, the paths taken; and the operations every entry goes
// through on them: numbering it, claiming its target, removing what a failed entry wrote,
// recording its row (which checkpoints) and emitting progress.
import os from "node:os";
import type { EventEmitter } from "node:events";
import type { Group } from "../h5/group";
import { ForkPool, type WorkerPeaks } from "../pool/fork-pool";
import { Manifest, type ManifestRow } from "../output/manifest";
import { WriteQueue } from "../output/write-queue";
import { prepare, type Prepared, type PrepareTask } from "../processors/prepare";
import { asError } from "../error-message";
import type { StackSummary } from "./results";
import type { ConvertOptions } from "./options";
import type { ConvertProgress } from "./results";
import { EntryOrder, ResumedEntries } from "./resumed-entries";
import { Checkpoints } from "./checkpoint";
import { openOutput, type OutputFile } from "./output-file";
import { encodedPathOf } from "./encoded-root";
import { isWriteFailure, writeFailure } from "./write-failure";

/** Parent groups kept open between entries (each lookup would cost three HDF5 calls). */
const OPEN_GROUPS = 64;

/** One conversion run: the file, the decoding workers, the manifest. */
export class Run {
  /** The output this run writes (its .partial, lock and earlier rows). */
  readonly out: OutputFile;
  /** Every entry's row: earlier runs' carried, this run's as they end. */
  readonly manifest = new Manifest();
  /** Worker processes to decode images with (0: in this process). */
  readonly workers: number;
  /** Compression of the datasets written, defaults applied. */
  readonly compression: NonNullable<ConvertOptions["compression"]>;
  /** Entries in flight at most (read, decoding, or waiting for the writer). */
  readonly limit: number;
  /** Every entry's number in the order the inputs listed them: each must end with one row. */
  readonly order: EntryOrder;
  /** The entries an interrupted run finished, when resuming (else empty). */
  readonly resumable: ResumedEntries;
  /** How far the run is in its inputs' bytes (the convert loop moves it). */
  readonly progress: ConvertProgress = { inputBytesRead: 0, inputBytesTotal: 0 };
  /** --layout stacked: each input's stack, as it finished. */
  readonly stacks: StackSummary[] = [];
  /** Entries carried over from the interrupted run this one resumes. */
  resumed = 0;
  /** Why the run must stop (the first cause): an event listener threw, or the file cannot be written. */
  private stopCause?: Error;
  /** Group creation takes turns: two entries may need the same new group at once. */
  private readonly groupTurns = new WriteQueue();
  /** Dataset paths taken by an entry of this run (or by an earlier run's, when resuming or appending). */
  private readonly claimed: Set<string>;
  /** Targets claimed by entries not finished yet: what a crash now could leave half-written. */
  private readonly writing = new Set<string>();
  /** Groups entries were written into lately, by path. */
  private readonly groups = new Map<string, Group>();
  /** Every group this run made for entries' directories. */
  private readonly groupPaths = new Set<string>();
  /** Stores the manifest and flushes the file every so many entries or seconds. */
  private readonly checkpoints: Checkpoints;
  /** The number of the next new entry (entry order across inputs, so the manifest lists entries as the inputs do). */
  private sequence: number;
  /** Started at the first task, when workers are wanted. */
  private pool: ForkPool | null = null;

  /** Opens (or creates) the output for a run of `inputs`, then the run over it. */
  static async open(inputs: string[], options: ConvertOptions, events?: EventEmitter): Promise<Run> {
    return new Run(await openOutput(inputs, options), options, events);
  }

  private constructor(out: OutputFile, readonly options: ConvertOptions, private readonly events?: EventEmitter) {
    this.out = out;
    const carried = [...out.stored, ...out.resumable];
    this.manifest.carry(carried);
    this.claimed = new Set(carried.filter(({ row }) => row.status === "written").map(({ row }) => row.target));
    this.workers = options.workers ?? os.availableParallelism();
    this.compression = options.compression ?? "gzip";
    this.limit = options.batchProcessLimit ?? Math.max(8, 4 * this.workers * (options.batchChunkSize ?? 1));
    this.sequence = out.nextEntry;
    this.order = new EntryOrder(out.firstEntry);
    this.resumable = new ResumedEntries(out.resumable);
    const parts = { file: out.file, manifest: this.manifest, turns: this.groupTurns, writing: this.writing, fail: (error: Error) => this.stop(error) };
    this.checkpoints = new Checkpoints(parts, options.checkpointEntries, options.checkpointSeconds);
  }

  /** Set when the run must stop: an event listener threw, or the file cannot be written. */
  get failure(): Error | undefined {
    return this.stopCause;
  }

  /** Stops the run for `cause`, unless an earlier cause stopped it already. */
  private stop(cause: Error): void {
    this.stopCause ??= cause;
  }

  /** The file written. */
  get file(): OutputFile["file"] {
    return this.out.file;
  }

  /** Runs `work` in the turn claiming targets takes (nothing is claimed meanwhile). */
  inTurn<T>(work: () => Promise<T>): Promise<T> {
    return this.groupTurns.run(work);
  }

  /**
   * Reserves `target` for one entry and returns its parent group (made if missing) and name. Two
   * entries of one name (an archive may hold both) cannot both have it: the later one fails, and
   * since a target has one owner, a failed entry may remove what it wrote without touching another's.
   */
  claimTarget(target: string): Promise<[Group, string]> {
    return this.groupTurns.run(async () => {
      if (this.claimed.has(target)) throw new Error(`'${target}' was already written by an earlier entry of the same name`);
      // A file named like earlier entries' directory ("a" after "a/b.txt") cannot have it: were it
      // the entry's, its failure would remove the group with everything in it.
      if (this.groupPaths.has(target)) throw new Error(`'${target}' is already a group, the directory of earlier entries`);
      const slash = target.lastIndexOf("/");
      const parentPath = target.slice(0, slash) || "/";
      const newGroups = this.newGroupsOf(parentPath);
      this.claimed.add(target);
      const parent = await this.groupAt(parentPath);
      for (const group of newGroups) this.groupPaths.add(group);
      const name = target.slice(slash + 1);
      // Something already there (a dataset this file held before an --append) is not the entry's:
      // the entry fails and what is there stays.
      if (this.out.start !== "new" && (await parent.has(name))) throw new Error(`'${target}' already exists in the file`);
      this.writing.add(target);
      return [parent, name];
    });
  }

  /**
   * The directories an entry under `parentPath` needs that no earlier entry did. One an earlier
   * entry claimed as its dataset ("c/d.txt" after "c") cannot be a group, whether or not that
   * dataset is written yet: the later entry fails, whatever order the writer gets to them in.
   */
  private newGroupsOf(parentPath: string): string[] {
    const newGroups: string[] = [];
    for (let group = parentPath; group !== "/" && !this.groupPaths.has(group); group = group.slice(0, group.lastIndexOf("/")) || "/") {
      if (this.claimed.has(group)) throw new Error(`'${group}' is a dataset, expected a group`);
      newGroups.push(group);
    }
    return newGroups;
  }

  /** The group at `groupPath`, made if missing, kept open among the recent ones. */
  private async groupAt(groupPath: string): Promise<Group> {
    let group = this.groups.get(groupPath);
    if (group) return group;
    group = await this.file.requireGroup(groupPath);
    // Entries come in directory order, so the recent groups are the ones needed again. A group
    // dropped here closes when collected (or with the file); an entry using it keeps it alive.
    if (this.groups.size >= OPEN_GROUPS) this.groups.delete(this.groups.keys().next().value!);
    this.groups.set(groupPath, group);
    return group;
  }

  /** Gives `target` up (an entry of the interrupted run that vanished, its dataset removed). */
  releaseTarget(target: string): void {
    this.claimed.delete(target);
  }

  /** A failed entry leaves nothing behind: what it wrote at the target it claimed is removed. */
  async removePartial(target: string): Promise<void> {
    try {
      if (await this.file.has(target)) await this.file.delete(target);
    } catch {
      // Nothing was written, or the file itself failed: the manifest row tells the cause.
    }
  }

  /** Runs `task` in a worker process (here when there are none); the pool starts at the first. */
  prepare(task: PrepareTask): Promise<Prepared> {
    if (this.workers <= 0) return prepare(task);
    this.pool ??= new ForkPool({ size: this.workers, batchSize: this.options.batchChunkSize });
    return this.pool.run(task);
  }

  /** Stops the workers; their peak RSS. */
  async closePool(): Promise<WorkerPeaks> {
    return (await this.pool?.close()) ?? { summedMb: 0, largestMb: 0 };
  }

  /** The number of the next entry this run does. */
  nextOrder(): number {
    const order = this.sequence++;
    this.order.add(order);
    return order;
  }

  /**
   * An entry's row (numbered `order`), once the entry that claimed `target` is done: in the
   * manifest, counted towards a checkpoint, and emitted. A write of the file that failed stops the run.
   */
  record(row: ManifestRow, order: number, target?: string): void {
    if (target !== undefined) {
      this.writing.delete(target);
      this.writing.delete(encodedPathOf(target));
    }
    this.manifest.add(row, order);
    if (row.status === "failed" && isWriteFailure(row.message)) this.stop(writeFailure(new Error(row.message), this.file.filename));
    this.checkpoints.afterRow();
    this.emit(row);
  }

  /**
   * When resuming, whether the interrupted run finished this entry (`now`: the entry as this run
   * sees it), found by its input and path: then it is not done again, and keeps its row.
   */
  carry(now: ManifestRow): boolean {
    const done = this.resumable.take(now.source, now.source_path);
    if (!done) return false;
    this.order.add(done.entry);
    this.resumed++;
    this.emit(done.row);
    return true;
  }

  /**
   * The row of an entry the interrupted run did that the inputs no longer hold (`entry`: its stored
   * number): listed after this run's entries, neither emitted nor counted towards a checkpoint.
   */
  recordVanishedRow(row: ManifestRow, entry: number): void {
    this.manifest.add(row, entry);
    this.order.add(entry);
  }

  /** A checkpoint now: the manifest stored and the file flushed. */
  checkpoint(): Promise<void> {
    return this.checkpoints.write();
  }

  private emit(row: ManifestRow): void {
    try {
      this.events?.emit("entry", row, { ...this.progress });
    } catch (error) {
      // A listener's error is the caller's: it ends the run (convert rejects with it), after the
      // entries in flight are accounted for.
      this.stop(asError(error));
    }
  }
}
