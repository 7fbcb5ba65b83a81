// Datasets of more than 2^32 elements, without 4 GiB on disk: chunked, compressed and mostly
// unallocated (the fill value), made by h5py with a few slabs written near the end. The reader
// reads those slabs by selection (a few MB) and neither the values nor the memory give away the
// size of the rest.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { File, readImage, readJSON, readVideoFrames, readVideoFramesSync } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-read-large-");
const file = path.join(dir, "large.h5");
const N = 2 ** 33 + 12345; // uint8 elements: 8 GiB + a bit
const ROWS = 70_000; // float32 [70000, 70000]: 4.9e9 elements, 18 GiB
let f: File;

before(async () => {
  python(`import sys, json
import h5py, numpy as np
with h5py.File(sys.argv[1], "w") as f:
    d = f.create_dataset("bytes", shape=(${N},), dtype="u1", chunks=(1 << 20,), compression="gzip", fillvalue=7)
    start = ${N} - 3_000_000
    d[start:start + 2_000_000] = (np.arange(2_000_000) % 251).astype("u1")
    m = f.create_dataset("matrix", shape=(${ROWS}, ${ROWS}), dtype="f4", chunks=(500, 500), compression="gzip", shuffle=True, fillvalue=-1.5)
    m[69_000:69_400, 68_000:69_999] = np.arange(400 * 1999, dtype="f4").reshape(400, 1999)
    v = f.create_dataset("video", shape=(100_000, 480, 640, 3), dtype="u1", chunks=(1, 480, 640, 3), compression="gzip")
    v.attrs["fps"] = 25.0
    v[99_990:99_993] = np.arange(3 * 480 * 640 * 3, dtype=np.uint64).reshape(3, 480, 640, 3) % 253
print("[]")`, file);
  f = await File.open(file, "r");
});

after(async () => {
  await f?.close();
});

test("a > 2^32-element chunked file stays small on disk", () => {
  assert.ok(fs.statSync(file).size < 20 << 20, `${fs.statSync(file).size} bytes`);
});

test("a slab near the end of an 8 GiB uint8 dataset: written values and the fill value around them", async () => {
  const ds = await f.dataset("/bytes");
  assert.deepEqual(ds.shape, [N]);
  assert.equal(ds.size, N);
  const rss0 = process.memoryUsage().rss;
  // From 500,000 before the written slab to 500,000 after it.
  const { data, shape } = await ds.slice([-3_500_000, -500_000]);
  assert.deepEqual(shape, [3_000_000]);
  const bytes = data as Uint8Array;
  for (let i = 0; i < 3_000_000; i++) {
    const expected = i < 500_000 || i >= 2_500_000 ? 7 : (i - 500_000) % 251;
    if (bytes[i] !== expected) assert.fail(`element ${N - 3_500_000 + i}: ${bytes[i]}, expected ${expected}`);
  }
  // The very last elements, by the string form, and one index (past 2^32) by number.
  assert.deepEqual((await ds.read("-3:")).data, Uint8Array.of(7, 7, 7));
  assert.deepEqual(ds.readSync(`${N - 3_000_000 + 300}`), { data: Uint8Array.of(300 % 251), shape: [] });
  assert.deepEqual((await ds.slice([N - 2_999_999, N - 2_999_990, 3])).data, Uint8Array.of(1, 4, 7));
  const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
  assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MiB reading 3 MB`);
});

test("a corner of an 18 GiB float32 matrix by selection", async () => {
  const ds = await f.dataset("/matrix");
  assert.equal(ds.size, ROWS * ROWS);
  const rss0 = process.memoryUsage().rss;
  const { data, shape } = await ds.read("68990:69010, 69997:");
  assert.deepEqual(shape, [20, 3]);
  const values = data as Float32Array;
  for (let r = 0; r < 20; r++) {
    for (let c = 0; c < 3; c++) {
      const row = 68_990 + r, col = 69_997 + c;
      const expected = row >= 69_000 && row < 69_400 && col < 69_999 ? (row - 69_000) * 1999 + (col - 68_000) : -1.5;
      assert.equal(values[r * 3 + c], expected, `[${row}, ${col}]`);
    }
  }
  // A strided read across the whole extent touches one element per chunk row only.
  const strided = ds.sliceSync([69_000, 69_400, 100], [null, null, 7_000]);
  assert.deepEqual(strided.shape, [4, 10]);
  assert.equal((strided.data as Float32Array)[0], -1.5);
  const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
  assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MiB`);
});

test("frames near the end of a 92-billion-value video, read by hyperslab; typed helpers refuse before reading", async () => {
  const rss0 = process.memoryUsage().rss;
  const frames = await readVideoFrames(await f.dataset("/video"), [-10, -7]);
  assert.deepEqual([frames.start, frames.stop, frames.shape, frames.fps], [99_990, 99_993, [3, 480, 640, 3], 25]);
  for (let i = 0; i < frames.data.length; i += 9973) assert.equal(frames.data[i], i % 253, `value ${i}`);
  const before = readVideoFramesSync(f.datasetSync("/video"), 99_989);
  assert.ok(before.data.every((v) => v === 0), "an unwritten frame is the fill value");
  const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
  assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MiB`);
  // Shapes and dtypes are checked first: nothing of these is read.
  await assert.rejects(readImage(await f.dataset("/matrix")), /holds float32 values, not uint8 or uint16 pixels/);
  await assert.rejects(readJSON(await f.dataset("/bytes")), /'\/bytes' is not a dataset of strings/);
  await assert.rejects(readImage(await f.dataset("/bytes")), /has shape \[8589946937\]: not an image/);
});
