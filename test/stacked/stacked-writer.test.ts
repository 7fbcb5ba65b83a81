// The stacked layout's arrays (issue 20), written out of order and read with h5py: rows in input
// order, labels numbered by sorted class names, splits disjoint and covering, paths and sizes.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { File } from "../../src";
import { directoryLabel } from "../../src/stacked/labels";
import { parseSplitRule, splitByHash, splitFromDirectories } from "../../src/stacked/split-rule";
import { StackedWriter, type StackedRow } from "../../src/stacked/stacked-writer";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-stacked-");
const rule = parseSplitRule("train=0.5,test=0.5");

/** Entry i: a 4×3 RGB image whose every byte is i, under a class directory (some under train/). */
function entry(i: number): StackedRow {
  const sourcePath = i % 5 === 0 ? `train/${["owl", "cat"][i % 2]}/${i}.png` : `${["zebra", "cat", "ant"][i % 3]}/${i}.png`;
  return {
    image: { data: new Uint8Array(4 * 3 * 3).fill(i), shape: [4, 3, 3], format: "png" },
    convertedToRgb: i % 4 === 0,
    sourcePath,
    size: 100 + i,
    label: directoryLabel(sourcePath),
    split: splitFromDirectories(sourcePath) ?? splitByHash(sourcePath, rule, 1),
  };
}

test("rows in input order whatever order they come in; labels by sorted class names; splits; h5py reads it", async () => {
  const file = path.join(dir, "stack.h5");
  const f = await File.open(file, "w");
  const group = await f.createGroup("photos");
  const writer = new StackedWriter(group, { layout: { compression: "gzip" }, labels: { from: "dir" }, split: rule, seed: 1, resize: null, encoded: false });
  // 40 entries: every third is not an image (skipped); they settle in a shuffled order.
  const order = Array.from({ length: 40 }, (_, i) => i).sort((a, b) => ((a * 7919) % 40) - ((b * 7919) % 40));
  await Promise.all(order.map((i) => (i % 3 === 2 ? writer.skip(i) : writer.add(i, entry(i)))));
  assert.equal(await writer.finish(), 27);
  await group.close();
  await f.close();
  const images = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 !== 2);
  const seen = python<{ shape: number[]; firsts: number[]; labels: number[]; classes: string[]; label_classes: string[]; paths: string[]; sizes: number[]; splits: Record<string, number[]>; attrs: Record<string, unknown> }>(`
import h5py, json, sys
g = h5py.File(sys.argv[1])["photos"]
o = g["paths/offsets"][:]; b = g["paths/bytes"][:].tobytes()
print(json.dumps({
  "shape": list(g["images"].shape),
  "firsts": [int(g["images"][i, 0, 0, 0]) for i in range(g["images"].shape[0])],
  "labels": [int(x) for x in g["labels"][:]],
  "classes": [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]],
  "paths": [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)],
  "sizes": [int(x) for x in g["source_size"][:]],
  "splits": {k: [int(x) for x in g["splits"][k][:]] for k in g["splits"]},
  "attrs": {k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in g.attrs.items() if k in ("layout", "rows", "image_storage", "image_shape", "converted_to_rgb", "label_source", "split_rule", "seed")},
  "label_classes": [c.decode() if isinstance(c, bytes) else c for c in g["labels"].attrs["class_names"]],
}))`, file);
  assert.deepEqual(seen.shape, [27, 4, 3, 3]);
  assert.deepEqual(seen.firsts, images);
  // "ant" is only in the skipped entries (every third): no class.
  assert.deepEqual(seen.classes, ["cat", "owl", "zebra"]);
  assert.deepEqual(seen.label_classes, seen.classes);
  assert.deepEqual(seen.labels.map((n) => seen.classes[n]), images.map((i) => directoryLabel(entry(i).sourcePath)));
  assert.deepEqual(seen.paths, images.map((i) => entry(i).sourcePath));
  assert.deepEqual(seen.sizes, images.map((i) => 100 + i));
  const rows = Object.values(seen.splits).flat().sort((a, b) => a - b);
  assert.deepEqual(rows, images.map((_, r) => r), "the splits are disjoint and cover every row");
  for (const [name, indices] of Object.entries(seen.splits)) for (const r of indices) assert.equal(entry(images[r]).split, name);
  assert.deepEqual(seen.attrs, { layout: "stacked", rows: 27, image_storage: "fixed", image_shape: [4, 3, 3], converted_to_rgb: images.filter((i) => i % 4 === 0).length, label_source: "dir", split_rule: "train=0.5,test=0.5", seed: 1 });
});

