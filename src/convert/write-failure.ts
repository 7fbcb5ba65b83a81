// When the output itself cannot be written (disk full, quota, file too large): the run stops, and
// no entry may be kept some other way, since nothing more can be written.
import { messageOf } from "../error-message";

/** HDF5's words (with errno) when the disk or a quota is full, or the file may grow no more. */
const WRITE_FAILURE = /errno = (28|27|122)\b|No space left|File too large|quota exceeded/i;

/** The message says the file could not be written (rather than that an entry was bad). */
export function isWriteFailure(message: string): boolean {
  return WRITE_FAILURE.test(message);
}

/**
 * A run that cannot write its file (disk full, the directory gone) stops with an error naming
 * the file; what its last checkpoint stored stays in the .partial.
 */
export function writeFailure(error: unknown, partial: string): Error {
  const message = messageOf(error);
  const cause = WRITE_FAILURE.exec(message);
  if (!cause || message.startsWith(`cannot write '${partial}'`)) return error instanceof Error ? error : new Error(message);
  // HDF5's own message names the operation first ("cannot write dataset '/a/b.bin': file write failed: ...").
  const operation = /^(.*?): file write failed/.exec(message)?.[1];
  const what = /27|File too large/i.test(cause[0]) ? "file too large" : /122|quota/i.test(cause[0]) ? "disk quota exceeded" : "no space left on device";
  return new Error(`cannot write '${partial}': ${what}${operation ? ` (${operation})` : ""}; the .partial is left: free space, then --resume, or start again with --overwrite`);
}
