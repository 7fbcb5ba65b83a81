// The Promise forms run HDF5 work off the JS thread: the event loop keeps ticking through a large
// compressed write, concurrent operations on several files and datasets all land (the process-wide
// HDF5 lock serializes them), a Sync call made while async work is in flight waits its turn, and
// `await using` / `using` close files at scope end. Ticks are counted, durations never asserted.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { File, type Dataset } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-async-");

test("the event loop keeps ticking while a 256 MiB gzip write runs, and h5py reads the data back", async () => {
  const file = path.join(dir, "big.h5");
  const rows = 16384;
  const cols = 4096; // 16384 × 4096 float32 = 256 MiB
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = (i % 4093) * 0.25;

  const f = await File.open(file, "w");
  const ds = await f.createDataset("x", { shape: [rows, cols], dtype: "float32", chunks: [256, cols], compression: "gzip", compressionOpts: 4 });

  let pending = true;
  let ticksDuringWrite = 0;
  const timer = setInterval(() => {
    if (pending) ticksDuringWrite++;
  }, 5);
  let immediateRanFirst = false;
  const write = ds.write(data).finally(() => {
    pending = false;
  });
  setImmediate(() => {
    immediateRanFirst = pending;
  });
  await write;
  clearInterval(timer);

  assert.ok(immediateRanFirst, "a setImmediate queued after starting the write ran before it finished");
  // Many 5 ms intervals fired while HDF5 compressed 256 MiB on a pool thread.
  assert.ok(ticksDuringWrite >= 20, `the interval fired only ${ticksDuringWrite} times during the write`);
  await f.close();

  const seen = python<{ shape: number[]; equal: boolean; compression: string; sample: number[] }>(
    `import h5py, json, sys
import numpy as np
f = h5py.File(sys.argv[1], "r"); d = f["x"]; v = d[()]
expected = ((np.arange(v.size, dtype=np.int64) % 4093).astype(np.float32) * np.float32(0.25)).reshape(v.shape)
print(json.dumps({"shape": list(v.shape), "equal": bool(np.array_equal(v, expected)), "compression": d.compression,
  "sample": [float(v[0, 1]), float(v[-1, -1])]}))`,
    file,
  );
  assert.deepEqual(seen.shape, [rows, cols]);
  assert.equal(seen.compression, "gzip");
  assert.equal(seen.equal, true, "every value matches");
  assert.deepEqual(seen.sample, [data[1], data[data.length - 1]]);
});

test("concurrent async operations on several files and datasets all complete correctly", async () => {
  const files = [0, 1, 2, 3].map((i) => path.join(dir, `concurrent-${i}.h5`));
  const handles = await Promise.all(files.map((p) => File.open(p, "w")));
  const value = (file: number, ds: number, i: number) => file * 1_000_000 + ds * 10_000 + i;

  // Every file: three datasets created, filled and annotated all at once.
  await Promise.all(
    handles.flatMap((f, fi) =>
      [0, 1, 2].map(async (di) => {
        const ds = await f.createDataset(`g${di % 2}/d${di}`, { shape: [1000], dtype: "int32", chunks: [100], compression: "gzip", shuffle: di === 1 });
        await Promise.all([
          ds.write(Int32Array.from({ length: 500 }, (_, i) => value(fi, di, i)), "0:500"),
          ds.write(Int32Array.from({ length: 500 }, (_, i) => value(fi, di, 500 + i)), "500:"),
          ds.attrs.set("index", [fi, di]),
        ]);
      }),
    ),
  );

  // One shared dataset: 32 row blocks written concurrently, then read back concurrently.
  const shared = await handles[0].createDataset("shared", { shape: [32 * 8, 64], dtype: "float64", chunks: [8, 64] });
  const block = (b: number) => Float64Array.from({ length: 8 * 64 }, (_, i) => b * 1000 + i);
  await Promise.all(Array.from({ length: 32 }, (_, b) => shared.write(block(b), `${b * 8}:${(b + 1) * 8}, :`)));
  const blocks = await Promise.all(Array.from({ length: 32 }, (_, b) => shared.read(`${b * 8}:${(b + 1) * 8}`)));
  blocks.forEach((r, b) => assert.deepEqual(r.data, block(b), `block ${b}`));

  // Concurrent reads across the files while appends run.
  const growing = await handles[1].createDataset("growing", { shape: [0], maxshape: [null], dtype: "uint16", chunks: [64] });
  const appends: Promise<void>[] = [];
  for (let k = 0; k < 10; k++) appends.push(growing.append(Uint16Array.from({ length: 10 }, (_, i) => k * 10 + i)));
  const reads = handles.map(async (f, fi) => {
    const ds = (await f.dataset("g0/d0")) as Dataset;
    const { data } = await ds.read();
    assert.deepEqual(Array.from(data as Int32Array), Array.from({ length: 1000 }, (_, i) => value(fi, 0, i)));
  });
  await Promise.all([...appends, ...reads]);
  await Promise.all(handles.map((f) => f.close()));

  for (const [fi, file] of files.entries()) {
    const seen = python<Record<string, { values: number[]; index: number[] } | number[]>>(
      `import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); out = {}
for p in ["g0/d0", "g1/d1", "g0/d2"]:
    out[p] = {"values": f[p][()].tolist(), "index": f[p].attrs["index"].tolist()}
for extra in ["shared", "growing"]:
    if extra in f: out[extra] = f[extra][()].ravel().tolist()
print(json.dumps(out))`,
      file,
    );
    for (const [di, p] of ["g0/d0", "g1/d1", "g0/d2"].entries()) {
      assert.deepEqual(seen[p], { values: Array.from({ length: 1000 }, (_, i) => value(fi, di, i)), index: [fi, di] }, `${file} ${p}`);
    }
    if (fi === 0) {
      const expected = Array.from({ length: 32 }, (_, b) => Array.from(block(b))).flat();
      assert.deepEqual(seen.shared, expected);
    }
    if (fi === 1) {
      // Ten appends issued at once on one dataset: each grows what the previous left, in call order.
      assert.deepEqual(seen.growing, Array.from({ length: 100 }, (_, i) => i));
    }
  }
});

