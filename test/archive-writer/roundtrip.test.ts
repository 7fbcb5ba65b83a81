// Archives written by openArchiveWriter read back byte for byte: by Python's tarfile/zipfile, by
// h5dat's own libarchive reader (so export → import round-trips), and by tar/gzip/unzip.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import path from "node:path";
import { test } from "node:test";
import { openArchiveWriter, type AddOptions, type ArchiveFormat } from "../../src/archive-writer";
import { tempDir } from "../helpers/h5py";
import { readWithNative, readWithPython, sha256, tool, walkZip } from "./read-back";

const dir = tempDir("h5dat-archive-writer-");
const MTIME = new Date("2021-03-04T05:06:08Z");

// 150 characters, non-ASCII throughout (well over 100 bytes of UTF-8: a PAX path record).
const LONG_UTF8 = (() => {
  const head = "données-été/sous-répertoire-日本語/";
  const name = `fichier-${"é".repeat(150 - head.length - "fichier-".length - ".bin".length)}.bin`;
  return head + name;
})();
// ASCII, 185 bytes: fits ustar's prefix + name without PAX.
const LONG_ASCII_SPLIT = `${"p".repeat(90)}/${"q".repeat(90)}.txt`;
// ASCII, no '/' that splits it into ustar fields: a PAX path record.
const LONG_ASCII_PAX = `long/${"x".repeat(300)}.txt`;

// Chunks of 0..700 bytes, deterministic: the streamed entry.
const CHUNKS = Array.from({ length: 2000 }, (_, i) => crypto.createHash("sha512").update(String(i)).digest().subarray(0, (i * 7919) % 701));
const STREAMED = Buffer.concat(CHUNKS);

interface Spec {
  data: Buffer;
  stream?: boolean;
  options?: AddOptions;
}

const FILES: Record<string, Spec> = {
  "empty.txt": { data: Buffer.alloc(0) },
  "random.bin": { data: crypto.randomBytes(1 << 20) },
  [LONG_UTF8]: { data: Buffer.from("long UTF-8 path\n") },
  [LONG_ASCII_SPLIT]: { data: Buffer.from("ustar prefix\n") },
  [LONG_ASCII_PAX]: { data: Buffer.from("pax path\n") },
  "a/b/c/d/e/nested.json": { data: Buffer.from(JSON.stringify({ nested: true })) },
  "streamed/chunks.bin": { data: STREAMED, stream: true },
  "private/secret.txt": { data: Buffer.from("mode 0600\n"), options: { mode: 0o600 } },
  "stored/already-compressed.gz": { data: crypto.randomBytes(100_000), options: { compress: false } },
  "tab\tand newline\n.txt": { data: Buffer.from("odd characters\n") },
};

async function* chunks(): AsyncGenerator<Uint8Array> {
  for (const chunk of CHUNKS) {
    await new Promise((resolve) => setImmediate(resolve));
    yield chunk;
  }
}

async function write(file: string, format?: ArchiveFormat): Promise<void> {
  const writer = await openArchiveWriter(file, format);
  for (const [name, spec] of Object.entries(FILES)) {
    const options = { mtime: MTIME, ...spec.options };
    if (spec.stream) await writer.add(name, chunks(), { ...options, size: spec.data.length });
    else await writer.add(name, spec.data, options);
  }
  await writer.close();
}

const expectedNames = Object.keys(FILES).sort();

