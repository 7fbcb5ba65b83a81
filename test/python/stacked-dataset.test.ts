// examples/python/h5dat_dataset.py (issue 20) under real PyTorch: a generated ImageFolder tree
// (train/val, three classes, mixed sizes, a grey image) converted with --layout stacked and
// --resize, gzip and unfiltered, then read through DataLoader(num_workers=2), forked and spawned
// (the spawned workers get the Dataset pickled). Every item is checked: its pixels against sharp's
// resize of the source (what --resize does), against h5py's own read of the row, and, for sources
// already of the box's size, against PIL's decode; its label against its directory; the split's
// items against the split's directory; channels_last_collate's batches against the default's. The ragged and encoded storages, written with h5py by the
// layout's description, check the example's other two read paths.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import sharp from "sharp";
import { convert } from "../../src";
import { parseResize, sharpResize } from "../../src/processors/resize-spec";
import { PYTHON, python, tempDir } from "../helpers/h5py";
import { imageFolderScript } from "../helpers/image-folder";

const EXAMPLES = path.join(__dirname, "..", "..", "examples", "python");
const dir = tempDir("h5dat-stacked-dataset-");
const tree = path.join(dir, "pets");
/** The box: 24 wide, 20 high; the tree has a few images of exactly this size. */
const RESIZE = "24x20:contain";
const CLASSES = ["cat", "dog", "owl"];

interface Item {
  path: string;
  label: number;
  shape: number[];
  /** uint8 [C, H, W], flattened. */
  pixels: number[];
}

interface Loaded {
  classes: string[];
  storage: string;
  /** Per split name ("all" for split=None): items in DataLoader order (unshuffled: item order). */
  splits: Record<string, { rows: number[]; h5pyRows: number[]; items: Item[]; sameAsH5py: boolean; pilExact: number; pilDiffer: string[]; parentOpened: boolean }>;
  pickled: boolean;
  channelsLast: boolean;
}

// The loader's view of every split, with the checks only Python can make beside it: h5py's own
// read of the split's rows, and PIL's decode of sources already of the box's size.
const LOAD = `
import json, os, pickle, sys
sys.path.insert(0, sys.argv[1])
import h5py, numpy as np, torch
from PIL import Image
from h5dat_dataset import H5datDataset, channels_last_collate
h5, group, tree = sys.argv[2], sys.argv[3], sys.argv[4]
out = {"splits": {}}
f = h5py.File(h5, "r")
for split, context in (("train", "fork"), ("val", "spawn"), (None, "fork")):
    ds = H5datDataset(h5, group=group, split=split)
    loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=False, num_workers=2, multiprocessing_context=context)
    images, labels = [], []
    for batch, batch_labels in loader:
        assert batch.dtype == torch.uint8 and batch_labels.dtype == torch.int64, (batch.dtype, batch_labels.dtype)
        images.extend(batch.numpy()); labels.extend(batch_labels.tolist())
    # The parent only read metadata: every image came through a worker's own handle.
    parent_opened = ds._file is not None
    g = f[group]
    h5py_rows = g["splits"][split][:] if split else np.arange(g["images"].shape[0])
    by_h5py = g["images"][np.sort(h5py_rows)] if len(h5py_rows) else []
    pil_exact, pil_differ = 0, []
    for i, image in enumerate(images):
        source = Image.open(os.path.join(tree, ds.paths(i)))
        if source.size == (image.shape[2], image.shape[1]):
            pil_exact += 1
            if not np.array_equal(np.asarray(source.convert("RGB")).transpose(2, 0, 1), image):
                pil_differ.append(ds.paths(i))
    out["splits"][split or "all"] = {
        "rows": ds.rows.tolist(), "h5pyRows": [int(r) for r in h5py_rows],
        "sameAsH5py": len(images) == len(by_h5py) and all(np.array_equal(a, b.transpose(2, 0, 1)) for a, b in zip(images, by_h5py)),
        "pilExact": pil_exact, "pilDiffer": pil_differ,
        "parentOpened": parent_opened,
        "items": [{"path": ds.paths(i), "label": int(l), "shape": list(im.shape), "pixels": im.flatten().tolist()} for i, (im, l) in enumerate(zip(images, labels))],
    }
    out["classes"], out["storage"] = ds.classes, ds.storage
# A Dataset that has read in this process pickles without its handle and reads the same after.
ds = H5datDataset(h5, group=group, split="train")
first = ds[0]
again = pickle.loads(pickle.dumps(ds))
out["pickled"] = again._file is None and torch.equal(again[0][0], first[0]) and again[0][1] == first[1]
# channels_last_collate: the default collate's batches, in channels-last memory, through workers.
plain = list(torch.utils.data.DataLoader(ds, batch_size=5))
last = list(torch.utils.data.DataLoader(ds, batch_size=5, num_workers=2, collate_fn=channels_last_collate))
out["channelsLast"] = len(plain) == len(last) and all(torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]) and b[0].is_contiguous(memory_format=torch.channels_last) for a, b in zip(plain, last))
print(json.dumps(out))
`;

