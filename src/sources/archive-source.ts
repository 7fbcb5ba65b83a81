// An archive input (zip, tar, tar.gz, tar.xz, a lone .gz, ...), streamed entry by entry through
// the native libarchive reader: never unpacked to disk, never held whole in memory. Every entry
// but a directory is yielded: links and special files too (marked `notFile`, never read), so
// that the manifest accounts for them.
import { ArchiveReader } from "./archive-reader";
import { checkDeclaredSize, DEFAULT_LIMITS, limitedBlocks, type EntryLimits } from "./entry-limits";
import { groupNameOf, type Source, type SourceEntry } from "./source-entry";

export class ArchiveSource implements Source {
  readonly groupName: string;
  private reader: ArchiveReader | null = null;

  constructor(readonly name: string, readonly size: number, private readonly limits: EntryLimits = DEFAULT_LIMITS, private readonly file = name) {
    this.groupName = groupNameOf(name);
  }

  async *entries(): AsyncGenerator<SourceEntry> {
    const reader = (this.reader ??= await ArchiveReader.open(this.file));
    const limits = this.limits;
    for await (const entry of reader.entries()) {
      // Directories are implied by their files' paths.
      if (entry.type === "directory") continue;
      let consumed = false;
      const take = () => {
        if (consumed) throw new Error(`the data of '${entry.path}' in '${this.name}' was already read`);
        consumed = true;
      };
      const isFile = entry.type === "file";
      const blocks = async function* (): AsyncGenerator<Buffer> {
        take();
        if (!isFile) return;
        // libarchive would only say "Passphrase required": the cause is the encryption.
        if (entry.encrypted) throw new Error("encrypted: h5dat reads no password-protected entries (not read)");
        checkDeclaredSize(entry.size, limits);
        yield* limitedBlocks(reader.blocks(), limits, { start: entry.position, now: () => reader.position });
      };
      yield {
        source: this.name,
        // Tar's "./" prefix says nothing; anything else (a leading '/', '..') is kept as the
        // archive has it, for the manifest, and made safe where the entry is written.
        sourcePath: entry.path.replace(/^(?:\.\/+)+/, ""),
        size: isFile ? entry.size : 0,
        position: entry.position,
        ...(!isFile && { notFile: { type: entry.type, ...(entry.link !== undefined && { link: entry.link }) } }),
        ...(entry.rawPath !== undefined && { rawName: entry.rawPath }),
        ...(entry.warning !== undefined && { warning: entry.warning }),
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
