// Decoded pixels cross from the workers through /dev/shm files the writer maps (src/pool/
// shared-pixels.ts, binding/memory/mapped_file.cc): they equal this process's own decode, releasing a
// result ends its mapping and hands its file back to be written over by later pixels (so the
// files do not grow in number), the directory goes when the pool closes, and where sharing is off
// or a file cannot be written the pipe carries the pixels.
// convert's output through shared pixels is checked against PIL with h5py.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { prepare, type Prepared, type PrepareTask } from "../../src/processors/prepare";
import { ForkPool } from "../../src/pool/fork-pool";
import { SHARED_MIN_BYTES, sharePixels } from "../../src/pool/pixel-files";
import { releasePixels } from "../../src/pool/shared-pixels";
import type { DecodedImage } from "../../src/processors/image";
import { native } from "../../src/native/addon";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-shared-");
const images = path.join(dir, "images");
// 8-bit RGB 300×400 (360 KB of pixels), 16-bit grey 200×300 (120 KB), two JPEGs, and one below the threshold.
python(
  `import os, sys
import numpy as np
from PIL import Image
out = sys.argv[1]; os.makedirs(out)
for k in range(6):
    y, x = np.mgrid[0:300, 0:400]
    Image.fromarray(np.stack([(x * (k + 1)) % 256, (y + 7 * k) % 256, (x ^ y) % 256], -1).astype("uint8")).save(f"{out}/rgb{k}.png")
y, x = np.mgrid[0:200, 0:300]
Image.fromarray(((x * 211 + y * 97) % 65536).astype("uint16")).save(f"{out}/grey16.png")
Image.fromarray(np.full((20, 30, 3), 9, "uint8")).save(f"{out}/small.png")
# Plain JPEGs, which a worker decodes straight into its mapped file; two sizes, so files are resized.
for k, (h, w) in enumerate([(300, 400), (600, 500)]):
    y, x = np.mgrid[0:h, 0:w]
    Image.fromarray(np.stack([(x * 3 + k) % 256, (y * 2) % 256, ((x + y) * 5) % 256], -1).astype("uint8")).save(f"{out}/photo{k}.jpg", quality=90)
print("[]")`,
  images,
);

const task = (name: string): PrepareTask => ({ processor: "image", bytes: fs.readFileSync(path.join(images, name)), options: {} });
const imageOf = (result: Prepared): DecodedImage => {
  assert.equal(result.processor, "image");
  return result.value as DecodedImage;
};
/** This process's pool directories in /dev/shm. */
const poolDirs = () => fs.readdirSync("/dev/shm").filter((name) => name.startsWith(`h5dat-${process.pid}-`));

test("pixels from the workers come through mapped files, equal to a local decode; released files are reused; the directory goes at close", async () => {
  const before = poolDirs();
  // One worker, so that every released file goes back to the one that writes the next pixels.
  const pool = new ForkPool({ size: 1 });
  const created = poolDirs().filter((d) => !before.includes(d));
  assert.equal(created.length, 1, "the pool made one directory in /dev/shm");
  const shm = path.join("/dev/shm", created[0]);
  const names = [...Array.from({ length: 6 }, (_, k) => `rgb${k}.png`), "grey16.png", "photo0.jpg", "photo1.jpg", "small.png"];
  const shared = names.length - 1;
  const check = async (results: Prepared[], order: string[]) => {
    for (const [i, name] of order.entries()) {
      const got = imageOf(results[i]);
      const local = imageOf(await prepare(task(name)));
      assert.deepEqual(got.shape, local.shape, name);
      assert.equal(got.data.constructor, local.data.constructor, `${name}: the same array type`);
      assert.ok(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength).equals(Buffer.from(local.data.buffer, local.data.byteOffset, local.data.byteLength)), `${name}: the same pixels`);
      const length = got.data.length;
      releasePixels(results[i]);
      // A mapped result is detached by its release; the small one came through the pipe.
      assert.equal(got.data.length, local.data.byteLength >= SHARED_MIN_BYTES ? 0 : length, `${name}: released`);
    }
  };
  try {
    await check(await Promise.all(names.map((name) => pool.run(task(name)))), names);
    const files = fs.readdirSync(shm).length;
    assert.equal(files, shared, "one file per shared image in flight");
    // Later pixels, of other sizes (the 16-bit image's file holds 8-bit pixels next), are written
    // over the released files: none is added.
    const again = [...names].reverse();
    for (const name of again) await check([await pool.run(task(name))], [name]);
    await check(await Promise.all(again.map((name) => pool.run(task(name)))), again);
    assert.equal(fs.readdirSync(shm).length, files, "released files are written over, not added to");
  } finally {
    await pool.close();
  }
  assert.equal(fs.existsSync(shm), false, "the directory is removed when the pool closes");
});

