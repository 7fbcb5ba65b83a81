// Archives read by the native libarchive: every entry's path, type, size and bytes match what
// Python's tarfile/zipfile/gzip wrote; links, special files, encrypted members and names that are
// not UTF-8 are reported as such; bad archives fail with an ArchiveError naming the file.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ArchiveError, ArchiveReader } from "../../src";
import { native } from "../../src/native/addon";
import { makeTreeAndArchives } from "../helpers/archives";
import { python, tempDir } from "../helpers/h5py";
import { writeZip } from "../bad/inputs/zip";

const dir = tempDir("h5dat-archives-");

// The same files in every archive: text, a 300 KiB binary (several read blocks), nested dirs, empty.
const FILES: Record<string, Buffer> = {
  "a.txt": Buffer.from("hello, archive\n"),
  "dir/b.bin": Buffer.concat(Array.from({ length: 4800 }, (_, i) => crypto.createHash("sha512").update(String(i)).digest())),
  "dir/sub/c.json": Buffer.from(JSON.stringify({ ü: [1, 2, { x: null }] })),
  "empty.txt": Buffer.alloc(0),
};
makeTreeAndArchives(FILES, path.join(dir, "source"), dir, "files", ["tar", "tar.gz", "tar.xz", "zip", "stored.zip"]);

async function readAll(file: string, block: number): Promise<Map<string, { type: string; size: number | null; bytes: Buffer }>> {
  const reader = await ArchiveReader.open(file);
  const seen = new Map<string, { type: string; size: number | null; bytes: Buffer }>();
  for await (const entry of reader.entries()) {
    const parts: Buffer[] = [];
    for await (const part of reader.blocks(block)) {
      assert.ok(part.length <= block);
      parts.push(part);
    }
    seen.set(entry.path, { type: entry.type, size: entry.size, bytes: Buffer.concat(parts) });
  }
  await reader.close();
  return seen;
}

for (const name of ["files.tar", "files.tar.gz", "files.tar.xz", "files.zip", "files.stored.zip"]) {
  test(`${name}: every entry's path, size and bytes match, read in 64 KiB blocks`, async () => {
    const seen = await readAll(path.join(dir, name), 64 * 1024);
    const files = [...seen].filter(([, e]) => e.type === "file");
    assert.deepEqual(files.map(([p]) => p).sort(), Object.keys(FILES).sort());
    for (const [p, e] of files) {
      assert.ok(e.bytes.equals(FILES[p]), `${p} differs`);
      assert.equal(e.size, FILES[p].length);
    }
  });
}

test("a lone .gz file is one entry named after it, with the uncompressed bytes", async () => {
  const file = path.join(dir, "data.json.gz");
  fs.writeFileSync(file, (await import("node:zlib")).gzipSync(FILES["dir/b.bin"]));
  const reader = await ArchiveReader.open(file);
  const entry = await reader.next();
  assert.equal(entry?.path, "data.json");
  assert.equal(entry?.filter, "gzip");
  assert.ok((await reader.readAll()).equals(FILES["dir/b.bin"]));
  assert.equal(await reader.next(), null);
  await reader.close();
});

test("bad archives fail with an ArchiveError naming the file and libarchive's cause", async () => {
  const missing = path.join(dir, "missing.zip");
  await assert.rejects(ArchiveReader.open(missing), (e: unknown) => e instanceof ArchiveError && e.message.includes(missing) && e.path === missing);

  const notArchive = path.join(dir, "text.zip");
  fs.writeFileSync(notArchive, "just some text, not a zip\n");
  await assert.rejects(async () => {
    const reader = await ArchiveReader.open(notArchive);
    await reader.next();
  }, (e: unknown) => e instanceof ArchiveError && e.message.includes(notArchive));

  const truncated = path.join(dir, "truncated.tar.gz");
  const whole = fs.readFileSync(path.join(dir, "files.tar.gz"));
  fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
  await assert.rejects(readAll(truncated, 4096), (e: unknown) => e instanceof ArchiveError && e.message.includes(truncated) && /truncat|premature|unexpected/i.test(e.message));

  const closed = await ArchiveReader.open(path.join(dir, "files.tar"));
  await closed.close();
  await assert.rejects(closed.next(), /closed/);
});

test("zip entries with UTF-8 (non-ASCII) names keep them, though the process runs in the C locale", async () => {
  const file = path.join(dir, "unicode.zip");
  python(`import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("Zürich/ü ß 東京.txt", b"one")
    z.writestr("plain.txt", b"two")
print("[]")`, file);
  const reader = await ArchiveReader.open(file);
  const names: string[] = [];
  for await (const entry of reader.entries()) names.push(entry.path);
  await reader.close();
  assert.deepEqual(names, ["Zürich/ü ß 東京.txt", "plain.txt"]);
});

