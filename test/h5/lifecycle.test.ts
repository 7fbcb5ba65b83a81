// Object lifetimes and raw chunks. Handles dropped without close() are released by the garbage
// collector (checked in child processes run with --expose-gc: a dataset's space is freed on delete
// only once no id on it is open, and a file opened read-only can be reopened read-write only once
// it is really closed); a process that exits, ends or throws without closing leaves a file h5py
// reads intact. Direct chunk I/O: bytes we deflate ourselves go in with writeChunk, come back
// unchanged from readChunk and from h5py's read_direct_chunk, and decode in h5py's normal read;
// chunkList() matches h5py's get_num_chunks/get_chunk_info.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import zlib from "node:zlib";
import { File, H5Error, type Dataset } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-lifecycle-");
const repo = path.resolve(__dirname, "../..");
const child = path.join(repo, "test/fixtures/lifecycle-child.ts");

function runChild(scenario: string, file: string): string {
  return execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", child, scenario, file], {
    cwd: repo,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe("handles released by the garbage collector", () => {
  test("50,000 dataset handles dropped without close() are all released: the dataset's space is freed on delete", () => {
    const result = JSON.parse(runChild("gc-datasets", path.join(dir, "gc-datasets.h5"))) as {
      opened: number; collected: number; checksum: number; rss: number[]; keptCost: number;
      freeAfterDelete: number; freeAfterHeldClose: number; heldValue: number; datasetBytes: number;
    };
    assert.equal(result.opened, 50_000);
    assert.equal(result.collected, result.opened, "every dropped handle was collected");
    assert.equal(result.checksum, 50, "the handles were usable while alive");
    // Deleting the last link frees the space at once only when no id on the dataset is open.
    assert.ok(result.freeAfterDelete >= result.datasetBytes, `the victim's space came back (${result.freeAfterDelete} bytes free)`);
    assert.ok(result.freeAfterDelete < 2 * result.datasetBytes, "the dataset still held open was not freed: the measure sees open ids");
    assert.equal(result.heldValue, 2);
    assert.ok(result.freeAfterHeldClose >= 2 * result.datasetBytes, "closing the held handle freed its dataset");
    // Memory stays flat across rounds: 40,000 more dropped handles cost little next to what
    // keeping 10,000 costs (sanity bound, generous for allocator noise).
    const growth = result.rss[result.rss.length - 1] - result.rss[0];
    assert.ok(growth < 64, `RSS grew ${growth.toFixed(1)} MiB over 40,000 dropped handles (keeping 10,000 costs ${result.keptCost.toFixed(1)} MiB)`);
  });

  test("a File dropped without close() is closed by GC: the file then reopens read-write", () => {
    const result = JSON.parse(runChild("gc-file", path.join(dir, "gc-file.h5"))) as {
      read: number; whileOpen: string; collected: number; reopened: boolean;
    };
    assert.equal(result.read, 3);
    assert.match(result.whileOpen, /already open for read-only/, "while the read-only File lives, HDF5 refuses read-write");
    assert.equal(result.collected, 3);
    assert.equal(result.reopened, true);
    assert.deepEqual(python(`import h5py, json, sys
print(json.dumps(h5py.File(sys.argv[1], "r")["x"][()].tolist()))`, path.join(dir, "gc-file.h5")), [4, 5, 6]);
  });
});

describe("processes that never close their files", () => {
  const expectIntact = (file: string) => {
    const seen = python<{ note: string; keys: string[]; shape: number[]; equal: boolean; compression: string }>(
      `import h5py, json, sys
import numpy as np
f = h5py.File(sys.argv[1], "r"); x = f["grp/x"]
print(json.dumps({"note": f.attrs["note"], "keys": list(f["grp"].keys()), "shape": list(x.shape),
  "equal": bool(np.array_equal(x[()].ravel(), np.arange(100000) * 3)), "compression": x.compression}))`,
      file,
    );
    assert.deepEqual(seen, { note: "never closed", keys: ["empty", "x"], shape: [1000, 100], equal: true, compression: "gzip" });
  };

  for (const scenario of ["exit-sync", "exit-async", "end"]) {
    const how = { "exit-sync": "Sync writes, then process.exit()", "exit-async": "awaited async writes, then process.exit()", end: "async writes, then the event loop runs dry" }[scenario];
    test(`${how}: h5py reads the data intact`, () => {
      const file = path.join(dir, `${scenario}.h5`);
      runChild(scenario, file);
      expectIntact(file);
    });
  }

  test("an uncaught error after writing: the process fails, the file is intact", () => {
    const file = path.join(dir, "throw.h5");
    const run = spawnSync(process.execPath, ["--import", "tsx", child, "throw", file], { cwd: repo, encoding: "utf8" });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /deliberate uncaught error/);
    expectIntact(file);
  });

  test("process.exit() while an async write runs: the file is readable and the write all or nothing", () => {
    const file = path.join(dir, "exit-inflight.h5");
    runChild("exit-inflight", file);
    const seen = python<{ note: string; shape: number[]; unique: number[] }>(
      `import h5py, json, sys
import numpy as np
f = h5py.File(sys.argv[1], "r")
print(json.dumps({"note": f.attrs["note"], "shape": list(f["big"].shape), "unique": np.unique(f["big"][()]).tolist()}))`,
      file,
    );
    assert.equal(seen.note, "before the big write");
    assert.deepEqual(seen.shape, [2048, 4096]);
    // Exit waits for the HDF5 lock, so a write that started finishes; never half a write.
    assert.ok(seen.unique.length === 1 && [0, 2.5].includes(seen.unique[0]), `values ${JSON.stringify(seen.unique)}`);
  });
});

