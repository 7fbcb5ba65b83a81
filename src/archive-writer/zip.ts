// zip, streamed without seeking: per entry a local header (sizes and CRC zero, flag bit 3), the
// data (raw deflate, or stored), then a data descriptor with the CRC-32 and sizes; at the end the
// central directory and the end record. Names are UTF-8 (flag bit 11). ZIP64 when an entry's size
// may reach 4 GiB (zip64 extra in the local header, 8-byte sizes in its descriptor), when an offset
// or the central directory passes 4 GiB, or with 65535 entries or more (zip64 end record + locator).
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { BaseArchiveWriter } from "./base";
import { crc32 } from "./crc32";
import type { FileSink } from "./sink";
import type { ArchiveLimits, PreparedEntry } from "./types";

const FLAGS = 0x0008 | 0x0800; // sizes and CRC in a data descriptor; UTF-8 names
const MADE_BY = (3 << 8) | 45; // Unix, spec 4.5: external attributes hold the mode
const SMALL_ENTRY = 64 * 1024; // entries up to this size are deflated in one call, not streamed
const U16 = 0xffff;
const U32 = 0xffffffff;

/** Writes a zip: deflated or stored entries, ZIP64 records where 32-bit fields overflow. */
export class ZipWriter extends BaseArchiveWriter {
  readonly format = "zip" as const;
  private readonly central: Buffer[] = [];

  constructor(file: string, sink: FileSink, limits: ArchiveLimits, private readonly level: number) {
    super(file, sink, limits);
  }

  protected override entryProblem(entry: PreparedEntry): string | null {
    const length = Buffer.byteLength(entry.path, "utf8");
    return length > U16 ? `the path is ${length} bytes of UTF-8; zip allows at most 65535` : null;
  }

  protected async writeEntry(entry: PreparedEntry): Promise<void> {
    const offset = this.sink.offset;
    const name = Buffer.from(entry.path, "utf8");
    const method = entry.compress && entry.size > 0 ? 8 : 0; // empty files are stored, as Info-ZIP does
    const zip64 = entry.size >= this.limits.zipSize || (method === 8 && deflateBound(entry.size) >= this.limits.zipSize);
    const local: LocalEntry = { name, method, zip64, stamp: { ...dosDateTime(entry.mtime), unixTime: unixTimeExtra(entry.mtime) } };
    await this.sink.write(localHeader(local));
    const data = await this.writeData(entry, method);
    if (!zip64 && (data.compressed >= this.limits.zipSize || data.size >= this.limits.zipSize)) {
      throw this.error(`cannot add '${entry.path}' to archive '${this.file}': ${data.compressed} bytes deflated need ZIP64, which was not foreseen`, entry.path);
    }
    await this.sink.write(dataDescriptor(data, zip64));
    this.central.push(centralHeader(local, data, entry.mode, offset, offset >= this.limits.zipOffset));
  }

  /** The entry's data, deflated or stored, with its CRC, size and size as written. */
  private async writeData(entry: PreparedEntry, method: number): Promise<EntryData> {
    let crc = 0;
    let size = 0;
    const measured = async function* () {
      for await (const chunk of entry.chunks) {
        crc = crc32(chunk, crc);
        size += chunk.length;
        yield chunk;
      }
    };
    const start = this.sink.offset;
    if (method === 8 && entry.size <= SMALL_ENTRY) {
      // One shot: a deflate stream per entry costs more than deflating a small entry.
      const parts: Uint8Array[] = [];
      for await (const chunk of measured()) parts.push(chunk);
      await this.sink.write(zlib.deflateRawSync(Buffer.concat(parts), { level: this.level }));
    } else if (method === 8) {
      try {
        await pipeline(Readable.from(measured(), { objectMode: false }), zlib.createDeflateRaw({ level: this.level }), async (deflated: AsyncIterable<Buffer>) => {
          for await (const chunk of deflated) await this.sink.write(chunk);
        });
      } catch (error) {
        throw this.sink.failed ?? error; // pipeline reports an output failure as an AbortError
      }
    } else {
      for await (const chunk of measured()) await this.sink.write(chunk);
    }
    return { crc, size, compressed: this.sink.offset - start };
  }

