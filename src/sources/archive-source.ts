// An archive input (zip, tar, tar.gz, tar.xz, a lone .gz, ...), streamed entry by entry through
// the native libarchive reader: never unpacked to disk, never held whole in memory.
import { ArchiveReader } from "./archive-reader";
import { groupNameOf, type Source, type SourceEntry } from "./source-entry";

export class ArchiveSource implements Source {
  readonly groupName: string;
  private reader: ArchiveReader | null = null;

  constructor(readonly name: string, readonly size: number, private readonly file = name) {
    this.groupName = groupNameOf(name);
  }

  async *entries(): AsyncGenerator<SourceEntry> {
    const reader = (this.reader ??= await ArchiveReader.open(this.file));
    for await (const entry of reader.entries()) {
      if (entry.type !== "file") continue;
      let consumed = false;
      const take = () => {
        if (consumed) throw new Error(`the data of '${entry.path}' in '${this.name}' was already read`);
        consumed = true;
      };
      yield {
        source: this.name,
        sourcePath: entry.path.replace(/^\.?\/+/, ""),
        size: entry.size,
        position: entry.position,
        blocks: () => {
          take();
          return reader.blocks();
        },
        readAll: async () => {
          take();
          return reader.readAll();
        },
      };
    }
  }

  async close(): Promise<void> {
    await this.reader?.close();
    this.reader = null;
  }
}
