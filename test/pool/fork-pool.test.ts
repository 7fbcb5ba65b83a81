// The worker pool decodes exactly what the main process decodes; a worker killed mid-task or
// stuck past the timeout fails only its task (with the cause) and is replaced; convert gives
// the same file with workers as without.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { ForkPool } from "../../src/pool/fork-pool";
import { decodeImage } from "../../src/processors/image";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-pool-");
const images = path.join(dir, "images");
python(`import os, sys
import numpy as np
from PIL import Image
out = sys.argv[1]; os.makedirs(out)
for k in range(12):
    y, x = np.mgrid[0:120, 0:160]
    Image.fromarray(np.stack([(x * k) % 256, (y + k) % 256, (x ^ y) % 256], -1).astype("uint8")).save(f"{out}/img{k:02d}.png")
Image.fromarray(np.zeros((4000, 4000, 3), "uint8") + 7).save(f"{out}/big.png")
print("[]")`, images);

const png = (k: number) => require("node:fs").readFileSync(path.join(images, `img${String(k).padStart(2, "0")}.png`)) as Buffer;

test("images decoded in workers equal those decoded in this process", async () => {
  const pool = new ForkPool({ size: 2 });
  try {
    const decoded = await Promise.all(Array.from({ length: 12 }, (_, k) => pool.decodeImage(png(k))));
    for (let k = 0; k < 12; k++) {
      const local = await decodeImage(png(k));
      assert.deepEqual(decoded[k].shape, local.shape);
      assert.ok(Buffer.from(decoded[k].data).equals(Buffer.from(local.data)), `image ${k}`);
    }
  } finally {
    await pool.close();
  }
});

test("a worker killed mid-task fails that task with the cause; the pool replaces it and goes on", async () => {
  const pool = new ForkPool({ size: 1 });
  try {
    const [pid] = pool.pids();
    const doomed = pool.decodeImage(require("node:fs").readFileSync(path.join(images, "big.png")));
    setTimeout(() => process.kill(pid, "SIGKILL"), 50);
    await assert.rejects(doomed, /worker decoding it died \(signal SIGKILL\)/);
    const after = await pool.decodeImage(png(3));
    assert.deepEqual(after.shape, [120, 160, 3]);
    assert.notEqual(pool.pids()[0], pid);
  } finally {
    await pool.close();
  }
});

test("a task past the timeout fails with it, and the next task runs in a fresh worker", async () => {
  const pool = new ForkPool({ size: 1, timeoutMs: 1 });
  try {
    await assert.rejects(pool.decodeImage(require("node:fs").readFileSync(path.join(images, "big.png"))), /decoding timed out after 1 ms/);
  } finally {
    await pool.close();
  }
});

test("convert with 2 workers writes the same pixels and manifest order as with none", async () => {
  const dump = (file: string) => python(`import h5py, json, sys, hashlib
f = h5py.File(sys.argv[1], "r")
print(json.dumps({"data": {k: hashlib.sha256(f["images"][k][()].tobytes()).hexdigest() for k in f["images"]},
  "manifest": [r["source_path"].decode() for r in f["_h5dat/manifest"][()]]}))`, file);
  const [withWorkers, without] = [path.join(dir, "w2.h5"), path.join(dir, "w0.h5")];
  await convert([images], { output: withWorkers, workers: 2 });
  await convert([images], { output: without, workers: 0 });
  const a = dump(withWorkers) as { manifest: string[] };
  assert.deepEqual(a, dump(without));
  assert.deepEqual(a.manifest, [...a.manifest].sort());
});