for (const format of ["tar", "tar.gz", "zip"] as const) {
  const file = path.join(dir, `files.${format}`);
  const written = write(file);

  test(`${format}: Python reads every name, size, mode and sha256 back`, async () => {
    await written;
    const { entries, bad } = readWithPython(file);
    assert.deepEqual(Object.keys(entries).sort(), expectedNames);
    assert.equal(bad ?? null, null);
    for (const [name, spec] of Object.entries(FILES)) {
      const entry = entries[name];
      assert.equal(entry.size, spec.data.length, name);
      assert.equal(entry.sha256, sha256(spec.data), name);
      assert.equal(entry.mode, spec.options?.mode ?? 0o644, name);
      if (format === "zip") {
        assert.equal(entry.type, "file");
        assert.equal(entry.flags! & 0x0808, 0x0808, `${name}: data descriptor + UTF-8 flags`);
        assert.equal(entry.method, spec.options?.compress === false || spec.data.length === 0 ? 0 : 8, name);
        const m = MTIME;
        assert.deepEqual(entry.date_time, [m.getFullYear(), m.getMonth() + 1, m.getDate(), m.getHours(), m.getMinutes(), m.getSeconds() & ~1]);
        assert.ok(entry.extras!.includes(0x5455), `${name}: extended timestamp`);
        assert.ok(!entry.extras!.includes(0x0001), `${name}: no zip64 for small entries`);
      } else {
        assert.equal(entry.type, "0", name);
        assert.equal(entry.mtime, MTIME.getTime() / 1000, name);
      }
    }
    if (format !== "zip") {
      // PAX only where ustar cannot hold the name.
      assert.deepEqual(entries[LONG_UTF8].pax, { path: LONG_UTF8 });
      assert.deepEqual(entries[LONG_ASCII_PAX].pax, { path: LONG_ASCII_PAX });
      assert.deepEqual(entries["tab\tand newline\n.txt"].pax, { path: "tab\tand newline\n.txt" });
      assert.deepEqual(entries[LONG_ASCII_SPLIT].pax, {});
      assert.deepEqual(entries["random.bin"].pax, {});
    }
  });

  test(`${format}: h5dat's own archive reader (libarchive) reads it back, non-ASCII names included`, async () => {
    await written;
    const seen = await readWithNative(file, 100_000);
    assert.deepEqual(Object.keys(seen).sort(), expectedNames);
    for (const [name, spec] of Object.entries(FILES)) {
      assert.deepEqual(seen[name], { type: "file", size: spec.data.length, mtime: MTIME.getTime() / 1000, sha256: sha256(spec.data) }, name);
    }
  });

  if (format === "zip") {
    test("zip: its structure checks out (local headers, descriptors, central directory, no zip64)", async () => {
      await written;
      const walked = walkZip(file);
      assert.equal(walked.zip64End, false);
      assert.deepEqual(walked.entries.map((e) => e.name), Object.keys(FILES));
      for (const entry of walked.entries) {
        assert.deepEqual(entry.wide, [], entry.name);
        assert.equal(entry.localZip64, false, entry.name);
        assert.equal(entry.size, FILES[entry.name].data.length, entry.name);
      }
      assert.equal(walked.entries.find((e) => e.name === "random.bin")!.compressed > 1 << 20, true); // random data: deflate does not shrink it
    });
  }

  test(`${format}: the system's tools accept it`, async (t) => {
    await written;
    if (format === "zip") {
      const out = tool("unzip", "-t", file);
      if (out === null) return t.skip("no unzip");
      assert.match(out, /No errors detected/);
    } else {
      if (format === "tar.gz" && tool("gzip", "-t", file) === null) return t.skip("no gzip");
      const listed = tool("tar", format === "tar" ? "-tf" : "-tzf", file);
      if (listed === null) return t.skip("no tar");
      assert.deepEqual(listed.split("\n").filter(Boolean).sort(), expectedNames.filter((n) => !n.includes("\n")).concat(["tab\\tand newline\\n.txt"]).sort());
    }
  });
}

test("the format comes from the extension (.tgz is tar.gz, any case) or the explicit argument", async () => {
  const cases: [string, ArchiveFormat | undefined, string][] = [
    ["x.tgz", undefined, "gzip"],
    ["X.TAR.GZ", undefined, "gzip"],
    ["x.TAR", undefined, "none"],
    ["x.Zip", undefined, "none"],
    ["x.bin", "tar.gz", "gzip"],
    ["x.data", "zip", "none"],
  ];
  for (const [name, format, filter] of cases) {
    const file = path.join(dir, name);
    const writer = await openArchiveWriter(file, format);
    await writer.add("one.txt", Buffer.from("1"));
    await writer.close();
    const reader = await (await import("../../src/sources/archive-reader")).ArchiveReader.open(file);
    const entry = await reader.next();
    await reader.close();
    assert.equal(entry?.path, "one.txt", name);
    assert.equal(entry?.filter, filter, name);
    assert.equal(entry?.format.startsWith(format === "zip" || /zip$/i.test(name) ? "ZIP" : "POSIX"), true, `${name}: ${entry?.format}`);
  }
});

test("an archive with no entries is valid", async () => {
  for (const format of ["tar", "tar.gz", "zip"] as const) {
    const file = path.join(dir, `empty.${format}`);
    const writer = await openArchiveWriter(file);
    await writer.close();
    assert.deepEqual(readWithPython(file).entries, {}, format);
  }
});

test("adds called without awaiting run in call order", async () => {
  const file = path.join(dir, "unawaited.zip");
  const writer = await openArchiveWriter(file);
  const names = Array.from({ length: 50 }, (_, i) => `n/${String(i).padStart(2, "0")}.txt`);
  const adds = names.map((name, i) =>
    i % 2
      ? writer.add(name, Buffer.from(name))
      : writer.add(
          name,
          (async function* () {
            await new Promise((resolve) => setTimeout(resolve, 1));
            yield Buffer.from(name);
          })(),
          { size: Buffer.byteLength(name) },
        ),
  );
  await Promise.all([...adds, writer.close()]);
  const seen = await readWithNative(file);
  assert.deepEqual(Object.keys(seen), names);
  for (const name of names) assert.equal(seen[name].sha256, sha256(Buffer.from(name)));
});
