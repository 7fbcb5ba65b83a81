// Bad input fails with a clear H5Error, in the Promise form and the Sync form alike: the message
// names the file or object and the cause, `path` is set, `h5Stack` carries HDF5's own messages
// where HDF5 raised the error (and is empty where h5dat refused up front). Nothing crashes, and
// the file stays usable afterwards: every case writes a marker dataset after its error, and h5py
// reads all markers (and the untouched original data) at the end.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { File, H5Error, dtype, slice, type Dataset, type Group } from "../../src";
import { python, tempDir } from "../helpers/h5py";

type Form = "promise" | "sync";
const FORMS: Form[] = ["promise", "sync"];

interface Expected {
  /** The cause, as a pattern over the message. */
  cause: RegExp;
  /** Text the message must contain (the file or object path). */
  names: string;
  /** Expected `error.path`. */
  path: string;
  /** Whether HDF5 raised it (non-empty h5Stack) or h5dat did (empty). */
  fromHdf5: boolean;
}

/** Calls `method` (Promise form) or `methodSync` on `target`. */
function invoke(form: Form, target: object, method: string, ...args: unknown[]): unknown {
  const name = form === "sync" ? `${method}Sync` : method;
  const fn = (target as Record<string, unknown>)[name];
  assert.equal(typeof fn, "function", `${name} is a method`);
  return (fn as (...a: unknown[]) => unknown).apply(target, args);
}

/**
 * Runs `op` in `form` and checks how it fails: the Sync form throws, the Promise form returns a
 * Promise that rejects (it must not throw synchronously), and the error is a well-formed H5Error.
 */
async function expectFailure(form: Form, op: () => unknown, expected: Expected): Promise<H5Error> {
  let error: unknown;
  if (form === "sync") {
    let threw = false;
    try {
      op();
    } catch (e) {
      threw = true;
      error = e;
    }
    assert.ok(threw, "the Sync form should throw");
  } else {
    let promise: unknown;
    try {
      promise = op();
    } catch (e) {
      assert.fail(`the Promise form threw synchronously instead of rejecting: ${e}`);
    }
    assert.ok(promise instanceof Promise, "the Promise form returns a Promise");
    error = await promise.then(
      () => assert.fail("the Promise form should reject"),
      (e: unknown) => e,
    );
  }
  assert.ok(error instanceof H5Error, `expected an H5Error, got ${String(error)}`);
  assert.equal(error.name, "H5Error");
  assert.match(error.message, expected.cause);
  assert.ok(error.message.includes(expected.names), `message ${JSON.stringify(error.message)} should name ${expected.names}`);
  assert.equal(error.path, expected.path);
  assert.ok(Array.isArray(error.h5Stack));
  if (expected.fromHdf5) {
    assert.ok(error.h5Stack.length > 0, "HDF5's error stack is attached");
    assert.ok(error.h5Stack.every((line) => typeof line === "string" && line.length > 0));
  } else {
    assert.deepEqual(error.h5Stack, [], "an error h5dat raised itself has no HDF5 stack");
  }
  return error;
}

/** Writes `after/<label>` (proof the file still works) and reads it back in h5dat. */
async function stillUsable(file: File, label: string, markers: Map<string, number[]>): Promise<void> {
  const values = Array.from(label, (c) => c.charCodeAt(0));
  const ds = await file.createDataset(`after/${label}`, { data: Int32Array.from(values) });
  assert.deepEqual(Array.from((await ds.read()).data as Int32Array), values);
  markers.set(label, values);
}

/** h5py's view of the markers in `file`: label → values. */
function markersInH5py(file: string): Record<string, number[]> {
  return python<Record<string, number[]>>(
    `import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(json.dumps({k: f["after"][k][()].tolist() for k in f["after"]} if "after" in f else {}))`,
    file,
  );
}

const dir = tempDir("h5dat-errors-");