test("with H5DAT_SHARED_PIXELS=0 the pixels come through the pipe, the same", async () => {
  process.env.H5DAT_SHARED_PIXELS = "0";
  const before = poolDirs();
  const pool = new ForkPool({ size: 1 });
  delete process.env.H5DAT_SHARED_PIXELS;
  try {
    assert.deepEqual(poolDirs(), before, "no directory made");
    const result = await pool.run(task("rgb2.png"));
    const local = imageOf(await prepare(task("rgb2.png")));
    assert.ok(Buffer.from(imageOf(result).data).equals(Buffer.from(local.data)));
    releasePixels(result);
    assert.equal(imageOf(result).data.length, local.data.length, "nothing to release");
  } finally {
    await pool.close();
  }
});

test("a worker that cannot write the file keeps the pixels in its reply", async () => {
  const result = await prepare(task("rgb1.png"));
  const pixels = Buffer.from(imageOf(result).data);
  assert.equal(sharePixels(result, path.join(dir, "no-such-directory")), null);
  assert.ok(Buffer.from(imageOf(result).data).equals(pixels), "the result is unchanged");
});

test("convert with workers stores, through shared pixels, what PIL decodes", async () => {
  const output = path.join(dir, "out.h5");
  const summary = await convert([images], { output, workers: 2 });
  assert.equal(summary.written, 10);
  const same = python<Record<string, boolean>>(
    `import sys, json, os, h5py, numpy as np
from PIL import Image
f = h5py.File(sys.argv[1], "r")
out = {}
for name in sorted(os.listdir(sys.argv[2])):
    out[name] = bool(np.array_equal(f["images/" + name][()], np.asarray(Image.open(os.path.join(sys.argv[2], name)))))
    if name.endswith(".jpg"):  # shared JPEGs hold their own pixels, not a neighbour's
        out[name + " differs from the other photo"] = not np.array_equal(f["images/photo0.jpg"][()][:300, :400], f["images/photo1.jpg"][()][:300, :400])
print(json.dumps(out))`,
    output,
    images,
  );
  assert.deepEqual(Object.values(same), Array(12).fill(true), JSON.stringify(same));
  assert.deepEqual(poolDirs(), [], "no pool directory left");
});

test("a pool removes the directories that killed writers left in /dev/shm, and no other", async () => {
  const { spawnSync } = await import("node:child_process");
  const dead = spawnSync(process.execPath, ["-e", "0"]).pid!; // exited: its pid is free
  const left = path.join("/dev/shm", `h5dat-${dead}-killed`);
  const alive = path.join("/dev/shm", `h5dat-${process.ppid}-running`);
  for (const d of [left, alive]) {
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, "123-4"), Buffer.alloc(1024));
  }
  try {
    const pool = new ForkPool({ size: 1 });
    await pool.close();
    assert.equal(fs.existsSync(left), false, "a dead writer's directory is removed");
    assert.equal(fs.existsSync(alive), true, "a running writer's directory stays");
  } finally {
    for (const d of [left, alive]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test("mapFile: a private mapping of a file's first bytes, a shared one that writes the file; errors name the file", () => {
  const file = path.join(dir, "mapped");
  // Shared: the file is made, sized to the length, and what is written into the mapping reaches it.
  const shared = new Uint8Array(native.mapFile(file, 100_000, true));
  assert.equal(fs.statSync(file).size, 100_000);
  shared.set([1, 2, 3], 99_997);
  assert.deepEqual([...fs.readFileSync(file).subarray(99_997)], [1, 2, 3]);
  // Private, of the first bytes only: it reads the file, and writes into it stay in this process.
  const head = new Uint8Array(native.mapFile(file, 10));
  assert.equal(head.length, 10);
  head[0] = 7;
  assert.equal(fs.readFileSync(file)[0], 0);
  assert.equal(new Uint8Array(native.mapFile(file)).length, 100_000, "without a length: the whole file");
  // Shared again, smaller: the file shrinks with it.
  native.unmapBuffer(shared.buffer);
  native.mapFile(file, 5, true);
  assert.equal(fs.statSync(file).size, 5);
  assert.throws(() => native.mapFile(file, 6), /cannot map 6 bytes of '.*mapped': it holds 5/);
  assert.throws(() => native.mapFile(file, undefined, true), /a shared mapping needs its length/);
  assert.throws(() => native.mapFile(path.join(dir, "missing")), /cannot open '.*missing': No such file or directory/);
});
