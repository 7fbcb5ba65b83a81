// convert --append into a stacked file (issue 20): the dataset grows, the stack extends. A tree
// converted, then grown (new images, a new class) and appended: every old row keeps its index,
// pixels and label number; the new rows follow; the images already in the stack are skipped,
// not stacked twice; labels by name, splits and meta equal a clean run's of the grown tree; a run
// whose options would make another stack is refused for that input.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-stacked-append-");
const tree = path.join(dir, "pets");

interface Seen {
  classes: string[];
  rows: { path: string; label: string | null; number: number; split: string | null; pixels: string; row: number; meta: number }[];
  attrs: { rows: number; image_shape: number[] };
}

/** Every row of /pets as h5py reads it: path, label (name and number), split, a digest of its pixels, its meta row. */
const READ = `
import h5py, json, sys, hashlib
g = h5py.File(sys.argv[1])["pets"]
o = g["paths/offsets"][:]; b = g["paths/bytes"][:].tobytes()
paths = [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)]
names = [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]]
split = {}
for k in g["splits"]:
    for r in g["splits"][k][:]: split[int(r)] = k
labels = g["labels"][:]
meta = g["meta"]["_row"] if "meta" in g else [-9] * len(paths)
print(json.dumps({"classes": names, "attrs": {"rows": int(g.attrs["rows"]), "image_shape": g.attrs["image_shape"].tolist()}, "rows": [
  {"path": p, "label": names[labels[i]] if labels[i] >= 0 else None, "number": int(labels[i]), "split": split.get(i), "pixels": hashlib.sha1(g["images"][i].tobytes()).hexdigest(), "row": i, "meta": int(meta[i])}
  for i, p in enumerate(paths)]}))`;

/** Images `names` under pets/<class>/, 10 × 8 RGB, their pixels by their name's seed. */
function addImages(names: string[]): void {
  python(`import sys, os, json, zlib, numpy as np
from PIL import Image
for name in json.loads(sys.argv[2]):
    os.makedirs(os.path.dirname(f"{sys.argv[1]}/{name}"), exist_ok=True)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    Image.fromarray(rng.integers(0, 256, (8, 10, 3), dtype=np.uint8)).save(f"{sys.argv[1]}/{name}")
print("{}")`, tree, JSON.stringify(names));
}

test("a stack appended to keeps its rows and numbers, adds the new images after them, and agrees with a clean run by path", async () => {
  addImages(["cat/1.png", "cat/2.png", "dog/1.png", "owl/1.png", "train/dog/3.png"]);
  fs.writeFileSync(path.join(dir, "table.csv"), "name,kind\n" + ["1", "2", "3", "4", "5"].map((n) => `${n},k${n}`).join("\n"));
  const options = { layout: "stacked" as const, split: [{ name: "train", share: 0.5 }, { name: "test", share: 0.5 }], seed: 4, labels: { from: "table" as const, file: path.join(dir, "table.csv"), key: "name", column: "kind" } };
  const output = path.join(dir, "grown.h5");
  await convert([tree], { output, ...options });
  const before = python<Seen>(READ, output);
  // The tree grows: new images in old classes and a new one ("ant", sorted before the others).
  addImages(["cat/3.png", "ant/4.png", "dog/5.png"]);
  const summary = await convert([tree], { output, append: true, ...options });
  assert.equal(summary.written, 3);
  assert.equal(summary.skipped, 5, "the images the stack holds are skipped");
  assert.deepEqual(summary.stacks, [{ group: "/pets", rows: 8, unlabelled: 0, labelTable: path.join(dir, "table.csv"), tableRowsWithoutImage: 0 }]);
  const after = python<Seen>(READ, output);
  assert.deepEqual(after.rows.slice(0, before.rows.length), before.rows, "old rows: same index, pixels, label number, split");
  assert.deepEqual(after.classes.slice(0, before.classes.length), before.classes);
  assert.deepEqual(after.attrs, { rows: 8, image_shape: [8, 10, 3] });
  const clean = path.join(dir, "clean.h5");
  await convert([tree], { output: clean, ...options });
  const fresh = python<Seen>(READ, clean);
  const byPath = (seen: Seen) => Object.fromEntries(seen.rows.map(({ path: p, label, split, pixels, meta }) => [p, { label, split, pixels, meta }]));
  assert.deepEqual(byPath(after), byPath(fresh));
});

test("appending with other stack options fails that input, naming the option; the stack stays as it was", async () => {
  const output = path.join(dir, "other.h5");
  await convert([tree], { output, layout: "stacked" });
  const before = python<Seen>(READ, output);
  addImages(["cat/9.png"]);
  const summary = await convert([tree], { output, append: true, layout: "stacked", resize: { width: 4, height: 4, fit: "cover" } });
  assert.equal(summary.failed, 1);
  assert.match(summary.failures[0].message, /cannot append to the stack '\/pets': it was made with resize '', this run gives '4x4:cover'/);
  assert.deepEqual(python<Seen>(READ, output), before);
});

test("a stacked run appended onto the input's files layout that holds a name the stack needs fails that input, and deletes nothing", async () => {
  const own = path.join(dir, "own");
  fs.mkdirSync(path.join(own, "labels"), { recursive: true });
  fs.writeFileSync(path.join(own, "labels", "info.json"), '{"mine": 1}');
  fs.copyFileSync(path.join(tree, "cat", "1.png"), path.join(own, "1.png"));
  const output = path.join(dir, "own.h5");
  await convert([own], { output });
  const summary = await convert([own], { output, append: true, layout: "stacked" });
  assert.equal(summary.failed, 1);
  assert.match(summary.failures[0].message, /'\/own\/labels' is in the file already and not a stack's/);
  const kept = python<string[]>("import h5py, json, sys; f = h5py.File(sys.argv[1]); out = []; f['own'].visit(out.append); print(json.dumps(sorted(out)))", output);
  assert.ok(kept.includes("labels/info.json/bytes"), kept.join(", "));
});
