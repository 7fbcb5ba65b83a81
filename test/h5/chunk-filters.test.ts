// Chunks that h5dat filters itself (outside the HDF5 lock, stored with H5Dwrite_chunk) must hold
// what HDF5's own filter pipeline stores: the same bytes for shuffle and Fletcher-32, the same
// inflated bytes for deflate (h5dat's deflate is libdeflate), and read back in h5py (which
// verifies the Fletcher-32 checksums).
import assert from "node:assert/strict";
import path from "node:path";
import zlib from "node:zlib";
import { test } from "node:test";
import { File, type CreateDatasetOptions } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir();

// Values exact in float32 and int16, so a float64/int32 copy forces HDF5 to convert (and so to
// run its own filters) while storing the very same numbers.
function values(count: number): Float64Array {
  return Float64Array.from({ length: count }, (_, i) => Math.round(Math.sin(i / 7) * 1000) / 8);
}

/** What both must store alike: all bytes, or for deflated chunks the inflated content. */
function unwrap(bytes: Buffer, filters: CreateDatasetOptions): Buffer {
  if (filters.compression === undefined) return bytes;
  return zlib.inflateSync(filters.fletcher32 ? bytes.subarray(0, bytes.length - 4) : bytes);
}

const pipelines: Record<string, CreateDatasetOptions> = {
  gzip: { compression: "gzip", compressionOpts: 4 },
  "gzip 9 + shuffle": { compression: 9, shuffle: true },
  "shuffle + gzip + fletcher32": { compression: "gzip", shuffle: true, fletcher32: true },
  fletcher32: { fletcher32: true },
  "no filters": { chunks: [4, 5, 6] },
};

// Chunks cut from the caller's buffer piece by piece; chunks spanning the trailing axes (filtered
// in place, the edge one cut in one run per row block); one chunk holding the whole dataset.
const chunkShapes = [[4, 5, 6], [4, 11, 13], [10, 11, 13]];

for (const [name, filters] of Object.entries(pipelines)) {
  for (const dtype of ["float32", "int16"] as const) {
    for (const chunkShape of name === "no filters" ? [[4, 5, 6]] : chunkShapes) {
      test(`${name}, ${dtype}, chunks [${chunkShape}]: h5dat-filtered chunks hold what HDF5-filtered chunks hold, edge chunks included`, async () => {
        const file = path.join(dir, `${name.replace(/\W+/g, "-")}-${dtype}-${chunkShape.join("x")}.h5`);
        const shape = [10, 11, 13]; // not a multiple of the chunk shape: edge chunks are partial
        const chunks = (filters.chunks as number[] | undefined) ?? chunkShape;
        const numbers = values(10 * 11 * 13);
        const own = dtype === "float32" ? Float32Array.from(numbers) : Int16Array.from(numbers);
        const f = await File.open(file, "w");
        const direct = await f.createDataset("direct", { dtype, shape, chunks, ...filters, data: own });
        const converted = await f.createDataset("converted", { dtype, shape, chunks, ...filters });
        await converted.write(dtype === "float32" ? numbers : Int32Array.from(numbers));
        const stored = await direct.chunkList();
        assert.equal(stored.length, shape.reduce((n, size, d) => n * Math.ceil(size / chunks[d]), 1));
        for (const chunk of stored) {
          const a = await direct.readChunk(chunk.offset);
          const b = await converted.readChunk(chunk.offset);
          assert.equal(a.filterMask, b.filterMask);
          assert.ok(unwrap(a.bytes, filters).equals(unwrap(b.bytes, filters)), `chunk at [${chunk.offset}] differs`);
        }
        // Rewriting a chunk-aligned slab goes the direct way too.
        await direct.write(own.subarray(0, 4 * 11 * 13), "0:4");
        await f.close();
        const seen = python<{ equal: boolean; sum: number }>(
          `import h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], "r")
a, b = f["direct"][()], f["converted"][()]
print(json.dumps({"equal": bool(np.array_equal(a, b)), "sum": float(a.astype("f8").sum())}))`,
          file,
        );
        assert.equal(seen.equal, true);
        assert.equal(seen.sum, Array.from(own).reduce((s, v) => s + v, 0));
      });
    }
  }
}

test("a slab write that covers chunks only in part keeps the data around it", async () => {
  const file = path.join(dir, "partial.h5");
  const f = await File.open(file, "w");
  const ds = await f.createDataset("x", { dtype: "int32", shape: [8, 8], chunks: [4, 4], compression: "gzip", data: new Int32Array(64).fill(7) });
  await ds.write(new Int32Array(2 * 8).fill(1), "3:5"); // rows 3-4 straddle two chunk rows
  await f.close();
  const rows = python<number[][]>(`import h5py, json, sys; print(json.dumps(h5py.File(sys.argv[1], "r")["x"][()].tolist()))`, file);
  rows.forEach((row, i) => assert.deepEqual(row, Array(8).fill(i === 3 || i === 4 ? 1 : 7)));
});

test("unfiltered chunks spanning the trailing axes are stored from the caller's buffer: same bytes as HDF5's, edge chunk padded", async () => {
  const file = path.join(dir, "contiguous.h5");
  const numbers = values(10 * 6 * 3);
  const f = await File.open(file, "w");
  const direct = await f.createDataset("direct", { dtype: "float32", shape: [10, 6, 3], chunks: [4, 6, 3], data: Float32Array.from(numbers) });
  const converted = await f.createDataset("converted", { dtype: "float32", shape: [10, 6, 3], chunks: [4, 6, 3] });
  await converted.write(numbers);
  await direct.write(Float32Array.from(numbers.subarray(0, 4 * 18)).map((v) => v + 1), "0:4");
  await converted.write(numbers.subarray(0, 4 * 18).map((v) => v + 1), "0:4");
  for (const chunk of await direct.chunkList()) {
    const [a, b] = [await direct.readChunk(chunk.offset), await converted.readChunk(chunk.offset)];
    assert.ok(a.bytes.equals(b.bytes), `chunk at [${chunk.offset}] differs`);
  }
  await f.close();
  const equal = python<boolean>(`import h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], "r"); print(json.dumps(bool(np.array_equal(f["direct"][()], f["converted"][()]))))`, file);
  assert.equal(equal, true);
});
