// An archive entry's bytes copied to a temporary file as they stream past, so that the entry can
// be read again from its start: a CSV whose column turns out to hold text after rows were written
// as numbers is read once more (csv-stream.ts), and a large entry its processor fails on is kept as
// its bytes. A loose file needs none of this: it is read again from its own file. The copy costs
// a sequential write of the entry (page cache), against the parse it stands beside.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Bytes read from the copy at a time. */
const READ_BYTES = 1 << 20;

/** A temporary copy of an entry's blocks, made as they are read. */
export class EntrySpill {
  private iterator: AsyncIterator<Uint8Array> | null = null;
  private bytes = 0;

  private constructor(
    private readonly directory: string,
    private readonly handle: fs.promises.FileHandle,
  ) {}

  /** A new, empty copy in the system's temporary directory. */
  static async create(): Promise<EntrySpill> {
    const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), "h5dat-entry-"));
    return new EntrySpill(directory, await fs.promises.open(path.join(directory, "entry"), "w+"));
  }

  /** `blocks` passed on, each copied first; stopping the reader leaves the rest for drain(). */
  copying(blocks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    const iterator = (this.iterator = blocks[Symbol.asyncIterator]());
    const spill = this;
    return {
      async *[Symbol.asyncIterator]() {
        // Not for-await: a reader that stops must not end the entry's own iterator.
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          await spill.write(next.value);
          yield next.value;
        }
      },
    };
  }

  /** Copies the blocks the reader did not take. */
  async drain(): Promise<void> {
    const iterator = this.iterator;
    if (!iterator) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) await this.write(next.value);
  }

  /** The entry from its start: drain() first for all of it. */
  read(): AsyncIterable<Uint8Array> {
    return fs.createReadStream(path.join(this.directory, "entry"), { highWaterMark: READ_BYTES, start: 0, end: Math.max(0, this.bytes - 1) });
  }

  /** Removes the copy. */
  async remove(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.promises.rm(this.directory, { recursive: true, force: true });
  }

  private async write(block: Uint8Array): Promise<void> {
    await this.handle.write(block, 0, block.length, this.bytes);
    this.bytes += block.length;
  }
}
