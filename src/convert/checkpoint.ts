// Checkpoints: every N entries or T seconds the manifest's new rows and the targets of the
// entries in flight are stored, and the file is flushed. The file is opened with checkpoints
// (its bytes on disk change only at a flush, binding/journal/checkpoint_journal.h), so after a crash it
// is as the last checkpoint left it: it opens, every entry its manifest says is written is
// there, and a resumed run removes what the entries in flight had begun.
import { recordInFlight } from "./run-record";
import type { CheckpointSchedule, Run } from "./run";
import { asError } from "../error-message";

/** Defaults: often enough to lose little work, rare enough to cost nothing measurable. */
export const CHECKPOINT_ENTRIES = 1000;
export const CHECKPOINT_SECONDS = 10;

export class Checkpoints implements CheckpointSchedule {
  private rows = 0;
  private last = performance.now();
  private readonly entries: number;
  private readonly milliseconds: number;

  constructor(private readonly run: Run) {
    this.entries = run.options.checkpointEntries ?? CHECKPOINT_ENTRIES;
    this.milliseconds = (run.options.checkpointSeconds ?? CHECKPOINT_SECONDS) * 1000;
  }

  /** After each manifest row: a checkpoint when enough rows or time have passed. */
  afterRow(): void {
    this.rows++;
    if (this.rows < this.entries && performance.now() - this.last < this.milliseconds) return;
    this.rows = 0;
    this.last = performance.now();
    this.write().catch((error: unknown) => {
      // A file that cannot be flushed (disk full) cannot go on being written: the run stops.
      this.run.failure ??= asError(error);
    });
  }

  /**
   * Stores the rows and the in-flight targets, then flushes. It takes the turn claiming targets
   * takes, so no entry starts writing in between: an entry either has a stored row, or its
   * target is in the in-flight list (it may finish meanwhile; resuming then does it again).
   */
  write(): Promise<void> {
    const { run } = this;
    return run.groupTurns.run(async () => {
      const inFlight = [...run.writing];
      await run.manifest.store(run.file);
      await recordInFlight(run.file, inFlight);
      await run.file.flush();
    });
  }
}
