// Attributes written by h5dat on a file, a group and a dataset (every dtype, scalar and array),
// then replaced, deleted, listed; h5py reads the result and must see the same names, dtypes,
// shapes and values. The file's attributes go through the Promise API, the group's through the
// Sync API, the dataset's through both (alternating), so both forms are covered.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { File, H5Error, dtype, dtypeName, type Dtype, type Group, type Dataset, type SetAttributeOptions } from "../../src";
import { IMPORT_FIXTURE, RECORD, canon, canonElement, numpyStr, pythonJson } from "../helpers/canon";
import { tempDir } from "../helpers/h5py";

type Canon = unknown;

interface AttrCase {
  name: string;
  value: unknown;
  options?: SetAttributeOptions;
  /** The dtype the value is canonicalised with, and that h5dat must report. */
  dtype: Dtype;
  numpy: string;
  shape: number[];
  /** Canonical values; computed from `value` when omitted. */
  values?: Canon[];
  /** What h5py's attrs[name] returns (type name), when it matters. */
  pythonType?: string;
  string?: { encoding: string; length: number | null };
  enum?: Record<string, number>;
  subarray?: { dims: number[]; base: string };
}

interface PyAttr {
  dtype: { str: string; string?: { encoding: string; length: number | null }; enum?: Record<string, number>; base?: { str: string }; dims?: number[]; bool?: boolean };
  shape: number[] | null;
  values: Canon[] | null;
  python_type: string;
}

const cases: AttrCase[] = [];

// Every numeric type: a scalar (its maximum) and an array of extremes, both byte orders.
const NUMERIC: [string, (number | bigint)[], (v: (number | bigint)[]) => ArrayLike<unknown>][] = [
  ["int8", [-128, 127, 0, -1], (v) => Int8Array.from(v as number[])],
  ["int16", [-32768, 32767, 0, -1], (v) => Int16Array.from(v as number[])],
  ["int32", [-(2 ** 31), 2 ** 31 - 1, 0, -1], (v) => Int32Array.from(v as number[])],
  ["int64", [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, -1n], (v) => BigInt64Array.from(v as bigint[])],
  ["uint8", [0, 255, 1], (v) => Uint8Array.from(v as number[])],
  ["uint16", [0, 65535, 1], (v) => Uint16Array.from(v as number[])],
  ["uint32", [0, 2 ** 32 - 1, 1], (v) => Uint32Array.from(v as number[])],
  ["uint64", [0n, 2n ** 64n - 1n, 2n ** 53n + 1n], (v) => BigUint64Array.from(v as bigint[])],
  ["float32", [NaN, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45, 0.1, -0], (v) => Float32Array.from(v as number[])],
  ["float64", [NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 0.1, -0], (v) => Float64Array.from(v as number[])],
];
for (const [name, values, array] of NUMERIC) {
  const scalar = values[1];
  cases.push({ name: `scalar_${name}`, value: scalar, options: { dtype: name as Dtype }, dtype: name as Dtype, numpy: numpyStr(name), shape: [] });
  cases.push({ name: `typed_${name}`, value: array(values), dtype: name as Dtype, numpy: numpyStr(name), shape: [values.length] });
  cases.push({ name: `plain_${name}`, value: [...values], options: { dtype: name as Dtype }, dtype: name as Dtype, numpy: numpyStr(name), shape: [values.length] });
  if (name !== "int8" && name !== "uint8") {
    const be = `>${name}` as Dtype;
    cases.push({ name: `be_${name}`, value: array(values), options: { dtype: be }, dtype: be, numpy: numpyStr(be as string), shape: [values.length] });
  }
}
cases.push(
  // Inferred dtypes.
  { name: "inferred_number", value: 2.5, dtype: "float64", numpy: "<f8", shape: [], pythonType: "float64" },
  { name: "inferred_bigint", value: -(2n ** 62n), dtype: "int64", numpy: "<i8", shape: [], pythonType: "int64" },
  { name: "inferred_int_scalar_from_typed", value: Int16Array.of(-7), options: { shape: [] }, dtype: "int16", numpy: "<i2", shape: [], pythonType: "int16" },
  { name: "matrix_2x3", value: [[1, 2, 3], [4, 5, 6]], options: { dtype: "int32" }, dtype: "int32", numpy: "<i4", shape: [2, 3] },
  { name: "explicit_shape_3x2", value: Float64Array.of(1, 2, 3, 4, 5, 6), options: { shape: [3, 2] }, dtype: "float64", numpy: "<f8", shape: [3, 2] },
  { name: "empty_array", value: [], options: { dtype: "int32" }, dtype: "int32", numpy: "<i4", shape: [0], pythonType: "ndarray" },
  // Bools: h5py must see numpy bool.
  { name: "bool_true", value: true, dtype: "bool", numpy: "|b1", shape: [], pythonType: "bool_" },
  { name: "bool_false", value: false, dtype: "bool", numpy: "|b1", shape: [], pythonType: "bool_" },
  { name: "bool_array", value: [true, false, true], dtype: "bool", numpy: "|b1", shape: [3] },
  // Strings.
  { name: "str", value: "attribute text ✓ ünï 日本", dtype: "string", numpy: "|O", shape: [], pythonType: "str", string: { encoding: "utf-8", length: null } },
  { name: "str_empty", value: "", dtype: "string", numpy: "|O", shape: [], pythonType: "str" },
  { name: "str_list", value: ["one", "twö", "", "日本語"], dtype: "string", numpy: "|O", shape: [4], string: { encoding: "utf-8", length: null } },
  { name: "str_2d", value: [["a", "b"], ["c", "d"]], dtype: "string", numpy: "|O", shape: [2, 2] },
  {
    name: "str_vlen_ascii", value: "plain ascii", options: { dtype: dtype.string({ charset: "ascii" }) }, dtype: dtype.string({ charset: "ascii" }),
    numpy: "|O", shape: [], string: { encoding: "ascii", length: null },
  },
  {
    name: "str_fixed_ascii", value: "fixed", options: { dtype: dtype.string({ length: 8, charset: "ascii" }) }, dtype: dtype.string({ length: 8, charset: "ascii" }),
    numpy: "|S8", shape: [], pythonType: "bytes_", string: { encoding: "ascii", length: 8 },
  },
  {
    name: "str_fixed_utf8_array", value: ["日本", "é", ""], options: { dtype: dtype.string({ length: 6 }) }, dtype: dtype.string({ length: 6 }),
    numpy: "|S6", shape: [3], string: { encoding: "utf-8", length: 6 },
  },
);

