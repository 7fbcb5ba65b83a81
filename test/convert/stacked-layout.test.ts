// convert --layout stacked (issue 20, first slice) on a generated ImageFolder tree, read with h5py
// and checked against PIL: each input's images as one [N, H, W, 3] stack in input order (PIL's
// RGB of each file, resized as sharp does), labels from the parent directories numbered by sorted
// class names, splits from the train/val directories, paths and sizes per row; other files in
// the files layout beside it; an undecodable image kept as bytes, in no row.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import sharp from "sharp";
import { convert } from "../../src";
import { parseResize, sharpResize } from "../../src/processors/resize-spec";
import { python, tempDir } from "../helpers/h5py";
import { imageFolderScript } from "../helpers/image-folder";

const dir = tempDir("h5dat-stacked-convert-");
const tree = path.join(dir, "pets");
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");

interface Stack {
  shape: number[];
  labels: number[];
  classes: string[];
  paths: string[];
  sizes: number[];
  splits: Record<string, number[]>;
  attrs: Record<string, unknown>;
  others: string[];
}

const READ = `
import h5py, json, sys
f = h5py.File(sys.argv[1]); g = f[sys.argv[2]]
o = g["paths/offsets"][:]; b = g["paths/bytes"][:].tobytes()
others = []
g.visit(lambda name: others.append(name) if isinstance(g[name], h5py.Dataset) and not name.split("/")[0] in ("images", "labels", "paths", "source_size", "splits") else None)
print(json.dumps({
  "shape": list(g["images"].shape),
  "labels": [int(x) for x in g["labels"][:]],
  "classes": [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]],
  "paths": [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)],
  "sizes": [int(x) for x in g["source_size"][:]],
  "splits": {k: [int(x) for x in g["splits"][k][:]] for k in g["splits"]} if "splits" in g else {},
  "attrs": {k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in g.attrs.items() if k in ("layout", "rows", "image_storage", "image_shape", "image_mode", "resize", "label_source", "split_rule", "seed")},
  "others": sorted(others),
}))`;

before(() => {
  python(`${imageFolderScript({ seed: 5, perClass: { train: 4, val: 4 }, sides: [12, 40] })}
Image.fromarray(rng.integers(0, 256, (20, 24), dtype=np.uint8)).save(f"{root}/train/cat/grey.png")
open(f"{root}/train/dog/broken.png", "wb").write(b"\\x89PNG\\r\\n\\x1a\\nbroken")
os.makedirs(f"{root}/notes", exist_ok=True)
open(f"{root}/notes/about.json", "w").write('{"a": 1}')
# A directory named as a stack's member it does not make (meta: only with a label table) is the input's own.
os.makedirs(f"{root}/meta", exist_ok=True)
open(f"{root}/meta/info.json", "w").write('{"b": 2}')
print("{}")`, tree);
});

