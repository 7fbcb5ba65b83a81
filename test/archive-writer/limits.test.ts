// The formats' extensions, exercised cheaply: ZIP64 and tar PAX size records are forced by lowering
// the internal limits (ArchiveWriterOptions.limits, for tests only) instead of writing 4 or 8 GiB;
// a zip with more than 65535 entries is written for real. Also: out-of-range mtimes, streaming
// memory stays bounded, and the helpers (CRC-32 fallback, PAX records, ustar name split).
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import zlib from "node:zlib";
import { openArchiveWriter, type ArchiveFormat } from "../../src/archive-writer";
import { crc32, tableCrc32 } from "../../src/archive-writer/crc32";
import { paxRecord, splitUstar } from "../../src/archive-writer/tar";
import { deflateBound, dosDateTime } from "../../src/archive-writer/zip";
import { tempDir } from "../helpers/h5py";
import { readWithNative, readWithPython, sha256, tool, walkZip } from "./read-back";

const dir = tempDir("h5dat-archive-writer-limits-");
const MTIME = new Date("2022-02-02T02:02:02Z");

test("zip: ZIP64 sizes, offsets and end record (limits lowered) read back everywhere", async () => {
  const file = path.join(dir, "zip64.zip");
  const files: Record<string, { data: Buffer; compress?: boolean; stream?: boolean }> = {
    "small.txt": { data: Buffer.from("small, at offset 0\n") },
    "big.bin": { data: crypto.randomBytes(1 << 20) }, // ≥ zipSize: zip64 sizes
    "big-zeros.bin": { data: Buffer.alloc(200_000), stream: true }, // deflates to little, zip64 decided from its size
    "stored.bin": { data: crypto.randomBytes(3000), compress: false },
    "late.txt": { data: Buffer.from("past zipOffset: zip64 offset only\n") },
    "empty.txt": { data: Buffer.alloc(0) },
  };
  const writer = await openArchiveWriter(file, undefined, { limits: { zipSize: 1000, zipOffset: 5000, zipEntries: 3 } });
  for (const [name, spec] of Object.entries(files)) {
    const data = spec.stream ? (async function* () { for (let i = 0; i < spec.data.length; i += 1000) yield spec.data.subarray(i, i + 1000); })() : spec.data;
    await writer.add(name, data, { mtime: MTIME, compress: spec.compress, size: spec.data.length });
  }
  await writer.close();

  const walked = walkZip(file);
  assert.equal(walked.zip64End, true);
  // The plain end record says "see zip64": 0xFFFF entries (≥ 3) and 0xFFFFFFFF offset (≥ 5000).
  assert.equal(walked.end.count, 0xffff);
  assert.equal(walked.end.directoryOffset, 0xffffffff);
  assert.ok(walked.end.directorySize < 5000 && walked.end.directorySize > 0);
  const byName = Object.fromEntries(walked.entries.map((e) => [e.name, e]));
  assert.deepEqual(Object.keys(byName), Object.keys(files));
  assert.deepEqual(byName["small.txt"].wide, []);
  assert.equal(byName["small.txt"].localZip64, false);
  for (const name of ["big.bin", "big-zeros.bin", "stored.bin"]) {
    assert.equal(byName[name].localZip64, true, name);
    assert.deepEqual(byName[name].wide.slice(0, 2), ["size", "compressed"], name);
  }
  assert.ok(byName["big-zeros.bin"].compressed < 1000); // sizes wide by declared size, not by outcome
  assert.equal(byName["stored.bin"].method, 0);
  assert.equal(byName["stored.bin"].compressed, 3000);
  assert.deepEqual(byName["late.txt"].wide, ["offset"]);
  assert.equal(byName["late.txt"].localZip64, false);
  assert.ok(byName["late.txt"].offset >= 5000);

  const python = readWithPython(file);
  assert.equal(python.bad, null);
  const native = await readWithNative(file);
  for (const [name, spec] of Object.entries(files)) {
    assert.equal(python.entries[name].sha256, sha256(spec.data), `python ${name}`);
    assert.equal(python.entries[name].size, spec.data.length, `python ${name}`);
    assert.equal(native[name].sha256, sha256(spec.data), `native ${name}`);
    assert.equal(native[name].size, spec.data.length, `native ${name}`);
  }
  assert.ok(python.entries["big.bin"].extras!.includes(0x0001));
  assert.ok(!python.entries["small.txt"].extras!.includes(0x0001));
  const unzip = tool("unzip", "-t", file);
  if (unzip !== null) assert.match(unzip, /No errors detected/);
});