/** `values` as little-endian int32 bytes. */
function int32le(values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeInt32LE(v, i * 4));
  return bytes;
}

/** HDF5's shuffle filter: byte j of element i goes to j * n + i. */
function shuffle(bytes: Buffer, size: number): Buffer {
  const n = bytes.length / size;
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < size; j++) out[j * n + i] = bytes[i * size + j];
  return out;
}
function unshuffle(bytes: Buffer, size: number): Buffer {
  const n = bytes.length / size;
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < size; j++) out[i * size + j] = bytes[j * n + i];
  return out;
}

interface H5pyChunks {
  num: number;
  info: { offset: number[]; filterMask: number; size: number }[];
  direct: Record<string, { filterMask: number; hex: string }>;
  values: number[][];
}

/** h5py's view of `name`'s chunks: get_num_chunks, get_chunk_info, read_direct_chunk and the decoded values. */
function h5pyChunks(file: string, name: string, offsets: number[][]): H5pyChunks {
  return python<H5pyChunks>(
    `import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); d = f[sys.argv[2]]
num = d.id.get_num_chunks()
info = [d.id.get_chunk_info(i) for i in range(num)]
direct = {}
for off in json.loads(sys.argv[3]):
    mask, data = d.id.read_direct_chunk(tuple(off))
    direct[",".join(map(str, off))] = {"filterMask": mask, "hex": data.hex()}
print(json.dumps({"num": num, "info": [{"offset": list(c.chunk_offset), "filterMask": c.filter_mask, "size": c.size} for c in info],
  "direct": direct, "values": d[()].tolist()}))`,
    file,
    name,
    JSON.stringify(offsets),
  );
}

