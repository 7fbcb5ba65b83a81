// `h5dat merge` of stacked shards (issue 21), read with h5py and with h5dat: the master's stack
// (virtual datasets over the shards, or --materialize'd) holds, path by path, the same image,
// label name, size, split and meta row as a one-process run; its arrays are virtual (h5py's
// is_virtual) and labels renumbered when a shard lacks a class; readBatch reads it through
// --follow-external, and refuses to when shard files are missing; shards whose stacks are stored
// differently are refused.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { convert, File, merge, openStack, parseResize, type ConvertOptions } from "../../src";
import { PYTHON, python, tempDir } from "../helpers/h5py";
import { imageFolderScript } from "../helpers/image-folder";

const dir = tempDir("h5dat-stacked-merge-");
const tree = path.join(dir, "pets");

/** Each row of the stack at sys.argv[2], by its path: its pixels' digest, label name, size, splits, meta row; and which arrays are virtual. */
const ROWS = `
import h5py, json, sys, hashlib
f = h5py.File(sys.argv[1]); g = f[sys.argv[2]]
o = g["paths/offsets"][:]; b = g["paths/bytes"][:].tobytes()
paths = [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)]
names = [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]]
labels = g["labels"][:]
sizes = g["source_size"][:]
splits = {k: set(int(x) for x in g["splits"][k][:]) for k in g["splits"]} if "splits" in g else {}
meta = g["meta"][:] if "meta" in g else None
rows = {}
for i, p in enumerate(paths):
    image = g["images"][i]
    rows[p] = {
        "image": hashlib.sha256(image.tobytes()).hexdigest(),
        "label": names[labels[i]] if labels[i] >= 0 else None,
        "size": int(sizes[i]),
        "splits": sorted(k for k, v in splits.items() if i in v),
        "meta": repr(meta[i].tolist()) if meta is not None else None,
    }
virtual = sorted(k for k in ("images", "labels", "source_size", "image_shapes", "meta", "paths/bytes") if k in g and g[k].is_virtual)
print(json.dumps({"rows": rows, "virtual": virtual, "rowsAttr": int(g.attrs["rows"]), "classes": names}))`;

interface Rows {
  rows: Record<string, unknown>;
  virtual: string[];
  rowsAttr: number;
  classes: string[];
}

before(() => {
  python(`${imageFolderScript({ seed: 3, perClass: { train: 5, val: 3 }, sides: [10, 20] })}
os.makedirs(f"{root}/train/aardvark", exist_ok=True)
Image.fromarray(rng.integers(0, 256, (12, 9, 3), dtype=np.uint8)).save(f"{root}/train/aardvark/only.png")
with open(f"{root}/info.csv", "w") as out:
    out.write("stem,weight\\n")
    # The stems repeat across train/ and val/: the table names train's (val's rows stay unlabelled).
    for cls in ("owl", "cat", "dog"):
        for i in range(5): out.write(f"{cls}_{i},{i * 0.5}\\n")
open(f"{root}/readme.json", "w").write('{"a": 1}')
print("{}")`, tree);
});

/** The shards of `count` and their merges (virtual, materialized) in a directory of their own. */
async function shardedRun(name: string, count: number, options: Omit<ConvertOptions, "output">): Promise<{ master: string; copy: string; stacks: unknown }> {
  const into = path.join(dir, name);
  fs.mkdirSync(into);
  const shards: string[] = [];
  for (let index = 0; index < count; index++) shards.push((await convert([tree], { ...options, output: path.join(into, "part-{i}-of-{N}.h5"), shard: { index, count } })).output);
  const master = path.join(into, "master.h5");
  const copy = path.join(into, "copy.h5");
  const summary = await merge(shards, { output: master });
  await merge(shards, { output: copy, materialize: true });
  return { master, copy, stacks: summary.stacks };
}

