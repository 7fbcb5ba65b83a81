// The error classes the native binding throws: it is handed them at load time (setErrorClasses)
// and fills in `path` (and an H5Error's `h5Stack`) itself. They live beside the addon so that
// loading it needs nothing above it; src/h5 and src/sources export them as their own.

/** A failed HDF5 operation: the message names the action, the object path and HDF5's cause. */
export class H5Error extends Error {
  /** HDF5 path of the object involved (`/group/dataset`, `/group@attr`), when known. */
  path: string | null = null;
  /** HDF5's error stack, most specific message first. Empty for errors h5dat raised itself. */
  h5Stack: string[] = [];

  constructor(message: string, path: string | null = null) {
    // Name the object in the message too (as the binding's own errors do), unless it already is.
    super(path && !message.includes(`'${path}'`) ? `${message} ('${path}')` : message);
    this.name = "H5Error";
    this.path = path;
  }
}

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