before(() => {
  python(`${imageFolderScript({ seed: 20, perClass: { train: 3, val: 3 }, sides: [10, 48] })}
for split in ("train", "val"):
    for cls in ("owl", "cat", "dog"):
        # Already the box's size (24 wide, 20 high): stored as decoded, so PIL's decode is exact.
        Image.fromarray(rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)).save(f"{root}/{split}/{cls}/{cls}_exact.png")
    Image.fromarray(rng.integers(0, 256, (30, 17, 3), dtype=np.uint8)).save(f"{root}/{split}/dog/dog_photo.jpg", quality=90)
Image.fromarray(rng.integers(0, 256, (26, 31), dtype=np.uint8)).save(f"{root}/train/cat/grey.png")
print("{}")`, tree);
});

/** The files of the tree under `split`, relative to it, sorted. */
function treeFiles(split: string): string[] {
  const files: string[] = [];
  for (const cls of fs.readdirSync(path.join(tree, split))) for (const name of fs.readdirSync(path.join(tree, split, cls))) files.push(`${split}/${cls}/${name}`);
  return files.sort();
}

async function sharpPixelsCHW(source: string): Promise<number[]> {
  const spec = parseResize(RESIZE);
  const hwc = await sharp(fs.readFileSync(path.join(tree, source))).toColourspace("srgb").removeAlpha().resize(sharpResize(spec)).raw().toBuffer();
  const [h, w] = [spec.height, spec.width];
  const chw = new Array<number>(hwc.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) chw[c * h * w + y * w + x] = hwc[(y * w + x) * 3 + c];
  return chw;
}

