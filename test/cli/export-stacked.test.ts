// `h5dat export` of a stacked group: an ImageFolder tree (split/class/stem.png) whose PNGs, read
// back with PIL, equal h5py's rows; the split and class directories are the rows' as h5py reads
// them; two rows of one stem in one directory get ' (1)'; rows with no label go under
// _unlabelled, and a stack without splits has no split level; the files layout beside the stack
// exports as before. Stacks written by h5py in the ragged and encoded storages give PNGs of each
// row's own shape, and the files' own bytes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, test } from "node:test";
import { convert, parseSplitRule } from "../../src";
import { parseResize } from "../../src/processors/resize-spec";
import { PY_RAGGED, python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-export-stacked-");
const tree = path.join(dir, "zoo");
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const exportCli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, "export", ...args], { encoding: "utf8" });

interface ManifestRow {
  dataset: string;
  row?: number;
  status: string;
  file: string;
  format: string;
  renamedFrom?: string;
}

/** h5py's view of each manifest row of a stack: the row's pixels, PIL's pixels of the file, its split and class. */
const CHECK = `${PY_RAGGED}
import h5py, json, sys, numpy as np
from PIL import Image
g = h5py.File(sys.argv[1])[sys.argv[2]]
out_dir = sys.argv[3]
rows = json.loads(sys.argv[4])
names = [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]]
split_of = {}
if "splits" in g:
    for k in g["splits"]:
        for r in g["splits"][k][:]: split_of[int(r)] = k
paths = ragged(g["paths"])
out = []
for r, file in rows:
    stored = g["images"][r]
    if "image_shapes" in g: stored = stored.reshape([int(x) for x in g["image_shapes"][r]])
    pil = np.asarray(Image.open(f"{out_dir}/{file}"))
    if pil.ndim == 2: pil = pil[:, :, None]
    label = int(g["labels"][r])
    out.append({"same": bool(stored.shape == pil.shape and (stored == pil).all()), "split": split_of.get(r), "cls": names[label] if label >= 0 else None, "path": paths[r]})
print(json.dumps(out))`;

function manifestOf(out: string): ManifestRow[] {
  return (JSON.parse(fs.readFileSync(path.join(out, "export-manifest.json"), "utf8")) as { datasets: ManifestRow[] }).datasets;
}

before(() => {
  python(`import sys, os, numpy as np
from PIL import Image
rng = np.random.default_rng(8)
root = sys.argv[1]
for split in ("train", "val"):
    for cls in ("ant", "bee"):
        os.makedirs(f"{root}/{split}/{cls}", exist_ok=True)
        for i in range(3):
            Image.fromarray(rng.integers(0, 256, (int(rng.integers(8, 20)), int(rng.integers(8, 20)), 3), dtype=np.uint8)).save(f"{root}/{split}/{cls}/{cls}{i}.png")
# the same stem twice in one class directory
Image.fromarray(rng.integers(0, 256, (9, 9, 3), dtype=np.uint8)).save(f"{root}/train/ant/ant0.jpg")
os.makedirs(f"{root}/docs", exist_ok=True)
open(f"{root}/docs/readme.json", "w").write('{"zoo": true}')
print("{}")`, tree);
});

test("a converted stack: split/class/stem.png whose pixels are h5py's rows; a clash renamed; the files layout beside", async () => {
  const output = path.join(dir, "zoo.h5");
  await convert([tree], { output, layout: "stacked", resize: parseResize("7x5:fill") });
  const out = path.join(dir, "zoo-out");
  const run = exportCli(output, "-o", out);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /renamed: \/zoo\/images → zoo\/train\/ant\/ant0 \(1\)\.png \(zoo\/train\/ant\/ant0\.png was taken\)/);
  const manifest = manifestOf(out);
  const rows = manifest.filter((m) => m.dataset === "/zoo/images");
  assert.deepEqual(rows.map((m) => m.row), [...Array(13).keys()]);
  const checked = python<{ same: boolean; split: string; cls: string; path: string }[]>(CHECK, output, "zoo", out, JSON.stringify(rows.map((m) => [m.row, m.file])));
  for (const [i, m] of rows.entries()) {
    const truth = checked[i];
    assert.equal(truth.same, true, m.file);
    assert.equal(m.format, "png");
    const stem = path.posix.parse(truth.path).name;
    assert.equal(m.file, m.renamedFrom ? `zoo/${truth.split}/${truth.cls}/${stem} (1).png` : `zoo/${truth.split}/${truth.cls}/${stem}.png`);
  }
  assert.equal(rows.filter((m) => m.renamedFrom).length, 1);
  // The JSON beside the stack, as the files layout exports it.
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, "zoo/docs/readme.json"), "utf8")), { zoo: true });
  assert.deepEqual(manifest.filter((m) => m.dataset !== "/zoo/images").map((m) => m.file), ["zoo/docs/readme.json"]);
  // The same again names every file alike.
  const again = path.join(dir, "zoo-again");
  assert.equal(exportCli(output, "-o", again).status, 0);
  assert.deepEqual(manifestOf(again).map((m) => m.file), manifest.map((m) => m.file));
});