describe("convert --layout stacked", () => {
  test("an ImageFolder tree: rows in input order equal PIL's RGB resized by sharp; labels, splits, paths, sizes; other files beside", async () => {
    const output = path.join(dir, "pets.h5");
    const summary = await convert([tree], { output, layout: "stacked", resize: parseResize("16x16:contain") });
    // 24 images + the grey one in rows, the broken PNG kept as bytes, the JSON beside.
    assert.deepEqual([summary.written, summary.kept.length, summary.failed], [27, 1, 0]);
    const stack = python<Stack>(READ, output, "pets");
    assert.equal(stack.paths.length, 25);
    assert.deepEqual(stack.shape, [25, 16, 16, 3]);
    // Input order: the manifest's order of the entries that became rows.
    const manifestOrder = python<string[]>(`import h5py, json, sys
m = h5py.File(sys.argv[1])["_h5dat/manifest"][()]
rows = sorted((int(r["entry"]), r["source_path"].decode()) for r in m if r["target"].decode() == "/pets/images")
print(json.dumps([p for _, p in rows]))`, output);
    assert.deepEqual(stack.paths, manifestOrder);
    assert.deepEqual(stack.classes, ["cat", "dog", "owl"]);
    assert.deepEqual(stack.labels.map((n) => stack.classes[n]), stack.paths.map((p) => p.split("/")[1]));
    assert.deepEqual(Object.keys(stack.splits).sort(), ["train", "val"]);
    for (const [name, rows] of Object.entries(stack.splits)) for (const r of rows) assert.equal(stack.paths[r].split("/")[0], name);
    assert.deepEqual(Object.values(stack.splits).flat().sort((a, b) => a - b), stack.paths.map((_, r) => r));
    assert.deepEqual(stack.sizes, stack.paths.map((p) => fs.statSync(path.join(tree, p)).size));
    assert.deepEqual(stack.attrs, { layout: "stacked", rows: 25, image_storage: "fixed", image_shape: [16, 16, 3], image_mode: "rgb", resize: "16x16:contain", label_source: "dir", split_rule: "", seed: 0 });
    assert.deepEqual(stack.others, ["meta/info.json/bytes", "meta/info.json/offsets", "notes/about.json/bytes", "notes/about.json/offsets", "train/dog/broken.png"]);
    // Pixels: each row is the file's RGB (grey expanded) resized by sharp as --resize says.
    const rows = python<number[][]>("import h5py, json, sys; print(json.dumps(h5py.File(sys.argv[1])['pets/images'][()].reshape(25, -1).tolist()))", output);
    for (const [r, p] of stack.paths.entries()) {
      const want = await sharp(fs.readFileSync(path.join(tree, p))).toColourspace("srgb").removeAlpha().resize(sharpResize(parseResize("16x16:contain"))).raw().toBuffer();
      assert.deepEqual(rows[r], Array.from(want), p);
    }
  });

  test("without --resize, images of one shape stack as they are; one of another shape or channels makes the stack ragged, each row as PIL reads it", async () => {
    const same = path.join(dir, "same");
    python(`import sys, os, numpy as np
from PIL import Image
rng = np.random.default_rng(6)
for cls in ("a", "b"):
    os.makedirs(f"{sys.argv[1]}/{cls}", exist_ok=True)
    for i in range(3): Image.fromarray(rng.integers(0, 256, (6, 5, 3), dtype=np.uint8)).save(f"{sys.argv[1]}/{cls}/{i}.png")
print("{}")`, same);
    const output = path.join(dir, "same.h5");
    const split = [{ name: "train", share: 0.5 }, { name: "test", share: 0.5 }];
    await convert([same], { output, layout: "stacked", split, seed: 3 });
    const stack = python<Stack>(READ, output, "same");
    assert.deepEqual(stack.shape, [6, 6, 5, 3]);
    const pixels = python<number[]>("import h5py, json, sys; print(json.dumps(h5py.File(sys.argv[1])['same/images'][0].flatten().tolist()))", output);
    const first = python<number[]>("import sys, json, numpy as np; from PIL import Image; print(json.dumps(np.asarray(Image.open(sys.argv[1]).convert('RGB')).flatten().tolist()))", path.join(same, stack.paths[0]));
    assert.deepEqual(pixels, first);
    assert.deepEqual(Object.values(stack.splits).flat().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
    assert.equal(stack.attrs.split_rule, "train=0.5,test=0.5");
    // A taller image and a grey one: ragged, every row as PIL reads the file (grey kept grey).
    python(`import sys, numpy as np
from PIL import Image
rng = np.random.default_rng(7)
Image.fromarray(rng.integers(0, 256, (7, 5, 3), dtype=np.uint8)).save(f"{sys.argv[1]}/b/odd.png")
Image.fromarray(rng.integers(0, 256, (6, 5), dtype=np.uint8)).save(f"{sys.argv[1]}/a/grey.png")
print("{}")`, same);
    const mixed = path.join(dir, "mixed.h5");
    const summary = await convert([same], { output: mixed, layout: "stacked", split, seed: 3 });
    assert.deepEqual([summary.written, summary.failed], [8, 0]);
    const seen = python<{ storage: string; same: boolean[]; shapes: number[][]; paths: string[]; splits: number[] }>(`import h5py, json, sys, numpy as np
from PIL import Image
g = h5py.File(sys.argv[1])["same"]
o = g["paths/offsets"][:]; b = g["paths/bytes"][:].tobytes()
paths = [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)]
shapes = g["image_shapes"][:].tolist()
same = [bool(np.array_equal(g["images"][i].reshape(shapes[i]), np.asarray(Image.open(sys.argv[2] + "/" + p)).reshape(shapes[i]))) for i, p in enumerate(paths)]
print(json.dumps({"storage": g.attrs["image_storage"], "same": same, "shapes": shapes, "paths": paths, "splits": sorted(int(x) for k in g["splits"] for x in g["splits"][k][:])}))`, mixed, same);
    assert.equal(seen.storage, "ragged");
    assert.deepEqual(seen.same, seen.paths.map(() => true));
    assert.deepEqual(seen.shapes[seen.paths.indexOf("a/grey.png")], [6, 5, 1]);
    assert.deepEqual(seen.shapes[seen.paths.indexOf("b/odd.png")], [7, 5, 3]);
    assert.deepEqual(seen.splits, seen.paths.map((_, r) => r));
  });

  test("--images encoded keeps each image file's bytes, its format and stored shape; a corrupt image fails alone", async () => {
    const output = path.join(dir, "encoded.h5");
    const summary = await convert([tree], { output, layout: "stacked", images: "encoded" });
    assert.deepEqual([summary.written, summary.kept.length], [27, 1]);
    const seen = python<{ storage: string; same: boolean[]; formats: string[]; shapes: number[][]; stored: number[][]; paths: string[] }>(`import h5py, json, sys, numpy as np
from PIL import Image
g = h5py.File(sys.argv[1])["pets"]
def strings(name):
    o = g[name + "/offsets"][:]; b = g[name + "/bytes"][:].tobytes()
    return [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)]
paths = strings("paths")
same = [g["images"][i].tobytes() == open(sys.argv[2] + "/" + p, "rb").read() for i, p in enumerate(paths)]
shapes = [list(np.asarray(Image.open(sys.argv[2] + "/" + p)).shape) for p in paths]
print(json.dumps({"storage": g.attrs["image_storage"], "same": same, "formats": strings("image_format"), "shapes": [s + [1] if len(s) == 2 else s for s in shapes], "stored": g["image_shapes"][:].tolist(), "paths": paths}))`, output, tree);
    assert.equal(seen.storage, "encoded");
    assert.equal(seen.paths.length, 25);
    assert.deepEqual(seen.same, seen.paths.map(() => true));
    assert.deepEqual(seen.formats, seen.paths.map(() => "png"));
    assert.deepEqual(seen.stored, seen.shapes);
  });

  test("the CLI's flags, and what it refuses before writing anything", () => {
    const output = path.join(dir, "cli.h5");
    const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, "convert", tree, "-o", output, ...args], { encoding: "utf8" });
    const ok = run("--layout", "stacked", "--resize", "8x8", "--labels", "none", "--split", "train=0.8,test=0.2", "--seed", "2");
    assert.equal(ok.status, 0, ok.stderr);
    const stack = python<Stack>(READ, output, "pets");
    assert.ok(stack.labels.every((n) => n === -1));
    assert.equal(stack.attrs.label_source, "none");
    fs.rmSync(output);
    for (const [args, message] of [
      [["--resize", "8x8"], /--resize shape the stacked layout: give --layout stacked too/],
      [["--layout", "stacked", "--resize", "8"], /--resize: '8' is not WxH/],
      [["--layout", "stacked", "--split", "train=0.5"], /--split: the shares sum to 0.5, not 1/],
      [["--layout", "stacked", "--images", "both"], /--images both is for the files layout/],
    ] as const) {
      const refused = run(...args);
      assert.equal(refused.status, 1, `${args.join(" ")}: ${refused.stderr}`);
      assert.match(refused.stderr, message);
      assert.equal(fs.existsSync(output), false);
    }
  });
});
