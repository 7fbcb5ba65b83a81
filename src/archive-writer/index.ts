// Streaming archive writers (tar, tar.gz, zip) on Node's stdlib alone, for `h5dat export --archive`:
// files go in one after another, their data as a Buffer or streamed with bounded memory.
import path from "node:path";
import { ArchiveWriteError } from "./errors";
import { FileSink } from "./sink";
import { TarWriter } from "./tar";
import { DEFAULT_LIMITS, type ArchiveFormat, type ArchiveWriter, type ArchiveWriterOptions } from "./types";
import { ZipWriter } from "./zip";
import { messageOf } from "../error-message";

export { ArchiveWriteError } from "./errors";
export type { AddOptions, ArchiveFormat, ArchiveLimits, ArchiveWriter, ArchiveWriterOptions } from "./types";

const FORMATS: readonly ArchiveFormat[] = ["tar", "tar.gz", "zip"];

/** The format a file name asks for (.tar, .tar.gz or .tgz, .zip; any case), or null. */
export function archiveFormatOf(file: string): ArchiveFormat | null {
  const name = path.basename(file).toLowerCase();
  if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) return "tar.gz";
  if (name.endsWith(".tar")) return "tar";
  if (name.endsWith(".zip")) return "zip";
  return null;
}

/**
 * Creates (or truncates) `file` and returns a writer for it. Without `format`, the extension decides
 * (.tar, .tar.gz/.tgz, .zip); anything else fails with an ArchiveWriteError, as does a file that
 * cannot be created.
 */
export async function openArchiveWriter(file: string, format?: ArchiveFormat, options: ArchiveWriterOptions = {}): Promise<ArchiveWriter> {
  const chosen = format ?? archiveFormatOf(file);
  if (chosen === null) {
    throw new ArchiveWriteError(`cannot tell the archive format of '${file}': name it .tar, .tar.gz (or .tgz) or .zip`, file);
  }
  if (!FORMATS.includes(chosen)) {
    throw new ArchiveWriteError(`unknown archive format '${String(chosen)}' for '${file}': use tar, tar.gz or zip`, file);
  }
  const level = options.level ?? 6;
  if (!(Number.isInteger(level) && level >= 0 && level <= 9)) {
    throw new ArchiveWriteError(`compression level ${level} for '${file}' is not 0 to 9`, file);
  }
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  let sink: FileSink;
  try {
    sink = await FileSink.open(file, chosen === "tar.gz" ? level : null);
  } catch (error) {
    throw new ArchiveWriteError(`cannot create archive '${file}': ${messageOf(error)}`, file, null, error);
  }
  return chosen === "zip" ? new ZipWriter(file, sink, limits, level) : new TarWriter(file, sink, limits, chosen);
}
