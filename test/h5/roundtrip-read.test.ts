// Written by h5py, read by h5dat: test/fixtures/make_h5py_fixture.py makes a file with every dtype,
// shape, layout, filter and attribute kind h5py writes (its own conventions: bool as an enum,
// vlen str, 'S10', compounds with array fields, enum_dtype, 'V8', '>i4', structured arrays), and
// prints what h5py reads back in canonical form (test/helpers/canon.ts). h5dat must read the same.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { File, H5Error, dtypeName, slice, type Dataset, type Selection } from "../../src";
import { canon, canonElement, columnsToRecords, makeH5pyFixture, type H5pyDatasetFacts } from "../helpers/canon";
import { tempDir } from "../helpers/h5py";

type Canon = unknown;

interface PyDtype {
  str: string;
  string?: { encoding: "utf-8" | "ascii"; length: number | null };
  enum?: Record<string, number>;
  fields?: [string, PyDtype][];
  base?: PyDtype;
  dims?: number[];
  bool?: boolean;
}
interface PyAttr {
  dtype: PyDtype;
  shape: number[] | null;
  values: Canon[] | null;
  python_type: string;
}
interface PyDataset extends H5pyDatasetFacts<PyDtype> {
  attrs: Record<string, PyAttr>;
}
interface Fixture {
  datasets: Record<string, PyDataset>;
  groups: Record<string, { attrs: Record<string, PyAttr> }>;
  selections: Record<string, { shape: number[]; values: Canon[] }>;
}

/** The h5dat dtype name (dtypeName) h5py's dtype must map to. */
function expectedName(d: PyDtype): string {
  if (d.bool) return "bool";
  if (d.string) {
    const prefix = d.string.encoding === "ascii" ? "ascii" : "string";
    return d.string.length === null ? prefix : `${prefix}[${d.string.length}]`;
  }
  if (d.fields) return `compound{${d.fields.map(([name, t]) => `${name}:${expectedName(t)}`).join(",")}}`;
  if (d.base && d.dims) return `${expectedName(d.base)}[${d.dims.join("x")}]`;
  const m = /^([<>|])([iufV])(\d+)$/.exec(d.str);
  if (!m) throw new Error(`unexpected numpy dtype ${d.str}`);
  const [, order, kind, n] = m;
  if (kind === "V") return `opaque[${n}]`;
  const name = `${kind === "u" ? "uint" : kind === "i" ? "int" : "float"}${Number(n) * 8}`;
  const numeric = order === ">" ? `>${name}` : name;
  return d.enum ? `enum<${numeric}>` : numeric;
}

// Selections: h5dat's form and the Python index expression that must give the same values.
const SELECTIONS: { dataset: string; py: string; sel: Selection }[] = [
  { dataset: "/sel/cube", py: "1:5, ::2", sel: "1:5, ::2" },
  { dataset: "/sel/cube", py: "-1", sel: "-1" },
  { dataset: "/sel/cube", py: "::3, -1, 2:7:2", sel: "::3, -1, 2:7:2" },
  { dataset: "/sel/cube", py: "..., 0", sel: "..., 0" },
  { dataset: "/sel/cube", py: "2, ..., 1:3", sel: "2, ..., 1:3" },
  { dataset: "/sel/cube", py: ":, 1:-1, -3:", sel: ":, 1:-1, -3:" },
  { dataset: "/sel/cube", py: "-4:-1, :, ::5", sel: "-4:-1, :, ::5" },
  { dataset: "/sel/cube", py: "0:0", sel: "0:0" },
  { dataset: "/sel/cube", py: "4:100, 6:, :-7", sel: "4:100, 6:, :-7" },
  { dataset: "/sel/cube", py: "1:5, :, ::2", sel: [slice(1, 5), null, slice(null, null, 2)] },
  { dataset: "/sel/cube", py: "2, 1:5:2", sel: [2, [1, 5, 2]] },
  { dataset: "/sel/cube", py: "-2, -3, -4", sel: [-2, -3, -4] },
  {
    dataset: "/sel/cube",
    py: "d[()][np.ix_([0, 3], [1, 2, 4, 5], [2, 5])]", // rows 0, 3; columns 1-2, 4-5; planes 2, 5
    sel: { start: [0, 1, 2], count: [2, 2, 2], stride: [3, 3, 3], block: [1, 2, 1] },
  },
  { dataset: "/sel/matrix", py: "3", sel: "3" },
  { dataset: "/sel/matrix", py: "-1, -1", sel: "-1, -1" },
  { dataset: "/sel/matrix", py: "2:8:3, 1::4", sel: "2:8:3, 1::4" },
  { dataset: "/sel/matrix", py: ":, 9", sel: [null, 9] },
  { dataset: "/sel/strings", py: "::2", sel: "::2" },
  { dataset: "/sel/strings", py: "-3:", sel: "-3:" },
  { dataset: "/sel/strings", py: "5", sel: "5" },
  { dataset: "/sel/records", py: "1:3", sel: "1:3" },
  { dataset: "/sel/records", py: "-1", sel: [-1] },
  { dataset: "/types/compound", py: "1:", sel: "1:" },
  { dataset: "/types/compound", py: "-2", sel: "-2" },
  { dataset: "/shapes/str2d", py: "1, :", sel: "1, :" },
  { dataset: "/shapes/str2d", py: ":, -1", sel: [null, -1] },
  { dataset: "/shapes/d4", py: "1, ::2, 1:3, -2:", sel: "1, ::2, 1:3, -2:" },
  { dataset: "/types/array", py: "::3", sel: "::3" },
  { dataset: "/filters/all", py: "3:30:4, 10:20", sel: "3:30:4, 10:20" },
  { dataset: "/filters/resizable", py: "2:5", sel: "2:5" },
];