describe("examples/python/h5dat_dataset.py: the stacked layout through a PyTorch DataLoader", () => {
  for (const compression of [4, "none"] as const) {
    test(`every item of every split, ${compression === "none" ? "unfiltered" : "gzip 4"}: pixels, labels, paths, the split's rows`, async () => {
      const output = path.join(dir, `pets-${compression}.h5`);
      const summary = await convert([tree], { output, layout: "stacked", resize: parseResize(RESIZE), compression });
      assert.deepEqual([summary.written, summary.failed], [27, 0]);
      const loaded = python<Loaded>(LOAD, EXAMPLES, output, "/pets", tree);
      assert.deepEqual(loaded.classes, CLASSES);
      assert.equal(loaded.storage, "fixed");
      assert.equal(loaded.pickled, true);
      assert.equal(loaded.channelsLast, true);
      const filters = python<string | null>("import h5py, json, sys; print(json.dumps(h5py.File(sys.argv[1])['pets/images'].compression))", output);
      assert.equal(filters, compression === "none" ? null : "gzip");
      const all = loaded.splits.all;
      assert.equal(all.items.length, 27);
      assert.deepEqual(all.items.map((item) => item.path).sort(), [...treeFiles("train"), ...treeFiles("val")].sort());
      for (const name of ["train", "val"]) {
        const split = loaded.splits[name];
        // The split's items are its rows, in row order, and exactly the files under its directory.
        assert.deepEqual(split.rows, split.h5pyRows, name);
        assert.deepEqual(split.items.map((item) => item.path), split.rows.map((r) => all.items[r].path), name);
        assert.deepEqual(split.items.map((item) => item.path).sort(), treeFiles(name), name);
      }
      for (const [name, split] of Object.entries(loaded.splits)) {
        assert.equal(split.sameAsH5py, true, `${name}: the loader's images equal h5py's read of the rows`);
        assert.equal(split.parentOpened, false, name);
        // One exact-size PNG of each class per split directory.
        assert.equal(split.pilExact, name === "all" ? 6 : 3, name);
        assert.deepEqual(split.pilDiffer, [], name);
        for (const item of split.items) {
          assert.deepEqual(item.shape, [3, 20, 24], item.path);
          assert.equal(loaded.classes[item.label], item.path.split("/")[1], item.path);
          assert.deepEqual(item.pixels, await sharpPixelsCHW(item.path), item.path);
        }
      }
    });
  }

  test("the ragged and encoded storages (h5py-written by the layout's description): each item as its source", () => {
    const seen = python<Record<string, unknown>>(`
import io, json, sys
sys.path.insert(0, sys.argv[1])
import h5py, numpy as np, torch
from PIL import Image
from h5dat_dataset import H5datDataset
rng = np.random.default_rng(21)
images = [rng.integers(0, 256, (h, w, c), dtype=np.uint8) for h, w, c in ((5, 7, 3), (9, 4, 3), (6, 6, 1), (3, 8, 3))]
labels, paths = [1, 0, -1, 1], ["a/x.png", "b/y.png", "c/z.png", "a/w.png"]
def ragged(g, name, strings):
    data = [s.encode() for s in strings]
    r = g.create_group(name)
    r["bytes"] = np.frombuffer(b"".join(data), dtype=np.uint8)
    r["offsets"] = np.concatenate([[0], np.cumsum([len(b) for b in data])]).astype(np.uint64)
    r.attrs["layout"] = "ragged-utf8"; r.attrs["layout_version"] = 1; r.attrs["shape"] = np.array([len(data)], dtype=np.uint64)
def png(image):
    out = io.BytesIO(); Image.fromarray(image[..., 0] if image.shape[2] == 1 else image).save(out, "PNG"); return out.getvalue()
vlen = h5py.vlen_dtype(np.uint8)
out = {}
for storage in ("ragged", "encoded"):
    path = sys.argv[2] + "/" + storage + ".h5"
    with h5py.File(path, "w") as f:
        g = f.create_group("set")
        g.attrs.update({"layout": "stacked", "stacked_version": 1, "image_storage": storage, "rows": 4, "class_names": ["a", "b"]})
        column = g.create_dataset("images", (4,), dtype=vlen)
        for r, image in enumerate(images):
            column[r] = image.flatten() if storage == "ragged" else np.frombuffer(png(image), dtype=np.uint8)
        if storage == "ragged":
            g["image_shapes"] = np.array([image.shape for image in images], dtype=np.uint32)
        else:
            ragged(g, "image_format", ["png"] * 4)
        g["labels"] = np.array(labels, dtype=np.int64)
        ragged(g, "paths", paths)
        g["source_size"] = np.zeros(4, dtype=np.uint64)
        g.create_group("splits")["train"] = np.array([0, 2, 3], dtype=np.int64)
    everything = H5datDataset(path)
    train = H5datDataset(path, group="/set", split="train")
    loaded = [item for item in torch.utils.data.DataLoader(everything, batch_size=None, num_workers=2)]
    # Encoded images decode to RGB (grey expanded), as the pixel storages keep them.
    want = [image if storage == "ragged" or image.shape[2] == 3 else np.repeat(image, 3, axis=2) for image in images]
    out[storage] = {
        "storage": everything.storage,
        "equal": [torch.equal(image, torch.from_numpy(w).permute(2, 0, 1)) for (image, _), w in zip(loaded, want)],
        "labels": [label for _, label in loaded],
        "trainPaths": [train.paths(i) for i in range(len(train))],
        "trainLabels": train.targets,
    }
print(json.dumps(out))`, EXAMPLES, dir);
    for (const storage of ["ragged", "encoded"]) {
      assert.deepEqual(seen[storage], {
        storage, equal: [true, true, true, true], labels: [1, 0, -1, 1], trainPaths: ["a/x.png", "c/z.png", "a/w.png"], trainLabels: [1, -1, 1],
      }, storage);
    }
  });

  test("as a script it describes the group and its first items; a wrong group or split is a clear error", () => {
    const output = path.join(dir, "pets-4.h5");
    const printed = execFileSync(PYTHON, [path.join(EXAMPLES, "h5dat_dataset.py"), output, "/pets", "val"], { encoding: "utf8" });
    assert.match(printed, /^\/pets split val: 13 items, fixed images, classes \['cat', 'dog', 'owl'\]/);
    assert.match(printed, /0: val\/cat\/cat_0\.png \(3, 20, 24\) torch\.uint8, label 0 cat/);
    const refused = python<string[]>(`import json, sys
sys.path.insert(0, sys.argv[1])
from h5dat_dataset import H5datDataset
said = []
for kwargs in ({"group": "/nope"}, {"group": "/pets", "split": "test"}):
    try:
        H5datDataset(sys.argv[2], **kwargs)
    except ValueError as e:
        said.append(str(e))
print(json.dumps(said))`, EXAMPLES, output);
    assert.match(refused[0], /\/nope is not a stacked group/);
    assert.match(refused[1], /\/pets has no split 'test' \(its splits: train, val\)/);
  });
});