describe("opening files", () => {
  const good = path.join(dir, "good.h5");
  const text = path.join(dir, "notes.txt");
  const half = path.join(dir, "half.h5");
  const hundred = path.join(dir, "hundred.h5");
  const original = Float64Array.from({ length: 5000 }, (_, i) => i / 7);

  before(() => {
    const f = File.openSync(good, "w");
    f.createDatasetSync("values", { data: original, chunks: [500], compression: "gzip" });
    f.attrs.setSync("origin", "good");
    f.closeSync();
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(half, bytes.subarray(0, Math.floor(bytes.length / 2)));
    fs.writeFileSync(hundred, bytes.subarray(0, 100));
    fs.writeFileSync(text, "this is a plain text file, not HDF5\n".repeat(50));
  });

  for (const form of FORMS) {
    for (const mode of ["r", "r+"] as const) {
      test(`[${form}] a missing file in mode ${mode}`, async () => {
        const missing = path.join(dir, `missing-${form}-${mode.replace("+", "p")}.h5`);
        await expectFailure(form, () => invoke(form, File, "open", missing, mode), {
          cause: /^cannot open file .*No such file or directory/, names: missing, path: missing, fromHdf5: true,
        });
        assert.equal(fs.existsSync(missing), false, "nothing was created");
      });
    }

    test(`[${form}] a text file`, async () => {
      const before = fs.readFileSync(text);
      for (const mode of ["r", "r+", "a"] as const) {
        await expectFailure(form, () => invoke(form, File, "open", text, mode), {
          cause: /Not an HDF5 file|signature not found/, names: text, path: text, fromHdf5: true,
        });
      }
      assert.deepEqual(fs.readFileSync(text), before, "the text file is untouched");
    });

    for (const [label, file] of [["to half its size", half], ["to 100 bytes", hundred]] as const) {
      test(`[${form}] an HDF5 file truncated ${label}`, async () => {
        await expectFailure(form, () => invoke(form, File, "open", file, "r"), {
          cause: /truncated/, names: file, path: file, fromHdf5: true,
        });
        // The failed open left nothing behind: the same path can be truncated and rewritten.
        const target = path.join(dir, `rewritten-${form}-${path.basename(file)}`);
        fs.copyFileSync(file, target);
        await expectFailure(form, () => invoke(form, File, "open", target, "r+"), {
          cause: /truncated/, names: target, path: target, fromHdf5: true,
        });
        const f = await File.open(target, "w");
        await f.createDataset("after/rewritten", { data: Int32Array.of(7, 8, 9) });
        await f.close();
        assert.deepEqual(markersInH5py(target), { rewritten: [7, 8, 9] });
      });
    }

    for (const mode of ["w-", "x"] as const) {
      test(`[${form}] mode ${mode} on an existing file`, async () => {
        await expectFailure(form, () => invoke(form, File, "open", good, mode), {
          cause: /^cannot create file .*File exists/, names: good, path: good, fromHdf5: true,
        });
      });
    }

    test(`[${form}] an invalid mode`, async () => {
      const fresh = path.join(dir, `mode-${form}.h5`);
      for (const mode of ["rw", "q", "", "W"]) {
        await expectFailure(form, () => invoke(form, File, "open", fresh, mode), {
          cause: new RegExp(`invalid file mode '${mode}'`), names: fresh, path: fresh, fromHdf5: false,
        });
      }
      assert.equal(fs.existsSync(fresh), false, "nothing was created");
    });
  }

  test("after all the failed opens the original file is intact and opens again, read-write", async () => {
    const seen = python<{ origin: string; values: number[] }>(
      `import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(json.dumps({"origin": f.attrs["origin"], "values": f["values"][()].tolist()}))`,
      good,
    );
    assert.equal(seen.origin, "good");
    assert.deepEqual(Float64Array.from(seen.values), original);
    const f = await File.open(good, "r+");
    await f.createDataset("after/reopened", { data: Int32Array.of(1) });
    await f.close();
    assert.deepEqual(markersInH5py(good), { reopened: [1] });
  });
});