const dir = tempDir();
const file = path.join(dir, "written-by-h5py.h5");
let fixture: Fixture;
let f: File;

describe("written by h5py (test/fixtures/make_h5py_fixture.py), read by h5dat", () => {
  before(async () => {
    fixture = makeH5pyFixture<Fixture>(file, SELECTIONS);
    f = await File.open(file, "r");
  });

  after(async () => {
    await f?.close();
  });

  function checkMetadata(ds: Dataset, py: PyDataset) {
    assert.equal(py.error, undefined, `h5py: ${py.error}`);
    assert.equal(dtypeName(ds.dtype), expectedName(py.dtype), "dtype");
    assert.deepEqual(ds.shape, py.shape, "shape");
    assert.deepEqual(ds.maxshape, py.maxshape, "maxshape");
    assert.deepEqual(ds.chunks, py.chunks, "chunks");
    assert.equal(ds.layout, py.layout, "layout");
    assert.equal(ds.compression, py.compression, "compression");
    if (py.compression === "gzip" || py.compression === null) assert.equal(ds.compressionOpts, py.compression_opts, "compressionOpts");
    assert.equal(ds.shuffle, py.shuffle, "shuffle");
    assert.equal(ds.fletcher32, py.fletcher32, "fletcher32");
  }

  describe("whole datasets: metadata and values", () => {
    // The dataset list comes from the fixture, so the tests are made once it has run.
    test("every dataset h5py wrote", async (t) => {
      const names = Object.keys(fixture.datasets).filter((n) => n !== "/filters/lzf");
      assert.ok(names.length >= 55, `only ${names.length} datasets in the fixture`);
      for (const name of names) {
        await t.test(name, async () => {
          const py = fixture.datasets[name];
          const ds = await f.dataset(name);
          checkMetadata(ds, py);
          const { data, shape } = await ds.read();
          if (py.shape === null) {
            assert.equal(py.values, null);
            assert.deepEqual(canon(data, ds.dtype), []);
            return;
          }
          assert.deepEqual(shape, py.value_shape, "read shape (array dtypes expanded)");
          assert.deepEqual(canon(data, ds.dtype), py.values, "values");
          const sync = ds.readSync();
          assert.deepEqual(canon(sync.data, ds.dtype), py.values, "readSync values");
          if (typeof ds.dtype === "object" && ds.dtype.kind === "compound") {
            const cols = await ds.read(undefined, { columns: true });
            const records = columnsToRecords(cols.data as Record<string, ArrayLike<unknown>>, ds.dtype, ds.size);
            assert.deepEqual(canon(records, ds.dtype), py.values, "columns");
          }
        });
      }
    });
  });

  describe("h5py's conventions map to h5dat dtypes", () => {
    const dtypeOf = async (name: string) => (await f.dataset(name)).dtype;

    test("bool (h5py's FALSE/TRUE enum) is 'bool', read as 0/1 bytes", async () => {
      const ds = await f.dataset("/types/bool");
      assert.equal(ds.dtype, "bool");
      assert.deepEqual((await ds.read()).data, Uint8Array.of(1, 0, 0, 1, 1));
    });

    test("vlen str is 'string', vlen bytes ascii strings, fixed 'S10' nullpad ascii[10]", async () => {
      assert.equal(await dtypeOf("/types/vlen_str"), "string");
      assert.deepEqual(await dtypeOf("/types/vlen_ascii"), { kind: "string", length: null, charset: "ascii", padding: "nullterm" });
      assert.deepEqual(await dtypeOf("/types/fixed_S10"), { kind: "string", length: 10, charset: "ascii", padding: "nullpad" });
      assert.deepEqual(await dtypeOf("/types/fixed_utf8"), { kind: "string", length: 12, charset: "utf-8", padding: "nullpad" });
      assert.deepEqual((await (await f.dataset("/types/fixed_S10")).read()).data, ["abc", "0123456789", ""]);
    });

    test("compound with nested arrays keeps offsets, array fields and the record size", async () => {
      const d = await dtypeOf("/types/compound");
      assert.ok(typeof d === "object" && d.kind === "compound");
      assert.deepEqual(
        d.fields.map((x) => [x.name, x.offset, dtypeName(x.dtype)]),
        // numpy's packed layout; a vlen string takes a pointer's 8 bytes.
        [["id", 0, "int64"], ["pos", 8, "float32[3]"], ["name", 20, "string"], ["tag", 28, "ascii[4]"], ["ok", 32, "bool"], ["grid", 33, "int16[2x2]"]],
      );
      assert.equal(d.size, 41);
      const { data } = await (await f.dataset("/types/compound")).read();
      const first = (data as Record<string, unknown>[])[0];
      assert.equal(first.id, 2n ** 60n + 7n);
      assert.deepEqual(first.pos, Float32Array.of(1.5, -2.25, 0.1));
      assert.deepEqual(first.grid, Int16Array.of(1, 2, 3, 4));
      assert.equal(first.ok, true);
    });

    test("enum_dtype becomes an enum with its members", async () => {
      assert.deepEqual(await dtypeOf("/types/enum"), { kind: "enum", base: "int8", members: { RED: 0, GREEN: 1, BLUE: 2 } });
      assert.deepEqual(await dtypeOf("/types/enum_u16"), { kind: "enum", base: "uint16", members: { LOW: 10, HIGH: 300 } });
    });

    test("'V8' is opaque of 8 bytes, read as Uint8Arrays", async () => {
      const ds = await f.dataset("/types/opaque");
      assert.deepEqual(ds.dtype, { kind: "opaque", size: 8 });
      assert.deepEqual((await ds.read()).data, [Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7), new Uint8Array(8).fill(255)]);
    });

    test("'>i4' and '>f8' are big-endian dtypes read in native order", async () => {
      const i4 = await f.dataset("/types/be_i4");
      assert.equal(i4.dtype, ">int32");
      assert.deepEqual((await i4.read()).data, Int32Array.of(1, -2, 2 ** 31 - 1, -(2 ** 31)));
      assert.equal(await dtypeOf("/types/be_f8"), ">float64");
    });

    test("a numpy structured array is a compound (a big-endian field stays big-endian)", async () => {
      const d = await dtypeOf("/types/structured");
      assert.equal(dtypeName(d), "compound{x:float64,y:>int32,flag:bool}");
      const { data } = await (await f.dataset("/types/structured")).read(undefined, { columns: true });
      const cols = data as Record<string, unknown>;
      assert.deepEqual(cols.x, Float64Array.of(0.5, 1.5, 2.5, 3.5));
      assert.deepEqual(cols.y, Int32Array.of(-1, 0, 1, 2 ** 31 - 1));
      assert.deepEqual(cols.flag, [true, false, true, false]);
    });

    test("an array dtype ('<f4', (2, 3)) is array float32[2x3], its dims appended to the read shape", async () => {
      const ds = await f.dataset("/types/array");
      assert.deepEqual(ds.dtype, { kind: "array", base: "float32", shape: [2, 3] });
      const { data, shape } = await ds.read("1:3");
      assert.deepEqual(shape, [2, 2, 3]);
      assert.deepEqual(data, Float32Array.from({ length: 12 }, (_, i) => i + 6));
    });

    test("an lzf-compressed dataset: the filter is named, reading it fails with an H5Error", async () => {
      const ds = await f.dataset("/filters/lzf");
      assert.equal(ds.compression, "lzf");
      assert.deepEqual(ds.chunks, fixture.datasets["/filters/lzf"].chunks);
      // lzf is optional in h5py: a chunk it cannot shrink would be stored unfiltered. These are lzf'd.
      assert.deepEqual((await ds.chunkList()).map((c) => c.filterMask), [0, 0]);
      await assert.rejects(ds.read(), (e: unknown) => e instanceof H5Error && /cannot read dataset/.test(e.message) && e.path === "/filters/lzf");
    });
  });

  describe("dataset reads by selection", () => {
    for (const s of SELECTIONS) {
      test(`${s.dataset}[${s.py}] as ${typeof s.sel === "string" ? JSON.stringify(s.sel) : "selection " + JSON.stringify(s.sel)}`, async () => {
        const expected = fixture.selections[`${s.dataset}|${s.py}`];
        const ds = await f.dataset(s.dataset);
        const result = await ds.read(s.sel);
        assert.deepEqual(result.shape, expected.shape, "shape");
        assert.deepEqual(canon(result.data, ds.dtype), expected.values, "values");
        const sync = ds.readSync(s.sel);
        assert.deepEqual(sync.shape, expected.shape, "readSync shape");
        assert.deepEqual(canon(sync.data, ds.dtype), expected.values, "readSync values");
      });
    }
  });

  describe("attributes written by h5py", () => {
    const objects = ["/", "/attrs/group", "/attrs/dataset"];
    const attrsOf = (name: string) => (name === "/attrs/dataset" ? fixture.datasets[name].attrs : fixture.groups[name].attrs);

    for (const objectName of objects) {
      test(`on ${objectName}`, async (t) => {
        const obj = objectName === "/" ? f : await f.get(objectName);
        const expected = attrsOf(objectName);
        assert.ok(Object.keys(expected).length >= 30);
        assert.deepEqual(await obj.attrs.keys(), Object.keys(expected).sort(), "keys");
        assert.deepEqual(obj.attrs.keysSync(), Object.keys(expected).sort(), "keysSync");
        for (const [name, py] of Object.entries(expected)) {
          await t.test(name, async () => {
            assert.equal(await obj.attrs.has(name), true);
            const full = await obj.attrs.read(name);
            assert.equal(dtypeName(full.dtype), expectedName(py.dtype), "dtype");
            assert.deepEqual(full.shape, py.shape, "shape");
            const value = await obj.attrs.get(name);
            assert.deepEqual(obj.attrs.getSync(name), value, "getSync");
            if (py.shape === null) {
              assert.equal(value, null, "an empty attribute gets null");
              return;
            }
            const arrayDims = typeof full.dtype === "object" && full.dtype.kind === "array" ? full.dtype.shape : [];
            assert.deepEqual(canon(full.data, full.dtype), py.values, "read() values");
            if (py.shape.length === 0 && arrayDims.length === 0) {
              // A scalar comes back as one JS value of the natural type.
              assert.deepEqual(canonElement(value, full.dtype), py.values?.[0], "get() value");
              const kind = py.python_type;
              const jsType = typeof value;
              if (/^u?int(8|16|32)$|^float/.test(kind)) assert.equal(jsType, "number");
              if (/^u?int64$/.test(kind)) assert.equal(jsType, "bigint");
              if (kind === "str" || kind === "bytes_") assert.equal(jsType, "string");
              if (kind === "bool_") assert.equal(jsType, "boolean");
              if (kind === "void") assert.equal(jsType, "object");
            } else {
              assert.deepEqual(canon(value, full.dtype), py.values, "get() values");
            }
          });
        }
      });
    }

    test("toObject and toObjectSync hold every attribute", async () => {
      const expected = fixture.groups["/attrs/group"].attrs;
      const group = await f.group("/attrs/group");
      const all = await group.attrs.toObject();
      assert.deepEqual(Object.keys(all).sort(), Object.keys(expected).sort());
      assert.deepEqual(group.attrs.toObjectSync(), all);
      assert.equal(all.str, "attribute text ✓");
      assert.deepEqual(all.str_list, ["one", "twö", ""]);
      assert.equal(all.scalar_i8, 2n ** 63n - 1n);
      assert.equal(all.bool, true);
      assert.equal(all.empty, null);
      assert.deepEqual(all.compound, { a: 7, b: 2.5, s: "name" });
    });
  });
});