test("no labels and a --split rule: _unlabelled under each split; no splits: no split level", async () => {
  const output = path.join(dir, "zoo-split.h5");
  await convert([path.join(tree, "train")], { output, layout: "stacked", resize: parseResize("4x4"), labels: { from: "none" }, split: parseSplitRule("a=0.5,b=0.5"), seed: 1 });
  const out = path.join(dir, "split-out");
  assert.equal(exportCli(output, "/train", "-o", out).status, 0);
  const rows = manifestOf(out).filter((m) => m.row !== undefined);
  const checked = python<{ same: boolean; split: string; cls: string | null }[]>(CHECK, output, "train", out, JSON.stringify(rows.map((m) => [m.row, m.file])));
  for (const [i, m] of rows.entries()) {
    assert.equal(checked[i].same, true);
    assert.equal(checked[i].cls, null);
    assert.match(m.file, new RegExp(`^${checked[i].split}/_unlabelled/[^/]+\\.png$`));
  }
  // The same tree into an archive.
  const archive = path.join(dir, "split.tar.gz");
  assert.equal(exportCli(output, "/train", "--archive", archive).status, 0);
  const entries = python<string[]>("import tarfile, json, sys; print(json.dumps(sorted(tarfile.open(sys.argv[1]).getnames())))", archive);
  assert.deepEqual(entries, [...rows.map((m) => m.file), "export-manifest.json"].sort());
  const plain = path.join(dir, "zoo-plain.h5");
  await convert([path.join(tree, "val")], { output: plain, layout: "stacked", resize: parseResize("4x4") });
  const plainOut = path.join(dir, "plain-out");
  assert.equal(exportCli(plain, "/val", "-o", plainOut).status, 0);
  assert.deepEqual(manifestOf(plainOut).map((m) => m.file).sort(), ["ant/ant0.png", "ant/ant1.png", "ant/ant2.png", "bee/bee0.png", "bee/bee1.png", "bee/bee2.png"]);
});

test("ragged and encoded stacks written by h5py: PNGs of each row's own shape, the files' own bytes; classes alike but for case stay apart", () => {
  const output = path.join(dir, "h5py-stacks.h5");
  const written = python<{ files: number[][] }>(`
import h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], "w")
rng = np.random.default_rng(3)
vlen = h5py.vlen_dtype(np.uint8)
def ragged(g, name, texts):
    r = g.create_group(name); data = [t.encode() for t in texts]
    r["bytes"] = np.frombuffer(b"".join(data), dtype=np.uint8); r["offsets"] = np.cumsum([0] + [len(x) for x in data]).astype(np.uint64)
    r.attrs["layout"] = "ragged-utf8"; r.attrs["layout_version"] = 1; r.attrs["shape"] = np.array([len(texts)], dtype=np.int64)
def stack(name, storage, images, paths, labels, classes=("x/y", "z")):
    g = f.create_group(name)
    d = g.create_dataset("images", (len(images),), dtype=vlen)
    for i, im in enumerate(images): d[i] = im
    ragged(g, "paths", paths)
    g["labels"] = np.array(labels, dtype=np.int64)
    for k, v in dict(layout="stacked", stacked_version=1, rows=len(images), image_storage=storage, label_source="dir", resize="", split_rule="", seed=0).items(): g.attrs[k] = v
    g.attrs["class_names"] = list(classes)
    return g
shapes = [(5, 4, 3), (3, 6, 1), (2, 2, 3)]
pixels = [rng.integers(0, 256, s, dtype=np.uint8) for s in shapes]
g = stack("ragged", "ragged", [p.flatten() for p in pixels], ["x/y/p.png", "z/q.jpg", "r.png"], [0, 1, -1])
g["image_shapes"] = np.array(shapes, dtype=np.uint32)
files = [bytes(rng.integers(0, 256, 30, dtype=np.uint8)) for _ in range(2)]
g = stack("encoded", "encoded", [np.frombuffer(b, dtype=np.uint8) for b in files], ["z/one.jpg", "z/one.jpg"], [0, 1], ("Z", "z"))
ragged(g, "image_format", ["jpeg", "jpeg"])
g["image_shapes"] = np.array([[1, 30, 1]] * 2, dtype=np.uint32)
print(json.dumps({"files": [list(b) for b in files]}))`, output);
  const out = path.join(dir, "h5py-out");
  const run = exportCli(output, "-o", out);
  assert.equal(run.status, 0, run.stderr);
  const manifest = manifestOf(out);
  const ragged = manifest.filter((m) => m.dataset === "/ragged/images");
  assert.deepEqual(ragged.map((m) => m.file), ["ragged/x_y/p.png", "ragged/z/q.png", "ragged/_unlabelled/r.png"]);
  const checked = python<{ same: boolean }[]>(CHECK, output, "ragged", out, JSON.stringify(ragged.map((m) => [m.row, m.file])));
  assert.deepEqual(checked.map((c) => c.same), [true, true, true]);
  assert.equal(run.stderr, "");
  const encoded = manifest.filter((m) => m.dataset === "/encoded/images");
  assert.deepEqual(encoded.map((m) => [m.file, m.format]), [["encoded/Z/one.jpg", "original"], ["encoded/z (1)/one.jpg", "original"]]);
  encoded.forEach((m, i) => assert.deepEqual(Array.from(fs.readFileSync(path.join(out, m.file))), written.files[i]));
});