describe("direct chunk I/O", () => {
  for (const form of ["promise", "sync"] as const) {
    test(`[${form}] chunks deflated by node:zlib go in with writeChunk and come back unchanged; h5py agrees`, async () => {
      const file = path.join(dir, `chunks-${form}.h5`);
      const f = await File.open(file, "w");
      // 10 × 6 in 4 × 3 chunks: the last chunk row sticks out past the extent (rows 10, 11).
      const ds = await f.createDataset("z", { shape: [10, 6], dtype: "int32", chunks: [4, 3], compression: "gzip", compressionOpts: 5 });
      const chunkValues = (offset: number[]) => Array.from({ length: 12 }, (_, i) => offset[0] * 100 + offset[1] * 10 + i + 1);
      const deflated = [[0, 0], [4, 3], [8, 3]];
      const raw = [0, 3]; // stored unfiltered: bit 0 of the mask skips deflate, filter 0

      const stored = new Map<string, { filterMask: number; bytes: Buffer }>();
      for (const offset of deflated) {
        const bytes = zlib.deflateSync(int32le(chunkValues(offset)));
        if (form === "sync") ds.writeChunkSync(offset, bytes);
        else await ds.writeChunk(offset, bytes, 0);
        stored.set(String(offset), { filterMask: 0, bytes });
      }
      const rawBytes = int32le(chunkValues(raw));
      if (form === "sync") ds.writeChunkSync(raw, rawBytes, 1);
      else await ds.writeChunk(raw, rawBytes, 1);
      stored.set(String(raw), { filterMask: 1, bytes: rawBytes });

      for (const [key, expected] of stored) {
        const offset = key.split(",").map(Number);
        const got = form === "sync" ? ds.readChunkSync(offset) : await ds.readChunk(offset);
        assert.equal(got.filterMask, expected.filterMask, `filter mask of ${key}`);
        assert.ok(Buffer.isBuffer(got.bytes));
        assert.ok(got.bytes.equals(expected.bytes), `bytes of chunk ${key} come back as written`);
      }

      const list = form === "sync" ? ds.chunkListSync() : await ds.chunkList();
      const byOffset = (a: { offset: number[] }, b: { offset: number[] }) => a.offset[0] - b.offset[0] || a.offset[1] - b.offset[1];
      assert.deepEqual(
        [...list].sort(byOffset),
        [...stored].map(([key, c]) => ({ offset: key.split(",").map(Number), filterMask: c.filterMask, size: c.bytes.length })).sort(byOffset),
      );

      // The expected dataset: chunk values where chunks were stored, the fill value 0 elsewhere.
      const expected = Array.from({ length: 10 }, () => Array(6).fill(0) as number[]);
      for (const [key] of stored) {
        const [r0, c0] = key.split(",").map(Number);
        chunkValues([r0, c0]).forEach((v, i) => {
          const r = r0 + Math.floor(i / 3), c = c0 + (i % 3);
          if (r < 10) expected[r][c] = v;
        });
      }
      const read = form === "sync" ? ds.readSync() : await ds.read();
      assert.deepEqual(Array.from(read.data as Int32Array), expected.flat(), "h5dat's own read decodes the chunks");
      await f.close();

      const seen = h5pyChunks(file, "z", [...stored.keys()].map((k) => k.split(",").map(Number)));
      assert.equal(seen.num, list.length);
      assert.deepEqual(seen.info, list, "chunkList() matches get_chunk_info, in order");
      for (const [key, c] of stored) {
        assert.deepEqual(seen.direct[key], { filterMask: c.filterMask, hex: c.bytes.toString("hex") }, `read_direct_chunk ${key}`);
      }
      assert.deepEqual(seen.values, expected, "h5py decodes the chunks");
    });
  }

  test("shuffle + gzip: chunks HDF5 wrote inflate and unshuffle to the raw values; chunks we shuffle and deflate read in h5py", async () => {
    const file = path.join(dir, "chunks-shuffle.h5");
    const f = await File.open(file, "w");
    const ds = await f.createDataset("s", { shape: [8, 8], dtype: "int32", chunks: [4, 8], compression: "gzip", shuffle: true });
    assert.deepEqual(ds.filters.map((x) => x.id), [2, 1], "shuffle (2) runs before deflate (1)");
    const top = Array.from({ length: 32 }, (_, i) => i * 1000 - 7);
    await ds.write(Int32Array.from(top), "0:4, :");
    const written = await ds.readChunk([0, 0]);
    assert.equal(written.filterMask, 0);
    assert.ok(unshuffle(zlib.inflateSync(written.bytes), 4).equals(int32le(top)), "HDF5 shuffled, then deflated");

    const bottom = Array.from({ length: 32 }, (_, i) => 5 - i * 31);
    const mine = zlib.deflateSync(shuffle(int32le(bottom), 4), { level: 9 });
    await ds.writeChunk([4, 0], mine);
    assert.deepEqual(Array.from((await ds.read("4:8")).data as Int32Array), bottom);
    const list = await ds.chunkList();
    await f.close();

    const seen = h5pyChunks(file, "s", [[0, 0], [4, 0]]);
    assert.deepEqual(seen.info, list);
    assert.deepEqual(seen.direct["0,0"], { filterMask: 0, hex: written.bytes.toString("hex") });
    assert.deepEqual(seen.direct["4,0"], { filterMask: 0, hex: mine.toString("hex") });
    assert.deepEqual(seen.values.flat(), [...top, ...bottom]);
  });

  test("chunk I/O refuses bad offsets and unchunked datasets with clear errors", async () => {
    const f = await File.open(path.join(dir, "chunks-bad.h5"), "w");
    const ds: Dataset = await f.createDataset("c", { shape: [10, 6], dtype: "int32", chunks: [4, 3], compression: "gzip" });
    const flat = await f.createDataset("flat", { data: Int32Array.of(1, 2, 3), layout: "contiguous" });
    // fromHdf5 null: either (an unstored chunk is reported by HDF5 or by h5dat, depending on the index).
    const cases: [() => Promise<unknown>, RegExp, string, boolean | null][] = [
      [() => ds.readChunk([0, 0]), /chunk storage is not allocated|not stored/, "/c", null],
      [() => ds.readChunk([1, 0]), /not on a chunk boundary/, "/c", false],
      [() => ds.readChunk([0]), /wrong number of dimensions/, "/c", false],
      [() => ds.writeChunk([12, 0], zlib.deflateSync(Buffer.alloc(48))), /offset exceeds dimensions/, "/c", true],
      [() => ds.writeChunk([0, 1], zlib.deflateSync(Buffer.alloc(48))), /not on a chunk boundary/, "/c", false],
      [() => flat.readChunk([0]), /needs a chunked dataset/, "/flat", false],
      [() => flat.chunkList(), /./, "/flat", true],
    ];
    for (const [op, cause, object, fromHdf5] of cases) {
      await assert.rejects(op, (error: unknown) => {
        assert.ok(error instanceof H5Error, String(error));
        assert.match(error.message, cause);
        assert.ok(error.message.includes(`'${object}'`), error.message);
        if (fromHdf5 !== null) assert.equal(error.h5Stack.length > 0, fromHdf5, `h5Stack of ${error.message}`);
        return true;
      });
    }
    assert.deepEqual(await ds.chunkList(), [], "nothing was stored");
    await f.close();
  });
});
