// A first round trip: written by h5dat, read back by h5py and compared value for value.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { File } from "../../src";
import { python, tempDir } from "../helpers/h5py";

test("a gzip+shuffle float32 dataset written by h5dat reads identically in h5py", async () => {
  const file = path.join(tempDir(), "smoke.h5");
  const values = Float32Array.from({ length: 600 }, (_, i) => Math.sin(i / 10));
  const f = await File.open(file, "w");
  await f.createDataset("a/b/x", { data: values, shape: [20, 30], chunks: [5, 30], compression: "gzip", shuffle: true });
  await f.close();
  const seen = python<{ shape: number[]; chunks: number[]; compression: string; data: number[] }>(
    `import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); d = f["a/b/x"]
print(json.dumps({"shape": d.shape, "chunks": d.chunks, "compression": d.compression, "data": d[()].ravel().tolist()}))`,
    file,
  );
  assert.deepEqual(seen.shape, [20, 30]);
  assert.deepEqual(seen.chunks, [5, 30]);
  assert.equal(seen.compression, "gzip");
  assert.deepEqual(Float32Array.from(seen.data), values);
});