describe("writing bad data", () => {
  for (const form of FORMS) {
    const file = path.join(dir, `write-${form}.h5`);
    const markers = new Map<string, number[]>();
    let f: File;
    let ints: Dataset, strings: Dataset, fixed: Dataset, records: Dataset, growing: Dataset;

    before(async () => {
      f = await File.open(file, "w");
      ints = await f.createDataset("ints", { data: Int32Array.from({ length: 10 }, (_, i) => i * 11) });
      strings = await f.createDataset("strings", { data: ["alpha", "beta", "gamma"] });
      fixed = await f.createDataset("fixed", { data: ["ab", "cd"], dtype: dtype.string({ length: 4, charset: "ascii" }) });
      growing = await f.createDataset("growing", { data: Int32Array.of(1, 2), maxshape: [null], chunks: [4] });
      records = await f.createDataset("records", { data: [{ id: 1, name: "one" }, { id: 2, name: "two" }], dtype: dtype.compound({ id: "int32", name: "string" }) });
    });
    after(async () => {
      if (f.isOpen) await f.close();
    });

    const cases: { name: string; op: () => unknown; cause: RegExp; object: string; check: () => Promise<void> }[] = [
      {
        name: "a TypedArray of the wrong length",
        op: () => invoke(form, ints, "write", new Int32Array(5)),
        cause: /data has 5 elements, expected 10/, object: "/ints",
        check: async () => assert.deepEqual(Array.from((await ints.read()).data as Int32Array), Array.from({ length: 10 }, (_, i) => i * 11)),
      },
      {
        name: "a plain array of the wrong length into a selection",
        op: () => invoke(form, ints, "write", [1, 2, 3], "0:2"),
        cause: /data has 3 elements, expected 2/, object: "/ints",
        check: async () => assert.deepEqual(Array.from((await ints.read("0:2")).data as Int32Array), [0, 11]),
      },
      {
        name: "strings into an int dataset",
        op: () => invoke(form, ints, "write", ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]),
        cause: /cannot write a string into a int32 dataset/, object: "/ints",
        check: async () => assert.equal(((await ints.read()).data as Int32Array)[9], 99),
      },
      {
        name: "numbers into a string dataset",
        op: () => invoke(form, strings, "write", [1, 2, 3]),
        cause: /expected a string, got number/, object: "/strings",
        check: async () => assert.deepEqual((await strings.read()).data, ["alpha", "beta", "gamma"]),
      },
      {
        name: "a record missing a field",
        op: () => invoke(form, records, "write", [{ id: 5, name: "five" }, { id: 6 }]),
        cause: /record has no field 'name'/, object: "/records",
        check: async () => assert.deepEqual((await records.read()).data, [{ id: 1, name: "one" }, { id: 2, name: "two" }]),
      },
      {
        name: "a fixed-length string that is too long",
        op: () => invoke(form, fixed, "write", ["ok", "much too long"]),
        cause: /string of 13 bytes does not fit a fixed length of 4/, object: "/fixed",
        check: async () => assert.deepEqual((await fixed.read()).data, ["ab", "cd"]),
      },
      {
        name: "append: strings into an int dataset leave its extent as it was",
        op: () => invoke(form, growing, "append", ["x", "y", "z"]),
        cause: /cannot write a string into a int32 dataset/, object: "/growing",
        check: async () => {
          await growing.refresh();
          assert.deepEqual(growing.shape, [2]);
          assert.deepEqual(Array.from((await growing.read()).data as Int32Array), [1, 2]);
        },
      },
      {
        name: "createDataset with data that does not fill the shape",
        op: () => invoke(form, f, "createDataset", "made/bad", { shape: [4], dtype: "int16", data: [1, 2, 3] }),
        cause: /data has 3 elements, expected 4/, object: "/made/bad",
        check: async () => assert.equal(await f.has("made/bad"), false),
      },
    ];

    cases.forEach((c, i) => {
      test(`[${form}] ${c.name}`, async () => {
        await expectFailure(form, c.op, { cause: c.cause, names: `'${c.object}'`, path: c.object, fromHdf5: false });
        await c.check();
        await stillUsable(f, `write-${i}`, markers);
      });
    });

    test(`[${form}] writing into a file opened read-only fails inside HDF5`, async () => {
      await f.close();
      const ro = await File.open(file, "r");
      const roInts = await ro.dataset("ints");
      await expectFailure(form, () => invoke(form, roInts, "write", new Int32Array(10)), {
        cause: /^cannot write dataset '\/ints': .*no write intent/, names: "'/ints'", path: "/ints", fromHdf5: true,
      });
      await expectFailure(form, () => invoke(form, ro, "createGroup", "new"), {
        cause: /^cannot create group '\/new': .*no write intent/, names: "'/new'", path: "/new", fromHdf5: true,
      });
      await expectFailure(form, () => invoke(form, ro.attrs, "set", "a", 1), {
        cause: /no write intent/, names: "/@a", path: "/@a", fromHdf5: true,
      });
      assert.deepEqual(Array.from((await roInts.read()).data as Int32Array), Array.from({ length: 10 }, (_, i) => i * 11));
      await ro.close();
      f = await File.open(file, "r+");
      ints = await f.dataset("ints");
      await stillUsable(f, "write-readonly", markers);
    });

    test(`[${form}] h5py reads the original data and every marker written after an error`, async () => {
      await f.close();
      assert.deepEqual(markersInH5py(file), Object.fromEntries(markers));
      assert.equal(markers.size, cases.length + 1);
      const seen = python<{ ints: number[]; growing: number[]; strings: string[]; fixed: string[]; records: [number, string][]; made: boolean }>(
        `import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(json.dumps({"ints": f["ints"][()].tolist(), "growing": f["growing"][()].tolist(), "strings": [s.decode() for s in f["strings"][()]],
  "fixed": [s.decode() for s in f["fixed"][()]], "records": [[int(r["id"]), r["name"].decode()] for r in f["records"][()]],
  "made": "made/bad" in f}))`,
        file,
      );
      assert.deepEqual(seen, {
        ints: Array.from({ length: 10 }, (_, i) => i * 11),
        growing: [1, 2],
        strings: ["alpha", "beta", "gamma"],
        fixed: ["ab", "cd"],
        records: [[1, "one"], [2, "two"]],
        made: false,
      });
    });
  }
});

