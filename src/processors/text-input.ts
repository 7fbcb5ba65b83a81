// Raw text files as processors receive them: a string, or bytes that may be gzipped (.json.gz,
// .csv.gz) and may start with a UTF-8 byte order mark. JSON and CSV must be UTF-8: bytes that
// are not fail with their offset, instead of turning quietly into U+FFFD in the stored values.
import { constants as bufferConstants } from "node:buffer";
import zlib from "node:zlib";

/** A text file's content: already-decoded text, or its bytes (gzip is detected by its magic). */
export type TextSource = string | Uint8Array;

/** The longest text a JS string holds (~512 MiB of ASCII): more cannot be parsed as one text. */
const MAX_TEXT_BYTES = bufferConstants.MAX_STRING_LENGTH;

// fatal: the first invalid byte throws (the default, replacing it with U+FFFD, would lose it).
// TextDecoder drops a leading BOM by default (ignoreBOM: false).
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The text of `source`: gunzipped when it starts with 1F 8B, decoded as UTF-8, BOM removed. */
export function decodeText(source: TextSource): string {
  if (typeof source === "string") return source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const bytes = source[0] === 0x1f && source[1] === 0x8b ? gunzipText(source) : source;
  try {
    return UTF8.decode(bytes);
  } catch (error) {
    if (error instanceof RangeError || bytes.length > MAX_TEXT_BYTES) throw tooLarge(bytes.length);
    throw new Error(invalidUtf8Message(bytes));
  }
}

// A small .json.gz may inflate to gigabytes (a gzip bomb): no more is inflated than a string holds.
function gunzipText(bytes: Uint8Array): Buffer {
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: MAX_TEXT_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(null);
    throw new Error(`cannot gunzip: ${(error as Error).message}`);
  }
}

function tooLarge(bytes: number | null): Error {
  const limit = `${Math.floor(MAX_TEXT_BYTES / 2 ** 20)} MiB`;
  return new Error(bytes === null ? `too large to read as text: it decompresses to more than ${limit}` : `too large to read as text: ${bytes} bytes, over ${limit}`);
}

/** "not valid UTF-8: byte 0xE9 at offset 11 (line 1, column 12)", for the first invalid byte. */
export function invalidUtf8Message(bytes: Uint8Array): string {
  const at = firstInvalidUtf8(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const what = at < bytes.length ? `byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, "0")}` : "a sequence cut off by the end";
  return `not valid UTF-8: ${what} at offset ${at} (line ${line}, byte ${at - lineStart + 1} of the line); re-encode the file as UTF-8`;
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return bytes.length;
}
