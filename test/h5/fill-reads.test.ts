// Reads of what was never written: HDF5 returns the fill value, and a corrupt dataspace can claim
// any extent, so a read needing more than 64 MiB of fill is refused up front (binding/hdf5/dataset.cc,
// RequireStoredData). A variable-length string counts as what it costs once in JS (256 bytes),
// not as its 16-byte slot: 2 Mi empty strings took 1 GB before. Files are made by h5py with
// nothing written; values are checked against h5py's reading of the same slices.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { File, H5Error } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-fill-");
const file = path.join(dir, "sparse.h5");
let f: File;

before(async () => {
  python(
    `
import sys, json, h5py, numpy as np
with h5py.File(sys.argv[1], "w") as f:
    # chunked, nothing written: every element reads as the fill value
    f.create_dataset("strings_1m", shape=(1 << 20,), dtype=h5py.string_dtype(), chunks=(1024,))
    f.create_dataset("strings_100k", shape=(100_000,), dtype=h5py.string_dtype(), chunks=(1024,))
    f.create_dataset("floats_4m", shape=(4 << 20,), dtype="f8", chunks=(4096,), fillvalue=1.5)
    f.create_dataset("floats_16m", shape=(16 << 20,), dtype="f8", chunks=(4096,))
    d = f.create_dataset("strings_some", shape=(1 << 20,), dtype=h5py.string_dtype(), chunks=(1024,))
    d[5:8] = ["a", "bc", "d\u00e9f"]
print(json.dumps(None))
`,
    file,
  );
  f = await File.open(file, "r");
});
after(() => f.close());

test("a read of 1 Mi never-written strings is refused, naming the dataset; a slice of them reads", async () => {
  const strings = await f.dataset("strings_1m");
  await assert.rejects(strings.read(), (error: unknown) => {
    assert.ok(error instanceof H5Error);
    assert.match(error.message, /reading 1048576 elements, but the stored data holds at most 0: the rest would be fill values/);
    assert.match(error.message, /strings_1m/);
    return true;
  });
  const { data } = await strings.read("1000:3000");
  assert.equal((data as string[]).length, 2000);
  assert.ok((data as string[]).every((s) => s === ""));
});

test("fills within the limit read as h5py reads them: 100,000 strings, 4 Mi float64s of fill value 1.5", async () => {
  const strings = (await (await f.dataset("strings_100k")).read()).data as string[];
  assert.equal(strings.length, 100_000);
  assert.ok(strings.every((s) => s === ""));
  const floats = (await (await f.dataset("floats_4m")).read()).data as Float64Array;
  const expected = python<{ n: number; all: boolean }>(
    `
import sys, json, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    x = f["floats_4m"][()]
    print(json.dumps({"n": int(x.size), "all": bool((x == 1.5).all())}))
`,
    file,
  );
  assert.deepEqual({ n: floats.length, all: floats.every((v) => v === 1.5) }, expected);
});

test("the limit counts bytes for numbers: 16 Mi float64s of fill (128 MiB) are refused", async () => {
  assert.throws(() => f.datasetSync("floats_16m").readSync(), /the rest would be fill values/);
});

test("the stored part counts: a read whose fill alone is under the limit reads, with the written values", async () => {
  const d = await f.dataset("strings_some");
  const { data } = await d.read("0:200000");
  const got = data as string[];
  assert.deepEqual(got.slice(4, 9), ["", "a", "bc", "déf", ""]);
  const ref = python<string[]>(
    `
import sys, json, h5py
with h5py.File(sys.argv[1], "r") as f:
    print(json.dumps([s.decode() for s in f["strings_some"][4:9]]))
`,
    file,
  );
  assert.deepEqual(got.slice(4, 9), ref);
});
