// Errors from reading archives (libarchive's message, with the archive's path).

/** A failed archive read: the message names the archive and libarchive's cause. */
export class ArchiveError extends Error {
  /** The archive's file path. */
  path: string | null = null;

  constructor(message: string, path: string | null = null) {
    super(message);
    this.name = "ArchiveError";
    this.path = path;
  }
}
