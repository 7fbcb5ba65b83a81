// The limits that stop decompression bombs: max_entry_bytes on any entry, max_ratio on archive
// entries once past RATIO_CHECK_BYTES; sizes as the CLI takes and prints them.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { test } from "node:test";
import { checkDeclaredSize, DEFAULT_LIMITS, EntryLimitError, limitedBlocks, limitsOf, RATIO_CHECK_BYTES } from "../../src/sources/entry-limits";
import { formatBytes, parseByteSize } from "../../src/byte-size";
import { openSource } from "../../src/sources/open-source";
import { tempDir } from "../helpers/h5py";

const MiB = 1 << 20;

async function* blocksOf(count: number, size = MiB): AsyncGenerator<Buffer> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(size, 1);
}

async function drain(blocks: AsyncIterable<Buffer>): Promise<number> {
  let total = 0;
  for await (const block of blocks) total += block.length;
  return total;
}

test("defaults: 64 GiB per entry, ratio 200 judged past 32 MiB; options override them, 0 turns a limit off", () => {
  assert.deepEqual(DEFAULT_LIMITS, { maxEntryBytes: 64 * 2 ** 30, maxRatio: 200 });
  assert.equal(RATIO_CHECK_BYTES, 32 * MiB);
  assert.deepEqual(limitsOf({ maxEntryBytes: 0, maxRatio: 5 }), { maxEntryBytes: 0, maxRatio: 5 });
});

test("max_entry_bytes stops an entry at the block that passes it, and a declared size before any read", async () => {
  const limits = { maxEntryBytes: 3 * MiB, maxRatio: 0 };
  assert.equal(await drain(limitedBlocks(blocksOf(3), limits)), 3 * MiB);
  await assert.rejects(drain(limitedBlocks(blocksOf(4), limits)), (e: unknown) => e instanceof EntryLimitError && /stopped after 4 MiB, over --max-entry-bytes 3 MiB/.test(e.message));
  assert.throws(() => checkDeclaredSize(3 * MiB + 1, limits), /too large: 3\.0 MiB, over --max-entry-bytes 3 MiB \(not read\)/);
  checkDeclaredSize(null, limits);
  checkDeclaredSize(10 * MiB, { maxEntryBytes: 0, maxRatio: 0 });
});

test("max_ratio judges decompressed ÷ compressed bytes only past RATIO_CHECK_BYTES", async () => {
  // 1 KiB of archive per MiB produced: a ratio of 1024.
  let produced = 0;
  const counter = { start: 100, now: () => 100 + (produced / MiB) * 1024 };
  async function* counted(count: number): AsyncGenerator<Buffer> {
    for await (const block of blocksOf(count)) {
      produced += block.length;
      yield block;
    }
  }
  assert.equal(await drain(limitedBlocks(counted(31), { maxEntryBytes: 0, maxRatio: 200 }, counter)), 31 * MiB);
  produced = 0;
  await assert.rejects(drain(limitedBlocks(counted(40), { maxEntryBytes: 0, maxRatio: 200 }, counter)), /decompression bomb\? stopped after 32 MiB from 32 KiB compressed: it expands 1024 times, over --max-ratio 200/);
  produced = 0;
  assert.equal(await drain(limitedBlocks(counted(40), { maxEntryBytes: 0, maxRatio: 2000 }, counter)), 40 * MiB);
  produced = 0;
  assert.equal(await drain(limitedBlocks(counted(40), { maxEntryBytes: 0, maxRatio: 0 }, counter)), 40 * MiB);
  // A reader that cannot tell its position: no ratio.
  assert.equal(await drain(limitedBlocks(blocksOf(40), { maxEntryBytes: 0, maxRatio: 1 }, { start: 0, now: () => null })), 40 * MiB);
});

test("sizes: the CLI's forms in, binary units out", () => {
  assert.equal(parseByteSize("4096", "--x"), 4096);
  assert.equal(parseByteSize("512M", "--x"), 512 * MiB);
  assert.equal(parseByteSize("1.5MiB", "--x"), 1.5 * MiB);
  assert.equal(parseByteSize("64 G", "--x"), 64 * 2 ** 30);
  assert.equal(parseByteSize("2k", "--x"), 2048);
  assert.equal(parseByteSize("0", "--x"), 0);
  assert.throws(() => parseByteSize("lots", "--max-entry-bytes"), /--max-entry-bytes must be a size like 4096, 512M or 64G, not 'lots'/);
  assert.throws(() => parseByteSize("-1", "--x"), /must be a size/);
  assert.equal(formatBytes(1023), "1023 bytes");
  assert.equal(formatBytes(32 * MiB), "32 MiB");
  assert.equal(formatBytes(1536), "1.5 KiB");
});

test("sources apply the limits: a lone .gz bomb stops on its ratio, a directory's file on its size", async () => {
  const dir = tempDir("h5dat-limits-");
  const bomb = path.join(dir, "bomb.txt.gz");
  fs.writeFileSync(bomb, zlib.gzipSync(Buffer.alloc(40 * MiB, 0x41), { level: 9 }));
  const source = await openSource(bomb);
  for await (const entry of source.entries()) await assert.rejects(drain(entry.blocks()), /decompression bomb\? stopped after 32 MiB .*over --max-ratio 200/);
  await source.close();

  fs.mkdirSync(path.join(dir, "files"));
  fs.writeFileSync(path.join(dir, "files", "big.bin"), Buffer.alloc(2 * MiB));
  const files = await openSource(path.join(dir, "files"), { maxEntryBytes: MiB, maxRatio: 200 });
  for await (const entry of files.entries()) {
    await assert.rejects(drain(entry.blocks()), /over --max-entry-bytes 1 MiB \(not read\)/);
    await assert.rejects(entry.readAll(), /over --max-entry-bytes 1 MiB \(not read\)/);
  }
});
