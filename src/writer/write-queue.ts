// The one writer: HDF5 work for different entries runs one task at a time, in submission order,
// so concurrent entries never race on the same groups (two "create if missing" at once).

export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task submitted before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
