// The reader on files h5py wrote (not h5dat's): every dtype of test/fixtures/make_h5py_fixture.py
// read whole and by selection — h5py's string form and the slice(...) form — equal to what h5py
// reads; one-chunk datasets (which the reader inflates itself) equal too; the tree with nested
// groups, soft, external and dangling links and a second hard link, as h5py sees it.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { File, H5Error, slice, type TreeNode, readTable, readBytes, Dataset, Group, readTableSync, readTree, readTreeSync, flattenTree, type AxisSelection } from "../../src";
import { FIXTURES, canon, makeH5pyFixture } from "../helpers/canon";
import { python, tempDir } from "../helpers/h5py";

type Canon = unknown;
interface Fixture {
  datasets: Record<string, { shape: number[] | null; value_shape: number[] | null; values: Canon[] | null; attrs: Record<string, { values: Canon[] | null }>; error?: string }>;
  groups: Record<string, { attrs: Record<string, { values: Canon[] | null }> }>;
  selections: Record<string, { shape: number[]; values: Canon[] }>;
}

// h5py's index expression, and the same as slice(...) arguments.
const SELECTIONS: { dataset: string; py: string; args: AxisSelection[] }[] = [
  { dataset: "/sel/cube", py: "1:5, ::2", args: [[1, 5], [null, null, 2]] },
  { dataset: "/sel/cube", py: "-1", args: [-1] },
  { dataset: "/sel/cube", py: "::3, -1, 2:7:2", args: [[null, null, 3], -1, [2, 7, 2]] },
  { dataset: "/sel/cube", py: "..., 0", args: ["...", 0] },
  { dataset: "/sel/cube", py: "2, ..., 1:3", args: [2, "...", [1, 3]] },
  { dataset: "/sel/cube", py: ":, 1:-1, -3:", args: [null, [1, -1], [-3, null]] },
  { dataset: "/sel/cube", py: "-4:-1, :, ::5", args: [[-4, -1], null, [null, null, 5]] },
  { dataset: "/sel/cube", py: "0:0", args: [[0, 0]] },
  { dataset: "/sel/cube", py: "4:100, 6:, :-7", args: [[4, 100], [6, null], [null, -7]] },
  { dataset: "/sel/cube", py: "-2, -3, -4", args: [-2, -3, -4] },
  { dataset: "/sel/cube", py: "1:5, :, ::2", args: [slice(1, 5), null, slice(null, null, 2)] },
  { dataset: "/sel/cube", py: "-6, -7:, -100:3:2", args: [-6, [-7], [-100, 3, 2]] },
  { dataset: "/sel/matrix", py: "3", args: [3] },
  { dataset: "/sel/matrix", py: "-1, -1", args: [-1, -1] },
  { dataset: "/sel/matrix", py: "2:8:3, 1::4", args: [[2, 8, 3], [1, null, 4]] },
  { dataset: "/sel/matrix", py: ":, 9", args: [null, 9] },
  { dataset: "/sel/strings", py: "::2", args: [[null, null, 2]] },
  { dataset: "/sel/strings", py: "-3:", args: [[-3]] },
  { dataset: "/sel/strings", py: "5", args: [5] },
  { dataset: "/sel/records", py: "1:3", args: [[1, 3]] },
  { dataset: "/sel/records", py: "-1", args: [-1] },
  { dataset: "/types/compound", py: "1:", args: [[1, null]] },
  { dataset: "/types/compound", py: "-2", args: [-2] },
  { dataset: "/types/vlen_str", py: "-2:", args: [[-2, null]] },
  { dataset: "/types/bool", py: "1::2", args: [[1, null, 2]] },
  { dataset: "/types/opaque", py: "-1", args: [-1] },
  { dataset: "/types/enum", py: "1:4", args: [[1, 4]] },
  { dataset: "/shapes/str2d", py: "1, :", args: [1, null] },
  { dataset: "/shapes/str2d", py: ":, -1", args: [null, -1] },
  { dataset: "/shapes/d4", py: "1, ::2, 1:3, -2:", args: [1, [null, null, 2], [1, 3], [-2, null]] },
  { dataset: "/types/array", py: "::3", args: [[null, null, 3]] },
  { dataset: "/filters/all", py: "3:30:4, 10:20", args: [[3, 30, 4], [10, 20]] },
  { dataset: "/filters/resizable", py: "2:5", args: [[2, 5]] },
  { dataset: "/num/be_i8", py: "-3:", args: [[-3, null]] },
];

