// Reading written archives back with independent readers: Python's tarfile/zipfile, the repo's
// native libarchive reader (what h5dat imports with), and the system's tar/gzip/unzip when present.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { ArchiveReader } from "../../src/sources/archive-reader";
import { python } from "../helpers/h5py";

export interface PythonEntry {
  size: number;
  sha256: string;
  mode: number;
  /** tar: member type ("0", "5", …); zip: "file" or "dir". */
  type: string;
  /** tar: Unix seconds. */
  mtime?: number;
  /** tar: the member's PAX records. */
  pax?: Record<string, string>;
  /** zip: local date_time tuple, flag bits, method, the extra field ids in the central directory. */
  date_time?: number[];
  flags?: number;
  method?: number;
  extras?: number[];
}

export interface PythonArchive {
  entries: Record<string, PythonEntry>;
  /** zip: the first entry with a bad CRC (zipfile.testzip), or null. */
  bad?: string | null;
}

export function readWithPython(file: string): PythonArchive {
  return python<PythonArchive>(`import hashlib, json, struct, sys, tarfile, zipfile
f = sys.argv[1]
entries = {}
if f.endswith(".zip"):
    with zipfile.ZipFile(f) as z:
        bad = z.testzip()
        for i in z.infolist():
            data = z.read(i)
            ids, x = [], i.extra
            while len(x) >= 4:
                kind, n = struct.unpack("<HH", x[:4]); ids.append(kind); x = x[4 + n:]
            entries[i.filename] = {"size": i.file_size, "sha256": hashlib.sha256(data).hexdigest(),
                "mode": (i.external_attr >> 16) & 0o7777, "type": "dir" if i.is_dir() else "file",
                "date_time": list(i.date_time), "flags": i.flag_bits, "method": i.compress_type, "extras": ids}
    print(json.dumps({"entries": entries, "bad": bad}))
else:
    with tarfile.open(f, "r:*") as t:
        for m in t.getmembers():
            data = t.extractfile(m).read() if m.isfile() else b""
            entries[m.name] = {"size": m.size, "sha256": hashlib.sha256(data).hexdigest(), "mode": m.mode,
                "type": m.type.decode(), "mtime": m.mtime, "pax": m.pax_headers}
    print(json.dumps({"entries": entries}))`, file);
}

export interface NativeEntry {
  type: string;
  size: number | null;
  mtime: number | null;
  sha256: string;
}

/** Every entry as libarchive (ArchiveReader) sees it, data read in `block`-byte blocks. */
export async function readWithNative(file: string, block = 64 * 1024): Promise<Record<string, NativeEntry>> {
  const reader = await ArchiveReader.open(file);
  const seen: Record<string, NativeEntry> = {};
  try {
    for await (const entry of reader.entries()) {
      const hash = crypto.createHash("sha256");
      for await (const part of reader.blocks(block)) hash.update(part);
      seen[entry.path] = { type: entry.type, size: entry.size, mtime: entry.mtime ? entry.mtime.getTime() / 1000 : null, sha256: hash.digest("hex") };
    }
  } finally {
    await reader.close();
  }
  return seen;
}

export function sha256(data: Uint8Array): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

