// Turns an input path into a Source: a directory, an archive, or one loose file.
import fs from "node:fs";
import path from "node:path";
import { ArchiveSource } from "./archive-source";
import { DirectorySource, fileEntry } from "./directory-source";
import { DEFAULT_LIMITS, type EntryLimits } from "./entry-limits";
import { renamedNote, type Source, type SourceEntry } from "./source-entry";
import { archiveSignature, isZstdFrame } from "../classify/magic";

/** Whether the file's first bytes are an archive or compressed stream libarchive should open. */
export async function looksLikeArchive(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, "r");
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    const read = head.subarray(0, bytesRead);
    return archiveSignature(read) !== undefined || isZstdFrame(read);
  } finally {
    await handle.close();
  }
}

/** A single loose file as a source of one entry, stored at the top level (no group of its own). */
class FileSource implements Source {
  readonly groupName = "";
  constructor(readonly name: string, readonly size: number, private readonly limits: EntryLimits) {}
  async *entries(): AsyncGenerator<SourceEntry> {
    const name = path.basename(this.name);
    const groupNote = renamedNote(name, "dataset");
    yield { ...fileEntry(this.name, name, this.name, this.size, this.size, this.limits), ...(groupNote !== undefined && { groupNote }) };
  }
  async close(): Promise<void> {}
}

/**
 * The Source for an input path; fails with a clear message when it does not exist. `limits` stop
 * entries that would expand too far (see entry-limits.ts).
 */
export async function openSource(input: string, limits: EntryLimits = DEFAULT_LIMITS): Promise<Source> {
  const stat = await fs.promises.stat(input).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read input '${input}': ${error.code === "ENOENT" ? "no such file or directory" : error.message}`);
  });
  if (stat.isDirectory()) return DirectorySource.open(input, input, limits);
  if (await looksLikeArchive(input)) return new ArchiveSource(input, stat.size, limits);
  return new FileSource(input, stat.size, limits);
}