test("a stack that cannot be read is skipped with the reason, exit 0 with the rest written", () => {
  const output = path.join(dir, "broken.h5");
  python(`import h5py, sys, numpy as np
f = h5py.File(sys.argv[1], "w")
g = f.create_group("s")
d = g.create_dataset("images", (1,), dtype=h5py.vlen_dtype(np.uint8)); d[0] = np.arange(3, dtype=np.uint8)
g["labels"] = np.array([0], dtype=np.int64)
for k, v in dict(layout="stacked", stacked_version=1, rows=1, image_storage="encoded").items(): g.attrs[k] = v
f["other"] = np.arange(4, dtype=np.int32)
print("{}")`, output);
  const out = path.join(dir, "broken-out");
  const run = exportCli(output, "-o", out);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /^skipped: \/s: no such object \('\/s\/(paths|image_format)'\)$/m);
  assert.deepEqual(manifestOf(out).map((m) => [m.dataset, m.status]), [["/other", "written"], ["/s", "skipped"]]);
});

test("the writer's encoded stack exports each file's own bytes under class/name", async () => {
  const output = path.join(dir, "zoo-encoded.h5");
  await convert([path.join(tree, "val")], { output, layout: "stacked", images: "encoded" });
  const out = path.join(dir, "encoded-out");
  const run = exportCli(output, "/val", "-o", out);
  assert.equal(run.status, 0, run.stderr);
  const rows = manifestOf(out).filter((m) => m.row !== undefined);
  assert.deepEqual(rows.map((m) => m.file).sort(), ["ant/ant0.png", "ant/ant1.png", "ant/ant2.png", "bee/bee0.png", "bee/bee1.png", "bee/bee2.png"]);
  for (const m of rows) {
    assert.equal(m.format, "original");
    assert.deepEqual(fs.readFileSync(path.join(out, m.file)), fs.readFileSync(path.join(tree, "val", m.file)));
  }
});

test("a stack labelled from a table: class directories from its column, _unlabelled for images without a row, meta.csv beside", async () => {
  const images = path.join(dir, "shop");
  python(`import sys, os, numpy as np
from PIL import Image
os.makedirs(sys.argv[1], exist_ok=True)
for i in range(4): Image.fromarray(np.full((5, 5, 3), i * 40, np.uint8)).save(f"{sys.argv[1]}/p{i}.png")
open(sys.argv[2], "w").write("id,kind\\np0,shoe\\np1,hat\\np2,shoe\\n")
print("{}")`, images, path.join(dir, "styles.csv"));
  const output = path.join(dir, "shop.h5");
  await convert([images], { output, layout: "stacked", labels: { from: "table", file: path.join(dir, "styles.csv"), key: "id", column: "kind" } });
  const out = path.join(dir, "shop-out");
  assert.equal(exportCli(output, "-o", out).status, 0);
  assert.deepEqual(manifestOf(out).map((m) => m.file), ["shop/shoe/p0.png", "shop/hat/p1.png", "shop/shoe/p2.png", "shop/_unlabelled/p3.png", "shop/meta.csv"]);
  const meta = python<string[][]>("import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1])))))", path.join(out, "shop/meta.csv"));
  assert.deepEqual(meta.map((row) => row.slice(meta[0].indexOf("kind"), meta[0].indexOf("kind") + 1)[0]), ["kind", "shoe", "hat", "shoe", ""]);
});