const RECORDS = [
  { id: 2n ** 60n + 7n, x: 0.1, name: "ünï", tag: "ab", ok: true, grid: [1, 2, 3, 4] },
  { id: -5n, x: -Infinity, name: "", tag: "abcd", ok: false, grid: [[-1, -2], [-3, -4]] },
];
cases.push(
  { name: "compound_records", value: RECORDS, options: { dtype: RECORD }, dtype: RECORD, numpy: "|V33", shape: [2] },
  {
    name: "compound_columns", value: { id: BigInt64Array.of(1n, 2n), x: Float32Array.of(1.5, 2.5), name: ["a", "b"], tag: ["x", "y"], ok: [false, true], grid: Int16Array.of(1, 2, 3, 4, 5, 6, 7, 8) },
    options: { dtype: RECORD, shape: [2] }, dtype: RECORD, numpy: "|V33", shape: [2],
    values: [
      { id: "1", x: 1.5, name: "a", tag: "x", ok: false, grid: [1, 2, 3, 4] },
      { id: "2", x: 2.5, name: "b", tag: "y", ok: true, grid: [5, 6, 7, 8] },
    ],
  },
  { name: "compound_scalar_record", value: { a: 7, s: "name" }, dtype: dtype.compound({ a: "float64", s: "string" }), numpy: "|V16", shape: [], pythonType: "void" },
  {
    name: "compound_scalar_typed", value: { a: -1, b: 2n }, options: { dtype: dtype.compound({ a: "int8", b: "uint64" }) },
    dtype: dtype.compound({ a: "int8", b: "uint64" }), numpy: "|V9", shape: [], pythonType: "void",
  },
  // Opaque, array and enum dtypes.
  { name: "opaque_scalar", value: Uint8Array.of(1, 2, 3, 4), options: { dtype: dtype.opaque(4) }, dtype: dtype.opaque(4), numpy: "|V4", shape: [], pythonType: "void" },
  {
    name: "opaque_array", value: [Uint8Array.of(0, 255), Uint8Array.of(7, 8), Uint8Array.of(9, 10)], options: { dtype: dtype.opaque(2) },
    dtype: dtype.opaque(2), numpy: "|V2", shape: [3],
  },
  {
    name: "array_dtype_scalar", value: Float32Array.of(1, 2, 3, 4, 5, 6), options: { dtype: dtype.array("float32", [2, 3]) },
    dtype: dtype.array("float32", [2, 3]), numpy: "|V24", shape: [], subarray: { dims: [2, 3], base: "<f4" },
  },
  {
    name: "array_dtype_array", value: [[1, 2], [3, 4], [5, 6]], options: { dtype: dtype.array("int64", [2]) },
    dtype: dtype.array("int64", [2]), numpy: "|V16", shape: [3], subarray: { dims: [2], base: "<i8" },
  },
  {
    name: "enum_by_name", value: "GREEN", options: { dtype: dtype.enum("int8", { RED: 0, GREEN: 1, BLUE: 2 }) },
    dtype: dtype.enum("int8", { RED: 0, GREEN: 1, BLUE: 2 }), numpy: "|i1", shape: [], enum: { RED: 0, GREEN: 1, BLUE: 2 },
  },
  {
    name: "enum_array", value: [0, 2, 2, 1], options: { dtype: dtype.enum("uint16", { RED: 0, GREEN: 1, BLUE: 2 }) },
    dtype: dtype.enum("uint16", { RED: 0, GREEN: 1, BLUE: 2 }), numpy: "<u2", shape: [4], enum: { RED: 0, GREEN: 1, BLUE: 2 },
  },
  // Big: beyond the 64 KiB of compact attribute storage (dense storage, HDF5 ≥ 1.8 format).
  { name: "big_float64", value: Float64Array.from({ length: 20000 }, (_, i) => i / 3), dtype: "float64", numpy: "<f8", shape: [20000] },
  { name: "ünïcode name with spaces ✓", value: 1, options: { dtype: "uint8" }, dtype: "uint8", numpy: "|u1", shape: [] },
);

