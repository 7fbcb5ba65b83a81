// Facts about the linked HDF5 library.
import { native } from "../native/addon";

/** Version of the HDF5 library linked into h5dat. */
export function hdf5Version(): string {
  return native.libraryVersion();
}
