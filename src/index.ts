// h5dat: raw files in, well-formed HDF5 out, and back.
import { native } from "./binding";

export * from "./h5";

/** Version of the HDF5 library linked into h5dat. */
export function hdf5Version(): string {
  return native.libraryVersion();
}