  protected async writeTrailer(): Promise<void> {
    const directoryOffset = this.sink.offset;
    for (const header of this.central) await this.sink.write(header);
    const directorySize = this.sink.offset - directoryOffset;
    const count = this.central.length;
    const manyEntries = count >= this.limits.zipEntries;
    const bigSize = directorySize >= this.limits.zipOffset;
    const farOffset = directoryOffset >= this.limits.zipOffset;

    const records: Buffer[] = [];
    if (manyEntries || bigSize || farOffset) {
      const end64 = Buffer.alloc(56);
      end64.writeUInt32LE(0x06064b50, 0);
      end64.writeBigUInt64LE(44n, 4); // the size of the rest of this record
      end64.writeUInt16LE(MADE_BY, 12);
      end64.writeUInt16LE(45, 14);
      // this disk, the directory's disk: zero
      end64.writeBigUInt64LE(BigInt(count), 24);
      end64.writeBigUInt64LE(BigInt(count), 32);
      end64.writeBigUInt64LE(BigInt(directorySize), 40);
      end64.writeBigUInt64LE(BigInt(directoryOffset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
      locator.writeUInt32LE(1, 16); // disks in all
      records.push(end64, locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(manyEntries ? U16 : count, 8);
    end.writeUInt16LE(manyEntries ? U16 : count, 10);
    end.writeUInt32LE(bigSize ? U32 : directorySize, 12);
    end.writeUInt32LE(farOffset ? U32 : directoryOffset, 16);
    records.push(end);
    await this.sink.write(Buffer.concat(records));
    this.central.length = 0;
  }
}

/** An upper bound of raw deflate's output for `n` input bytes (zlib's deflateBound, default memLevel, plus slack). */
export function deflateBound(n: number): number {
  return n + Math.floor(n / 4096) + Math.floor(n / 16384) + Math.floor(n / 33554432) + 64;
}

/** MS-DOS date and time (local time, 2-second steps), clamped to 1980–2107. */
export function dosDateTime(d: Date): { date: number; time: number } {
  const year = d.getFullYear();
  if (year < 1980) return { date: (1 << 5) | 1, time: 0 };
  if (year > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };
  return {
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
  };
}

// The zip64 extended information extra field (0x0001) holding `values` as 8-byte integers.
function zip64Extra(values: number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, i) => extra.writeBigUInt64LE(BigInt(value), 4 + 8 * i));
  return extra;
}

// The extended timestamp extra field (0x5455, "UT") with the modification time in Unix seconds.
function extendedTime(seconds: number): Buffer {
  const extra = Buffer.alloc(9);
  extra.writeUInt16LE(0x5455, 0);
  extra.writeUInt16LE(5, 2);
  extra.writeUInt8(1, 4); // flags: modification time present
  extra.writeUInt32LE(seconds, 5);
  return extra;
}

/** An entry's times: DOS date and time, and the extended-timestamp extra (none past 2106). */
interface EntryStamp {
  date: number;
  time: number;
  unixTime: Buffer;
}

/** The extended timestamp of `mtime`, or nothing when Unix seconds in 32 bits cannot hold it. */
function unixTimeExtra(mtime: Date): Buffer {
  const seconds = Math.floor(mtime.getTime() / 1000);
  return seconds >= 0 && seconds <= U32 ? extendedTime(seconds) : Buffer.alloc(0);
}

/** The fields both headers hold in one order from `at`: version needed, flags, method, time, date. */
function writeSharedFields(header: Buffer, at: number, version: number, method: number, stamp: EntryStamp): void {
  [version, FLAGS, method, stamp.time, stamp.date].forEach((value, i) => header.writeUInt16LE(value, at + 2 * i));
}

/** What the local header says of an entry, before its data. */
interface LocalEntry {
  name: Buffer;
  /** 8: deflated; 0: stored. */
  method: number;
  zip64: boolean;
  stamp: EntryStamp;
}

/** What an entry's data came to: its CRC-32, its size and its size as written. */
interface EntryData {
  crc: number;
  size: number;
  compressed: number;
}

/** The local file header; CRC and sizes follow the data, in the descriptor. */
function localHeader({ name, method, zip64, stamp }: LocalEntry): Buffer {
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  writeSharedFields(local, 4, zip64 ? 45 : 20, method, stamp);
  // CRC and sizes (14..26) stay zero: they follow the data, in the descriptor.
  if (zip64) {
    local.writeUInt32LE(U32, 18); // the sizes are in the zip64 extra (zero here too)
    local.writeUInt32LE(U32, 22);
  }
  const extra = Buffer.concat([zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0), stamp.unixTime]);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(extra.length, 28);
  return Buffer.concat([local, name, extra]);
}

/** The data descriptor after an entry's data: its CRC and both sizes (64-bit in zip64). */
function dataDescriptor({ crc, compressed, size }: EntryData, zip64: boolean): Buffer {
  const descriptor = Buffer.alloc(zip64 ? 24 : 16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(crc, 4);
  if (zip64) {
    descriptor.writeBigUInt64LE(BigInt(compressed), 8);
    descriptor.writeBigUInt64LE(BigInt(size), 16);
  } else {
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
  }
  return descriptor;
}

/**
 * The central directory header of an entry: its local header's fields, its data's, its mode and
 * its `offset` (past what 32 bits hold when `farOffset`: then in the zip64 extra). The zip64
 * extra keeps exactly the fields the header marks 0xFFFFFFFF.
 */
function centralHeader({ name, method, zip64, stamp }: LocalEntry, data: EntryData, mode: number, offset: number, farOffset: boolean): Buffer {
  const wide = [...(zip64 ? [data.size, data.compressed] : []), ...(farOffset ? [offset] : [])];
  const extra = Buffer.concat([wide.length ? zip64Extra(wide) : Buffer.alloc(0), stamp.unixTime]);
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY, 4);
  writeSharedFields(header, 6, wide.length ? 45 : 20, method, stamp);
  header.writeUInt32LE(data.crc, 16);
  header.writeUInt32LE(zip64 ? U32 : data.compressed, 20);
  header.writeUInt32LE(zip64 ? U32 : data.size, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  // comment length, disk number, internal attributes: zero
  header.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38); // a regular file, its mode
  header.writeUInt32LE(farOffset ? U32 : offset, 42);
  return Buffer.concat([header, name, extra]);
}
