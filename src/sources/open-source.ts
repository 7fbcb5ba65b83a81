// Turns an input path into a Source: a directory, an archive, or one loose file.
import fs from "node:fs";
import path from "node:path";
import { ArchiveSource } from "./archive-source";
import { DirectorySource, fileEntry } from "./directory-source";
import { DEFAULT_LIMITS, type EntryLimits } from "./entry-limits";
import { renamedNote, type Source, type SourceEntry } from "./source-entry";
import { archiveSignature, isZstdFrame } from "../classify/magic";
import { copyGroupNames, holdsHdf5 } from "./copy-names";
import { asError } from "../error-message";

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
  /** The group its HDF5 copy takes, once openSources has seen every input (copy-names.ts). */
  copyGroupName: string | undefined;
  constructor(readonly name: string, readonly size: number, private readonly limits: EntryLimits) {}
  async *entries(): AsyncGenerator<SourceEntry> {
    const name = path.basename(this.name);
    const groupNote = renamedNote(name, "dataset");
    const { copyGroupName } = this;
    yield { ...fileEntry(this.name, name, this.name, this.size, this.size, this.limits), ...(groupNote !== undefined && { groupNote }), ...(copyGroupName !== undefined && { copyGroupName }) };
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

/**
 * Every input's Source (or the Error opening it), opened in order, with the root names of loose
 * HDF5 files settled against each other's (copy-names.ts).
 */
export async function openSources(inputs: readonly string[], limits: EntryLimits = DEFAULT_LIMITS): Promise<(Source | Error)[]> {
  const sources: (Source | Error)[] = [];
  for (const input of inputs) sources.push(await openSource(input, limits).catch(asError));
  const opened = sources.filter((source): source is Source => !(source instanceof Error));
  const names = copyGroupNames(await Promise.all(opened.map(async (source) => (source instanceof FileSource ? { groupName: "", fileName: path.basename(source.name), hdf5: await holdsHdf5(source.name).catch(() => false) } : { groupName: source.groupName }))));
  opened.forEach((source, i) => {
    if (source instanceof FileSource) source.copyGroupName = names[i];
  });
  return sources;
}
