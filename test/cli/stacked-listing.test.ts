// `h5dat ls` and `show` of a stacked group: rows, image shape, classes with counts, splits with
// sizes, label source and resize, checked against h5py's reading of the same file; a stack of
// many classes shows as many as the preview's lines hold, most rows first, and says the rest.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { before, test } from "node:test";
import { convert, parseSplitRule } from "../../src";
import { parseResize } from "../../src/processors/resize-spec";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-stacked-ls-");
const tree = path.join(dir, "birds");
const output = path.join(dir, "birds.h5");
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], { encoding: "utf8", env: { ...process.env, COLUMNS: "200" } });

interface Truth {
  rows: number;
  shape: number[];
  counts: Record<string, number>;
  splits: Record<string, number>;
}

const TRUTH = `
import h5py, json, sys, numpy as np
g = h5py.File(sys.argv[1])[sys.argv[2]]
names = [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]]
labels = g["labels"][:]
print(json.dumps({"rows": int(g.attrs["rows"]), "shape": [int(x) for x in g.attrs["image_shape"]],
  "counts": {n: int((labels == i).sum()) for i, n in enumerate(names)},
  "splits": {k: len(g["splits"][k]) for k in g["splits"]} if "splits" in g else {}}))`;

before(async () => {
  python(`import sys, os, numpy as np
from PIL import Image
rng = np.random.default_rng(2)
for cls, n in (("wren", 5), ("crow", 2), ("jay", 3)):
    os.makedirs(f"{sys.argv[1]}/{cls}", exist_ok=True)
    for i in range(n): Image.fromarray(rng.integers(0, 256, (9, 7, 3), dtype=np.uint8)).save(f"{sys.argv[1]}/{cls}/{i}.png")
print("{}")`, tree);
  await convert([tree], { output, layout: "stacked", resize: parseResize("6x4:contain"), split: parseSplitRule("train=0.6,test=0.4"), seed: 5 });
});

test("ls: one line for the stacked group, and its facts in --json, as h5py reads them", () => {
  const truth = python<Truth>(TRUTH, output, "birds");
  const text = cli("ls", output);
  assert.equal(text.status, 0, text.stderr);
  const splits = Object.entries(truth.splits).sort().map(([name, rows]) => `${name} ${rows}`).join(" / ");
  assert.match(text.stdout, new RegExp(`^/birds +group stacked: 10 images \\[4, 6, 3\\], 3 classes \\(labels: dir\\), splits ${splits} \\(train=0\\.6,test=0\\.4\\), resize 6x4:contain$`, "m"));
  const listed = (JSON.parse(cli("ls", "--json", output).stdout) as { path: string; stacked?: Record<string, unknown> }[]).find((o) => o.path === "/birds")!;
  assert.deepEqual(listed.stacked, {
    rows: truth.rows,
    imageShape: truth.shape,
    storage: "fixed",
    classNames: ["crow", "jay", "wren"],
    splits: Object.entries(truth.splits).sort().map(([name, rows]) => ({ name, rows })),
    labelSource: "dir",
    resize: "6x4:contain",
    splitRule: "train=0.6,test=0.4",
    seed: 5,
  });
});

test("show: the classes with their counts, most first, the splits with their sizes, the members", () => {
  const truth = python<Truth>(TRUTH, output, "birds");
  const run = cli("show", output, "/birds");
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^stacked: 10 images, each \[4, 6, 3\]; labels from dir; resize 6x4:contain$/m);
  assert.match(run.stdout, /^classes \(3\):\n  wren 5, jay 3, crow 2$/m);
  const splits = Object.entries(truth.splits).sort().map(([name, rows]) => `${name} ${rows}`).join(", ");
  assert.match(run.stdout, new RegExp(`^splits: ${splits} \\(--split train=0\\.6,test=0\\.4, seed 5\\)$`, "m"));
  assert.match(run.stdout, /^\/birds\/images +dataset uint8 \[10, 4, 6, 3\]/m);
  const json = JSON.parse(cli("show", output, "/birds", "--json").stdout) as { preview: { kind: string; classes: { name: string; rows: number }[]; unlabelled: number } };
  assert.equal(json.preview.kind, "stacked");
  assert.deepEqual(Object.fromEntries(json.preview.classes.map((c) => [c.name, c.rows])), truth.counts);
  assert.equal(json.preview.unlabelled, 0);
});

test("show of a stack with many classes and unlabelled rows (written by h5py) stays within its lines", () => {
  const many = path.join(dir, "many.h5");
  python(`import h5py, json, sys, numpy as np
n = 3000
f = h5py.File(sys.argv[1], "w"); g = f.create_group("s")
g.create_dataset("images", data=np.zeros((n, 2, 2, 1), dtype=np.uint8), chunks=(1, 2, 2, 1))
labels = np.arange(n, dtype=np.int64) % 1001 - 1
g["labels"] = labels
for k, v in dict(layout="stacked", stacked_version=1, rows=n, resize="", label_source="names.csv:id:kind", split_rule="", seed=0).items(): g.attrs[k] = v
g.attrs["image_shape"] = np.array([2, 2, 1], dtype=np.int64)
g.attrs["class_names"] = ["k%04d" % i for i in range(1000)]
print("{}")`, many);
  const run = cli("show", many, "/s");
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^classes \(1,000; 3 unlabelled\):\n  k0000 3, k0001 3,/m);
  const more = /^  … ([\d,]+) more classes$/m.exec(run.stdout);
  assert.ok(more, run.stdout);
  assert.ok(run.stdout.split("\n").length < 60, "bounded");
  assert.match(run.stdout, /^splits: none$/m);
});

test("show of a stack without labels says so", async () => {
  const none = path.join(dir, "none.h5");
  await convert([tree], { output: none, layout: "stacked", resize: parseResize("3x3"), labels: { from: "none" } });
  const run = cli("show", none, "/birds");
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^stacked: 10 images, each \[3, 3, 3\]; labels from none; resize 3x3:cover$/m);
  assert.match(run.stdout, /^classes: none \(10 unlabelled\)\nsplits: none$/m);
  assert.match(cli("ls", none).stdout, /^\/birds +group stacked: 10 images \[3, 3, 3\], 0 classes \(labels: none\), no splits, resize 3x3:cover$/m);
});