/** Each row of a ragged or encoded stack as h5py reads it: its bytes (flat), shape and format. */
const READ_RAGGED = `
import h5py, json, sys
g = h5py.File(sys.argv[1])["g"]
print(json.dumps({
  "storage": g.attrs["image_storage"], "image_shape": g.attrs["image_shape"].tolist(), "keys": sorted(g.keys()),
  "rows": [g["images"][i].tolist() for i in range(len(g["images"]))],
  "shapes": g["image_shapes"][:].tolist(),
  "formats": [bytes(g["image_format/bytes"][a:b]).decode() for a, b in zip(g["image_format/offsets"][:-1], g["image_format/offsets"][1:])] if "image_format" in g else None,
}))`;

interface RaggedSeen {
  storage: string;
  image_shape: number[];
  keys: string[];
  rows: number[][];
  shapes: number[][];
  formats: string[] | null;
}

/** Row i: an h × w × c image whose every byte is i. */
function sized(i: number, shape: [number, number, number]): StackedRow {
  return { ...entry(i), image: { data: new Uint8Array(shape[0] * shape[1] * shape[2]).fill(i), shape, format: "png" } };
}

test("without --resize, an image of another shape turns the stack ragged: the rows before it copied, each with its shape", async () => {
  const file = path.join(dir, "ragged.h5");
  const f = await File.open(file, "w");
  const writer = new StackedWriter(await f.createGroup("g"), { layout: { compression: "gzip" }, labels: { from: "dir" }, split: null, seed: 0, resize: null, encoded: false });
  // 70 rows of one shape (more than one copy block), then a grey one and a larger one.
  const shapes: [number, number, number][] = [...Array.from({ length: 70 }, () => [4, 3, 3] as [number, number, number]), [5, 2, 1], [6, 7, 3], [4, 3, 3]];
  await Promise.all(shapes.map((shape, i) => writer.add(i, sized(i, shape))));
  assert.equal(await writer.finish(), shapes.length);
  await f.close();
  const seen = python<RaggedSeen>(READ_RAGGED, file);
  assert.equal(seen.storage, "ragged");
  assert.deepEqual(seen.image_shape, []);
  assert.deepEqual(seen.keys, ["image_shapes", "images", "labels", "paths", "source_size", "splits"], "no fixed array left behind");
  assert.deepEqual(seen.shapes, shapes);
  assert.deepEqual(seen.rows, shapes.map((s, i) => new Array(s[0] * s[1] * s[2]).fill(i)));
});

test("an encoded stack keeps each file's bytes, shape and format", async () => {
  const file = path.join(dir, "encoded.h5");
  const f = await File.open(file, "w");
  const writer = new StackedWriter(await f.createGroup("g"), { layout: { compression: "none" }, labels: { from: "none" }, split: null, seed: 0, resize: null, encoded: true });
  const files = [Uint8Array.of(1, 2, 3), Uint8Array.of(9), Uint8Array.of(4, 4, 4, 4, 4)];
  await Promise.all(files.map((data, i) => writer.add(i, { ...entry(i), label: null, image: { data, shape: [i + 1, 2, 3], format: ["jpeg", "png", "webp"][i] } })));
  await writer.finish();
  await f.close();
  const seen = python<RaggedSeen>(READ_RAGGED, file);
  assert.equal(seen.storage, "encoded");
  assert.deepEqual(seen.rows, files.map((data) => Array.from(data)));
  assert.deepEqual(seen.shapes, [[1, 2, 3], [2, 2, 3], [3, 2, 3]]);
  assert.deepEqual(seen.formats, ["jpeg", "png", "webp"]);
});

test("with --resize every image has the box's shape: one of another fails alone; the rows around it stay", async () => {
  const f = await File.open(path.join(dir, "shapes.h5"), "w");
  const writer = new StackedWriter(await f.createGroup("g"), { layout: { compression: "none" }, labels: { from: "none" }, split: null, seed: 0, resize: { width: 3, height: 4, fit: "cover" }, encoded: false });
  await writer.add(0, { ...entry(0), label: null });
  await assert.rejects(writer.add(1, sized(1, [3, 4, 3])), /'cat\/1\.png' is 3×4×3, not the stack's 4×3×3/);
  await writer.add(2, entry(2));
  assert.equal(await writer.finish(), 2);
  await f.close();
});
