// Raw text files as processors receive them: a string, or bytes that may be gzipped (.json.gz,
// .csv.gz) and may start with a UTF-8 byte order mark.
import zlib from "node:zlib";

/** A text file's content: already-decoded text, or its bytes (gzip is detected by its magic). */
export type TextSource = string | Uint8Array;

/** The text of `source`: gunzipped when it starts with 1F 8B, decoded as UTF-8, BOM removed. */
export function decodeText(source: TextSource): string {
  if (typeof source === "string") return source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const bytes = source[0] === 0x1f && source[1] === 0x8b ? zlib.gunzipSync(source) : source;
  // TextDecoder drops a leading BOM by default (ignoreBOM: false).
  return new TextDecoder("utf-8").decode(bytes);
}
