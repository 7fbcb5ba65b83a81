// The output file of an archive writer: bytes in, to disk, optionally through gzip, with
// backpressure (write() waits for 'drain'), so memory stays bounded however much is written.
// Small writes (headers, tiny chunks) are gathered into one block before they reach the stream.
import { once } from "node:events";
import fs from "node:fs";
import type { Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { ArchiveWriteError } from "./errors";
import { messageOf } from "../error-message";

const GATHER = 64 * 1024; // writes smaller than this are copied into a block of this size
const SMALL = 16 * 1024;

/** An archive's output file: bytes gathered into blocks, optionally gzipped, written with backpressure. */
export class FileSink {
  /** Bytes accepted so far (before any gzip): offsets in the archive stream. */
  offset = 0;
  private failure: Error | null = null;
  private block = Buffer.allocUnsafe(GATHER);
  private filled = 0;
  private ending = false;

  /** Rejects once the output ends, early or not (raced against 'drain'); never unhandled. */
  private readonly stopped: Promise<never>;

  private constructor(
    private readonly file: string,
    private readonly head: Writable,
    private readonly out: fs.WriteStream,
    private readonly done: Promise<void>,
    private readonly identity: fs.Stats,
  ) {
    done.catch((error: unknown) => this.fail(error));
    this.stopped = done.then(
      () => {
        throw this.ending ? new Error("the output was ended") : this.fail(new Error("the output stream closed early"));
      },
      (error: unknown) => {
        throw this.fail(error);
      },
    );
    this.stopped.catch(() => undefined);
  }

  /** Creates (or truncates) `file`; fails here when it cannot be opened. `gzipLevel` null: no gzip. */
  static async open(file: string, gzipLevel: number | null): Promise<FileSink> {
    const handle = await fs.promises.open(file, "w");
    const identity = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    const out = handle.createWriteStream();
    if (gzipLevel === null) return new FileSink(file, out, out, finished(out), identity);
    const gzip = zlib.createGzip({ level: gzipLevel });
    return new FileSink(file, gzip, out, pipeline(gzip, out), identity);
  }

  /** The output's first failure (an ArchiveWriteError), or null. */
  get failed(): Error | null {
    return this.failure;
  }

  /** Deletes the file this sink created, if the path still names that regular file (never a device or a replaced file). */
  async remove(): Promise<void> {
    const now = await fs.promises.lstat(this.file).catch(() => null);
    if (now?.isFile() && this.identity.isFile() && now.dev === this.identity.dev && now.ino === this.identity.ino) {
      await fs.promises.rm(this.file, { force: true }).catch(() => undefined);
    }
  }

  /** Writes `chunk`; resolves when the stream can take more. Do not change `chunk` afterwards. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.offset += chunk.length;
    if (chunk.length < SMALL) {
      if (this.filled + chunk.length > GATHER) await this.flush();
      this.block.set(chunk, this.filled);
      this.filled += chunk.length;
      if (this.filled === GATHER) await this.flush();
      return;
    }
    await this.flush();
    await this.push(chunk);
  }

  /** Writes what is gathered, ends the stream(s) and waits until the file is closed. */
  async end(): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure;
    this.ending = true;
    this.head.end();
    await this.done.catch((error: unknown) => {
      throw this.fail(error);
    });
    if (!this.out.closed) await once(this.out, "close");
  }

  /** Stops writing and closes the file, ignoring errors. */
  async destroy(): Promise<void> {
    this.ending = true;
    this.head.destroy();
    this.out.destroy();
    await this.done.catch(() => undefined);
    if (!this.out.closed) await once(this.out, "close").catch(() => undefined);
  }

  // The first failure of the output, as an ArchiveWriteError naming the archive.
  private fail(error: unknown): Error {
    if (!this.failure) {
      const message = messageOf(error);
      this.failure = error instanceof ArchiveWriteError ? error : new ArchiveWriteError(`cannot write archive '${this.file}': ${message}`, this.file, null, error);
    }
    return this.failure;
  }

  private async flush(): Promise<void> {
    if (this.filled === 0) return;
    const full = this.block.subarray(0, this.filled);
    this.block = Buffer.allocUnsafe(GATHER); // the stream keeps `full` until it is written
    this.filled = 0;
    await this.push(full);
  }

  private async push(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.head.write(chunk)) return;
    const stop = new AbortController();
    const drained = once(this.head, "drain", { signal: stop.signal });
    drained.catch(() => undefined);
    try {
      await Promise.race([drained, this.stopped]);
    } catch (error) {
      throw this.fail(error);
    } finally {
      stop.abort();
    }
    if (this.failure) throw this.failure;
  }
}
