// What every archive writer shares: one add at a time in call order, entry checks (path, size,
// mtime, mode) before anything is written, and a writer that refuses further work once a write
// failed midway (the archive would be corrupt).
import { entryPathProblem, EntryRegistry } from "./entry-path";
import { ArchiveWriteError } from "./errors";
import type { FileSink } from "./sink";
import type { AddOptions, ArchiveFormat, ArchiveLimits, ArchiveWriter, PreparedEntry } from "./types";
import { messageOf } from "../error-message";

const SLICE = 1 << 20; // a Uint8Array goes out in slices of this size

/** What tar and zip writers share: adds in call order, entry checks first, no work after a failed write. */
export abstract class BaseArchiveWriter implements ArchiveWriter {
  abstract readonly format: ArchiveFormat;
  private busy: Promise<unknown> = Promise.resolve();
  private readonly registry = new EntryRegistry();
  private failure: unknown = null;
  private state: "open" | "closed" | "aborted" = "open";

  protected constructor(readonly file: string, protected readonly sink: FileSink, protected readonly limits: ArchiveLimits) {}

  add(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: AddOptions = {}): Promise<void> {
    return this.serial(async () => {
      this.assertUsable();
      const entry = this.prepare(path, data, options);
      try {
        await this.writeEntry(entry);
      } catch (error) {
        this.failure = error;
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      if (this.state === "closed") return;
      if (this.failure !== null) await this.sink.destroy();
      this.assertUsable();
      try {
        await this.writeTrailer();
        await this.sink.end();
        this.state = "closed";
      } catch (error) {
        this.failure = error;
        await this.sink.destroy();
        throw error instanceof ArchiveWriteError ? error : this.error(`cannot finish archive '${this.file}': ${messageOf(error)}`, null, error);
      }
    });
  }

  abort(): Promise<void> {
    return this.serial(async () => {
      if (this.state !== "open") return; // after close() the archive is complete: kept
      this.state = "aborted";
      await this.sink.destroy();
      await this.sink.remove();
    });
  }

  /** Writes one entry's headers and data (the data verified against entry.size as it streams). */
  protected abstract writeEntry(entry: PreparedEntry): Promise<void>;
  /** Why the format cannot hold `entry`, or null: checked before anything of it is written. */
  protected entryProblem(_entry: PreparedEntry): string | null {
    return null;
  }
  /** Writes what follows the last entry. */
  protected abstract writeTrailer(): Promise<void>;

  protected error(message: string, entry: string | null = null, cause?: unknown): ArchiveWriteError {
    return new ArchiveWriteError(message, this.file, entry, cause);
  }

  private assertUsable(): void {
    if (this.state === "closed") throw this.error(`archive '${this.file}' is already closed`);
    if (this.state === "aborted") throw this.error(`archive '${this.file}' was aborted`);
    if (this.failure !== null) {
      throw this.error(`archive '${this.file}' is incomplete after an earlier failure (${messageOf(this.failure)}); abort() it`, null, this.failure);
    }
  }

  private prepare(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: AddOptions): PreparedEntry {
    const bad = (why: string) => this.error(`cannot add '${String(path)}' to archive '${this.file}': ${why}`, typeof path === "string" ? path : null);
    const problem = entryPathProblem(path);
    if (problem) throw bad(`invalid entry path: ${problem}`);
    const { size, mtime = new Date(), mode = 0o644, compress = true } = options;
    if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0)) throw bad(`size ${size} is not a byte count`);
    if (!(mtime instanceof Date) || Number.isNaN(mtime.getTime())) throw bad("mtime is not a valid Date");
    if (!(Number.isInteger(mode) && mode >= 0 && mode <= 0o7777)) throw bad(`mode ${mode} is not a permission mask (0 to 0o7777)`);
    let chunks: AsyncIterable<Uint8Array>;
    let length: number;
    if (data instanceof Uint8Array) {
      if (size !== undefined && size !== data.length) throw bad(`options.size is ${size} but the data has ${data.length} bytes`);
      length = data.length;
      chunks = slices(data);
    } else if (data && typeof (data as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === "function") {
      if (size === undefined) throw bad("options.size is required when the data is streamed (an async iterable)");
      length = size;
      chunks = verified(data, size, bad);
    } else {
      throw bad("the data is neither a Uint8Array nor an async iterable of them");
    }
    const entry = { path, size: length, mtime, mode, compress, chunks };
    const formatProblem = this.entryProblem(entry);
    if (formatProblem) throw bad(formatProblem);
    const conflict = this.registry.claim(path);
    if (conflict) throw bad(conflict);
    return entry;
  }

  // Steps run one after another; a failed step does not stop the next (which then reports it).
  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.busy.then(step, step);
    this.busy = run.catch(() => undefined);
    return run;
  }
}

async function* slices(data: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += SLICE) yield data.subarray(at, at + SLICE);
}

async function* verified(data: AsyncIterable<Uint8Array>, size: number, bad: (why: string) => Error): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of data) {
    if (!(chunk instanceof Uint8Array)) throw bad("the stream yielded something other than a Uint8Array");
    seen += chunk.length;
    if (seen > size) throw bad(`the stream yielded more than the declared size of ${size} bytes`);
    if (chunk.length > 0) yield chunk;
  }
  if (seen < size) throw bad(`the stream yielded ${seen} bytes, fewer than the declared size of ${size}`);
}