test("zip: 65,600 entries (more than 65535) get a real ZIP64 end record", async () => {
  const file = path.join(dir, "many.zip");
  const writer = await openArchiveWriter(file);
  const count = 65_600;
  for (let i = 0; i < count; i++) await writer.add(`d${i % 100}/f${i}.txt`, Buffer.from(String(i)), { mtime: MTIME });
  await writer.close();
  const walked = walkZip(file);
  assert.equal(walked.zip64End, true);
  assert.equal(walked.end.count, 0xffff);
  assert.equal(walked.entries.length, count);
  assert.equal(walked.entries[count - 1].name, `d${(count - 1) % 100}/f${count - 1}.txt`);
  const python = readWithPython(file);
  assert.equal(Object.keys(python.entries).length, count);
  assert.equal(python.entries["d42/f65542.txt"].sha256, sha256(Buffer.from("65542")));
  let seen = 0;
  for (const entry of Object.values(await readWithNative(file))) seen += entry.type === "file" ? 1 : 0;
  assert.equal(seen, count);
});

for (const format of ["tar", "tar.gz"] as const) {
  test(`${format}: sizes past the octal field go in a PAX size record (limit lowered)`, async () => {
    const file = path.join(dir, `pax-size.${format}`);
    const big = crypto.randomBytes(1 << 20);
    const writer = await openArchiveWriter(file, undefined, { limits: { tarSize: 1000 } });
    await writer.add("small.txt", Buffer.from("small"), { mtime: MTIME });
    await writer.add("big/data.bin", (async function* () { for (let i = 0; i < big.length; i += 4096) yield big.subarray(i, i + 4096); })(), { size: big.length, mtime: MTIME });
    await writer.add("after.txt", Buffer.from("after"), { mtime: MTIME });
    await writer.close();
    const { entries } = readWithPython(file);
    assert.deepEqual(entries["big/data.bin"].pax, { size: String(big.length) });
    assert.equal(entries["big/data.bin"].size, big.length);
    assert.equal(entries["big/data.bin"].sha256, sha256(big));
    assert.deepEqual(entries["small.txt"].pax, {});
    assert.equal(entries["after.txt"].sha256, sha256(Buffer.from("after")));
    const native = await readWithNative(file);
    assert.equal(native["big/data.bin"].sha256, sha256(big));
    assert.equal(native["after.txt"].sha256, sha256(Buffer.from("after")));
    // The ustar size field itself says 0: a reader ignoring PAX would have failed above.
    const raw = format === "tar" ? fs.readFileSync(file) : zlib.gunzipSync(fs.readFileSync(file));
    const header = raw.indexOf("big/data.bin\u0000");
    assert.equal(raw.subarray(header + 124, header + 135).toString("latin1"), "00000000000");
    const listed = tool("tar", "-tvf", file);
    if (listed !== null) assert.match(listed, new RegExp(`\\b${big.length}\\b.*big/data\\.bin`));
  });
}

for (const format of ["tar", "tar.gz", "zip"] as const) {
  test(`${format}: mtimes before 1970 or past the octal field round-trip in tar (PAX), clamp to DOS range in zip`, async () => {
    const file = path.join(dir, `mtimes.${format}`);
    const times = { "old.txt": new Date("1960-06-15T12:00:00Z"), "future.txt": new Date("2500-01-01T00:00:00Z"), "now.txt": MTIME };
    const writer = await openArchiveWriter(file, format as ArchiveFormat);
    for (const [name, mtime] of Object.entries(times)) await writer.add(name, Buffer.from(name), { mtime });
    await writer.close();
    const { entries } = readWithPython(file);
    const native = await readWithNative(file);
    if (format === "zip") {
      assert.deepEqual(entries["old.txt"].date_time, [1980, 1, 1, 0, 0, 0]);
      assert.deepEqual(entries["future.txt"].date_time, [2107, 12, 31, 23, 59, 58]);
      assert.ok(!entries["old.txt"].extras!.includes(0x5455)); // no Unix time to give
      assert.equal(native["now.txt"].mtime, MTIME.getTime() / 1000);
    } else {
      for (const [name, mtime] of Object.entries(times)) {
        assert.equal(entries[name].mtime, mtime.getTime() / 1000, name);
        // ArchiveReader reports a negative mtime as null (unknown); the rest exactly.
        assert.equal(native[name].mtime, mtime.getTime() < 0 ? null : mtime.getTime() / 1000, name);
      }
      assert.deepEqual(entries["old.txt"].pax, { mtime: String(times["old.txt"].getTime() / 1000) });
      assert.deepEqual(entries["now.txt"].pax, {});
    }
  });
}

