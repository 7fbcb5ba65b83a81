// Bad input fails with an ArchiveWriteError naming the path: before anything is written (the
// writer goes on), or, for a stream yielding another byte count, midway (the writer then refuses
// further work, and abort() removes the incomplete file).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ArchiveWriteError, openArchiveWriter, type ArchiveFormat } from "../../src/archive-writer";
import { tempDir } from "../helpers/h5py";
import { readWithPython, sha256 } from "./read-back";

const dir = tempDir("h5dat-archive-writer-errors-");
const FORMATS: ArchiveFormat[] = ["tar", "tar.gz", "zip"];

async function* stream(...sizes: number[]): AsyncGenerator<Uint8Array> {
  for (const size of sizes) yield Buffer.alloc(size, 0x61);
}

function rejectsWith(message: RegExp, entry?: string | null) {
  return (error: unknown) => {
    assert.ok(error instanceof ArchiveWriteError, String(error));
    assert.match(error.message, message);
    if (entry !== undefined) assert.equal(error.entry, entry);
    return true;
  };
}

for (const format of FORMATS) {
  test(`${format}: invalid paths are rejected by name, and the writer goes on`, async () => {
    const file = path.join(dir, `paths.${format}`);
    const writer = await openArchiveWriter(file, format);
    const bad: [string, RegExp][] = [
      ["../evil.txt", /'\.\.\/evil\.txt'.*'\.\.' component/],
      ["a/../../evil.txt", /'a\/\.\.\/\.\.\/evil\.txt'.*'\.\.' component/],
      ["a/..", /'\.\.' component/],
      ["a\\..\\b", /'\.\.' component/],
      ["/etc/passwd", /'\/etc\/passwd'.*absolute/],
      ["", /empty/],
      ["a//b", /empty component/],
      ["a/./b", /'\.' component/],
      ["dir/", /ends with '\/'/],
      ["nul\u0000byte", /NUL/],
      ["lone\ud800surrogate", /lone surrogate/],
    ];
    for (const [name, message] of bad) {
      await assert.rejects(writer.add(name, Buffer.from("x")), rejectsWith(message, name), JSON.stringify(name));
    }
    await writer.add("ok/kept.txt", Buffer.from("kept"));
    await assert.rejects(writer.add("ok/kept.txt", Buffer.from("again")), rejectsWith(/'ok\/kept\.txt'.*already added/));
    await assert.rejects(writer.add("ok", Buffer.from("x")), rejectsWith(/'ok'.*lies under this path/));
    await assert.rejects(writer.add("ok/kept.txt/inner", Buffer.from("x")), rejectsWith(/its parent 'ok\/kept\.txt' was added as a file/));
    await writer.add("ok/second.txt", Buffer.from("second"));
    await writer.close();
    const { entries } = readWithPython(file);
    assert.deepEqual(Object.keys(entries).sort(), ["ok/kept.txt", "ok/second.txt"]);
    assert.equal(entries["ok/kept.txt"].sha256, sha256(Buffer.from("kept")));
  });

  test(`${format}: bad sizes and options are rejected before writing, and the writer goes on`, async () => {
    const file = path.join(dir, `options.${format}`);
    const writer = await openArchiveWriter(file, format);
    await assert.rejects(writer.add("s.bin", stream(3)), rejectsWith(/'s\.bin'.*options\.size is required/, "s.bin"));
    await assert.rejects(writer.add("b.bin", Buffer.alloc(4), { size: 5 }), rejectsWith(/options\.size is 5 but the data has 4 bytes/));
    await assert.rejects(writer.add("n.bin", stream(1), { size: -1 }), rejectsWith(/size -1 is not a byte count/));
    await assert.rejects(writer.add("n.bin", stream(1), { size: 1.5 }), rejectsWith(/size 1\.5 is not a byte count/));
    await assert.rejects(writer.add("m.bin", Buffer.alloc(1), { mode: 0o10000 }), rejectsWith(/mode 4096 is not a permission mask/));
    await assert.rejects(writer.add("t.bin", Buffer.alloc(1), { mtime: new Date(NaN) }), rejectsWith(/mtime is not a valid Date/));
    await assert.rejects(writer.add("d.bin", "text" as unknown as Uint8Array), rejectsWith(/neither a Uint8Array nor an async iterable/));
    // A rejected name is not taken: it can be added properly afterwards.
    await writer.add("s.bin", stream(3), { size: 3 });
    await writer.close();
    assert.deepEqual(Object.keys(readWithPython(file).entries), ["s.bin"]);
  });

  for (const [what, sizes, declared, message] of [
    ["fewer", [10, 10], 30, /'short\.bin'.*yielded 20 bytes, fewer than the declared size of 30/],
    ["more", [10, 10, 10], 25, /'short\.bin'.*more than the declared size of 25 bytes/],
  ] as const) {
    test(`${format}: a stream yielding ${what} bytes than declared fails, the writer refuses more, abort() removes the file`, async () => {
      const file = path.join(dir, `wrong-size-${what}.${format}`);
      const writer = await openArchiveWriter(file, format);
      await writer.add("first.txt", Buffer.from("first"));
      await assert.rejects(writer.add("short.bin", stream(...sizes), { size: declared }), rejectsWith(message, "short.bin"));
      await assert.rejects(writer.add("after.txt", Buffer.from("x")), rejectsWith(/incomplete after an earlier failure.*abort\(\) it/));
      await assert.rejects(writer.close(), rejectsWith(/incomplete after an earlier failure/));
      assert.ok(fs.existsSync(file));
      await writer.abort();
      assert.ok(!fs.existsSync(file));
      await writer.abort(); // twice is fine
    });
  }

  test(`${format}: an error thrown by the data stream itself propagates unchanged`, async () => {
    const file = path.join(dir, `throws.${format}`);
    const writer = await openArchiveWriter(file, format);
    const cause = new Error("dataset read failed");
    const failing = (async function* () {
      yield Buffer.alloc(100);
      throw cause;
    })();
    await assert.rejects(writer.add("x.bin", failing, { size: 200 }), (error) => error === cause);
    await assert.rejects(writer.close(), (error: unknown) => error instanceof ArchiveWriteError && error.cause === cause);
    await writer.abort();
    assert.ok(!fs.existsSync(file));
  });
}

