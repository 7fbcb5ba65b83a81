// An entry's head and rest (readHead, headThenRest), and which inputs open as archives
// (looksLikeArchive, by classify's signatures).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { test } from "node:test";
import { headThenRest, readHead } from "../../src/sources/entry-head";
import { looksLikeArchive } from "../../src/sources/open-source";
import { tempDir } from "../helpers/h5py";

async function* blocksOf(...sizes: number[]): AsyncGenerator<Buffer> {
  for (const [i, size] of sizes.entries()) yield Buffer.alloc(size, i + 1);
}

async function drain(blocks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const block of blocks) parts.push(block);
  return Buffer.concat(parts);
}

test("readHead takes whole blocks until the head is large enough, and leaves the rest unread", async () => {
  const { head, rest } = await readHead(blocksOf(3, 3, 3, 3), 5);
  assert.deepEqual([...head], [1, 1, 1, 2, 2, 2]);
  assert.ok(rest);
  assert.deepEqual([...(await drain({ [Symbol.asyncIterator]: () => rest }))], [3, 3, 3, 4, 4, 4]);
  const small = await readHead(blocksOf(2, 2), 5);
  assert.equal(small.rest, null);
  assert.equal(small.head.length, 4);
});

test("headThenRest replays the head and the rest, telling the bytes so far before each block", async () => {
  const { head, rest } = await readHead(blocksOf(4, 4, 2), 4);
  const totals: number[] = [];
  const whole = await drain(headThenRest(head, rest, (total) => totals.push(total)));
  assert.deepEqual([...whole], [1, 1, 1, 1, 2, 2, 2, 2, 3, 3]);
  assert.deepEqual(totals, [4, 8, 10]);
  assert.deepEqual([...(await drain(headThenRest(Buffer.from([9]), null)))], [9]);
});

test("an input is an archive by its signature: tar, gzip, bzip2, zstd; not text, nor 'BZh' without a block size", async () => {
  const dir = tempDir();
  const file = (name: string, bytes: Uint8Array) => {
    fs.writeFileSync(path.join(dir, name), bytes);
    return path.join(dir, name);
  };
  const tar = Buffer.alloc(1024);
  tar.write("a.txt", 0);
  tar.write("ustar", 257);
  assert.equal(await looksLikeArchive(file("t", tar)), true);
  assert.equal(await looksLikeArchive(file("g", zlib.gzipSync("x"))), true);
  assert.equal(await looksLikeArchive(file("b", Buffer.from("BZh91AY&SY"))), true);
  assert.equal(await looksLikeArchive(file("z", Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]))), true);
  assert.equal(await looksLikeArchive(file("text", Buffer.from("just text\n"))), false);
  assert.equal(await looksLikeArchive(file("bzh", Buffer.from("BZh is how this line starts"))), false);
});
