// Errors from writing archives: the message names the archive file and, when there is one, the entry.

/** A failed archive write (a bad entry path or size, an unknown format, a write error). */
export class ArchiveWriteError extends Error {
  /** The archive's file path. */
  readonly archive: string;
  /** The entry path the error is about, or null when it concerns the whole archive. */
  readonly entry: string | null;

  constructor(message: string, archive: string, entry: string | null = null, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "ArchiveWriteError";
    this.archive = archive;
    this.entry = entry;
  }
}
