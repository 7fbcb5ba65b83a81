// The HDF5 type classes beyond plain numbers, strings and records, both ways with h5py as the
// second reader: float16 (as float32 or raw bits), bitfields, variable-length sequences (in
// datasets, records and attributes), object and region references (also inside records and
// sequences: dimension scales' DIMENSION_LIST), enums over every integer, big-endian records
// with gaps and out-of-order fields; times both ways with PyTables (h5py cannot read them).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import { Dataset, dtype, File, H5Error } from "../../src";
import { canon, h5pyDump, type H5pyView } from "../helpers/any-canon";
import { h5dump, python, PYTHON, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-types-");

/** h5py's values of every dataset and attribute of `file`, checked readable. */
function h5pySees(file: string): H5pyView {
  const view = h5pyDump([file])[file];
  for (const [key, value] of [...Object.entries(view.datasets), ...Object.entries(view.attrs)]) {
    assert.ok(!("error" in value), `h5py cannot read ${key}: ${"error" in value ? value.error : ""}`);
  }
  return view;
}

/** Every dataset and attribute of `file` as h5dat reads it, in the canonical form. */
async function h5datSees(file: string): Promise<{ datasets: Record<string, unknown[]>; attrs: Record<string, unknown[]> }> {
  const view = h5pyDump([file])[file];
  const h5 = await File.open(file, "r");
  const out = { datasets: {} as Record<string, unknown[]>, attrs: {} as Record<string, unknown[]> };
  try {
    for (const dsPath of Object.keys(view.datasets)) {
      const ds = (await h5.get(dsPath)) as Dataset;
      out.datasets[dsPath] = canon((await ds.read()).data, ds.dtype);
      await ds.close();
    }
    for (const key of Object.keys(view.attrs)) {
      const at = key.lastIndexOf("@");
      const object = await h5.get(key.slice(0, at));
      const value = await object.attrs.read(key.slice(at + 1));
      out.attrs[key] = canon(value.data, value.dtype);
      await object.close();
    }
  } finally {
    await h5.close();
  }
  return out;
}

/**
 * Asserts h5dat reads what h5py reads in `file`, dataset by dataset and attribute by attribute
 * (but the datasets in `h5pyWrong`, checked otherwise).
 */
async function assertSameAsH5py(file: string, h5pyWrong: string[] = []): Promise<void> {
  const theirs = h5pySees(file);
  const ours = await h5datSees(file);
  for (const [dsPath, value] of Object.entries(theirs.datasets)) {
    if (h5pyWrong.includes(dsPath)) continue;
    assert.deepStrictEqual(ours.datasets[dsPath], (value as { values: unknown[] }).values, dsPath);
  }
  for (const [key, value] of Object.entries(theirs.attrs)) {
    assert.deepStrictEqual(ours.attrs[key], (value as { values: unknown[] }).values, key);
  }
}

describe("float16", () => {
  const file = path.join(dir, "f16.h5");
  const values = [0, 1.5, -2, 65504, 0.1, 1e-7, Infinity, NaN, 70000];

  test("h5dat writes float16 (from Float32Array, numbers, big-endian) and h5py reads the same values", async () => {
    const h5 = await File.open(file, "w");
    await h5.createDataset("f32in", { data: new Float32Array(values), dtype: "float16" });
    await h5.createDataset("numbers", { data: values, dtype: "float16" });
    await h5.createDataset("be", { data: values, dtype: ">float16" });
    await h5.attrs.set("half", 0.5, { dtype: "float16" });
    await h5.close();
    const seen = python<Record<string, { dtype: string; values: unknown[] }>>(`import h5py, json, sys, math, numpy as np
f = h5py.File(sys.argv[1], "r")
c = lambda x: "NaN" if math.isnan(x) else ("Infinity" if x == math.inf else x)
out = {k: {"dtype": f[k].dtype.str, "values": [c(float(x)) for x in f[k][()]]} for k in f}
out["half"] = {"dtype": f.attrs["half"].dtype.str, "values": [float(f.attrs["half"])]}
given = [0, 1.5, -2, 65504, 0.1, 1e-7, np.inf, np.nan, 70000]
out["from32"] = {"dtype": "", "values": [c(float(x)) for x in np.array(given, dtype=np.float32).astype(np.float16)]}
out["from64"] = {"dtype": "", "values": [c(float(x)) for x in np.array(given, dtype=np.float64).astype(np.float16)]}
print(json.dumps(out))`, file);
    assert.equal(seen.f32in.dtype, "<f2");
    assert.equal(seen.be.dtype, ">f2");
    assert.equal(seen.half.dtype, "<f2");
    // Rounded as numpy rounds: a Float32Array's values from float32, numbers from float64.
    assert.deepStrictEqual(seen.f32in.values, seen.from32.values);
    assert.deepStrictEqual(seen.numbers.values, seen.from64.values);
    assert.deepStrictEqual(seen.be.values, seen.from64.values);
    assert.deepStrictEqual(seen.half.values, [0.5]);
  });

  test("h5py's float16 reads as Float32Array with equal values, and as raw bits on request", async () => {
    const theirs = path.join(dir, "f16-h5py.h5");
    const bits = python<number[]>(`import h5py, json, sys, numpy as np
a = np.array([0, 1.5, -2, 65504, 0.1, np.inf, -np.inf, 6e-8], dtype=np.float16)
with h5py.File(sys.argv[1], "w") as f:
    f["le"] = a
    f["be"] = a.astype(">f2")
    f["grid"] = a.reshape(2, 4)
print(json.dumps(a.view(np.uint16).tolist()))`, theirs);
    await assertSameAsH5py(theirs);
    const h5 = await File.open(theirs, "r");
    for (const name of ["le", "be"]) {
      const ds = (await h5.get(name)) as Dataset;
      assert.equal(ds.dtype, name === "le" ? "float16" : ">float16");
      const asFloat = await ds.read();
      assert.ok(asFloat.data instanceof Float32Array);
      const raw = await ds.read(undefined, { float16: "raw" });
      assert.ok(raw.data instanceof Uint16Array);
      assert.deepEqual(Array.from(raw.data as Uint16Array), bits);
    }
    await assert.rejects(((await h5.get("le")) as Dataset).read(undefined, { float16: "half" as "raw" }), H5Error);
    await h5.close();
  });
});

describe("bitfields", () => {
  test("h5dat writes bitfields of 1, 2, 4, 8 bytes (and big-endian); h5py reads them as unsigned integers", async () => {
    const file = path.join(dir, "bits.h5");
    const h5 = await File.open(file, "w");
    await h5.createDataset("b8", { data: new Uint8Array([0, 1, 128, 255]), dtype: dtype.bitfield(1) });
    await h5.createDataset("b16be", { data: [0, 1, 0x8001, 0xffff], dtype: dtype.bitfield(2, "be") });
    await h5.createDataset("b32", { data: new Uint32Array([0, 1, 0x80000001, 0xffffffff]), dtype: dtype.bitfield(4) });
    await h5.createDataset("b64", { data: new BigUint64Array([0n, 1n, 1n << 63n, (1n << 64n) - 1n]), dtype: dtype.bitfield(8) });
    await h5.createDataset("rec", { data: [{ flags: 5, n: 1 }], dtype: dtype.compound({ flags: dtype.bitfield(1), n: "int32" }) });
    await h5.close();
    const theirs = h5pySees(file);
    const dtypes = python<Record<string, string>>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(json.dumps({k: f[k].dtype.str for k in f if k != "rec"}))`, file);
    assert.deepEqual(dtypes, { b8: "|u1", b16be: ">u2", b32: "<u4", b64: "<u8" });
    assert.deepStrictEqual((theirs.datasets["/b8"] as { values: unknown[] }).values, [0, 1, 128, 255]);
    assert.deepStrictEqual((theirs.datasets["/b16be"] as { values: unknown[] }).values, [0, 1, 0x8001, 0xffff]);
    assert.deepStrictEqual((theirs.datasets["/b32"] as { values: unknown[] }).values, [0, 1, 0x80000001, 0xffffffff]);
    assert.deepStrictEqual((theirs.datasets["/b64"] as { values: unknown[] }).values, ["0", "1", String(1n << 63n), String((1n << 64n) - 1n)]);
    await assertSameAsH5py(file);
    const h5r = await File.open(file, "r");
    const b16 = (await h5r.get("b16be")) as Dataset;
    assert.deepEqual(b16.dtype, { kind: "bitfield", size: 2, order: "be" });
    assert.ok((await b16.read()).data instanceof Uint16Array);
    await h5r.close();
  });
});

describe("variable-length sequences", () => {
  test("h5dat writes vlen sequences (numbers of any type, in records, attributes, 2-D); h5py reads them equal", async () => {
    const file = path.join(dir, "vlen.h5");
    const h5 = await File.open(file, "w");
    await h5.createDataset("i32", { data: [new Int32Array([1, 2, 3]), [4], []], dtype: dtype.vlen("int32") });
    await h5.createDataset("f64be", { data: [[1.5, -2], [NaN]], dtype: dtype.vlen(">float64") });
    await h5.createDataset("i64", { data: [new BigInt64Array([-1n, 1n << 62n]), [7]], dtype: dtype.vlen("int64") });
    await h5.createDataset("u8from16", { data: [new Uint16Array([1, 255])], dtype: dtype.vlen("uint8") });
    await h5.createDataset("grid", { data: [[1], [2, 3], [], [4, 5, 6]], shape: [2, 2], dtype: dtype.vlen("int16") });
    const rec = dtype.compound({ id: "int32", samples: dtype.vlen("float32"), name: "string" });
    await h5.createDataset("records", { data: [{ id: 1, samples: [0.5, 1], name: "a" }, { id: 2, samples: [], name: "bé" }], dtype: rec });
    await h5.attrs.set("ragged", [[1, 2], [3]], { dtype: dtype.vlen("uint32") });
    await h5.attrs.set("inferred", [new Int16Array([1, 2]), new Int16Array([3])]);
    await h5.createDataset("inferred", { data: [new Float32Array([1]), new Float32Array([2, 3])] });
    await h5.close();
    // h5py 3.7 reads sequences of big-endian numbers with their bytes unswapped (its own too):
    // h5dump is the second reader for that one.
    assert.match(h5dump("-d", "/f64be", file), /\(0\): \(1\.5, -2\), \(nan\)/);
    const theirs = h5pySees(file);
    const values = (name: string) => (theirs.datasets[name] as { values: unknown[] }).values;
    assert.deepStrictEqual(values("/i32"), [[1, 2, 3], [4], []]);
    assert.deepStrictEqual(values("/i64"), [["-1", String(1n << 62n)], ["7"]]);
    assert.deepStrictEqual(values("/u8from16"), [[1, 255]]);
    assert.deepStrictEqual(values("/grid"), [[1], [2, 3], [], [4, 5, 6]]);
    assert.deepStrictEqual(values("/records"), [{ id: 1, samples: [0.5, 1], name: "a" }, { id: 2, samples: [], name: "bé" }]);
    assert.deepStrictEqual((theirs.attrs["/@ragged"] as { values: unknown[] }).values, [[1, 2], [3]]);
    assert.deepStrictEqual((theirs.attrs["/@inferred"] as { values: unknown[] }).values, [[1, 2], [3]]);
    assert.deepStrictEqual(values("/inferred"), [[1], [2, 3]]);
    const kinds = python<string[]>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(json.dumps([str(h5py.check_vlen_dtype(f[k].dtype)) for k in ["i32", "f64be", "grid", "inferred"]] + [str(h5py.check_vlen_dtype(f.attrs.get_id("inferred").dtype))]))`, file);
    assert.deepEqual(kinds, ["int32", ">f8", "int16", "float32", "int16"]);
    await assertSameAsH5py(file, ["/f64be"]);
  });

  test("h5py's vlen sequences read as TypedArrays (numbers), arrays (strings, records), in records and attributes", async () => {
    const file = path.join(dir, "vlen-h5py.h5");
    python(`import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    def vlen(name, base, items):
        d = f.create_dataset(name, shape=(len(items),), dtype=h5py.vlen_dtype(base))
        for i, item in enumerate(items):
            d[i] = np.array(item, base)
    vlen("i8", "i1", [[1, -2], []])
    vlen("u64", "<u8", [[2**64 - 1, 3]])
    vlen("strs", "S2", [[b"ab", b"c"]])
    vlen("recs", np.dtype([("x", "<f4"), ("y", "<i2")]), [[(1.5, 2), (3, -4)]])
    inner = np.dtype([("n", "i4"), ("v", h5py.vlen_dtype("f8"))])
    r = np.empty(2, inner); r[0] = (1, np.array([0.25])); r[1] = (2, np.array([1.0, 2.0]))
    f.create_dataset("nested", data=r)
    s = f.create_dataset("scalar", shape=(), dtype=h5py.vlen_dtype("i4")); s[()] = np.array([5, 6], "i4")
    f.attrs.create("vl", np.array([np.array([1.0, 2.0]), np.array([3.0])], dtype=object), dtype=h5py.vlen_dtype("f8"))
print("null")`, file);
    await assertSameAsH5py(file);
    const h5 = await File.open(file, "r");
    const u64 = (await ((await h5.get("u64")) as Dataset).read()).data as BigUint64Array[];
    assert.ok(u64[0] instanceof BigUint64Array);
    assert.equal(u64[0][0], (1n << 64n) - 1n);
    assert.deepEqual((await ((await h5.get("strs")) as Dataset).read()).data, [["ab", "c"]]);
    assert.deepEqual(((await h5.get("i8")) as Dataset).dtype, { kind: "vlen", base: "int8" });
    await h5.close();
  });
});

