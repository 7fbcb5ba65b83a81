// convert --layout stacked --labels FILE:KEY:COLUMN (issue 20): a CSV or JSONL table joined on
// each image's stem, from a path or from inside the input (a directory or an archive); labels
// and the `meta` table checked with h5py against pandas' reading of the same table, row for row;
// images with no row are -1 and say so; rows with no image are counted in the summary; a table
// that is missing, lacks a column or repeats a key stops the run before anything is written.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, test } from "node:test";
import { convert } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-stacked-labels-");
const tree = path.join(dir, "fashion");
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");

/** styles.csv: ids 1..12 (id 0042 as written), types; 7.png has no row, ids 100 and 101 have no image. */
const STYLES = [
  "id,articleType,price,onSale,note",
  ...[1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12].map((id) => `${id},${["shirt", "shoe", "bag"][id % 3]},${id * 1.5},${id % 2 === 0},"n, ${id}"`),
  "0042,hat,9,true,",
  "100,shirt,1,false,x",
  "101,,2,false,empty label",
].join("\n");

before(() => {
  python(`import sys, os, numpy as np
from PIL import Image
rng = np.random.default_rng(9)
os.makedirs(sys.argv[1] + "/images", exist_ok=True)
for name in [str(i) for i in range(1, 13)] + ["0042"]:
    Image.fromarray(rng.integers(0, 256, (8, 6, 3), dtype=np.uint8)).save(f"{sys.argv[1]}/images/{name}.png")
print("{}")`, tree);
  fs.writeFileSync(path.join(tree, "styles.csv"), STYLES + "\n");
});

interface Joined {
  labels: number[];
  classes: string[];
  paths: string[];
  meta_equal: string;
  meta_columns: string[];
  rows: number[];
}

/** The stack's labels, classes, paths, and its meta table compared with pandas' reading of the table taken in the stack's row order. */
const READ_JOINED = `
import h5py, json, sys, pandas as pd, numpy as np
g = h5py.File(sys.argv[1])[sys.argv[2]]
o = g["paths/offsets"][:]; b = g["paths/bytes"][:].tobytes()
paths = [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)]
meta = pd.DataFrame(g["meta"][()])
for c in meta.columns:
    if meta[c].dtype == object: meta[c] = meta[c].map(lambda v: v.decode() if isinstance(v, bytes) else v)
# Keys are matched as written ("0042"); values typed as pandas infers them (id 0042 is 42).
keys = list(pd.read_csv(sys.argv[3], dtype=str, keep_default_na=False)["id"])
table = pd.read_csv(sys.argv[3], keep_default_na=False, na_values={"price": [""]})
stems = [p.rsplit("/", 1)[-1].rsplit(".", 1)[0] for p in paths]
want = pd.DataFrame({"_row": [keys.index(s) if s in keys else -1 for s in stems]})
for c in table.columns:
    col = [table[c][r] if r >= 0 else None for r in want["_row"]]
    want[c] = col
matched = want["_row"] >= 0
ours = meta[matched].reset_index(drop=True); theirs = want[matched].reset_index(drop=True)
theirs["note"] = theirs["note"].astype(str); ours["note"] = ours["note"].astype(str)
try:
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    equal = "equal"
except AssertionError as e:
    equal = str(e)
print(json.dumps({
  "labels": [int(x) for x in g["labels"][:]],
  "classes": [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]],
  "paths": paths, "meta_equal": equal, "meta_columns": list(meta.columns), "rows": [int(x) for x in meta["_row"]],
}))`;

test("a CSV inside a directory input: labels by stem, meta row for row, -1 and a message for an image without a row, the summary counts rows without an image", async () => {
  const output = path.join(dir, "fashion.h5");
  const summary = await convert([tree], { output, layout: "stacked", labels: { from: "table", file: "styles.csv", key: "id", column: "articleType" } });
  const seen = python<Joined>(READ_JOINED, output, "fashion", path.join(tree, "styles.csv"));
  assert.equal(seen.meta_equal, "equal");
  assert.deepEqual(seen.meta_columns, ["_row", "id", "articleType", "price", "onSale", "note"]);
  assert.deepEqual(seen.classes, ["bag", "hat", "shirt", "shoe"]);
  const stems = seen.paths.map((p) => path.basename(p, ".png"));
  const typeOf = (stem: string) => (stem === "0042" ? "hat" : stem === "7" ? null : ["shirt", "shoe", "bag"][Number(stem) % 3]);
  assert.deepEqual(seen.labels.map((n) => (n < 0 ? null : seen.classes[n])), stems.map(typeOf));
  assert.equal(seen.rows[stems.indexOf("7")], -1);
  const noRow = summary.failures.length === 0 ? python<string[]>(`import h5py, json, sys
m = h5py.File(sys.argv[1])["_h5dat/manifest"][()]
print(json.dumps([r["message"].decode() for r in m if r["source_path"].decode() == "images/7.png"]))`, output) : [];
  assert.match(noRow[0], /no row of .*styles\.csv has the key '7': label -1/);
  assert.deepEqual(summary.stacks, [{ group: "/fashion", rows: 13, unlabelled: 1, labelTable: path.join(tree, "styles.csv"), tableRowsWithoutImage: 2 }]);
});