// Replacing: each ends as its last value; deleting: gone from the file.
const REPLACED: { name: string; steps: [unknown, SetAttributeOptions?][]; final: AttrCase }[] = [
  {
    name: "replaced_number_to_string",
    steps: [[1.5], ["now a string"]],
    final: { name: "replaced_number_to_string", value: "now a string", dtype: "string", numpy: "|O", shape: [], pythonType: "str" },
  },
  {
    name: "replaced_scalar_to_array",
    steps: [["text"], [Int16Array.of(1, 2, 3)]],
    final: { name: "replaced_scalar_to_array", value: Int16Array.of(1, 2, 3), dtype: "int16", numpy: "<i2", shape: [3] },
  },
  {
    name: "replaced_same_type",
    steps: [[[1, 2, 3], { dtype: "int32" }], [[4, 5], { dtype: "int32" }]],
    final: { name: "replaced_same_type", value: [4, 5], dtype: "int32", numpy: "<i4", shape: [2] },
  },
  {
    name: "replaced_records_to_bool",
    steps: [[RECORDS, { dtype: RECORD }], [true]],
    final: { name: "replaced_records_to_bool", value: true, dtype: "bool", numpy: "|b1", shape: [], pythonType: "bool_" },
  },
];
const DELETED = ["deleted_a", "deleted_b"];

const OBJECTS = ["/", "/group", "/group/dataset"] as const;
type ObjectName = (typeof OBJECTS)[number];

const dir = tempDir();
const file = path.join(dir, "attrs-by-h5dat.h5");
const writeErrors = new Map<string, Error>();
let seen: Record<ObjectName, Record<string, PyAttr>>;
let reader: File;

