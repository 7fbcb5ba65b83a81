// Where `--images both` keeps the encoded bytes, mirroring the pixel datasets' paths: apart from
// write-entry.ts so that the run, resuming and accounting name it without importing the writers.

/** The group under which an entry's encoded bytes sit at its own path (attr `encoded_path`). */
export const ENCODED_ROOT = "/_h5dat/encoded";

/** Where the encoded bytes of the entry written at `target` go. */
export function encodedPathOf(target: string): string {
  return `${ENCODED_ROOT}${target}`;
}