test("links, special files, encrypted members and names that are not UTF-8 are reported as such", async () => {
  const tar = path.join(dir, "odd.tar");
  python(`import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT, encoding="utf-8", errors="surrogateescape") as t:
    def add(name, kind=None, link=""):
        info = tarfile.TarInfo(name)
        if kind is None:
            info.size = 2
            t.addfile(info, io.BytesIO(b"ok"))
        else:
            info.type, info.linkname = kind, link
            t.addfile(info)
    add("file.txt")
    add("sym", tarfile.SYMTYPE, "/etc/passwd")
    add("hard", tarfile.LNKTYPE, "file.txt")
    add("pipe", tarfile.FIFOTYPE)
    add("null", tarfile.CHRTYPE)
    add(b"caf\\xe9.txt".decode("utf-8", "surrogateescape"))
print("[]")`, tar);
  const reader = await ArchiveReader.open(tar);
  const seen: [string, string, string | undefined, string | undefined][] = [];
  for await (const entry of reader.entries()) seen.push([entry.path, entry.type, entry.link, entry.rawPath?.toString("latin1")]);
  await reader.close();
  assert.deepEqual(seen, [
    ["file.txt", "file", undefined, undefined],
    ["sym", "symlink", "/etc/passwd", undefined],
    ["hard", "hardlink", "file.txt", undefined],
    ["pipe", "fifo", undefined, undefined],
    ["null", "character device", undefined, undefined],
    ["caf\uFFFD.txt", "file", undefined, "caf\xe9.txt"],
  ]);

  const zip = path.join(dir, "encrypted.zip");
  writeZip(zip, [{ name: "secret.txt", data: "secret", password: "pw" }]);
  const encrypted = await ArchiveReader.open(zip);
  assert.equal((await encrypted.next())?.encrypted, true);
  await encrypted.close();
});

test("the reader's position counts the archive bytes consumed as an entry's data is read", async () => {
  const reader = await ArchiveReader.open(path.join(dir, "files.tar.gz"));
  assert.equal(reader.position, null);
  const entry = await reader.next();
  const start = entry!.position;
  let previous = start;
  for await (const _ of reader.blocks(4096)) {
    assert.ok(reader.position! >= previous);
    previous = reader.position!;
  }
  assert.ok(previous > 0);
  await reader.close();
});

test("an archive cut short says so, even where libarchive's own cause does not", async () => {
  const whole = fs.readFileSync(path.join(dir, "files.zip"));
  const cut = path.join(dir, "cut.zip");
  fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  await assert.rejects(readAll(cut, 65536), (e: unknown) => e instanceof ArchiveError && /truncat/i.test(e.message));
});

test("a tar cut inside a small entry's data (read with its header) fails on reading that data, not on the header", async () => {
  const whole = fs.readFileSync(path.join(dir, "files.tar"));
  // The 300 KiB entry's header, then a third of its data.
  const header = whole.indexOf(Buffer.from("dir/b.bin"));
  const cut = path.join(dir, "cut.tar");
  fs.writeFileSync(cut, whole.subarray(0, header + 512 + 100 * 1024));
  const reader = await ArchiveReader.open(cut);
  let failed: unknown = null;
  for (let entry = await reader.next(); entry; entry = await reader.next()) {
    if (entry.path !== "dir/b.bin") {
      await reader.readAll();
      continue;
    }
    assert.equal(entry.size, FILES["dir/b.bin"].length, "the header reads whole");
    failed = await reader.readAll().then(() => null, (e: unknown) => e);
    break;
  }
  await reader.close();
  assert.ok(failed instanceof ArchiveError && /truncat/i.test(failed.message), String(failed));
  assert.match(String(failed), /cut\.tar/);
});

test("every tar flavour (ustar, GNU, pax) says its sizes are exact and gives small entries with their header", async () => {
  const made = python<Record<string, string>>(
    `import json, sys, tarfile, io
out = {}
for name, fmt in (("ustar", tarfile.USTAR_FORMAT), ("gnu", tarfile.GNU_FORMAT), ("pax", tarfile.PAX_FORMAT)):
    path = f"{sys.argv[1]}/flavour-{name}.tar"
    with tarfile.open(path, "w", format=fmt) as tar:
        # A non-ASCII name makes the pax writer emit an extended header.
        info = tarfile.TarInfo("dür/ß.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"12345"))
    out[name] = path
print(json.dumps(out))`,
    dir,
  );
  const formats: string[] = [];
  for (const file of Object.values(made)) {
    const archive = await native.archiveOpen(file, 1 << 16);
    const header = await native.archiveNext(archive, 1 << 20);
    assert.ok(header && !("passing" in header));
    formats.push(header.format);
    assert.equal(header.exactSize, true, `${header.format}: size exact`);
    assert.deepEqual(header.data, Buffer.from("12345"), `${header.format}: data with the header`);
    await native.archiveClose(archive);
  }
  assert.ok(formats.includes("POSIX pax interchange format"), formats.join(", "));
  // A zip's header size is what the zip says, not exact by construction.
  const zip = await native.archiveOpen(path.join(dir, "files.zip"), 1 << 16);
  const entry = await native.archiveNext(zip, 1 << 20);
  assert.ok(entry && !("passing" in entry) && entry.exactSize === undefined && entry.data === undefined);
  await native.archiveClose(zip);
});