describe("merge of stacked shards", () => {
  const fixed: Omit<ConvertOptions, "output"> = { layout: "stacked", resize: parseResize("8x8:fill"), split: [{ name: "a", share: 0.5 }, { name: "b", share: 0.5 }] };

  test("virtual and materialized masters equal a one-process run row by row; a class one shard lacks renumbers labels", async () => {
    await convert([tree], { ...fixed, output: path.join(dir, "single.h5") });
    const single = python<Rows>(ROWS, path.join(dir, "single.h5"), "pets");
    assert.equal(single.rowsAttr, 25);
    for (const count of [1, 3, 8]) {
      const { master, copy, stacks } = await shardedRun(`fixed-${count}`, count, fixed);
      const linked = python<Rows>(ROWS, master, "pets");
      assert.deepEqual(linked.rows, single.rows, `${count} shards`);
      assert.deepEqual([linked.rowsAttr, linked.classes], [25, single.classes]);
      // One shard holds the aardvark (sorted first): the others' numbers had to move.
      if (count > 1) {
        assert.deepEqual(stacks, [{ group: "/pets", rows: 25, classes: 4, relabelled: true }]);
        assert.deepEqual(linked.virtual, ["images", "paths/bytes", "source_size"]);
      }
      const copied = python<Rows>(ROWS, copy, "pets");
      assert.deepEqual(copied.rows, single.rows);
      assert.deepEqual(copied.virtual, []);
    }
  });

  test("a label table's meta rows are virtual; labels are too when every shard has the same classes", async () => {
    const options: Omit<ConvertOptions, "output"> = { layout: "stacked", resize: parseResize("6x6"), labels: { from: "table", file: "info.csv", key: "stem", column: "weight" } };
    await convert([tree], { ...options, output: path.join(dir, "table.h5") });
    const single = python<Rows>(ROWS, path.join(dir, "table.h5"), "pets");
    const { master } = await shardedRun("table", 3, options);
    const linked = python<Rows>(ROWS, master, "pets");
    assert.deepEqual(linked.rows, single.rows);
    assert.ok(linked.virtual.includes("meta"), linked.virtual.join(", "));
    // --labels none: every shard has the same (no) classes, so labels are virtual too.
    const none = await shardedRun("none", 3, { layout: "stacked", resize: parseResize("6x6"), labels: { from: "none" } });
    assert.deepEqual(python<Rows>(ROWS, none.master, "pets").virtual, ["images", "labels", "paths/bytes", "source_size"]);
  });

  test("readBatch reads the virtual master (opened to follow its shards) as the single file", async () => {
    const { master } = await shardedRun("batch", 3, fixed);
    const file = await File.open(master, "r", { external: "follow" });
    const one = await File.open(path.join(dir, "single.h5"), "r");
    try {
      const [stack, reference] = [await openStack(await file.group("/pets")), await openStack(await one.group("/pets"))];
      const rows = [0, 5, 17, 24];
      const batch = await stack.readBatch(rows);
      const paths = await stack.paths(rows);
      const all = await reference.paths(Array.from({ length: reference.rows }, (_, i) => i));
      const same = await reference.readBatch(paths.map((p) => all.indexOf(p)));
      assert.deepEqual(Buffer.from(batch.images), Buffer.from(same.images));
      assert.deepEqual(batch.shape, [4, 8, 8, 3]);
    } finally {
      await file.close();
      await one.close();
    }
    // Without following, h5dat refuses to read the shards' data, naming them.
    const denied = await File.open(master, "r");
    try {
      await assert.rejects((await denied.dataset("/pets/images")).read({ start: [0, 0, 0, 0], count: [1, 8, 8, 3] }), /virtual dataset sources 'part-0-of-3\.h5:\/pets\/images'/);
    } finally {
      await denied.close();
    }
  });

  test("a virtual master whose shard files are missing: readBatch and reads refuse, naming the missing files (HDF5 would read fill values)", async () => {
    const { master } = await shardedRun("missing", 3, fixed);
    const moved = path.join(dir, "missing-moved");
    fs.mkdirSync(moved);
    // The master and one shard go elsewhere; two shards stay behind.
    fs.renameSync(master, path.join(moved, "master.h5"));
    fs.renameSync(path.join(dir, "missing", "part-0-of-3.h5"), path.join(moved, "part-0-of-3.h5"));
    const file = await File.open(path.join(moved, "master.h5"), "r", { external: "follow" });
    try {
      const stack = await openStack(await file.group("/pets"));
      await assert.rejects(stack.readBatch([0, 1]), /source files 'part-1-of-3\.h5', 'part-2-of-3\.h5' of this virtual dataset are missing/);
      await assert.rejects((await file.dataset("/pets/source_size")).read(), (error: Error) => /\/pets\/source_size/.test(error.message) && /'part-1-of-3\.h5', 'part-2-of-3\.h5'/.test(error.message) && !/part-0/.test(error.message));
    } finally {
      await file.close();
    }
    // Put back beside the master, they read again.
    for (const shard of ["part-1-of-3.h5", "part-2-of-3.h5"]) fs.renameSync(path.join(dir, "missing", shard), path.join(moved, shard));
    const back = await File.open(path.join(moved, "master.h5"), "r", { external: "follow" });
    try {
      const { data } = await (await back.dataset("/pets/source_size")).read();
      assert.equal((data as ArrayLike<unknown>).length, (await openStack(await back.group("/pets"))).rows);
    } finally {
      await back.close();
    }
  });

  test("examples/python's Dataset over a virtual master of more shards than the open-file limit reads every image (it raises the limit)", async () => {
    const into = path.join(dir, "many");
    fs.mkdirSync(into);
    const shards: string[] = [];
    for (let index = 0; index < 60; index++) shards.push((await convert([tree], { ...fixed, output: path.join(into, "p-{i}-of-{N}.h5"), shard: { index, count: 60 }, workers: 0 })).output);
    await merge(shards, { output: path.join(into, "master.h5") });
    await convert([tree], { ...fixed, output: path.join(into, "single.h5") });
    const single = python<Rows>(ROWS, path.join(into, "single.h5"), "pets");
    // ulimit -Sn 20: fewer files than the master's shards with rows; HDF5 would read the rest as zeros.
    const script = `import sys, json, hashlib, resource
sys.path.insert(0, sys.argv[2])
from h5dat_dataset import H5datDataset
ds = H5datDataset(sys.argv[1], group="/pets", to_tensor=False)
rows = {ds.paths(i): hashlib.sha256(ds.pixels(i).tobytes()).hexdigest() for i in range(len(ds))}
print(json.dumps({"rows": rows, "soft": resource.getrlimit(resource.RLIMIT_NOFILE)[0]}))`;
    const run = spawnSync("bash", ["-c", `ulimit -Sn 20 && exec ${PYTHON} -c "$0" "$1" "$2"`, script, path.join(into, "master.h5"), path.join(__dirname, "..", "..", "examples", "python")], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const read = JSON.parse(run.stdout) as { rows: Record<string, string>; soft: number };
    assert.deepEqual(read.rows, Object.fromEntries(Object.entries(single.rows).map(([p, row]) => [p, (row as { image: string }).image])));
    assert.ok(read.soft >= 60 + 256, String(read.soft));
  });

  test("shards whose stacks are stored differently are refused, writing nothing", async () => {
    // Six 8×8 images and one 9×9 without --resize: the odd one's shard stores its rows otherwise (ragged, or fixed of 9×9).
    const odd = path.join(dir, "odd");
    python(`import sys, os, numpy as np
from PIL import Image
rng = np.random.default_rng(4)
os.makedirs(sys.argv[1] + "/a", exist_ok=True)
for i in range(6): Image.fromarray(rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)).save(f"{sys.argv[1]}/a/{i}.png")
Image.fromarray(rng.integers(0, 256, (9, 9, 3), dtype=np.uint8)).save(f"{sys.argv[1]}/a/odd.png")
print("{}")`, odd);
    const into = path.join(dir, "mixed");
    fs.mkdirSync(into);
    const shards: string[] = [];
    for (let index = 0; index < 2; index++) shards.push((await convert([odd], { layout: "stacked", output: path.join(into, "p-{i}.h5"), shard: { index, count: 2 } })).output);
    await assert.rejects(merge(shards, { output: path.join(into, "master.h5") }), /the stack '\/odd' is stored differently by the shards \(.*\): one array needs one storage/);
    assert.equal(fs.existsSync(path.join(into, "master.h5")), false);
  });
});