test("appends through a second handle continue where the first left off; appendSync refuses while append() runs", async () => {
  const file = path.join(dir, "two-handles.h5");
  const f = await File.open(file, "w");
  const a = await f.createDataset("rows", { shape: [0, 2], maxshape: [null, 2], dtype: "int32", chunks: [4, 2] });
  const b = await f.dataset("rows");
  await a.append([[1, 1], [2, 2]]);
  await b.append([[3, 3]]);
  b.appendSync([[4, 4]]);
  await a.append([[5, 5]]);
  assert.deepEqual(a.shape, [5, 2]);

  const running = a.append([[6, 6]]);
  assert.throws(() => a.appendSync([[7, 7]]), /append\(\) is still running/);
  await running;
  a.appendSync([[7, 7]]);
  await f.close();
  assert.deepEqual(python(`import h5py, json, sys
print(json.dumps(h5py.File(sys.argv[1], "r")["rows"][()].tolist()))`, file), [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 7]]);
});

test("a Sync call made while an async write is in flight waits for the lock and both succeed", async () => {
  const bigFile = path.join(dir, "inflight.h5");
  const smallFile = path.join(dir, "inflight-small.h5");
  const f = await File.open(bigFile, "w");
  const ds = await f.createDataset("x", { shape: [2048, 2048], dtype: "float32", chunks: [128, 2048], compression: "gzip" });
  const big = Float32Array.from({ length: 2048 * 2048 }, (_, i) => i % 977);
  const write = ds.write(big);

  // Runs on the JS thread right away, taking turns with the pool thread on the HDF5 lock.
  const small = File.openSync(smallFile, "w");
  small.createDatasetSync("y", { data: Int8Array.of(1, 2, 3) });
  assert.deepEqual(Array.from(small.datasetSync("y").readSync().data as Int8Array), [1, 2, 3]);
  small.closeSync();

  await write;
  await f.close();
  const seen = python<{ x: boolean; y: number[] }>(
    `import h5py, json, sys
import numpy as np
x = h5py.File(sys.argv[1], "r")["x"][()]
print(json.dumps({"x": bool(np.array_equal(x.ravel(), (np.arange(x.size) % 977).astype(np.float32))),
  "y": h5py.File(sys.argv[2], "r")["y"][()].tolist()}))`,
    bigFile,
    smallFile,
  );
  assert.deepEqual(seen, { x: true, y: [1, 2, 3] });
});

// Explicit resource management: tsx (esbuild) lowers `using` / `await using` for Node 20, and the
// TypeScript config includes lib ESNext.Disposable, so the real syntax is used here.
test("`await using` closes the file at scope end, also when the block throws", async () => {
  const file = path.join(dir, "await-using.h5");
  let seenInside: File | undefined;
  {
    await using f = await File.open(file, "w");
    seenInside = f;
    await f.createDataset("d", { data: Int32Array.of(1, 2, 3) });
    assert.equal(f.isOpen, true);
  }
  assert.equal(seenInside.isOpen, false, "closed at the end of the block");
  assert.deepEqual(python(`import h5py, json, sys
print(json.dumps(h5py.File(sys.argv[1], "r")["d"][()].tolist()))`, file), [1, 2, 3]);

  let thrownInside: File | undefined;
  await assert.rejects(async () => {
    await using f = await File.open(file, "r+");
    thrownInside = f;
    await f.createDataset("e", { data: [4.5] });
    throw new Error("boom");
  }, /boom/);
  assert.equal(thrownInside?.isOpen, false, "closed although the block threw");
  // Really closed: HDF5 would refuse to truncate a file it still has open.
  const again = await File.open(file, "w");
  await again.close();
});

test("`using` closes a Sync-opened file at scope end; disposing twice is harmless", () => {
  const file = path.join(dir, "using.h5");
  let inside: File | undefined;
  {
    using f = File.openSync(file, "w");
    inside = f;
    f.createDatasetSync("s", { data: ["a", "b"] });
  }
  assert.equal(inside.isOpen, false);
  inside[Symbol.dispose]();
  assert.deepEqual(python(`import h5py, json, sys
print(json.dumps([s.decode() for s in h5py.File(sys.argv[1], "r")["s"][()]]))`, file), ["a", "b"]);
  const again = File.openSync(file, "w");
  again.closeSync();
});