describe("selections out of range", () => {
  for (const form of FORMS) {
    const file = path.join(dir, `select-${form}.h5`);
    const markers = new Map<string, number[]>();
    let f: File;
    let grid: Dataset;
    const values = Float32Array.from({ length: 60 }, (_, i) => i + 0.5);

    before(async () => {
      f = await File.open(file, "w");
      grid = await f.createDataset("grid", { data: values, shape: [6, 10], chunks: [3, 5] });
    });
    after(async () => {
      if (f.isOpen) await f.close();
    });

    const cases: { name: string; op: () => unknown; cause: RegExp; fromHdf5?: boolean }[] = [
      { name: "read: an index past the end", op: () => invoke(form, grid, "read", "6, 0"), cause: /index 6 out of range on axis 0/ },
      { name: "read: a negative index past the start", op: () => invoke(form, grid, "read", [0, -11]), cause: /index -11 out of range on axis 1/ },
      { name: "read: a slice with more axes than the dataset", op: () => invoke(form, grid, "read", [slice(0, 2), slice(0, 2), slice(0, 1)]), cause: /selection has 3 axes, the dataset 2/ },
      { name: "read: a zero step", op: () => invoke(form, grid, "read", "::0"), cause: /step must be a positive integer on axis 0/ },
      { name: "read: a hyperslab past the end", op: () => invoke(form, grid, "read", { start: [4, 0], count: [3, 10] }), cause: /hyperslab out of range on axis 0/ },
      { name: "read: a hyperslab whose stride and block overrun", op: () => invoke(form, grid, "read", { start: [0, 0], count: [1, 3], stride: [1, 4], block: [1, 3] }), cause: /hyperslab out of range on axis 1/ },
      { name: "read: a hyperslab of the wrong rank", op: () => invoke(form, grid, "read", { start: [0], count: [2] }), cause: /hyperslab rank does not match the dataset/ },
      { name: "read: overlapping hyperslab blocks (HDF5 refuses)", op: () => invoke(form, grid, "read", { start: [0, 0], count: [1, 2], stride: [1, 2], block: [1, 3] }), cause: /^invalid selection on '\/grid': .*overlap/, fromHdf5: true },
      { name: "write: an index past the end", op: () => invoke(form, grid, "write", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [7]), cause: /index 7 out of range on axis 0/ },
      { name: "write: a hyperslab past the end", op: () => invoke(form, grid, "write", new Float32Array(4), { start: [5, 9], count: [2, 2] }), cause: /hyperslab out of range on axis 0/ },
    ];

    cases.forEach((c, i) => {
      test(`[${form}] ${c.name}`, async () => {
        await expectFailure(form, c.op, { cause: c.cause, names: "'/grid'", path: "/grid", fromHdf5: !!c.fromHdf5 });
        assert.deepEqual((await grid.read()).data, values, "the dataset is unchanged");
        await stillUsable(f, `select-${i}`, markers);
      });
    });

    test(`[${form}] h5py reads the unchanged dataset and every marker`, async () => {
      await f.close();
      assert.deepEqual(markersInH5py(file), Object.fromEntries(markers));
      assert.equal(markers.size, cases.length);
      const seen = python<number[]>(`import h5py, json, sys
print(json.dumps(h5py.File(sys.argv[1], "r")["grid"][()].ravel().tolist()))`, file);
      assert.deepEqual(Float32Array.from(seen), values);
    });
  }
});

