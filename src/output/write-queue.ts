// Turns for work that must not interleave between concurrent entries: making groups ("create if
// missing" twice at once would fail). Tasks run one at a time, in submission order.

/** Runs tasks one at a time in submission order, for writes that must not interleave. */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task submitted before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
