// Streams the entries of an archive (zip, tar, tar.gz, tar.xz, a lone .gz, and whatever else
// libarchive reads) through the native libarchive: one entry at a time, data in blocks, so
// memory stays flat however large the archive is. With a shard filter (convert --shard) the
// entries of other shards are passed over inside the addon: they never cross to JS.
import path from "node:path";
import { native } from "../native/addon";
import { ArchiveError } from "./archive-error";
import type { NativeArchive, NativeArchiveHeader } from "../native/addon-types";

/** One entry's header. `size` is null when the archive does not record it (a lone .gz). */
export interface ArchiveEntry extends Omit<NativeArchiveHeader, "size" | "exactSize" | "mtime" | "data" | "dataError"> {
  /** Bytes of data the header declares; null when it does not say. */
  size: number | null;
  /** Modification time; null when the header has none. */
  mtime: Date | null;
}

/** The entries an ArchiveReader passes over natively: those whose shardOf(group, source path, count) is not `index`. */
export interface ArchiveShardFilter {
  /** The input's group name ("" for a loose file), the first part of what shardOf hashes. */
  group: string;
  /** The shard whose entries come through. */
  index: number;
  /** How many shards there are. */
  count: number;
  /** Told the archive bytes read so far while only other shards' entries go by (for progress). */
  onPassing?(position: number): void;
  /** Once aborted, a pass over other shards' entries ends the entries (next() gives null). */
  signal?: AbortSignal;
}

const DEFAULT_BLOCK = 1 << 20;
/** Tar entries up to this size come with their header, in one native call instead of two. */
const INLINE_MAX = DEFAULT_BLOCK;

/** The entries of an archive, read one at a time through libarchive, data in blocks. */
export class ArchiveReader {
  private busy: Promise<unknown> = Promise.resolve();
  /**
   * Bytes of the current entry not read yet, when its header's size is exact (null otherwise: the
   * data then decides). Reads ask for no more, so a large entry's last block is no larger than what
   * is left, and once it is read the entry's end is known here: no native call just to learn it.
   */
  private left: number | null = null;
  /** A small tar entry's data (or its read's error), which came with its header. */
  private inline: { data: Buffer } | { error: Error } | null = null;

  /** @internal use ArchiveReader.open */
  private constructor(
    private readonly native: NativeArchive,
    /** The archive file, as opened. */
    readonly path: string,
    private readonly shard: ArchiveShardFilter | undefined,
  ) {}

  /**
   * Opens an archive for reading; fails with an ArchiveError when libarchive cannot. With `shard`,
   * next() passes over the regular files another shard owns (counted in the next entry's
   * `passedOver`); entries whose name the addon cannot hash as JS would (not UTF-8, ...) still come.
   */
  static async open(path: string, shard?: ArchiveShardFilter): Promise<ArchiveReader> {
    const filter = shard && { group: shard.group, index: shard.index, count: shard.count };
    return new ArchiveReader(await native.archiveOpen(path, 1 << 16, filter), path, shard);
  }

  /** The next entry's header, or null after the last one. Skips any unread data of the current one. */
  next(): Promise<ArchiveEntry | null> {
    return this.serial(async () => {
      let header = await native.archiveNext(this.native, INLINE_MAX);
      this.left = null;
      this.inline = null;
      let passedOver = 0;
      while (header && "passing" in header) {
        passedOver += header.passedOver;
        this.shard?.onPassing?.(header.position);
        if (this.shard?.signal?.aborted) return null;
        header = await native.archiveNext(this.native, INLINE_MAX);
      }
      if (!header) return null;
      passedOver += header.passedOver ?? 0;
      // libarchive's "raw" format takes anything: raw without a compression filter is no archive.
      if (header.format === "raw" && header.filter === "none") {
        throw new ArchiveError(`cannot read archive '${this.path}': not an archive or compressed file libarchive reads`, this.path);
      }
      if (header.exactSize) this.left = header.size;
      if (header.data) this.inline = { data: header.data };
      else if (header.dataError) this.inline = { error: header.dataError };
      return {
        // A lone compressed file's one entry is named after it (data.json.gz → data.json).
        path: header.format === "raw" ? path.basename(this.path).replace(/\.[^.]+$/, "") : header.path,
        type: header.type,
        size: header.size < 0 ? null : header.size,
        mtime: header.mtime < 0 ? null : new Date(header.mtime * 1000),
        format: header.format,
        filter: header.filter,
        position: header.position,
        ...(header.link !== undefined && { link: header.link }),
        ...(header.rawPath !== undefined && { rawPath: header.rawPath }),
        ...(header.encrypted && { encrypted: true as const }),
        ...(header.warning !== undefined && { warning: header.warning }),
        ...(passedOver > 0 && { passedOver }),
      };
    });
  }

  /** Bytes of the archive file consumed (compressed) after the last read; null before the first. */
  get position(): number | null {
    return this.native.position ?? null;
  }

  /** The next block (at most `maxBytes`) of the current entry's data; empty at its end. */
  read(maxBytes = DEFAULT_BLOCK): Promise<Buffer> {
    return this.serial(async () => {
      const inline = this.inline;
      if (inline) {
        this.inline = null;
        this.left = 0;
        if ("error" in inline) throw inline.error;
        // Callers asking for smaller blocks get the rest of it on their next reads.
        if (inline.data.length > maxBytes) {
          this.inline = { data: inline.data.subarray(maxBytes) };
          return inline.data.subarray(0, maxBytes);
        }
        return inline.data;
      }
      if (this.left === 0) return Buffer.alloc(0);
      const block = await native.archiveRead(this.native, this.left === null ? maxBytes : Math.min(maxBytes, this.left));
      if (this.left !== null) this.left = block.length === 0 ? 0 : this.left - block.length;
      return block;
    });
  }

  /** The rest of the current entry's data, block by block. */
  async *blocks(maxBytes = DEFAULT_BLOCK): AsyncGenerator<Buffer> {
    for (let block = await this.read(maxBytes); block.length > 0; block = await this.read(maxBytes)) yield block;
  }

  /** The rest of the current entry's data in one Buffer (for entries known to be small). */
  async readAll(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const block of this.blocks()) parts.push(block);
    return Buffer.concat(parts);
  }

  /** Every entry in order; read an entry's data (blocks/readAll) before the loop moves on. */
  async *entries(): AsyncGenerator<ArchiveEntry> {
    for (let entry = await this.next(); entry; entry = await this.next()) yield entry;
  }

  /** Closes the archive; later calls fail. */
  close(): Promise<void> {
    return this.serial(() => native.archiveClose(this.native));
  }

  /** `await using r = await ArchiveReader.open(...)` closes the archive at scope end. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // libarchive reads one sequence: calls on one reader run one after another.
  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.busy.then(step, step);
    this.busy = run.catch(() => undefined);
    return run;
  }
}