describe("paths, names and attributes", () => {
  for (const form of FORMS) {
    const file = path.join(dir, `paths-${form}.h5`);
    const markers = new Map<string, number[]>();
    let f: File;
    let sub: Group;
    let ds: Dataset;

    before(async () => {
      f = await File.open(file, "w");
      sub = await f.createGroup("sub");
      ds = await f.createDataset("sub/ds", { data: Int8Array.of(1, 2, 3) });
      await ds.attrs.set("present", "yes");
    });
    after(async () => {
      if (f.isOpen) await f.close();
    });

    const cases: { name: string; op: () => unknown; cause: RegExp; object: string; fromHdf5: boolean }[] = [
      { name: "get: a missing object", op: () => invoke(form, f, "get", "nothing"), cause: /^no such object/, object: "/nothing", fromHdf5: false },
      { name: "get: a missing intermediate group", op: () => invoke(form, f, "get", "sub/nothing/deeper"), cause: /^no such object/, object: "/sub/nothing/deeper", fromHdf5: false },
      { name: "get: relative to a subgroup", op: () => invoke(form, sub, "get", "nothing"), cause: /^no such object/, object: "/sub/nothing", fromHdf5: false },
      { name: "dataset(): a missing dataset", op: () => invoke(form, f, "dataset", "sub/missing"), cause: /^no such object/, object: "/sub/missing", fromHdf5: false },
      { name: "createGroup: the group exists", op: () => invoke(form, f, "createGroup", "sub"), cause: /^cannot create group '\/sub': .*already exists/, object: "/sub", fromHdf5: true },
      { name: "createGroup: a dataset has the name", op: () => invoke(form, sub, "createGroup", "ds"), cause: /^cannot create group '\/sub\/ds': .*already exists/, object: "/sub/ds", fromHdf5: true },
      { name: "createDataset: the dataset exists", op: () => invoke(form, f, "createDataset", "/sub/ds", { shape: [2], dtype: "int8" }), cause: /^cannot create dataset '\/sub\/ds': .*already exists/, object: "/sub/ds", fromHdf5: true },
      { name: "delete: a missing link", op: () => invoke(form, f, "delete", "sub/gone"), cause: /^no such link/, object: "/sub/gone", fromHdf5: false },
      { name: "delete: below a missing group", op: () => invoke(form, sub, "delete", "gone/deeper"), cause: /^no such link/, object: "/sub/gone/deeper", fromHdf5: false },
      { name: "attrs.get: a missing attribute", op: () => invoke(form, ds.attrs, "get", "absent"), cause: /^no such attribute/, object: "/sub/ds@absent", fromHdf5: false },
      { name: "attrs.read: a missing attribute", op: () => invoke(form, sub.attrs, "read", "absent"), cause: /^no such attribute/, object: "/sub@absent", fromHdf5: false },
      { name: "attrs.delete: a missing attribute", op: () => invoke(form, f.attrs, "delete", "absent"), cause: /^no such attribute/, object: "/@absent", fromHdf5: false },
    ];

    cases.forEach((c, i) => {
      test(`[${form}] ${c.name}`, async () => {
        await expectFailure(form, c.op, { cause: c.cause, names: `'${c.object}'`, path: c.object, fromHdf5: c.fromHdf5 });
        assert.deepEqual(Array.from((await ds.read()).data as Int8Array), [1, 2, 3]);
        assert.equal(await ds.attrs.get("present"), "yes");
        await stillUsable(f, `paths-${i}`, markers);
      });
    });

    test(`[${form}] h5py sees the tree unchanged plus the markers`, async () => {
      await f.close();
      assert.deepEqual(markersInH5py(file), Object.fromEntries(markers));
      const seen = python<{ names: string[]; ds: number[]; attrs: Record<string, string> }>(
        `import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); names = []
f.visit(names.append)
print(json.dumps({"names": [n for n in names if not n.startswith("after")], "ds": f["sub/ds"][()].tolist(),
  "attrs": {k: v for k, v in f["sub/ds"].attrs.items()}}))`,
        file,
      );
      assert.deepEqual(seen, { names: ["sub", "sub/ds"], ds: [1, 2, 3], attrs: { present: "yes" } });
    });
  }
});