describe("references", () => {
  test("h5dat writes object references (datasets, attributes, records; null); h5py dereferences them to the right objects", async () => {
    const file = path.join(dir, "refs.h5");
    const h5 = await File.open(file, "w");
    await h5.createDataset("g/data", { data: new Int32Array([1, 2, 3]) });
    await h5.createGroup("other");
    await h5.createDataset("refs", { data: ["/g/data", "/other", null, "g"], dtype: "reference" });
    await h5.createDataset("rec", { data: [{ name: "x", target: "/g/data" }], dtype: dtype.compound({ name: "string", target: "reference" }) });
    await h5.createDataset("vrefs", { data: [["/g", "/other"], []], dtype: dtype.vlen("reference") });
    await h5.attrs.set("me", "/refs", { dtype: "reference" });
    await assert.rejects(h5.createDataset("bad", { data: ["/nowhere"], dtype: "reference" }), (e: Error) => e instanceof H5Error && /nowhere/.test(e.message));
    assert.equal(await h5.has("bad"), false);
    await h5.close();
    const theirs = h5pySees(file);
    assert.deepStrictEqual((theirs.datasets["/refs"] as { values: unknown[] }).values, ["/g/data", "/other", null, "/g"]);
    assert.deepStrictEqual((theirs.datasets["/rec"] as { values: unknown[] }).values, [{ name: "x", target: "/g/data" }]);
    assert.deepStrictEqual((theirs.datasets["/vrefs"] as { values: unknown[] }).values, [["/g", "/other"], []]);
    assert.deepStrictEqual((theirs.attrs["/@me"] as { values: unknown[] }).values, ["/refs"]);
    const sum = python<number>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(int(f[f["refs"][0]][()].sum()))`, file);
    assert.equal(sum, 6);
    await assertSameAsH5py(file);
  });

  test("h5dat writes region references (hyperslab blocks, points, all, none); h5py reads the same selections", async () => {
    const file = path.join(dir, "regions.h5");
    const h5 = await File.open(file, "w");
    await h5.createDataset("grid", { data: new Int32Array(20), shape: [4, 5] });
    const regions = [
      { path: "/grid", selection: { kind: "hyperslab", blocks: [{ start: [1, 0], count: [2, 1] }, { start: [1, 2], count: [2, 3] }] } },
      { path: "/grid", selection: { kind: "points", points: [[0, 1], [3, 4]] } },
      { path: "/grid", selection: { kind: "all" } },
      null,
    ];
    await h5.createDataset("regions", { data: regions, dtype: "region-reference" });
    await assert.rejects(
      h5.createDataset("outside", { data: [{ path: "/grid", selection: { kind: "points", points: [[9, 9]] } }], dtype: "region-reference" }),
      (e: Error) => e instanceof H5Error && /outside/.test(e.message),
    );
    await assert.rejects(h5.createDataset("notregion", { data: ["/grid"], dtype: "region-reference" }), H5Error);
    await h5.close();
    const theirs = h5pySees(file);
    assert.deepStrictEqual((theirs.datasets["/regions"] as { values: unknown[] }).values, regions);
    const sums = python<number[]>(`import h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], "r")
g = f["grid"]
print(json.dumps([int(np.asarray(g[r]).size) for r in f["regions"][:3]]))`, file);
    assert.deepEqual(sums, [8, 2, 20]);
    await assertSameAsH5py(file);
  });

  test("h5py's object and region references (points, hyperslabs, null; in records, sequences and dimension scales) read as paths", async () => {
    const file = path.join(dir, "refs-h5py.h5");
    python(`import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    d = f.create_dataset("grid", data=np.arange(20).reshape(4, 5))
    f.create_group("g")
    f.create_dataset("objs", data=[d.ref, f["g"].ref, h5py.Reference()], dtype=h5py.ref_dtype)
    f.create_dataset("regions", data=[d.regionref[1:3, ::2], d.regionref[...], h5py.RegionReference()], dtype=h5py.regionref_dtype)
    sp = d.id.get_space(); sp.select_elements([(0, 1), (3, 4)])
    pts = h5py.h5r.create(d.id, b".", h5py.h5r.DATASET_REGION, sp)
    f.create_dataset("points", data=[pts], dtype=h5py.regionref_dtype)
    rec = np.dtype([("i", "i4"), ("r", h5py.ref_dtype)])
    f.create_dataset("rec", data=np.array([(1, d.ref)], dtype=rec))
    f.create_dataset("x", data=np.arange(5.0))
    f["x"].make_scale("x")
    d.dims[1].attach_scale(f["x"])
    f.attrs.create("target", d.ref, dtype=h5py.ref_dtype)
print("null")`, file);
    await assertSameAsH5py(file);
    const h5 = await File.open(file, "r");
    const regions = (await ((await h5.get("regions")) as Dataset).read()).data;
    assert.deepEqual(regions, [
      { path: "/grid", selection: { kind: "hyperslab", blocks: [{ start: [1, 0], count: [2, 1] }, { start: [1, 2], count: [2, 1] }, { start: [1, 4], count: [2, 1] }] } },
      { path: "/grid", selection: { kind: "all" } },
      null,
    ]);
    const points = (await ((await h5.get("points")) as Dataset).read()).data;
    assert.deepEqual(points, [{ path: "/grid", selection: { kind: "points", points: [[0, 1], [3, 4]] } }]);
    assert.deepEqual(await ((await h5.get("grid")) as Dataset).attrs.get("DIMENSION_LIST"), [[], ["/x"]]);
    assert.equal(((await h5.get("objs")) as Dataset).dtype, "reference");
    assert.equal(((await h5.get("regions")) as Dataset).dtype, "region-reference");
    await h5.close();
  });
});

describe("enums, big-endian records with gaps and out-of-order fields, arrays in records", () => {
  test("h5py's files read equal", async () => {
    const file = path.join(dir, "records-h5py.h5");
    python(`import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    for base in ["i1", "u1", ">i2", "<u2", ">i4", "u4", ">i8", "<u8"]:
        dt = h5py.enum_dtype({"A": 0, "B": 1, "C": 100}, basetype=base)
        f.create_dataset("enum_" + base.replace(">", "be_").replace("<", "le_"), data=np.array([0, 1, 100], dtype=base), dtype=dt)
    inner = np.dtype({"names": ["b", "a"], "formats": [">f8", ">i2"], "offsets": [16, 2], "itemsize": 32})
    outer = np.dtype({"names": ["z", "in", "arr", "s"], "formats": [">u4", inner, ("<i2", (2, 3)), "S3"], "offsets": [60, 4, 40, 52], "itemsize": 64})
    a = np.zeros(3, outer)
    a["z"] = [1, 2, 3]; a["in"]["b"] = [0.5, -1, 1e300]; a["in"]["a"] = [-7, 8, 9]
    a["arr"] = np.arange(18).reshape(3, 2, 3); a["s"] = [b"ab", b"cde", b""]
    f.create_dataset("nested", data=a)
    b = f.create_dataset("arr_be", shape=(2,), dtype=np.dtype((">f4", (6,)))); b[...] = np.arange(12).reshape(2, 6)
    f.attrs["rec"] = a[1]
print("null")`, file);
    await assertSameAsH5py(file);
  });
});

describe("times", () => {
  test("h5dat writes Time32 and Time64; PyTables reads the same seconds", async () => {
    const file = path.join(dir, "times.h5");
    const h5 = await File.open(file, "w");
    await h5.createDataset("t32", { data: new Int32Array([0, 1178896298, -5]), dtype: dtype.time(4) });
    await h5.createDataset("t64be", { data: [1178896298.832258, 0.5, 12.25], dtype: dtype.time(8, "be") });
    await h5.close();
    const seen = JSON.parse(
      execFileSync(PYTHON, ["-c", `import tables, json, sys
f = tables.open_file(sys.argv[1])
print(json.dumps({"t32": f.root.t32[:].tolist(), "t64be": f.root.t64be[:].tolist(), "atoms": [str(f.root.t32.atom), str(f.root.t64be.atom)]}))`, file], { encoding: "utf8" }),
    ) as { t32: number[]; t64be: number[]; atoms: string[] };
    assert.deepEqual(seen.atoms, ["Time32Atom(shape=(), dflt=0)", "Time64Atom(shape=(), dflt=0.0)"]);
    assert.deepEqual(seen.t32, [0, 1178896298, -5]);
    assert.deepEqual(seen.t64be, [1178896298.832258, 0.5, 12.25]);
    const h5r = await File.open(file, "r");
    assert.deepEqual(Array.from((await ((await h5r.get("t64be")) as Dataset).read()).data as Float64Array), seen.t64be);
    assert.deepEqual(((await h5r.get("t32")) as Dataset).dtype, { kind: "time", size: 4, order: "le" });
    await h5r.close();
  });
});
