// A directory input, walked recursively in name order when opened (so its size is known for
// progress); files are read in blocks from disk. Symlinks are listed but never followed (one
// could point at /etc, or back up the tree), and fifos, sockets and devices are listed but never
// read (a fifo would block): the manifest accounts for each. Names are read as bytes, so a file
// whose name is not UTF-8 can still be opened.
import fs from "node:fs";
import path from "node:path";
import { checkDeclaredSize, DEFAULT_LIMITS, limitedBlocks, type EntryLimits } from "./entry-limits";
import { groupNameOf, ownGroupNameOf, renamedNote, type Source, type SourceEntry } from "./source-entry";

const BLOCK = 1 << 20;

interface ListedFile {
  sourcePath: string;
  /** The path to open, as bytes (names need not be UTF-8). */
  file: Buffer;
  size: number;
  notFile?: { type: string; link?: string };
  /** The relative path's bytes, when some name on it is not UTF-8. */
  rawName?: Buffer;
}

/** A directory as an input: its files, under one group named after it. */
export class DirectorySource implements Source {
  readonly groupName: string;
  readonly size: number;
  private readonly groupNote: string | undefined;

  private constructor(readonly name: string, private readonly files: ListedFile[], private readonly limits: EntryLimits) {
    this.groupName = groupNameOf(name);
    this.groupNote = renamedNote(ownGroupNameOf(name), "group");
    this.size = files.reduce((sum, f) => sum + f.size, 0);
  }

  /** Lists the directory `root` (named `name` in the output). */
  static async open(name: string, root = name, limits: EntryLimits = DEFAULT_LIMITS): Promise<DirectorySource> {
    const files: ListedFile[] = [];
    await list(Buffer.from(path.resolve(root)), "", Buffer.alloc(0), files);
    return new DirectorySource(name, files, limits);
  }

  async *entries(): AsyncGenerator<SourceEntry> {
    let position = 0;
    for (const { sourcePath, file, size, notFile, rawName } of this.files) {
      position += size;
      const named = { ...(rawName && { rawName }), ...(this.groupNote !== undefined && { groupNote: this.groupNote }) };
      if (notFile) yield { source: this.name, sourcePath, size: 0, position, notFile, ...named, blocks: async function* () {}, readAll: async () => Buffer.alloc(0) };
      else yield { ...fileEntry(this.name, sourcePath, file, size, position, this.limits), ...named };
    }
  }

  async close(): Promise<void> {}
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const UTF8_LENIENT = new TextDecoder("utf-8");

/** A name's text, and whether its bytes were valid UTF-8. */
function nameText(name: Buffer): [string, boolean] {
  try {
    return [UTF8.decode(name), true];
  } catch {
    return [UTF8_LENIENT.decode(name), false];
  }
}

async function list(dir: Buffer, relative: string, relativeBytes: Buffer, into: ListedFile[], rawNames = false): Promise<void> {
  const children = (await fs.promises.readdir(dir, { withFileTypes: true, encoding: "buffer" }))
    .map((child) => ({ child, text: nameText(child.name) }))
    .sort((a, b) => (a.text[0] < b.text[0] ? -1 : a.text[0] > b.text[0] ? 1 : Buffer.compare(a.child.name, b.child.name)));
  for (const { child, text: [name, valid] } of children) {
    const sourcePath = relative ? `${relative}/${name}` : name;
    const childBytes = relativeBytes.length > 0 ? Buffer.concat([relativeBytes, Buffer.from("/"), child.name]) : child.name;
    const invalid = rawNames || !valid;
    const file = Buffer.concat([dir, Buffer.from(path.sep), child.name]);
    const listed = { sourcePath, file, size: 0, ...(invalid && { rawName: childBytes }) };
    if (child.isDirectory()) await list(file, sourcePath, childBytes, into, invalid);
    else if (child.isFile()) into.push({ ...listed, size: (await fs.promises.stat(file)).size });
    else if (child.isSymbolicLink()) into.push({ ...listed, notFile: { type: "symlink", link: nameText(await fs.promises.readlink(file, { encoding: "buffer" }))[0] } });
    else into.push({ ...listed, notFile: { type: specialType(child) } });
  }
}

function specialType(child: fs.Dirent<Buffer> | fs.Dirent): string {
  if (child.isFIFO()) return "fifo";
  if (child.isSocket()) return "socket";
  if (child.isCharacterDevice()) return "character device";
  if (child.isBlockDevice()) return "block device";
  return "other";
}

/**
 * An entry backed by a file on disk; `position`: input bytes consumed once it is read. `file` is
 * a path, or its bytes when its name is not UTF-8 (then the entry has no `file`: tools given a
 * path as text, ffmpeg, could not open it).
 */
export function fileEntry(source: string, sourcePath: string, file: string | Buffer, size: number, position: number, limits: EntryLimits = DEFAULT_LIMITS): SourceEntry {
  const text = typeof file === "string" ? file : nameText(file)[1] ? file.toString("utf8") : undefined;
  const blocks = async function* (): AsyncGenerator<Buffer> {
    checkDeclaredSize(size, limits);
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
  };
  return {
    source,
    sourcePath,
    size,
    position,
    ...(text !== undefined && { file: text }),
    // A file that grew past the limit since it was listed is stopped too.
    blocks: () => limitedBlocks(blocks(), limits),
    readAll: async () => {
      checkDeclaredSize(size, limits);
      return fs.promises.readFile(file);
    },
  };
}
