// POSIX ustar, streamed: a 512-byte header per file (a PAX 'x' header before it when the path is
// non-ASCII or does not fit name/prefix, the size ≥ 8 GiB or the mtime outside the octal field),
// the data padded to 512, and at the end two zero blocks (padded to a 10 KiB record, as tar does).
import { BaseArchiveWriter } from "./base";
import type { FileSink } from "./sink";
import type { ArchiveFormat, ArchiveLimits, PreparedEntry } from "./types";

const BLOCK = 512;
const RECORD = 20 * BLOCK;
const OCTAL_11 = 8 ** 11; // 11 octal digits: sizes and mtimes below this fit a 12-byte field

/** Writes a POSIX ustar (a PAX header where ustar's fields have no room), gzipped for tar.gz. */
export class TarWriter extends BaseArchiveWriter {
  constructor(file: string, sink: FileSink, limits: ArchiveLimits, readonly format: ArchiveFormat) {
    super(file, sink, limits);
  }

  protected async writeEntry(entry: PreparedEntry): Promise<void> {
    await this.sink.write(tarHeaders(entry, this.limits.tarSize));
    for await (const chunk of entry.chunks) await this.sink.write(chunk);
    await this.sink.write(Buffer.alloc(padding(entry.size)));
  }

  protected async writeTrailer(): Promise<void> {
    const end = this.sink.offset + 2 * BLOCK;
    await this.sink.write(Buffer.alloc(2 * BLOCK + ((RECORD - (end % RECORD)) % RECORD)));
  }
}

/** The header block(s) of one file entry: a PAX extended header when needed, then the ustar header. */
export function tarHeaders(entry: Pick<PreparedEntry, "path" | "size" | "mtime" | "mode">, sizeLimit = OCTAL_11): Buffer {
  const pax: [string, string][] = [];
  const seconds = Math.floor(entry.mtime.getTime() / 1000);
  const split = /^[\x20-\x7e]*$/.test(entry.path) ? splitUstar(Buffer.from(entry.path, "latin1")) : null;
  if (!split) pax.push(["path", entry.path]);
  const bigSize = entry.size >= Math.min(sizeLimit, OCTAL_11);
  if (bigSize) pax.push(["size", String(entry.size)]);
  const oddTime = seconds < 0 || seconds >= OCTAL_11;
  if (oddTime) pax.push(["mtime", String(seconds)]);
  const header = ustarHeader({
    ...(split ?? fallbackName(entry.path)),
    mode: entry.mode,
    size: bigSize ? 0 : entry.size,
    mtime: oddTime ? 0 : seconds,
    type: "0",
  });
  if (pax.length === 0) return header;
  const records = Buffer.from(pax.map(([key, value]) => paxRecord(key, value)).join(""), "utf8");
  const base = fallbackName(entry.path).name.toString("latin1").split("/").pop() ?? "";
  const paxHeader = ustarHeader({
    name: Buffer.from(`PaxHeaders/${base}`.slice(0, 100), "latin1"),
    prefix: Buffer.alloc(0),
    mode: 0o644,
    size: records.length,
    mtime: oddTime ? 0 : seconds,
    type: "x",
  });
  return Buffer.concat([paxHeader, records, Buffer.alloc(padding(records.length)), header]);
}

/** ustar name (≤ 100 bytes) and prefix (≤ 155 bytes) for `path`, split at a '/', or null if it does not fit. */
export function splitUstar(path: Buffer): { name: Buffer; prefix: Buffer } | null {
  if (path.length <= 100) return { name: path, prefix: Buffer.alloc(0) };
  for (let i = path.indexOf(0x2f); i >= 0 && i <= 155; i = path.indexOf(0x2f, i + 1)) {
    if (i > 0 && path.length - i - 1 <= 100) return { name: path.subarray(i + 1), prefix: path.subarray(0, i) };
  }
  return null;
}

/** A PAX record "<len> key=value\n", where <len> counts the whole record, its own digits included. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body, "utf8");
  let length = bodyLength + 1;
  while (length !== bodyLength + String(length).length) length = bodyLength + String(length).length;
  return `${length}${body}`;
}

// The ustar name of an entry whose real path is in a PAX record: ASCII only, cut to fit.
function fallbackName(path: string): { name: Buffer; prefix: Buffer } {
  const ascii = Buffer.from(path.replace(/[^\x20-\x7e]/g, "_"), "latin1");
  return splitUstar(ascii) ?? { name: ascii.subarray(ascii.length - 100), prefix: Buffer.alloc(0) };
}

function ustarHeader(h: { name: Buffer; prefix: Buffer; mode: number; size: number; mtime: number; type: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  h.name.copy(block, 0);
  octal(block, 100, 8, h.mode);
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, h.size);
  octal(block, 136, 12, h.mtime);
  block.write(h.type, 156, "latin1");
  block.write("ustar\u000000", 257, "latin1");
  octal(block, 329, 8, 0); // devmajor
  octal(block, 337, 8, 0); // devminor
  h.prefix.copy(block, 345);
  block.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, "latin1");
  return block;
}

function octal(block: Buffer, at: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, "0")}\u0000`, at, "latin1");
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