/** Runs a system tool if it is installed; its stdout, or null when it is not installed. Throws if it fails. */
export function tool(name: string, ...args: string[]): string | null {
  if (!fs.existsSync(`/usr/bin/${name}`) && !fs.existsSync(`/bin/${name}`)) return null;
  return execFileSync(name, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

export interface WalkedZipEntry {
  name: string;
  method: number;
  crc: number;
  size: number;
  compressed: number;
  offset: number;
  /** Which central-directory fields were 0xFFFFFFFF and taken from its zip64 extra. */
  wide: ("size" | "compressed" | "offset")[];
  /** Whether the local header had a zip64 extra (then the data descriptor has 8-byte sizes). */
  localZip64: boolean;
}

/**
 * Walks a zip file's structure independently of any zip library: end record (and zip64 end record
 * via its locator), every central-directory header (resolving zip64 extras), each local header and
 * the data descriptor after the data, checking that descriptor and central directory agree.
 */
export function walkZip(file: string): { entries: WalkedZipEntry[]; zip64End: boolean; end: { count: number; directorySize: number; directoryOffset: number } } {
  const buf = fs.readFileSync(file);
  const at = buf.length - 22;
  assert(buf.readUInt32LE(at) === 0x06054b50, "end of central directory record at the end (no comment)");
  const end = { count: buf.readUInt16LE(at + 10), directorySize: buf.readUInt32LE(at + 12), directoryOffset: buf.readUInt32LE(at + 16) };
  assert(buf.readUInt16LE(at + 8) === end.count, "entries on this disk = total");
  let { count, directorySize, directoryOffset } = end;
  const zip64End = at >= 20 && buf.readUInt32LE(at - 20) === 0x07064b50;
  if (zip64End) {
    const record = Number(buf.readBigUInt64LE(at - 12));
    assert(record === at - 20 - 56, "zip64 end record right before its locator");
    assert(buf.readUInt32LE(record) === 0x06064b50, "zip64 end record signature");
    assert(buf.readUInt32LE(at - 4) === 1, "one disk");
    count = Number(buf.readBigUInt64LE(record + 32));
    directorySize = Number(buf.readBigUInt64LE(record + 40));
    directoryOffset = Number(buf.readBigUInt64LE(record + 48));
    assert(Number(buf.readBigUInt64LE(record + 24)) === count, "zip64: entries on this disk = total");
  }
  const entries: WalkedZipEntry[] = [];
  let p = directoryOffset;
  for (let i = 0; i < count; i++) {
    assert(buf.readUInt32LE(p) === 0x02014b50, `central header ${i} signature`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    let compressed = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    let offset = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLength).toString("utf8");
    const extras = parseExtras(buf.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    const wide: WalkedZipEntry["wide"] = [];
    const zip64 = extras.get(0x0001);
    let k = 0;
    const next = () => {
      assert(zip64 && zip64.length >= 8 * (k + 1), `${name}: zip64 extra holds every 0xFFFFFFFF field`);
      return Number(zip64.readBigUInt64LE(8 * k++));
    };
    if (size === 0xffffffff) {
      size = next();
      wide.push("size");
    }
    if (compressed === 0xffffffff) {
      compressed = next();
      wide.push("compressed");
    }
    if (offset === 0xffffffff) {
      offset = next();
      wide.push("offset");
    }
    assert(!zip64 || zip64.length === 8 * k, `${name}: zip64 extra holds only the 0xFFFFFFFF fields`);
    p += 46 + nameLength + extraLength + commentLength;

    assert(buf.readUInt32LE(offset) === 0x04034b50, `${name}: local header signature`);
    assert(buf.readUInt16LE(offset + 6) & 0x0008, `${name}: data descriptor flag`);
    const localName = buf.subarray(offset + 30, offset + 30 + buf.readUInt16LE(offset + 26));
    assert(localName.toString("utf8") === name, `${name}: local and central names agree`);
    const localExtras = parseExtras(buf.subarray(offset + 30 + localName.length, offset + 30 + localName.length + buf.readUInt16LE(offset + 28)));
    const localZip64 = localExtras.has(0x0001);
    const dataEnd = offset + 30 + localName.length + buf.readUInt16LE(offset + 28) + compressed;
    assert(buf.readUInt32LE(dataEnd) === 0x08074b50, `${name}: data descriptor signature`);
    assert(buf.readUInt32LE(dataEnd + 4) === crc, `${name}: descriptor CRC`);
    const [dc, ds] = localZip64 ? [Number(buf.readBigUInt64LE(dataEnd + 8)), Number(buf.readBigUInt64LE(dataEnd + 16))] : [buf.readUInt32LE(dataEnd + 8), buf.readUInt32LE(dataEnd + 12)];
    assert(dc === compressed && ds === size, `${name}: descriptor sizes agree with the central directory`);
    entries.push({ name, method, crc, size, compressed, offset, wide, localZip64 });
  }
  assert(p === directoryOffset + directorySize, "central directory size");
  return { entries, zip64End, end };
}

function parseExtras(extra: Buffer): Map<number, Buffer> {
  const fields = new Map<number, Buffer>();
  for (let i = 0; i + 4 <= extra.length; ) {
    const length = extra.readUInt16LE(i + 2);
    fields.set(extra.readUInt16LE(i), extra.subarray(i + 4, i + 4 + length));
    i += 4 + length;
  }
  return fields;
}
