// readAttributes with a limit (what `show` lists): an attribute past the limit comes back as its
// first elements, shape, count and size — numbers, variable-length strings and sequences alike,
// equal to h5py's first elements — and one within it as attrs.get gives it.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { File } from "../../src";
import { isAttributeHead, readAttributes } from "../../src/h5/attribute-info";
import { python, tempDir } from "../helpers/h5py";

test("attributes past the limit: their first elements, equal to h5py's, with shape, count and bytes", async () => {
  const file = path.join(tempDir(), "heads.h5");
  const expected = python<Record<string, unknown[]>>(`import sys, json, h5py, numpy as np
with h5py.File(sys.argv[1], "w") as f:
    d = f.create_dataset("d", data=[1])
    d.attrs["grid"] = np.arange(60 * 70, dtype="<i2").reshape(60, 70)
    d.attrs["names"] = np.array(["n%d" % i for i in range(3000)], dtype=h5py.string_dtype())
    d.attrs.create("seqs", data=np.array([np.arange(i % 5, dtype="i4") for i in range(2500)], dtype=object), dtype=h5py.vlen_dtype("i4"))
    d.attrs["few"] = np.arange(5, dtype="<f8")
    d.attrs["text"] = "whole"
    a = d.attrs
    print(json.dumps({"grid": a["grid"].ravel()[:100].tolist(), "names": [s for s in a["names"][:100].tolist()], "seqs": [s.tolist() for s in a["seqs"][:100]]}))`, file);
  const f = await File.open(file, "r");
  try {
    const d = await f.get("/d");
    const attrs = await readAttributes(d, 100);
    await d.close();
    for (const [name, shape, count, bytes] of [["grid", [60, 70], 4200, 8400], ["names", [3000], 3000, 3000 * 8], ["seqs", [2500], 2500, 2500 * 16]] as const) {
      const head = attrs[name];
      assert.ok(isAttributeHead(head), name);
      assert.deepEqual(head.shape, shape, name);
      assert.equal(head.count, count, name);
      assert.equal(head.bytes, bytes, name);
      const values = Array.from(head.values as ArrayLike<unknown>, (v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
      assert.deepEqual(values, expected[name], name);
    }
    assert.deepEqual(Array.from(attrs.few as Float64Array), [0, 1, 2, 3, 4]);
    assert.equal(attrs.text, "whole");
  } finally {
    await f.close();
  }
});
