// Zip files written byte by byte (Python's struct and zlib), so that a case can store what no zip
// tool writes on purpose: any name bytes (empty, '..', not UTF-8), two members of one name, a
// wrong CRC, ZipCrypto encryption, a symlink member, a deflate stream made by hand (a bomb).
import { python } from "../../helpers/h5py";
import { withSpecFile } from "./tree";

export interface ZipMember {
  /** The stored name: text (UTF-8, flagged as such) or raw bytes (no UTF-8 flag unless `utf8Flag`). */
  name: string | Buffer;
  data?: string | Buffer;
  /** Deflate (default) or store. */
  store?: boolean;
  /** Flip the recorded CRC-32 (the data stays as it is). */
  badCrc?: boolean;
  /** Encrypt with traditional PKWARE encryption (ZipCrypto) under this password. */
  password?: string;
  /** A Unix symlink: `data` is its target. */
  symlink?: boolean;
  /** Set the UTF-8 name flag even for a raw-bytes name. */
  utf8Flag?: boolean;
  /** Replaces the data: a deflated stream of `mib` MiB, each byte `byte` (built fast, ~1 MB per GiB). */
  bomb?: { mib: number; byte: number };
}

/** Python: write_zip(path, members) and the deflate bomb body; shared with bombs.ts. */
export const ZIP_PY = String.raw`
import base64, json, struct, sys, zlib
MiB = 1 << 20

def repeated_deflate(mib, byte):
    # After a full flush the compressor starts afresh, so every further MiB of the same byte
    # compresses to the same bytes: the stream is those bytes repeated, and costs nothing to make.
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes([byte]) * MiB
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    body = first + again * (mib - 1) + c.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(mib): crc = zlib.crc32(block, crc)
    return body, crc, mib * MiB

class ZipCrypto:
    def __init__(self, password):
        self.k = [0x12345678, 0x23456789, 0x34567890]
        for b in password: self.update(b)
    @staticmethod
    def step(c, b):
        return (~zlib.crc32(bytes([b]), (~c) & 0xffffffff)) & 0xffffffff
    def update(self, b):
        k = self.k
        k[0] = self.step(k[0], b)
        k[1] = ((k[1] + (k[0] & 0xff)) * 134775813 + 1) & 0xffffffff
        k[2] = self.step(k[2], (k[1] >> 24) & 0xff)
    def encrypt(self, data):
        out = bytearray()
        for p in data:
            t = (self.k[2] | 2) & 0xffff
            out.append(p ^ (((t * (t ^ 1)) >> 8) & 0xff))
            self.update(p)
        return bytes(out)

def write_zip(path, members):
    out, central = bytearray(), bytearray()
    for m in members:
        name = base64.b64decode(m["name"])
        data = base64.b64decode(m.get("data", ""))
        method = 0 if m.get("store") else 8
        if m.get("bomb"):
            body, crc, size = repeated_deflate(m["bomb"]["mib"], m["bomb"]["byte"])
            method = 8
        else:
            crc, size = zlib.crc32(data), len(data)
            if method == 8:
                c = zlib.compressobj(6, zlib.DEFLATED, -15)
                body = c.compress(data) + c.flush()
            else:
                body = data
        if m.get("badCrc"): crc ^= 0xdeadbeef
        flags = 0x800 if m.get("utf8Flag") else 0
        if m.get("password"):
            flags |= 1
            # The 12-byte header ends with the CRC's high byte: how a reader checks the password.
            body = ZipCrypto(m["password"].encode()).encrypt(bytes(range(1, 12)) + bytes([crc >> 24]) + body)
        mode = 0o120777 if m.get("symlink") else 0o100644
        local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, flags, method, 0, 0x21, crc, len(body), size, len(name), 0) + name
        offset = len(out)
        out += local + body
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, (3 << 8) | 20, 20, flags, method, 0, 0x21, crc, len(body), size,
                               len(name), 0, 0, 0, 0, mode << 16, offset) + name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(members), len(members), len(central), start, 0)
    with open(path, "wb") as f: f.write(out)
`;

/** Writes `members` as the zip file `file`. */
export function writeZip(file: string, members: ZipMember[]): void {
  const encoded = members.map((m) => ({
    ...m,
    name: (typeof m.name === "string" ? Buffer.from(m.name, "utf8") : m.name).toString("base64"),
    data: m.data === undefined ? "" : Buffer.from(m.data).toString("base64"),
    utf8Flag: m.utf8Flag ?? typeof m.name === "string",
  }));
  withSpecFile(file, encoded, (spec) => python(`${ZIP_PY}
write_zip(sys.argv[1], json.load(open(sys.argv[2])))
print("null")`, file, spec));
}