for (const format of ["tar", "tar.gz", "zip"] as const) {
  test(`${format}: a 32 MiB stream is written with bounded memory (little is held between the source and the file)`, async () => {
    const file = path.join(dir, `bounded.${format}`);
    const chunk = 64 * 1024;
    const total = 32 * 1024 * 1024;
    const hash = crypto.createHash("sha256");
    let yielded = 0;
    let maxAhead = 0;
    const source = async function* () {
      while (yielded < total) {
        maxAhead = Math.max(maxAhead, yielded - fs.statSync(file).size);
        const data = crypto.randomBytes(chunk); // random: the compressed file grows like the input
        hash.update(data);
        yielded += data.length;
        yield data;
      }
    };
    const writer = await openArchiveWriter(file);
    await writer.add("big.bin", source(), { size: total });
    await writer.close();
    assert.ok(maxAhead < 4 * 1024 * 1024, `held ${maxAhead} bytes`);
    const native = await readWithNative(file, 1 << 20);
    assert.equal(native["big.bin"].sha256, hash.digest("hex"));
  });
}

test("CRC-32: zlib's and the table fallback agree, continuing across chunks", () => {
  assert.equal(tableCrc32(Buffer.from("123456789")), 0xcbf43926);
  assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
  const data = crypto.randomBytes(100_000);
  let table = 0;
  for (let i = 0; i < data.length; i += 777) table = tableCrc32(data.subarray(i, i + 777), table);
  assert.equal(table, crc32(data));
  assert.equal(tableCrc32(new Uint8Array(0)), 0);
});

test("PAX records count their own length digits; ustar names split at a '/' within 155 + 100 bytes", () => {
  for (let n = 0; n < 1200; n++) {
    const record = paxRecord("path", "é".repeat(n));
    assert.equal(Number(record.slice(0, record.indexOf(" "))), Buffer.byteLength(record), `n=${n}`);
  }
  assert.equal(splitUstar(Buffer.from("a".repeat(100)))?.prefix.length, 0);
  assert.equal(splitUstar(Buffer.from("a".repeat(101))), null);
  const longest = Buffer.from(`${"p".repeat(155)}/${"n".repeat(100)}`);
  assert.deepEqual(splitUstar(longest)?.prefix.toString(), "p".repeat(155));
  assert.equal(splitUstar(Buffer.from(`${"p".repeat(156)}/${"n".repeat(10)}`)), null);
  assert.equal(splitUstar(Buffer.from(`${"p".repeat(10)}/${"n".repeat(101)}`)), null);
  assert.equal(splitUstar(Buffer.from(`a/${"b".repeat(98)}/c`))?.name.toString(), `${"b".repeat(98)}/c`); // the first '/' that fits
  assert.equal(splitUstar(Buffer.from(`a/${"b".repeat(99)}/c`))?.name.toString(), "c");
});

test("DOS times and the deflate bound", () => {
  const d = new Date(2021, 2, 4, 5, 6, 9); // local time
  assert.deepEqual(dosDateTime(d), { date: (41 << 9) | (3 << 5) | 4, time: (5 << 11) | (6 << 5) | 4 });
  for (const n of [0, 1, 1000, 1 << 20]) assert.ok(zlib.deflateRawSync(crypto.randomBytes(n)).length <= deflateBound(n), String(n));
  assert.ok(deflateBound(0xffffffff - 1_000_000) >= 0xffffffff); // near 4 GiB, zip64 is chosen up front
});
