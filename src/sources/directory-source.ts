// A directory input, walked recursively in name order; files are read in blocks from disk.
import fs from "node:fs";
import path from "node:path";
import { groupNameOf, type Source, type SourceEntry } from "./source-entry";

const BLOCK = 1 << 20;

export class DirectorySource implements Source {
  readonly groupName: string;

  constructor(readonly name: string, private readonly root = name) {
    this.groupName = groupNameOf(name);
  }

  async *entries(): AsyncGenerator<SourceEntry> {
    yield* this.walk("");
  }

  async close(): Promise<void> {}

  private async *walk(relative: string): AsyncGenerator<SourceEntry> {
    const dir = path.join(this.root, relative);
    const children = (await fs.promises.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      const childPath = relative ? `${relative}/${child.name}` : child.name;
      if (child.isDirectory()) {
        yield* this.walk(childPath);
      } else if (child.isFile()) {
        yield fileEntry(this.name, childPath, path.join(dir, child.name), (await fs.promises.stat(path.join(dir, child.name))).size);
      }
    }
  }
}

/** An entry backed by a file on disk. */
export function fileEntry(source: string, sourcePath: string, file: string, size: number): SourceEntry {
  return {
    source,
    sourcePath,
    size,
    async *blocks() {
      const handle = await fs.promises.open(file, "r");
      try {
        for (;;) {
          const buffer = Buffer.allocUnsafe(BLOCK);
          const { bytesRead } = await handle.read(buffer, 0, BLOCK, null);
          if (bytesRead === 0) return;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await handle.close();
      }
    },
    readAll: () => fs.promises.readFile(file),
  };
}