test("a JSONL table inside a tar archive, and a table by path: the same labels", async () => {
  const archive = path.join(dir, "fashion.tar");
  const jsonl = STYLES.split("\n").slice(1).map((line) => {
    const [id, type] = line.split(",");
    return JSON.stringify({ id, type: type || null, nested: { a: 1 } });
  });
  fs.writeFileSync(path.join(dir, "styles.jsonl"), jsonl.join("\n") + "\n");
  python(`import sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    t.add(sys.argv[2] + "/images", "images")
    t.add(sys.argv[3], "meta/styles.jsonl")
print("{}")`, archive, tree, path.join(dir, "styles.jsonl"));
  const inside = path.join(dir, "inside.h5");
  await convert([archive], { output: inside, layout: "stacked", labels: { from: "table", file: "meta/styles.jsonl", key: "id", column: "type" } });
  const byPath = path.join(dir, "by-path.h5");
  await convert([tree], { output: byPath, layout: "stacked", labels: { from: "table", file: path.join(dir, "styles.jsonl"), key: "id", column: "type" } });
  const read = (file: string) => python<{ labels: string[]; nested: string[] }>(`import h5py, json, sys
g = h5py.File(sys.argv[1])["fashion"]
o = g["paths/offsets"][:]; b = g["paths/bytes"][:].tobytes()
names = [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]]
paths = [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)]
labels = dict(zip(paths, [names[x] if x >= 0 else None for x in g["labels"][:]]))
print(json.dumps({"labels": [labels[p] for p in sorted(paths)], "nested": sorted(set(x.decode() if isinstance(x, bytes) else x for x in g["meta"]["nested"]))}))`, file);
  const a = read(inside);
  assert.deepEqual(a, read(byPath));
  assert.equal(a.labels.filter((l) => l === null).length, 1);
  assert.deepEqual(a.nested, ["", '{"a":1}']);
});

test("a missing table, a missing column and a duplicate key stop the run before anything is written (exit 1)", () => {
  const output = path.join(dir, "refused.h5");
  fs.writeFileSync(path.join(dir, "dup.csv"), "id,t\n1,a\n2,b\n1,c\n");
  for (const [labels, message] of [
    ["nothere.csv:id:type", /--labels: 'nothere\.csv' is neither a file nor an entry of/],
    ["styles.csv:sku:articleType", /has no key column 'sku' \(its columns: 'id', 'articleType', 'price', 'onSale', 'note'\)/],
    ["styles.csv:id:kind", /has no label column 'kind'/],
    [`${path.join(dir, "dup.csv")}:id:t`, /has the key '1' twice \(data rows 1 and 3\)/],
  ] as const) {
    const run = spawnSync(process.execPath, ["--import", "tsx", CLI, "convert", tree, "-o", output, "--layout", "stacked", "--labels", labels], { encoding: "utf8" });
    assert.equal(run.status, 1, `${labels}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(fs.existsSync(output), false);
    assert.equal(fs.existsSync(`${output}.partial`), false);
  }
});

test("a label column of 100,000 distinct values", async () => {
  const many = path.join(dir, "many");
  fs.mkdirSync(many);
  fs.copyFileSync(path.join(tree, "images", "1.png"), path.join(many, "k99999.png"));
  fs.copyFileSync(path.join(tree, "images", "2.png"), path.join(many, "k5.png"));
  const rows = Array.from({ length: 100000 }, (_, i) => `k${i},class-${String(i).padStart(6, "0")}`);
  fs.writeFileSync(path.join(dir, "many.csv"), ["key,label", ...rows].join("\n"));
  const output = path.join(dir, "many.h5");
  const summary = await convert([many], { output, layout: "stacked", labels: { from: "table", file: path.join(dir, "many.csv"), key: "key", column: "label" } });
  assert.equal(summary.stacks?.[0].tableRowsWithoutImage, 99998);
  const seen = python<string[]>(`import h5py, json, sys
g = h5py.File(sys.argv[1])["many"]
names = [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]]
print(json.dumps([names[x] for x in g["labels"][:]]))`, output);
  assert.deepEqual(seen, ["class-000005", "class-099999"]);
});