/** Writes every case on `obj`; `sync` picks the form (dataset: alternate per case). */
async function writeAll(obj: File | Group | Dataset, objectName: ObjectName) {
  const useSync = (i: number) => (objectName === "/group" ? true : objectName === "/" ? false : i % 2 === 1);
  const set = async (i: number, name: string, value: unknown, options?: SetAttributeOptions) => {
    if (useSync(i)) obj.attrs.setSync(name, value, options);
    else await obj.attrs.set(name, value, options);
  };
  for (const [i, c] of cases.entries()) {
    try {
      await set(i, c.name, c.value, c.options);
    } catch (error) {
      writeErrors.set(`${objectName}@${c.name}`, error as Error);
    }
  }
  for (const [i, r] of REPLACED.entries()) {
    for (const [value, options] of r.steps) await set(i, r.name, value, options);
  }
  for (const [i, name] of DELETED.entries()) {
    await set(i, name, i);
    assert.equal(await obj.attrs.has(name), true);
    if (useSync(i)) obj.attrs.deleteSync(name);
    else await obj.attrs.delete(name);
    assert.equal(obj.attrs.hasSync(name), false);
  }
}

describe("attributes written by h5dat, read by h5py", () => {
  before(async () => {
    const f = await File.open(file, "w");
    const group = await f.createGroup("group");
    const ds = await group.createDataset("dataset", { data: Int32Array.of(1, 2, 3), chunks: [2], compression: "gzip" });
    await writeAll(f, "/");
    await writeAll(group, "/group");
    await writeAll(ds, "/group/dataset");
    await f.close();
    const out = pythonJson<{ datasets: Record<string, { attrs: Record<string, PyAttr> }>; groups: Record<string, { attrs: Record<string, PyAttr> }> }>(
      `${IMPORT_FIXTURE}print(json.dumps(fx.dump(sys.argv[1])))`,
      file,
    );
    seen = { "/": out.groups["/"].attrs, "/group": out.groups["/group"].attrs, "/group/dataset": out.datasets["/group/dataset"].attrs };
    reader = await File.open(file, "r");
  });

  after(async () => {
    await reader?.close();
  });

  const all = [...cases, ...REPLACED.map((r) => r.final)];
  for (const objectName of OBJECTS) {
    describe(`on ${objectName}`, () => {
      for (const c of all) {
        test(c.name, async () => {
          const error = writeErrors.get(`${objectName}@${c.name}`);
          if (error) throw error;
          const py = seen[objectName][c.name];
          assert.ok(py, `h5py does not see ${objectName}@${c.name}`);
          const expected = c.values ?? canon(c.value, c.dtype);
          assert.equal(py.dtype.str, c.numpy, "numpy dtype");
          assert.deepEqual(py.shape, c.shape, "shape");
          assert.deepEqual(py.values, expected, "values seen by h5py");
          if (c.numpy === "|b1") assert.equal(py.dtype.bool, true, "h5py sees numpy bool");
          if (c.pythonType) assert.equal(py.python_type, c.pythonType, "type of h5py's attrs[name]");
          if (c.string) assert.deepEqual(py.dtype.string, c.string, "string dtype");
          assert.deepEqual(py.dtype.enum, c.enum, "enum mapping");
          if (c.subarray) {
            assert.deepEqual(py.dtype.dims, c.subarray.dims);
            assert.equal(py.dtype.base?.str, c.subarray.base);
          }
          // And h5dat reads back what it wrote.
          const obj = objectName === "/" ? reader : await reader.get(objectName);
          const full = await obj.attrs.read(c.name);
          assert.equal(dtypeName(full.dtype), dtypeName(c.dtype), "h5dat dtype");
          assert.deepEqual(full.shape, c.shape, "h5dat shape");
          assert.deepEqual(canon(full.data, full.dtype), expected, "h5dat read()");
          const value = await obj.attrs.get(c.name);
          const isArrayDtype = typeof c.dtype === "object" && c.dtype.kind === "array";
          if (c.shape.length === 0 && !isArrayDtype) assert.deepEqual(canonElement(value, full.dtype), expected[0], "h5dat get() scalar");
          else assert.deepEqual(canon(value, full.dtype), expected, "h5dat get()");
        });
      }

      test("keys: sorted, as h5py lists them, without deleted ones", async () => {
        const obj = objectName === "/" ? reader : await reader.get(objectName);
        const keys = await obj.attrs.keys();
        assert.deepEqual(keys, Object.keys(seen[objectName]).sort());
        assert.deepEqual(obj.attrs.keysSync(), keys);
        assert.deepEqual(keys, all.map((c) => c.name).sort());
        for (const name of DELETED) {
          assert.equal(name in seen[objectName], false, `${name} still seen by h5py`);
          assert.equal(await obj.attrs.has(name), false);
        }
        assert.equal(await obj.attrs.has("str"), true);
        assert.equal(obj.attrs.hasSync("str"), true);
      });

      test("toObject and toObjectSync give get() of every key", async () => {
        const obj = objectName === "/" ? reader : await reader.get(objectName);
        const object = await obj.attrs.toObject();
        assert.deepEqual(Object.keys(object).sort(), all.map((c) => c.name).sort());
        for (const key of Object.keys(object)) assert.deepEqual(object[key], await obj.attrs.get(key), key);
        assert.deepEqual(obj.attrs.toObjectSync(), object);
        assert.equal(object.str, "attribute text ✓ ünï 日本");
        assert.equal(object.scalar_int64, 2n ** 63n - 1n);
        assert.equal(object.bool_false, false);
        assert.deepEqual(object.compound_scalar_record, { a: 7, s: "name" });
      });
    });
  }

  test("get() of a missing attribute, delete() of a missing one: H5Error naming object@attr", async () => {
    const group = await reader.group("group");
    await assert.rejects(group.attrs.get("nope"), (e: unknown) => e instanceof H5Error && e.path === "/group@nope");
    assert.throws(() => group.attrs.getSync("nope"), (e: unknown) => e instanceof H5Error && e.path === "/group@nope");
    const w = path.join(dir, "delete-missing.h5");
    await using f = await File.open(w, "w");
    await assert.rejects(f.attrs.delete("nope"), (e: unknown) => e instanceof H5Error && e.path === "/@nope");
    assert.throws(() => f.attrs.deleteSync("nope"), H5Error);
  });

  test("an attribute set(name, await get(name)) round-trips for every dtype", async () => {
    const w = path.join(dir, "copy.h5");
    const f = await File.open(w, "w");
    const source = await reader.group("group");
    for (const c of all) {
      const { dtype: d, shape } = await source.attrs.read(c.name);
      await f.attrs.set(c.name, await source.attrs.get(c.name), { dtype: d, shape: shape ?? undefined });
    }
    await f.close();
    const copied = pythonJson<{ groups: Record<string, { attrs: Record<string, PyAttr> }> }>(`${IMPORT_FIXTURE}print(json.dumps(fx.dump(sys.argv[1])))`, w);
    assert.deepEqual(copied.groups["/"].attrs, seen["/group"]);
  });
});

