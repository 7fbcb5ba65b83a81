// The one error type of the HDF5 layer. The native binding creates these (it is handed the
// class at load time) and fills in `path` and `h5Stack`.

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
