// A write of many filtered chunks stores each chunk (taking the HDF5 lock) while the next ones
// are still being compressed on the other threads. What must hold whatever the threads' timing:
// every chunk lands once with the right bytes, in chunk order in the file (the layout does not
// depend on timing), a store that fails reports HDF5's message and stops, and writes running at
// the same time do not mix.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { File, type CreateDatasetOptions } from "../../src";
import { pluginPath } from "../../src/native/plugin-path";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir();
const ROWS = 4096;
const COLS = 256;
const CHUNK_ROWS = 64; // 64 KiB float32 chunks: a 1,024-row slab is 16 of them, 1 MiB, filtered in parallel

/** Values that compress but not to nothing, and differ by `seed` and row. */
function slab(firstRow: number, rows: number, seed: number): Float32Array {
  const out = new Float32Array(rows * COLS);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.sin((firstRow * COLS + i) / 97 + seed) * 5000) / 4;
  return out;
}

interface Seen {
  sums: number[];
  equal: boolean;
  offsetsInOrder: boolean;
  chunks: number;
}

/** h5py's view: per-dataset equality with the formula, and whether chunk addresses rise with the chunk index. */
function h5pySees(file: string, name: string, seed: number): Seen {
  return python<Seen>(
    `import os, sys
os.environ["HDF5_PLUGIN_PATH"] = sys.argv[4]  # h5dat's zstd and blosc filters (Debian's h5py has no zstd)
import h5py, json, numpy as np
f = h5py.File(sys.argv[1], "r"); d = f[sys.argv[2]]; seed = float(sys.argv[3])
rows, cols = d.shape
i = np.arange(rows * cols, dtype="f8")
want = (np.round(np.sin(i / 97 + seed) * 5000) / 4).astype("f4").reshape(rows, cols)
got = d[()]
infos = sorted((d.id.get_chunk_info(k) for k in range(d.id.get_num_chunks())), key=lambda c: c.chunk_offset)
addresses = [c.byte_offset for c in infos]
print(json.dumps({"sums": [float(got.astype("f8").sum())], "equal": bool(np.array_equal(got, want)),
                  "offsetsInOrder": addresses == sorted(addresses), "chunks": len(infos)}))`,
    file,
    name,
    String(seed),
    pluginPath(),
  );
}

const filters: Record<string, Partial<CreateDatasetOptions>> = {
  "zstd:3": { compression: "zstd", compressionOpts: 3 },
  "gzip:4 + shuffle": { compression: "gzip", compressionOpts: 4, shuffle: true },
  "blosc:lz4:5:shuffle + fletcher32": { compression: "blosc:lz4:5:shuffle", fletcher32: true },
};

for (const [name, options] of Object.entries(filters)) {
  test(`${name}: slab writes of 16 chunks each land whole, in chunk order in the file (async and sync)`, async () => {
    const file = path.join(dir, `${name.replace(/\W+/g, "-")}.h5`);
    const f = await File.open(file, "w");
    const ds = await f.createDataset("x", { dtype: "float32", shape: [ROWS, COLS], chunks: [CHUNK_ROWS, COLS], ...options });
    for (let start = 0; start < ROWS / 2; start += 1024) await ds.write(slab(start, 1024, 0), { start: [start, 0], count: [1024, COLS] });
    for (let start = ROWS / 2; start < ROWS; start += 1024) ds.writeSync(slab(start, 1024, 0), { start: [start, 0], count: [1024, COLS] });
    await f.close();
    const seen = h5pySees(file, "x", 0);
    assert.equal(seen.chunks, ROWS / CHUNK_ROWS);
    assert.equal(seen.equal, true);
    assert.equal(seen.offsetsInOrder, true);
  });
}

test("a filtered write into a file open read-only is refused before any chunk is stored, naming the dataset; the file keeps its data", async () => {
  const file = path.join(dir, "read-only.h5");
  const f = await File.open(file, "w");
  await f.createDataset("x", { dtype: "float32", shape: [ROWS, COLS], chunks: [CHUNK_ROWS, COLS], compression: "zstd", data: slab(0, ROWS, 0) });
  await f.close();
  const r = await File.open(file, "r");
  const ds = await r.dataset("x");
  await assert.rejects(ds.write(slab(0, 1024, 1), { start: [0, 0], count: [1024, COLS] }), (error: Error) => {
    assert.match(error.message, /cannot write \/x: its file is open read-only/);
    return true;
  });
  assert.throws(() => ds.writeSync(slab(0, 1024, 1), { start: [0, 0], count: [1024, COLS] }), /its file is open read-only/);
  // A chunk written as stored bytes is refused alike (HDF5's H5Dwrite_chunk would try the write).
  await assert.rejects(ds.writeChunk([0, 0], new Uint8Array(16)), /cannot write \/x: its file is open read-only/);
  // The file handle still works after the failure.
  assert.equal(((await ds.read({ start: [5, 0], count: [1, 4] })).data as Float32Array).length, 4);
  await r.close();
  assert.equal(h5pySees(file, "x", 0).equal, true);
});

test("big writes running at the same time, into two datasets of one file and into another file, all land", async () => {
  const [a, b] = [path.join(dir, "together-a.h5"), path.join(dir, "together-b.h5")];
  const fa = await File.open(a, "w");
  const fb = await File.open(b, "w");
  const make = (f: File, name: string) =>
    f.createDataset(name, { dtype: "float32", shape: [ROWS, COLS], chunks: [CHUNK_ROWS, COLS], compression: "zstd", compressionOpts: 3 });
  const targets = [
    { ds: await make(fa, "one"), seed: 1 },
    { ds: await make(fa, "two"), seed: 2 },
    { ds: await make(fb, "three"), seed: 3 },
  ];
  await Promise.all(
    targets.flatMap(({ ds, seed }) =>
      [0, 1024, 2048, 3072].map((start) => ds.write(slab(start, 1024, seed), { start: [start, 0], count: [1024, COLS] })),
    ),
  );
  await Promise.all([fa.close(), fb.close()]);
  for (const [file, name, seed] of [[a, "one", 1], [a, "two", 2], [b, "three", 3]] as const) {
    const seen = h5pySees(file, name, seed);
    assert.equal(seen.equal, true, `${name} differs`);
    assert.equal(seen.chunks, ROWS / CHUNK_ROWS);
  }
});