test("an empty (null-dataspace) attribute is written as h5py's Empty and reads back as null", async () => {
  const file = path.join(tempDir(), "empty-attr.h5");
  const f = await File.open(file, "w");
  await f.attrs.set("nothing", undefined, { dtype: "float32", shape: null });
  await assert.rejects(f.attrs.set("untyped", undefined, { shape: null }), (e: unknown) => e instanceof H5Error && /needs a dtype/.test(String(e)));
  assert.equal(await f.attrs.get("nothing"), null);
  // find: the value when there is one (an empty one too), undefined when there is none.
  assert.equal(await f.attrs.find("nothing"), null);
  assert.equal(await f.attrs.find("missing"), undefined);
  assert.equal(f.attrs.findSync("missing"), undefined);
  await assert.rejects(f.attrs.get("missing"), /no such attribute/);
  assert.deepEqual((await f.attrs.read("nothing")).shape, null);
  await f.close();
  const seen = pythonJson<{ empty: boolean; dtype: string }>(
    `import h5py, json, sys
v = h5py.File(sys.argv[1], "r").attrs["nothing"]
print(json.dumps({"empty": isinstance(v, h5py.Empty), "dtype": str(v.dtype)}))`,
    file,
  );
  assert.deepEqual(seen, { empty: true, dtype: "float32" });
});

