// An HDF5 input is copied in whole — groups, datasets, attributes (its root's on the new group) —
// loose or from inside an archive (opened from memory, no temporary file).
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { convert, File } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-h5in-");

python(`import h5py, numpy as np, os, sys, zipfile
d = sys.argv[1]; os.makedirs(f"{d}/tree/sub")
with h5py.File(f"{d}/tree/sub/inner.h5", "w") as f:
    f.attrs["title"] = "inner"
    f.create_dataset("a/b", data=np.arange(12, dtype="i4").reshape(3, 4), chunks=(1, 4), compression="gzip")
    f["a"].attrs["unit"] = "m"
    f["s"] = np.array(["x", "yy"], dtype=h5py.string_dtype())
with zipfile.ZipFile(f"{d}/tree.zip", "w") as z:
    z.write(f"{d}/tree/sub/inner.h5", "sub/inner.h5")
print("[]")`, dir);

const DUMP = `import h5py, json, sys
g = h5py.File(sys.argv[1], "r")[sys.argv[2]]
out = {"attrs": {k: (v.decode() if isinstance(v, bytes) else v) for k, v in g.attrs.items() if k in ("title", "processor", "source_path")},
       "b": g["a/b"][()].tolist(), "chunks": g["a/b"].chunks, "compression": g["a/b"].compression,
       "unit": g["a"].attrs["unit"], "s": [x.decode() for x in g["s"][()]]}
print(json.dumps(out))`;

test("an .h5 file, loose or inside a zip, is copied in with its tree and attributes", async () => {
  const expected = {
    attrs: { title: "inner", processor: "hdf5", source_path: "sub/inner.h5" },
    b: [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], chunks: [1, 4], compression: "gzip", unit: "m", s: ["x", "yy"],
  };
  for (const input of ["tree", "tree.zip"]) {
    const output = path.join(dir, `${input}.h5`);
    const summary = await convert([path.join(dir, input)], { output });
    assert.deepEqual([summary.written, summary.failed], [1, 0], input);
    assert.deepEqual(python(DUMP, output, "tree/sub/inner.h5"), expected, input);
  }
});

test("File.openImage reads an HDF5 file from memory, and a non-HDF5 buffer is an H5Error", async () => {
  const fs = await import("node:fs");
  const image = await File.openImage(fs.readFileSync(path.join(dir, "tree", "sub", "inner.h5")), "inner.h5");
  assert.deepEqual(Array.from((await (await image.dataset("a/b")).read("1")).data as Int32Array), [4, 5, 6, 7]);
  assert.equal(await image.attrs.get("title"), "inner");
  await image.close();
  await assert.rejects(File.openImage(Buffer.from("not hdf5 at all"), "junk.h5"), /cannot open HDF5 file image 'junk\.h5'/);
});