test("an unknown extension or format, a bad level, or an uncreatable file fails clearly", async () => {
  await assert.rejects(openArchiveWriter(path.join(dir, "out.7z")), rejectsWith(/cannot tell the archive format of '.*out\.7z': name it \.tar, \.tar\.gz \(or \.tgz\) or \.zip/));
  await assert.rejects(openArchiveWriter(path.join(dir, "out.gz")), rejectsWith(/cannot tell the archive format/));
  await assert.rejects(openArchiveWriter(path.join(dir, "out.tar"), "rar" as ArchiveFormat), rejectsWith(/unknown archive format 'rar'/));
  await assert.rejects(openArchiveWriter(path.join(dir, "out.zip"), undefined, { level: 10 }), rejectsWith(/compression level 10/));
  await assert.rejects(openArchiveWriter(path.join(dir, "no/such/dir/out.zip")), rejectsWith(/cannot create archive '.*out\.zip': ENOENT/));
  assert.ok(!fs.existsSync(path.join(dir, "out.7z")));
});

test("after close(), add and close again are refused or no-ops; abort() keeps the finished file", async () => {
  const file = path.join(dir, "closed.zip");
  const writer = await openArchiveWriter(file);
  await writer.add("a.txt", Buffer.from("a"));
  await writer.close();
  await writer.close();
  await assert.rejects(writer.add("b.txt", Buffer.from("b")), rejectsWith(/already closed/));
  await writer.abort();
  assert.deepEqual(Object.keys(readWithPython(file).entries), ["a.txt"]);
});

test("abort() midway removes the file; the writer is then refused", async () => {
  const file = path.join(dir, "aborted.tar.gz");
  const writer = await openArchiveWriter(file);
  await writer.add("a.txt", Buffer.alloc(100_000));
  await writer.abort();
  assert.ok(!fs.existsSync(file));
  await assert.rejects(writer.add("b.txt", Buffer.from("b")), rejectsWith(/was aborted/));
  await assert.rejects(writer.close(), rejectsWith(/was aborted/));
});

test("a write error (ENOSPC on /dev/full) fails the add as an ArchiveWriteError; abort() leaves the device alone", async (t) => {
  if (!fs.existsSync("/dev/full") || !fs.statSync("/dev/full").isCharacterDevice()) return t.skip("no /dev/full");
  for (const format of FORMATS) {
    const writer = await openArchiveWriter("/dev/full", format);
    // Random data: compression cannot hold it back, so the add itself hits the full device.
    await assert.rejects(writer.add("a.bin", (await import("node:crypto")).randomBytes(4 << 20)), rejectsWith(/cannot write archive '\/dev\/full': ENOSPC/, null));
    await assert.rejects(writer.close(), rejectsWith(/incomplete after an earlier failure \(cannot write archive '\/dev\/full': ENOSPC/));
    await writer.abort();
    assert.ok(fs.statSync("/dev/full").isCharacterDevice(), format);
  }
});

test("abort() deletes only the file it created: not one put in its place meanwhile", async () => {
  const file = path.join(dir, "replaced.tar");
  const writer = await openArchiveWriter(file);
  await writer.add("a.txt", Buffer.from("a"));
  fs.renameSync(file, `${file}.moved`);
  fs.writeFileSync(file, "someone else's file");
  await writer.abort();
  assert.equal(fs.readFileSync(file, "utf8"), "someone else's file");
});
