// Text that came from a file (an entry's name, a message quoting it, an HDF5 path or attr) made
// safe to print on a terminal. A name is its author's: ESC [31m would recolour the screen,
// ESC ] 0;title BEL retitle the window, \r overwrite the line before it, BEL ring. Such characters
// are shown as escapes instead; the manifest and --json output keep the text as given.

/**
 * C0 controls and DEL, C1 controls (U+009B is CSI to some terminals), and the Unicode bidi
 * overrides and isolates, which reorder what follows them on screen ("Trojan Source").
 * '\' itself is left alone: Windows names (`C:\data`) stay readable.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One character as an escape: `\x1b`, `\r`, `\u009b`, `\u202e`. */
function escapeCharacter(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` with every control character escaped, newlines too: one line on screen. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escapeCharacter);
}

/** Several lines (joined by '\n', which stays), each made safe as terminalText. */
export function terminalLines(text: string): string {
  return text.split("\n").map(terminalText).join("\n");
}
