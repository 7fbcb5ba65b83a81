// What a caught value says, whatever was thrown: an Error's message, or the value as text.

/** The message of a thrown value, whether or not it is an Error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The caught value as an Error (a thrown string or number becomes one with its text). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