const dir = tempDir("h5dat-read-h5py-");
const fixtureFile = path.join(dir, "fixture.h5");
const extraFile = path.join(dir, "extra.h5");
const externalFile = path.join(dir, "external.h5");
let fixture: Fixture;
let f: File;
let extra: File;

/** One-chunk datasets (the reader's own inflate path) and the cases that must not take it. */
const SINGLE_CHUNK = `import sys, json
import h5py, numpy as np
sys.path.insert(0, ${JSON.stringify(FIXTURES)})
import make_h5py_fixture as fx
path, external = sys.argv[1], sys.argv[2]
with h5py.File(external, "w") as e:
    e.create_dataset("target/data", data=np.arange(5, dtype="i2"))
rng = np.random.default_rng(3)
with h5py.File(path, "w") as f:
    one = f.create_group("one_chunk")
    img = rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)
    one.create_dataset("u8_gzip", data=img, chunks=img.shape, compression="gzip", compression_opts=4)
    w = rng.integers(0, 65536, (17, 23), dtype=np.uint16)
    one.create_dataset("u16_gzip_shuffle", data=w, chunks=w.shape, compression="gzip", shuffle=True)
    one.create_dataset("u16_shuffle_only", data=w, chunks=w.shape, shuffle=True)
    one.create_dataset("f32_plain_chunked", data=rng.random((9, 7)).astype("f4"), chunks=(9, 7))
    one.create_dataset("i64_gzip", data=np.arange(-50, 50, dtype="i8") * 2**40, chunks=(100,), compression="gzip")
    one.create_dataset("f64_gzip9_shuffle", data=rng.random(333), chunks=(333,), compression="gzip", compression_opts=9, shuffle=True)
    one.create_dataset("be_u16_gzip", data=w.astype(">u2"), chunks=w.shape, compression="gzip")
    one.create_dataset("fletcher", data=img, chunks=img.shape, compression="gzip", fletcher32=True)
    one.create_dataset("unwritten", shape=(4, 5), dtype="i4", chunks=(4, 5), fillvalue=-9, compression="gzip")
    one.create_dataset("bytes", data=np.frombuffer(b"raw bytes \\x00\\xff", dtype="u1"), chunks=(12,), compression="gzip")
    # A tree with every kind of link.
    t = f.create_group("tree")
    t.create_group("a/b/c").create_dataset("leaf", data=np.arange(3, dtype="f4"))
    t.create_dataset("a/x", data=[1, 2, 3])
    t["a/b"].attrs["note"] = "nested"
    t["soft"] = h5py.SoftLink("/tree/a/x")
    t["dangling"] = h5py.SoftLink("/nowhere")
    t["ext"] = h5py.ExternalLink(external, "/target/data")
    t["z_hard"] = t["a/b"]  # a second hard link to a group: not descended twice
    t["types"] = np.dtype("<f8")  # a named datatype
out = {}
for name in ["u8_gzip", "u16_gzip_shuffle", "u16_shuffle_only", "f32_plain_chunked", "i64_gzip", "f64_gzip9_shuffle", "be_u16_gzip", "fletcher", "unwritten", "bytes"]:
    with h5py.File(path, "r") as f:
        d = f["one_chunk/" + name]
        out[name] = {"shape": list(d.shape), "values": fx.canon_values(d[()])}
# The tree as h5py sees it: links by getlink, objects once (first path in name order, by address).
seen = set()
nodes = []
with h5py.File(path, "r") as f:
    def walk(g, prefix):
        for name in sorted(g.keys()):
            p = prefix + "/" + name
            link = g.get(name, getlink=True)
            if isinstance(link, h5py.SoftLink):
                nodes.append({"path": p, "kind": "soft-link", "target": link.path})
                continue
            if isinstance(link, h5py.ExternalLink):
                nodes.append({"path": p, "kind": "external-link", "target": link.path, "file": link.filename})
                continue
            obj = g[name]
            addr = h5py.h5o.get_info(obj.id).addr
            kind = "dataset" if isinstance(obj, h5py.Dataset) else "group" if isinstance(obj, h5py.Group) else "datatype"
            node = {"path": p, "kind": kind}
            if addr in seen:
                node["alias"] = True
            seen.add(addr)
            if kind == "dataset":
                node["shape"] = list(obj.shape)
            nodes.append(node)
            if kind == "group" and not node.get("alias"):
                walk(obj, p)
    walk(f["tree"], "/tree")
print(json.dumps({"one_chunk": out, "tree": nodes}))`;