test("attrs.update writes several attributes in one call, each with its own dtype, replacing old ones", async () => {
  const file = path.join(tempDir(), "update-attr.h5");
  const f = await File.open(file, "w");
  const ds = await f.createDataset("d", { shape: [2], dtype: "uint8" });
  await ds.attrs.set("kept", 1);
  await ds.attrs.set("replaced", "old");
  await ds.attrs.update(
    { replaced: "new ü", size: 12345678901, ratio: 0.5, tags: ["a", "b"], flag: true, code: "IMAGE" },
    { size: { dtype: "int64" }, code: { dtype: dtype.string({ length: 6, charset: "ascii", padding: "nullterm" }) } },
  );
  ds.attrs.updateSync({ sync: 7 }, { sync: { dtype: "uint16" } });
  // A value that does not fit its shape fails the update, naming the attribute, before any is written.
  await assert.rejects(ds.attrs.update({ before: 1, bad: 2 }, { bad: { dtype: "int8", shape: [3] } }), (e: unknown) => e instanceof H5Error && /d@bad/.test(String(e)));
  await ds.close();
  await f.close();
  const seen = pythonJson<Record<string, [string, unknown]>>(
    `import h5py, json, sys
a = h5py.File(sys.argv[1], "r")["d"].attrs
def plain(v):
    if isinstance(v, bytes): return v.decode()
    if hasattr(v, "tolist"): v = v.tolist()
    if isinstance(v, list): return [plain(x) for x in v]
    return v
print(json.dumps({k: [str(a.get_id(k).dtype), plain(a[k])] for k in a}))`,
    file,
  );
  assert.deepEqual(seen, {
    kept: ["float64", 1],
    replaced: ["object", "new ü"],
    size: ["int64", 12345678901],
    ratio: ["float64", 0.5],
    tags: ["object", ["a", "b"]],
    flag: ["bool", true],
    code: ["|S6", "IMAGE"],
    sync: ["uint16", 7],
  });
});

test("createDataset with attrs writes them with the dataset, in one call; a bad one leaves no dataset", async () => {
  const file = path.join(tempDir(), "create-attrs.h5");
  const f = await File.open(file, "w");
  const code = { dtype: dtype.string({ length: 6, charset: "ascii", padding: "nullterm" }) };
  await (await f.createDataset("img", {
    data: new Uint8Array(24).map((_, i) => i * 3),
    shape: [2, 4, 3],
    compression: "gzip",
    attrs: { CLASS: "IMAGE", width: 4, ratio: 0.25, tags: ["a", "ü"], flag: false },
    attrOptions: { CLASS: code, width: { dtype: "int64" } },
  })).close();
  f.createDatasetSync("plain", { data: [1, 2], attrs: { note: "sync" } }).closeSync();
  // A value that does not fit its shape fails the create, naming the attribute: the dataset is not made.
  await assert.rejects(
    f.createDataset("bad", { data: [1, 2, 3], attrs: { fine: 1, wrong: 2 }, attrOptions: { wrong: { dtype: "int8", shape: [3] } } }),
    (e: unknown) => e instanceof H5Error && /bad@wrong/.test(String(e)),
  );
  assert.equal(await f.has("bad"), false);
  // A native failure after the dataset is made (an attribute name HDF5 refuses) removes it again.
  await assert.rejects(f.createDataset("bad2", { data: [1], attrs: { "": 1 } }), H5Error);
  assert.equal(await f.has("bad2"), false);
  await f.close();
  const seen = pythonJson<Record<string, Record<string, [string, unknown]>>>(
    `import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
def plain(v):
    if isinstance(v, bytes): return v.decode()
    if hasattr(v, "tolist"): v = v.tolist()
    if isinstance(v, list): return [plain(x) for x in v]
    return v
print(json.dumps({name: {k: [str(f[name].attrs.get_id(k).dtype), plain(f[name].attrs[k])] for k in f[name].attrs} for name in f}))`,
    file,
  );
  assert.deepEqual(seen, {
    img: { CLASS: ["|S6", "IMAGE"], width: ["int64", 4], ratio: ["float64", 0.25], tags: ["object", ["a", "ü"]], flag: ["bool", false] },
    plain: { note: ["object", "sync"] },
  });
});
