// h5dat: raw files in, well-formed HDF5 out, and back.
import { native } from "./binding";

export * from "./h5";
export { ArchiveReader, type ArchiveEntry } from "./sources/archive-reader";
export { ArchiveError } from "./sources/archive-error";

/** Version of the HDF5 library linked into h5dat. */
export function hdf5Version(): string {
  return native.libraryVersion();
}