let extraRef: { one_chunk: Record<string, { shape: number[]; values: Canon[] }>; tree: Record<string, unknown>[] };

before(async () => {
  fixture = makeH5pyFixture<Fixture>(fixtureFile, SELECTIONS);
  extraRef = python(SINGLE_CHUNK, extraFile, externalFile);
  f = await File.open(fixtureFile, "r");
  extra = await File.open(extraFile, "r", { external: "follow" });
});

after(async () => {
  await f?.close();
  await extra?.close();
});

describe("every dataset h5py wrote, read whole through the reader", () => {
  test("read() equals h5py's d[()] (sync form too)", async (t) => {
    const names = Object.keys(fixture.datasets).filter((n) => n !== "/filters/lzf");
    assert.ok(names.length >= 55);
    for (const name of names) {
      await t.test(name, async () => {
        const py = fixture.datasets[name];
        assert.equal(py.error, undefined);
        const ds = await f.dataset(name);
        assert.ok(ds instanceof Dataset);
        const got = await ds.read();
        if (py.shape === null) {
          assert.deepEqual(canon(got.data, ds.dtype), []);
          return;
        }
        assert.deepEqual(got.shape, py.value_shape);
        assert.deepEqual(canon(got.data, ds.dtype), py.values, "read()");
        assert.deepEqual(canon(ds.readSync().data, ds.dtype), py.values, "readSync()");
        assert.deepEqual(canon((await ds.read("...")).data, ds.dtype), py.values, 'read("...")');
        await ds.close();
      });
    }
  });

  test("one-chunk datasets (inflated by the reader, or by HDF5 when they do not qualify) equal h5py", async (t) => {
    for (const [name, py] of Object.entries(extraRef.one_chunk)) {
      await t.test(name, async () => {
        const ds = await extra.dataset(`/one_chunk/${name}`);
        for (const [how, result] of [["read", await ds.read()], ["readSync", ds.readSync()], ["read(...)", await ds.read("...")]] as const) {
          assert.deepEqual(result.shape, py.shape, `${how} shape`);
          assert.deepEqual(canon(result.data, ds.dtype), py.values, `${how} values`);
        }
      });
    }
    assert.ok((await readBytes(await extra.dataset("/one_chunk/bytes"))).equals(Buffer.from("raw bytes \x00\xff", "latin1")));
  });

  test("readTable on h5py compounds: rows equal h5py's records (array fields per row, nested records)", async () => {
    for (const name of ["/types/compound", "/types/structured", "/types/nested_compound", "/sel/records"]) {
      const table = await readTable(await f.dataset(name));
      const ds = await f.dataset(name);
      assert.deepEqual(table.columns, (ds.dtype as { fields: { name: string }[] }).fields.map((x) => x.name), name);
      assert.deepEqual(canon([...table.rows()], ds.dtype), fixture.datasets[name].values, name);
      assert.deepEqual(canon([...readTableSync(f.datasetSync(name)).rows()], ds.dtype), fixture.datasets[name].values, `${name} (Sync)`);
    }
  });

  test("an lzf dataset (a filter HDF5 does not have) fails with an H5Error naming it", async () => {
    const ds = await f.dataset("/filters/lzf");
    await assert.rejects(ds.read(), (e: unknown) => e instanceof H5Error && e.path === "/filters/lzf");
    await assert.rejects(ds.read("0:1"), (e: unknown) => e instanceof H5Error && e.path === "/filters/lzf");
  });
});

