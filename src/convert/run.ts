// One conversion run's shared state (the file, the pool, the manifest, the paths taken) and the
// few operations every entry goes through on it: claiming its target, removing what a failed
// entry wrote.
import type { EventEmitter } from "node:events";
import type { File } from "../h5/file";
import type { Group } from "../h5/group";
import type { ForkPool } from "../pool/fork-pool";
import type { Manifest } from "../output/manifest";
import type { WriteQueue } from "../output/write-queue";
import type { ConvertOptions } from "./options";
import type { ConvertProgress } from "./results";
import type { EntryOrder, ResumedEntries } from "./resumed-entries";

/**
 * When the run checkpoints (convert/checkpoint.ts's Checkpoints): declared here, not imported,
 * because Checkpoints is built over the Run.
 */
export interface CheckpointSchedule {
  /** After each manifest row: a checkpoint when enough rows or time have passed. */
  afterRow(): void;
  /** A checkpoint now: the manifest stored and the file flushed. */
  write(): Promise<void>;
}

/** One conversion run: the file, the decoding workers, the manifest. */
export interface Run {
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
  /** Dataset paths taken by an entry of this run (or by an earlier run's, when resuming or appending). */
  claimed: Set<string>;
  /** Targets claimed by entries not finished yet: what a crash now could leave half-written. */
  writing: Set<string>;
  /** The file held datasets before this run (appending, resuming): a target may exist already. */
  mayExist: boolean;
  /** Groups entries were written into lately, by path. */
  groups: Map<string, Group>;
  /** Every group this run made for entries' directories (made on first use). */
  groupPaths?: Set<string>;
  /** Started at the first image, when workers are wanted. */
  pool: ForkPool | null;
  /** Entries in flight at most (read, decoding, or waiting for the writer). */
  limit: number;
  /** The number of the next new entry (entry order across inputs, so the manifest lists entries as the inputs do). */
  sequence: number;
  /** Every entry's number in the order the inputs listed them: each must end with one row. */
  order: EntryOrder;
  /** The entries an interrupted run finished, when resuming (else empty). */
  resumable: ResumedEntries;
  progress: ConvertProgress;
  /** Entries carried over from the interrupted run this one resumes. */
  resumed: number;
  /** Stores the manifest and flushes the file every so many entries or seconds. */
  checkpoints?: CheckpointSchedule;
  /** Set when the run must stop: an event listener threw, or the file cannot be written. */
  failure?: Error;
}

/**
 * Reserves `target` for one entry and returns its parent group (made if missing) and name. Two
 * entries of one name (an archive may hold both) cannot both have it: the later one fails, and
 * since a target has one owner, a failed entry may remove what it wrote without touching another's.
 */
export function claimTarget(run: Run, target: string): Promise<[Group, string]> {
  return run.groupTurns.run(async () => {
    if (run.claimed.has(target)) throw new Error(`'${target}' was already written by an earlier entry of the same name`);
    // A file named like earlier entries' directory ("a" after "a/b.txt") cannot have it: were it
    // the entry's, its failure would remove the group with everything in it.
    const groupPaths = (run.groupPaths ??= new Set());
    if (groupPaths.has(target)) throw new Error(`'${target}' is already a group, the directory of earlier entries`);
    const slash = target.lastIndexOf("/");
    const parentPath = target.slice(0, slash) || "/";
    // The directories this entry needs that no earlier entry did. One an earlier entry claimed as
    // its dataset ("c/d.txt" after "c") cannot be a group, whether or not that dataset is written
    // yet: the later entry fails, whatever order the writer gets to them in.
    const newGroups: string[] = [];
    for (let group = parentPath; group !== "/" && !groupPaths.has(group); group = group.slice(0, group.lastIndexOf("/")) || "/") {
      if (run.claimed.has(group)) throw new Error(`'${group}' is a dataset, expected a group`);
      newGroups.push(group);
    }
    run.claimed.add(target);
    let parent = run.groups.get(parentPath);
    if (!parent) {
      parent = await run.file.requireGroup(parentPath);
      // Entries come in directory order, so the recent groups are the ones needed again. A group
      // dropped here closes when collected (or with the file); an entry using it keeps it alive.
      if (run.groups.size >= OPEN_GROUPS) run.groups.delete(run.groups.keys().next().value!);
      run.groups.set(parentPath, parent);
    }
    for (const group of newGroups) groupPaths.add(group);
    const name = target.slice(slash + 1);
    // Something already there (a dataset this file held before an --append) is not the entry's:
    // the entry fails and what is there stays.
    if (run.mayExist && (await parent.has(name))) throw new Error(`'${target}' already exists in the file`);
    run.writing.add(target);
    return [parent, name];
  });
}

/** Parent groups kept open between entries (each lookup would cost three HDF5 calls). */
const OPEN_GROUPS = 64;

/** A failed entry leaves nothing behind: what it wrote at the target it claimed is removed. */
export async function removePartial(run: Run, target: string): Promise<void> {
  try {
    if (await run.file.has(target)) await run.file.delete(target);
  } catch {
    // Nothing was written, or the file itself failed: the manifest row tells the cause.
  }
}
