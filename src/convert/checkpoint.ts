// Checkpoints: every N entries or T seconds the manifest's new rows and the targets of the
// entries in flight are stored, and the file is flushed. The file is opened with checkpoints
// (its bytes on disk change only at a flush, binding/journal/checkpoint_journal.h), so after a crash it
// is as the last checkpoint left it: it opens, every entry its manifest says is written is
// there, and a resumed run removes what the entries in flight had begun.
import type { File } from "../h5/file";
import type { Manifest } from "../output/manifest";
import type { WriteQueue } from "../output/write-queue";
import { recordInFlight } from "./run-record";
import { asError } from "../error-message";

/** Defaults: often enough to lose little work, rare enough to cost nothing measurable. */
export const CHECKPOINT_ENTRIES = 1000;
/** ...or this many seconds, whichever comes first. */
export const CHECKPOINT_SECONDS = 10;

/** What a checkpoint stores and flushes, and where it reports a failure: parts of the Run. */
export interface CheckpointParts {
  file: File;
  manifest: Manifest;
  /** The turn claiming targets takes. */
  turns: WriteQueue;
  /** Targets claimed by entries not finished yet. */
  writing: ReadonlySet<string>;
  /** Called first at each checkpoint: what writers buffer (a stack's paths) goes to the file. */
  beforeStore: ReadonlySet<() => Promise<void>>;
  /** Called when a checkpoint fails: the run cannot go on. */
  fail(error: Error): void;
}

/** When the run checkpoints, and the checkpoint itself. */
export class Checkpoints {
  private rows = 0;
  private last = performance.now();
  private readonly entries: number;
  private readonly milliseconds: number;

  /** Every `entries` rows or `seconds` seconds (the defaults above when not given). */
  constructor(private readonly parts: CheckpointParts, entries?: number, seconds?: number) {
    this.entries = entries ?? CHECKPOINT_ENTRIES;
    this.milliseconds = (seconds ?? CHECKPOINT_SECONDS) * 1000;
  }

  /** After each manifest row: a checkpoint when enough rows or time have passed. */
  afterRow(): void {
    this.rows++;
    if (this.rows < this.entries && performance.now() - this.last < this.milliseconds) return;
    this.rows = 0;
    this.last = performance.now();
    this.write().catch((error: unknown) => {
      // A file that cannot be flushed (disk full) cannot go on being written: the run stops.
      this.parts.fail(asError(error));
    });
  }

  /**
   * Stores the rows and the in-flight targets, then flushes. It takes the turn claiming targets
   * takes, so no entry starts writing in between: an entry either has a stored row, or its
   * target is in the in-flight list (it may finish meanwhile; resuming then does it again).
   */
  write(): Promise<void> {
    const { file, manifest, turns, writing, beforeStore } = this.parts;
    return turns.run(async () => {
      for (const flush of beforeStore) await flush();
      const inFlight = [...writing];
      await manifest.store(file);
      await recordInFlight(file, inFlight);
      await file.flush();
    });
  }
}