describe("selections: h5py's string form and slice(...) give h5py's d[sel]", () => {
  for (const s of SELECTIONS) {
    test(`${s.dataset}[${s.py}]`, async () => {
      const expected = fixture.selections[`${s.dataset}|${s.py}`];
      const ds = await f.dataset(s.dataset);
      const check = (result: { data: unknown; shape: number[] }, how: string) => {
        assert.deepEqual(result.shape, expected.shape, `${how} shape`);
        assert.deepEqual(canon(result.data, ds.dtype), expected.values, `${how} values`);
      };
      check(await ds.read(s.py), "read(string)");
      check(ds.readSync(s.py), "readSync(string)");
      check(await ds.slice(...s.args), "slice(...)");
      check(ds.sliceSync(...s.args), "sliceSync(...)");
      check(await ds.read(s.args), "read([...])");
    });
  }

  test("what h5py refuses is refused: negative steps, indexes out of range, too many axes", async () => {
    const refused = python<Record<string, string>>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
d = f["sel/cube"]
out = {}
for expr in ["::-1", "6", "-7", "0, 0, 0, 0"]:
    try:
        eval("d[%s]" % expr, {"d": d})
        out[expr] = "ok"
    except Exception as e:
        out[expr] = type(e).__name__
print(json.dumps(out))`, fixtureFile);
    assert.ok(Object.values(refused).every((v) => v !== "ok"), JSON.stringify(refused));
    const ds = await f.dataset("/sel/cube");
    await assert.rejects(ds.read("::-1"), /step must be a positive integer/);
    await assert.rejects(ds.slice([null, null, -1]), /step must be a positive integer/);
    await assert.rejects(ds.read("6"), /index 6 out of range on axis 0/);
    await assert.rejects(ds.slice(-7), /index -7 out of range/);
    await assert.rejects(ds.slice(0, 0, 0, 0), /selection has 4 axes, the dataset 3/);
    assert.throws(() => ds.sliceSync(1.5), /index 1.5 on axis 0 is not an integer/);
    assert.throws(() => ds.sliceSync([1, 2, 3, 4] as unknown as AxisSelection), /\[start, stop\] or \[start, stop, step\]/);
  });
});

describe("groups, links, attributes", () => {
  const strip = (node: TreeNode): Record<string, unknown> => {
    const out: Record<string, unknown> = { path: node.path, kind: node.kind };
    if (node.target !== undefined) out.target = node.target;
    if (node.file !== undefined) out.file = node.file;
    if (node.alias) out.alias = true;
    if (node.kind === "dataset") out.shape = node.shape;
    return out;
  };

  test("readTree() and flattenTree() list what h5py sees: nested groups, soft/external/dangling links, an alias", async () => {
    const group = await extra.get("/tree");
    assert.ok(group instanceof Group);
    const tree = await readTree(group);
    assert.equal(tree.path, "/tree");
    const flat: TreeNode[] = [];
    const walk = (n: TreeNode) => n.children?.forEach((c) => (flat.push(c), walk(c)));
    walk(tree);
    assert.deepEqual(flat.map(strip), extraRef.tree);
    assert.deepEqual(flattenTree(tree).map(strip), extraRef.tree);
    assert.deepEqual(flattenTree(readTreeSync(group)).map(strip), extraRef.tree);
    // Group.visit lists the objects HDF5's visit reaches (hard links, each object once).
    assert.equal(await group.visit((p, kind) => (kind === "dataset" && p.endsWith("leaf") ? p : undefined)), "a/b/c/leaf");
    const names = tree.children!.map((c) => c.name);
    assert.deepEqual(names, ["a", "dangling", "ext", "soft", "types", "z_hard"]);
    assert.equal(tree.children!.find((c) => c.name === "types")!.dtype, "float64");
    // The whole file's tree starts at "/".
    const root = readTreeSync(extra);
    assert.deepEqual([root.name, root.path, root.children!.map((c) => c.name)], ["/", "/", ["one_chunk", "tree"]]);
  });

  test("get() follows soft and external links; groups and datasets carry attrs", async () => {
    const soft = await extra.dataset("/tree/soft");
    assert.deepEqual((await soft.read()).data, BigInt64Array.of(1n, 2n, 3n));
    const external = await extra.dataset("/tree/ext");
    assert.deepEqual((await external.slice([1, 4])).data, Int16Array.of(1, 2, 3));
    assert.equal(await extra.has("/tree/dangling"), false);
    await assert.rejects(extra.get("/tree/dangling"), H5Error);
    const b = await extra.get("/tree/a/b");
    assert.ok(b instanceof Group);
    assert.equal(await b.attrs.get("note"), "nested");
    assert.deepEqual(await b.keys(), ["c"]);
    const leaf = await b.dataset("c/leaf");
    assert.deepEqual([leaf.name, leaf.shape, leaf.dtype], ["/tree/a/b/c/leaf", [3], "float32"]);
    await assert.rejects(extra.dataset("/tree/a"), /is a group, expected a dataset/);
  });

  test("attributes of every dtype on groups and datasets read as h5py reads them", async () => {
    for (const name of ["/attrs/group", "/attrs/dataset"]) {
      const object = await f.get(name);
      const expected = name === "/attrs/dataset" ? fixture.datasets[name].attrs : fixture.groups[name].attrs;
      assert.deepEqual(await object.attrs.keys(), Object.keys(expected).sort());
      for (const [attr, py] of Object.entries(expected)) {
        const full = await object.attrs.read(attr);
        assert.deepEqual(py.values === null ? null : canon(full.data, full.dtype), py.values, `${name}@${attr}`);
      }
    }
  });
});
