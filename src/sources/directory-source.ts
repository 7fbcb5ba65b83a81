// A directory input, walked recursively in name order when opened (so its size is known for
// progress); files are read in blocks from disk.
import fs from "node:fs";
import path from "node:path";
import { groupNameOf, type Source, type SourceEntry } from "./source-entry";

const BLOCK = 1 << 20;

interface ListedFile {
  sourcePath: string;
  file: string;
  size: number;
}

export class DirectorySource implements Source {
  readonly groupName: string;
  readonly size: number;

  private constructor(readonly name: string, private readonly files: ListedFile[]) {
    this.groupName = groupNameOf(name);
    this.size = files.reduce((sum, f) => sum + f.size, 0);
  }

  /** Lists the directory `root` (named `name` in the output). */
  static async open(name: string, root = name): Promise<DirectorySource> {
    const files: ListedFile[] = [];
    await list(root, "", files);
    return new DirectorySource(name, files);
  }

  async *entries(): AsyncGenerator<SourceEntry> {
    let position = 0;
    for (const { sourcePath, file, size } of this.files) {
      position += size;
      yield fileEntry(this.name, sourcePath, file, size, position);
    }
  }

  async close(): Promise<void> {}
}

async function list(root: string, relative: string, into: ListedFile[]): Promise<void> {
  const dir = path.join(root, relative);
  const children = (await fs.promises.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of children) {
    const sourcePath = relative ? `${relative}/${child.name}` : child.name;
    const file = path.join(dir, child.name);
    if (child.isDirectory()) await list(root, sourcePath, into);
    else if (child.isFile()) into.push({ sourcePath, file, size: (await fs.promises.stat(file)).size });
  }
}

/** An entry backed by a file on disk; `position`: input bytes consumed once it is read. */
export function fileEntry(source: string, sourcePath: string, file: string, size: number, position: number): SourceEntry {
  return {
    source,
    sourcePath,
    size,
    position,
    file,
    async *blocks() {
      const handle = await fs.promises.open(file, "r");
      try {
        for (let done = 0; ; ) {
          // Sized to what is left (the block is kept as long as the entry's data is), at least
          // a page in case the file grew since it was listed.
          const length = Math.min(BLOCK, Math.max(size - done, 4096));
          const buffer = Buffer.allocUnsafe(length);
          const { bytesRead } = await handle.read(buffer, 0, length, null);
          if (bytesRead === 0) return;
          done += bytesRead;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await handle.close();
      }
    },
    readAll: () => fs.promises.readFile(file),
  };
}
