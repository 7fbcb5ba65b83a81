// Where export's files go: a directory or an archive, one file at a time, each Buffer or a
// stream of blocks. Both refuse before writing what cannot fit in the free space; an archive
// takes text of unknown length through a spool file beside it (a tar header gives the size
// before the data), never through memory.
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { openArchiveWriter, type ArchiveWriter } from "../archive-writer";
import { formatBytes } from "../byte-size";
import type { StreamedData } from "./export-types";

/** Where export writes its files: a directory or an archive. */
export interface Sink {
  /** Fails (naming `what` needs it, and the space) when `bytes` more cannot fit where the files go. */
  requireRoom(bytes: number, what: string): Promise<void>;
  /** Writes one file; resolves to its size in bytes. */
  add(file: string, data: Buffer | StreamedData): Promise<number>;
  /** Removes a partly written file; false when it cannot (an archive). */
  discard(file: string): Promise<boolean>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** Fails when `bytes` cannot fit in the free space of the file system holding `dir`. */
async function requireRoom(dir: string, bytes: number, where: string, what = "the file's size"): Promise<void> {
  const space = await fs.promises.statfs(dir);
  const free = space.bavail * space.bsize;
  if (bytes > free) throw new Error(`needs ${formatBytes(bytes)} (${what}), ${formatBytes(free)} free in ${where}`);
}

/** A sink that writes files into `dir`, made if missing. */
export function directorySink(dir: string): Sink {
  return {
    async requireRoom(bytes, what) {
      await fs.promises.mkdir(dir, { recursive: true });
      await requireRoom(dir, bytes, dir, `${what} at a byte each at least`);
    },
    async add(file, data) {
      const target = path.join(dir, ...file.split("/"));
      // Names come from the HDF5 file: never let one climb out of the directory ('..hidden' is a
      // name; export-names.ts already made '..' components safe, this is the last line).
      const relative = path.relative(dir, target);
      if (relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) throw new Error(`refusing to write '${file}' outside ${dir}`);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      if (Buffer.isBuffer(data)) {
        await fs.promises.writeFile(target, data);
        return data.length;
      }
      // A streamed file may be huge (or claim to be, in a corrupt file): refuse before writing
      // one that cannot fit rather than fill the disk.
      if (data.size !== undefined) await requireRoom(path.dirname(target), data.size, dir);
      return writeStream(data, target);
    },
    async discard(file) {
      await fs.promises.rm(path.join(dir, ...file.split("/")), { force: true });
      return true;
    },
    async close() {},
    async abort() {},
  };
}

/** Writes a stream to `target`; resolves to the bytes written. */
async function writeStream(data: StreamedData, target: string): Promise<number> {
  let bytes = 0;
  const counted = async function* () {
    for await (const chunk of data.chunks) {
      bytes += chunk.length;
      yield chunk;
    }
  };
  await pipeline(counted(), fs.createWriteStream(target));
  return bytes;
}

/** A sink that writes files as the entries of the archive `file` (.tar, .tar.gz, .tgz, .zip). */
export async function archiveSink(file: string): Promise<Sink> {
  const writer: ArchiveWriter = await openArchiveWriter(file);
  const dir = path.dirname(path.resolve(file));
  // Text of unknown length (a CSV) goes to a spool file beside the archive first: an entry's
  // size goes before its data in a tar header, and the text may be far larger than memory.
  const spool = path.join(dir, `.${path.basename(file)}.${process.pid}.spool`);
  // The entry whose data went into the archive: one that failed before (while spooling) left
  // nothing there, and the export goes on.
  let entered: string | null = null;
  return {
    requireRoom: (bytes, what) => requireRoom(dir, bytes, dir, `${what} at a byte each at least`),
    async add(name, data) {
      if (Buffer.isBuffer(data)) return writer.add(name, data).then(() => data.length);
      if (data.size !== undefined) {
        await requireRoom(dir, data.size, dir);
        entered = name;
        return writer.add(name, data.chunks, { size: data.size }).then(() => data.size!);
      }
      try {
        const size = await writeStream(data, spool);
        entered = name;
        await writer.add(name, fs.createReadStream(spool), { size });
        return size;
      } finally {
        await fs.promises.rm(spool, { force: true });
      }
    },
    discard: async (name) => entered !== name,
    close: () => writer.close(),
    abort: () => writer.abort(),
  };
}
