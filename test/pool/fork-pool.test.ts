// The worker pool prepares exactly what the main process prepares (images, JSON, CSV), also in
// batches; a worker killed mid-task or stuck past the timeout fails only its task (with the
// cause), the rest of its batch runs elsewhere, and it is replaced; convert gives the same file
// with workers as without.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { ForkPool } from "../../src/pool/fork-pool";
import { prepare, type PrepareTask } from "../../src/processors/prepare";
import type { DecodedImage } from "../../src/processors/image";
import { PY_RAGGED, python, tempDir } from "../helpers/h5py";

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
const imageTask = (bytes: Uint8Array): PrepareTask => ({ processor: "image", bytes, options: {} });
const decodeIn = async (pool: ForkPool, bytes: Uint8Array): Promise<DecodedImage> => {
  const result = await pool.run(imageTask(bytes));
  assert.equal(result.processor, "image");
  return result.value as DecodedImage;
};

test("images decoded in workers equal those decoded in this process", async () => {
  const pool = new ForkPool({ size: 2 });
  try {
    const decoded = await Promise.all(Array.from({ length: 12 }, (_, k) => decodeIn(pool, png(k))));
    for (let k = 0; k < 12; k++) {
      const local = (await prepare(imageTask(png(k)))).value as DecodedImage;
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
    const doomed = decodeIn(pool, require("node:fs").readFileSync(path.join(images, "big.png")));
    setTimeout(() => process.kill(pid, "SIGKILL"), 50);
    await assert.rejects(doomed, /worker preparing it died \(signal SIGKILL\)/);
    const after = await decodeIn(pool, png(3));
    assert.deepEqual(after.shape, [120, 160, 3]);
    assert.notEqual(pool.pids()[0], pid);
  } finally {
    await pool.close();
  }
});

test("a task past the timeout fails with it, and the next task runs in a fresh worker", async () => {
  const pool = new ForkPool({ size: 1, timeoutMs: 1 });
  try {
    await assert.rejects(decodeIn(pool, require("node:fs").readFileSync(path.join(images, "big.png"))), /timed out after 1 ms/);
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

test("JSON and CSV prepared in workers, in batches, equal what this process prepares", async () => {
  const tasks: PrepareTask[] = [
    { processor: "json", bytes: Buffer.from('{"a": [1, 2.50, {"b": "ü"}], "big": 12345678901234567890, "e": {}}') },
    { processor: "jsonl", bytes: Buffer.from('{"n": 1}\n\n[true, null]\n') },
    { processor: "csv", bytes: Buffer.from('x,y,name\n1,2.5,"a, b"\n3,,"multi\nline"\n'), options: { mode: "table", delimiter: "," } },
    { processor: "csv", bytes: Buffer.from("k\tv\ntrue\t1\n"), options: { mode: "kv", delimiter: "\t" } },
    { processor: "json", bytes: Buffer.from("{bad") },
    // A block of a large CSV's rows, as csv-stream.ts sends it.
    { processor: "csv", bytes: Buffer.from('7,x\n8,"y\nz"\n'), options: { block: { delimiter: ",", quote: '"', width: 2, decimalComma: false, texts: [] } } },
  ];
  const pool = new ForkPool({ size: 2, batchSize: 3 });
  let closed = false;
  try {
    const remote = await Promise.all(tasks.map((task) => pool.run(task).catch((error: Error) => error.message)));
    const local = await Promise.all(tasks.map((task) => prepare(task).catch((error: Error) => error.message)));
    assert.deepEqual(remote, local);
    assert.match(String(remote[4]), /line 1, column/);
    const peaks = await pool.close();
    closed = true;
    // Two workers' peaks: the largest is one of them, the sum both.
    assert.ok(peaks.largestMb > 10 && peaks.summedMb >= peaks.largestMb * 1.2 && peaks.summedMb <= peaks.largestMb * 2, JSON.stringify(peaks));
  } finally {
    if (!closed) await pool.close();
  }
});

test("when a worker dies mid-batch, only the running task fails; the rest of its batch runs in another worker", async () => {
  const pool = new ForkPool({ size: 1, batchSize: 4 });
  try {
    const [pid] = pool.pids();
    const big = require("node:fs").readFileSync(path.join(images, "big.png"));
    const batch = [decodeIn(pool, big), decodeIn(pool, png(1)), decodeIn(pool, png(2)), decodeIn(pool, png(3))];
    setTimeout(() => process.kill(pid, "SIGKILL"), 50);
    const settled = await Promise.allSettled(batch);
    assert.equal(settled[0].status, "rejected");
    assert.deepEqual(settled.slice(1).map((s) => s.status), ["fulfilled", "fulfilled", "fulfilled"]);
    assert.notEqual(pool.pids()[0], pid);
  } finally {
    await pool.close();
  }
});

test("convert with 2 workers and batches writes large JSON and CSV (parsed in the workers) as with none", async () => {
  const texts = path.join(dir, "texts");
  const fs = require("node:fs") as typeof import("node:fs");
  fs.mkdirSync(texts);
  const records = Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `item ${i} ü`, tags: [i % 7, "t"], price: i / 8 }));
  fs.writeFileSync(path.join(texts, "big.json"), JSON.stringify(records));
  fs.writeFileSync(path.join(texts, "big.csv"), "id,name,price\n" + records.map((r) => `${r.id},"${r.name}",${r.price}`).join("\n"));
  fs.writeFileSync(path.join(texts, "small.json"), '{"a": 1}');
  const dump = (file: string) => python(`${PY_RAGGED}
import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
def rows(ds):
    if isinstance(ds, h5py.Group): return ragged(ds)
    return [[c.decode() if isinstance(c, bytes) else (c.item() if hasattr(c, "item") else c) for c in (r.tolist() if hasattr(r, "tolist") else r)] for r in ds[()]]
print(json.dumps({k: rows(f["texts"][k]) for k in f["texts"]}))`, file);
  const [withWorkers, without] = [path.join(dir, "t2.h5"), path.join(dir, "t0.h5")];
  await convert([texts], { output: withWorkers, workers: 2, batchChunkSize: 2 });
  await convert([texts], { output: without, workers: 0 });
  const a = dump(withWorkers) as Record<string, unknown[]>;
  assert.deepEqual(a, dump(without));
  assert.equal(a["big.csv"].length, 3000);
  // An array of objects: a record table, a row per record.
  assert.equal(a["big.json"].length, 3000);
});

test("workers that cannot start make the pool give up with the cause, not respawn forever", async () => {
  const saved = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${saved ?? ""} --require ${path.join(dir, "no-such-preload.js")}`;
  const pool = new ForkPool({ size: 2 });
  try {
    // (Replacement workers are forked with the environment of their time: it stays broken.)
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, k) => decodeIn(pool, png(k))));
    process.env.NODE_OPTIONS = saved;
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    assert.ok(results.every((r) => r.status === "rejected"));
    const messages = results.map((r) => String((r as PromiseRejectedResult).reason.message));
    assert.ok(messages.some((m) => /the worker processes keep dying \(5 in a row, the last: \(exit code 1\)\)/.test(m)), messages.join("\n"));
    await assert.rejects(decodeIn(pool, png(0)), /keep dying/);
  } finally {
    await pool.close();
  }
});
