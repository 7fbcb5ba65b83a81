// A value made on first use and kept: for what costs a process start time (compiling a JSON
// Schema, loading a native module) but most runs never need.

/** Returns a function that makes the value once, on its first call, and then returns it. */
export function lazily<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