describe("dataset creation options", () => {
  for (const form of FORMS) {
    const file = path.join(dir, `create-${form}.h5`);
    const markers = new Map<string, number[]>();
    let f: File;

    before(async () => {
      f = await File.open(file, "w");
    });
    after(async () => {
      if (f.isOpen) await f.close();
    });

    const cases: { name: string; options: Parameters<Group["createDataset"]>[1]; cause: RegExp }[] = [
      { name: "a chunk larger than maxshape", options: { shape: [10, 4], maxshape: [20, 4], chunks: [30, 4], dtype: "float32" }, cause: /chunk size 30 exceeds the maximum size 20 of axis 0/ },
      { name: "a chunk larger than a fixed shape", options: { shape: [10], chunks: [11], dtype: "float32" }, cause: /chunk size 11 exceeds the maximum size 10 of axis 0/ },
      { name: "chunks of the wrong rank", options: { shape: [10, 4], chunks: [5], dtype: "float32" }, cause: /chunks \[5\] must have 2 axes/ },
      { name: "gzip level 10", options: { shape: [10], compression: "gzip", compressionOpts: 10, dtype: "int8" }, cause: /compression 'gzip:10': level '10' is not 0-9/ },
      { name: "gzip level -1", options: { shape: [10], compression: -1, dtype: "int8" }, cause: /compression 'gzip:-1': level '-1' is not 0-9/ },
      { name: "gzip level 2.5", options: { shape: [10], compression: "gzip", compressionOpts: 2.5, dtype: "int8" }, cause: /compression 'gzip:2.5': level '2.5' is not 0-9/ },
      { name: "maxshape smaller than shape", options: { shape: [10], maxshape: [5], dtype: "int8" }, cause: /maxshape\[0\] = 5 is smaller than shape\[0\] = 10/ },
    ];

    cases.forEach((c, i) => {
      test(`[${form}] ${c.name}`, async () => {
        const name = `bad${i}`;
        await expectFailure(form, () => invoke(form, f, "createDataset", name, c.options), {
          cause: new RegExp(`^cannot create dataset '/${name}': ${c.cause.source}`), names: `'/${name}'`, path: `/${name}`, fromHdf5: false,
        });
        assert.equal(await f.has(name), false, "no dataset was left behind");
        await stillUsable(f, `create-${i}`, markers);
      });
    });

    test(`[${form}] h5py sees only the markers`, async () => {
      await f.close();
      assert.deepEqual(markersInH5py(file), Object.fromEntries(markers));
      assert.deepEqual(python<string[]>(`import h5py, json, sys
print(json.dumps(list(h5py.File(sys.argv[1], "r").keys())))`, file), ["after"]);
    });
  }
});

