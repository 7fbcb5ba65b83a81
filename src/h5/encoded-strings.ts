// Strings as their UTF-8 bytes end to end and where each one ends: how text crosses between
// processes (two typed arrays are copied as bytes, where an array of strings is rebuilt string by
// string), how a ragged string array (ragged-strings.ts) and a ragged record column store it, and
// what the packer (encode.ts) copies into fixed-length string fields without making a JS string
// (a large CSV's text columns, parsed in a worker: processors/csv-block.ts).
import { isUtf8 } from "node:buffer";
import { H5Error } from "./errors";

/** Strings as UTF-8: their bytes end to end, and where each one ends in them. */
export interface EncodedStrings {
  bytes: Uint8Array;
  /** ends[i]: the end of string i in `bytes` (string i starts at ends[i - 1], or 0). */
  ends: Float64Array;
}

/** `strings` as UTF-8 bytes and end offsets (cheap to send between processes: two typed arrays). */
export function encodeStrings(strings: readonly string[]): EncodedStrings {
  const ends = new Float64Array(strings.length);
  let total = 0;
  for (let i = 0; i < strings.length; i++) ends[i] = total += Buffer.byteLength(strings[i]);
  // A plain array of its own: a pooled Buffer's slice would send the whole pool to a worker.
  const bytes = new Uint8Array(total);
  const writer = Buffer.from(bytes.buffer, 0, total);
  let at = 0;
  for (const s of strings) at += writer.write(s, at);
  return { bytes, ends };
}

/** Builds EncodedStrings one string at a time, without an array of the strings in between. */
export class StringsEncoder {
  private bytes: Buffer = Buffer.allocUnsafe(64 * 1024);
  private ends = new Float64Array(4096);
  private used = 0;
  /** Strings added so far. */
  count = 0;

  /** Adds one string. */
  add(text: string): void {
    // A UTF-16 unit takes at most 3 bytes of UTF-8; a long string is measured instead, so that
    // a 100 MB value does not reserve 300 MB.
    const most = text.length < 4096 ? text.length * 3 : Buffer.byteLength(text);
    if (this.used + most > this.bytes.length) this.bytes = grown(this.bytes, this.used + most, this.used);
    this.used += this.bytes.write(text, this.used);
    if (this.count === this.ends.length) {
      const ends = new Float64Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.ends[this.count++] = this.used;
  }

  /** The strings added, as exact-length arrays (copies: sent to another process, a view would send its whole buffer). */
  result(): EncodedStrings {
    return { bytes: new Uint8Array(this.bytes.subarray(0, this.used)), ends: this.ends.slice(0, this.count) };
  }
}

/** `buffer` copied into one of at least `need` bytes (doubling), its first `used` bytes kept. */
function grown(buffer: Buffer, need: number, used: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(need, buffer.length * 2));
  buffer.copy(next, 0, 0, used);
  return next;
}

/** Whether a value is EncodedStrings (one may have crossed a process: a plain object). */
export function isEncodedStrings(value: unknown): value is EncodedStrings {
  return typeof value === "object" && value !== null && (value as EncodedStrings).bytes instanceof Uint8Array && (value as EncodedStrings).ends instanceof Float64Array;
}

/** The longest string's bytes. */
export function longestOf(encoded: EncodedStrings): number {
  let longest = 0;
  let from = 0;
  for (const end of encoded.ends) {
    if (end - from > longest) longest = end - from;
    from = end;
  }
  return longest;
}

/** The strings, decoded. */
export function stringsOf(encoded: EncodedStrings, name = ""): string[] {
  const offsets = new Float64Array(encoded.ends.length + 1);
  offsets.set(encoded.ends, 1);
  return decodeStrings(encoded.bytes, offsets, name);
}

/** The strings between consecutive offsets (relative to offsets[0]) of `bytes`. */
export function decodeStrings(bytes: Uint8Array, offsets: Float64Array, name = ""): string[] {
  const base = offsets[0];
  const out: string[] = new Array(offsets.length - 1);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  // Valid UTF-8 (all h5dat writes) decodes once, then each string is a slice of the text at its
  // UTF-16 position: far cheaper than a decode per string. Other bytes decode string by string,
  // so that each gets its own replacement characters.
  const whole = isUtf8(bytes) ? buffer.toString("utf8") : null;
  let unit = 0;
  for (let i = 0; i < out.length; i++) {
    const a = offsets[i] - base;
    const b = offsets[i + 1] - base;
    if (b < a || b > bytes.length) throw new H5Error(`'${name}/offsets' decreases at string ${i}`, name);
    if (whole === null) {
      out[i] = buffer.toString("utf8", a, b);
      continue;
    }
    const start = unit;
    for (let k = a; k < b; k++) {
      const byte = bytes[k];
      // A lead byte starts one UTF-16 unit, a 4-byte sequence's two; continuation bytes none.
      if ((byte & 0xc0) !== 0x80) unit += byte >= 0xf0 ? 2 : 1;
    }
    out[i] = whole.slice(start, unit);
  }
  return out;
}
