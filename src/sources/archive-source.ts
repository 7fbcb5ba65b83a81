// An archive input (zip, tar, tar.gz, tar.xz, a lone .gz, ...), streamed entry by entry through
// the native libarchive reader: never unpacked to disk, never held whole in memory. Every entry
// but an empty directory is yielded: links, special files and directories that claim data too
// (marked `notFile`, never read), so that the manifest accounts for them.
import { ArchiveReader, type ArchiveEntry } from "./archive-reader";
import { checkDeclaredSize, DEFAULT_LIMITS, limitedBlocks, type EntryLimits } from "./entry-limits";
import { groupNameOf, ownGroupNameOf, renamedNote, type Source, type SourceEntry, type SourceShard } from "./source-entry";

/** An archive as an input: its entries, under one group named after it. */
export class ArchiveSource implements Source {
  readonly groupName: string;
  /** Set when the group had to be renamed (see rootNameOf): every entry's row says so. */
  private readonly groupNote: string | undefined;
  private reader: ArchiveReader | null = null;

  constructor(readonly name: string, readonly size: number, private readonly limits: EntryLimits = DEFAULT_LIMITS, private readonly file = name) {
    this.groupName = groupNameOf(name);
    this.groupNote = renamedNote(ownGroupNameOf(name), "group");
  }

  async *entries(shard?: SourceShard): AsyncGenerator<SourceEntry> {
    // The addon hashes the group as UTF-8 bytes; a name with a lone surrogate (no UTF-8 of its
    // own) is left to JS, as node:crypto and N-API might each repair it their way.
    const filter = shard && !/\p{Surrogate}/u.test(this.groupName) ? { group: this.groupName, ...shard } : undefined;
    const reader = (this.reader ??= await ArchiveReader.open(this.file, filter));
    const limits = this.limits;
    /** Tar blocks of a directory entry's data that libarchive reads as headers (see below). */
    let dataBlocksAhead = 0;
    /** Other shards' entries passed over natively since the last entry yielded (an empty directory is not). */
    let passedOver = 0;
    for await (const entry of reader.entries()) {
      // Entries passed over natively stood between: a nameless block after them is no directory's data.
      if (entry.passedOver) {
        passedOver += entry.passedOver;
        dataBlocksAhead = 0;
      }
      // libarchive makes a tar file named 'x/' a directory and reads its data blocks as headers:
      // each is a damaged header it returns as a nameless entry. They are that directory's data,
      // accounted for by its row, not entries.
      if (dataBlocksAhead > 0 && entry.path === "" && entry.type === "other") {
        dataBlocksAhead--;
        continue;
      }
      dataBlocksAhead = 0;
      // Empty directories are implied by their files' paths. One that claims data (a zip member or
      // tar file whose name ends in '/') gets a row: skipped, as unzip and tar make it a directory
      // and libarchive gives none of its data; written as a dataset it would also take the name
      // its files need as their group.
      if (entry.type === "directory" && !entry.size) continue;
      if (entry.type === "directory") dataBlocksAhead = Math.ceil(entry.size! / 512);
      let consumed = false;
      const take = () => {
        if (consumed) throw new Error(`the data of '${entry.path}' in '${this.name}' was already read`);
        consumed = true;
      };
      const isFile = entry.type === "file";
      // Elsewhere a nameless, typeless entry is a block libarchive could not read as a header
      // (garbage after a tar's end, a corrupt member): what it held is unknown, so its row fails.
      const damaged = entry.path === "" && entry.type === "other";
      const blocks = async function* (): AsyncGenerator<Buffer> {
        take();
        if (damaged) throw new Error(`a damaged header: no entry could be read at byte ${entry.position} of the archive (what follows it is read on)`);
        if (!isFile) return;
        // libarchive would only say "Passphrase required": the cause is the encryption.
        if (entry.encrypted) throw new Error("encrypted: h5dat reads no password-protected entries (not read)");
        checkDeclaredSize(entry.size, limits);
        yield* limitedBlocks(reader.blocks(), limits, { start: entry.position, now: () => reader.position });
      };
      const passed = passedOver;
      passedOver = 0;
      yield {
        source: this.name,
        // Tar's "./" prefix says nothing; anything else (a leading '/', '..') is kept as the
        // archive has it, for the manifest, and made safe where the entry is written.
        sourcePath: entry.path.replace(/^(?:\.\/+)+/, ""),
        size: isFile ? entry.size : 0,
        position: entry.position,
        ...(!isFile && !damaged && { notFile: { type: notFileType(entry), ...(entry.link !== undefined && { link: entry.link }) } }),
        ...(entry.rawPath !== undefined && { rawName: entry.rawPath }),
        ...(entry.warning !== undefined && { warning: entry.warning }),
        ...(this.groupNote !== undefined && { groupNote: this.groupNote }),
        ...(passed > 0 && { passedOver: passed }),
        blocks,
        readAll: async () => {
          const parts: Buffer[] = [];
          for await (const block of blocks()) parts.push(block);
          return Buffer.concat(parts);
        },
      };
    }
  }

  async close(): Promise<void> {
    await this.reader?.close();
    this.reader = null;
  }
}

/** What a member that is no regular file is, for its row: "symlink", "directory, yet it declares 19 bytes of data". */
function notFileType(entry: ArchiveEntry): string {
  if (entry.type === "directory") return `directory, yet it declares ${entry.size} bytes of data`;
  return entry.type;
}