describe("closed handles", () => {
  for (const form of FORMS) {
    test(`[${form}] every object of a closed file refuses, then the file reopens fine`, async () => {
      const file = path.join(dir, `closed-file-${form}.h5`);
      const f = await File.open(file, "w");
      const group = await f.createGroup("g");
      const ds = await f.createDataset("g/ds", { data: Float64Array.of(1, 2, 3, 4), chunks: [2] });
      await group.attrs.set("kept", 5);
      await f.close();
      assert.equal(f.isOpen, false);
      assert.equal(group.isOpen, false);
      assert.equal(ds.isOpen, false);

      const closed = (object: string, kind: string) => ({ cause: new RegExp(`${kind} '${object}' is closed`), names: `'${object}'`, path: object, fromHdf5: false });
      await expectFailure(form, () => invoke(form, ds, "read"), closed("/g/ds", "dataset"));
      await expectFailure(form, () => invoke(form, ds, "write", Float64Array.of(0, 0, 0, 0)), closed("/g/ds", "dataset"));
      await expectFailure(form, () => invoke(form, ds, "resize", 8), closed("/g/ds", "dataset"));
      await expectFailure(form, () => invoke(form, ds, "readChunk", [0]), closed("/g/ds", "dataset"));
      await expectFailure(form, () => invoke(form, ds, "chunkList"), closed("/g/ds", "dataset"));
      await expectFailure(form, () => invoke(form, ds.attrs, "keys"), closed("/g/ds", "dataset"));
      await expectFailure(form, () => invoke(form, group, "keys"), closed("/g", "group"));
      await expectFailure(form, () => invoke(form, group, "get", "ds"), closed("/g", "group"));
      await expectFailure(form, () => invoke(form, group, "has", "ds"), closed("/g", "group"));
      await expectFailure(form, () => invoke(form, group, "createGroup", "h"), closed("/g", "group"));
      await expectFailure(form, () => invoke(form, group, "softLink", "s", "/g"), closed("/g", "group"));
      await expectFailure(form, () => invoke(form, group.attrs, "get", "kept"), closed("/g", "group"));
      await expectFailure(form, () => invoke(form, group.attrs, "set", "new", 1), closed("/g", "group"));
      await expectFailure(form, () => invoke(form, f, "keys"), closed("/", "file"));
      await expectFailure(form, () => invoke(form, f, "flush"), closed("/", "file"));
      await expectFailure(form, () => invoke(form, f, "info"), closed("/", "file"));
      await expectFailure(form, () => invoke(form, f, "visit"), closed("/", "file"));
      await expectFailure(form, () => invoke(form, f, "createDataset", "x", { shape: [1], dtype: "int8" }), closed("/", "file"));
      // Closing again is harmless.
      await invoke(form, ds, "close");
      await invoke(form, f, "close");

      const again = await File.open(file, "r+");
      const ds2 = await again.dataset("g/ds");
      await ds2.write(Float64Array.of(9, 8, 7, 6));
      assert.equal(await (await again.group("g")).attrs.get("kept"), 5);
      await again.close();
      assert.deepEqual(python(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); print(json.dumps([f["g/ds"][()].tolist(), int(f["g"].attrs["kept"])]))`, file), [[9, 8, 7, 6], 5]);
    });

    test(`[${form}] a closed dataset refuses while its file goes on working`, async () => {
      const file = path.join(dir, `closed-ds-${form}.h5`);
      const f = await File.open(file, "w");
      const ds = await f.createDataset("ds", { data: Int32Array.of(1, 2, 3), maxshape: [null], chunks: [2] });
      await ds.attrs.set("a", 1);
      await invoke(form, ds, "close");
      assert.equal(ds.isOpen, false);
      assert.equal(f.isOpen, true);

      const closed = { cause: /dataset '\/ds' is closed/, names: "'/ds'", path: "/ds", fromHdf5: false };
      await expectFailure(form, () => invoke(form, ds, "read"), closed);
      await expectFailure(form, () => invoke(form, ds, "write", Int32Array.of(0, 0, 0)), closed);
      await expectFailure(form, () => invoke(form, ds, "append", Int32Array.of(4)), closed);
      await expectFailure(form, () => invoke(form, ds, "refresh"), closed);
      await expectFailure(form, () => invoke(form, ds, "writeChunk", [0], new Uint8Array(8)), closed);
      await expectFailure(form, () => invoke(form, ds.attrs, "get", "a"), closed);
      await expectFailure(form, () => invoke(form, ds.attrs, "set", "b", 2), closed);
      await expectFailure(form, () => invoke(form, ds.attrs, "has", "a"), closed);
      await expectFailure(form, () => invoke(form, ds.attrs, "delete", "a"), closed);

      // The file, and a fresh handle on the same dataset, still work.
      const reopened = await f.dataset("ds");
      await reopened.append(Int32Array.of(4, 5));
      await f.createDataset("other", { data: ["still", "usable"] });
      await f.close();
      assert.deepEqual(python(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); print(json.dumps([f["ds"][()].tolist(), int(f["ds"].attrs["a"]), [s.decode() for s in f["other"][()]]]))`, file),
      [[1, 2, 3, 4, 5], 1, ["still", "usable"]]);
    });
  }
});
