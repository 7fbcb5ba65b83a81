// The stacked reader (src/read/stacked.ts) against h5py: readBatch's images and labels equal
// h5py's images[sorted(set(idx))] put back in the asked order (random indices with duplicates,
// gzip and no compression), paths, splits and class counts equal h5py's; bad indices are a
// RangeError. Stacks that h5py writes in the same layout exercise the rest: other chunkings and
// filter pipelines (read through HDF5), and the ragged and encoded storages (readImages). The
// writer's own ragged and encoded stacks are read in a test of their own below.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { convert, File, openStack, parseSplitRule, type StackedGroup } from "../../src";
import { parseResize } from "../../src/processors/resize-spec";
import { PY_RAGGED, python, tempDir } from "../helpers/h5py";
import { imageFolderScript } from "../helpers/image-folder";

const dir = tempDir("h5dat-stacked-read-");
const tree = path.join(dir, "pets");

/** What h5py reads of a stack's rows `idx` (each distinct row once, ascending). */
interface Rows {
  rows: number[];
  images: number[][];
  labels: number[];
}

const READ_ROWS = `
import h5py, json, sys
g = h5py.File(sys.argv[1])[sys.argv[2]]
rows = sorted(set(json.loads(sys.argv[3])))
print(json.dumps({"rows": rows, "images": [g["images"][r].flatten().tolist() for r in rows] if rows else [], "labels": [int(g["labels"][r]) for r in rows]}))`;

const READ_FACTS = `${PY_RAGGED}
import h5py, json, sys, numpy as np
g = h5py.File(sys.argv[1])[sys.argv[2]]
labels = g["labels"][:]
print(json.dumps({
  "shape": list(g["images"].shape),
  "classes": [c.decode() if isinstance(c, bytes) else c for c in g.attrs["class_names"]],
  "paths": ragged(g["paths"]),
  "splits": {k: [int(x) for x in g["splits"][k][:]] for k in g["splits"]} if "splits" in g else {},
  "counts": [int((labels == i).sum()) for i in range(len(g.attrs["class_names"]))],
  "unlabelled": int((labels == -1).sum()),
}))`;

/** `count` random indices in [0, rows), from a seeded generator (the same every run), with duplicates. */
function randomIndices(count: number, rows: number, seed: number): number[] {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: count }, () => Math.floor(next() * rows));
}

/** Checks readBatch(indices) against h5py's rows. */
async function assertBatch(stack: StackedGroup, file: string, group: string, indices: number[]): Promise<void> {
  const batch = await stack.readBatch(indices);
  const want = python<Rows>(READ_ROWS, file, group, JSON.stringify(indices));
  const [h, w, c] = stack.imageShape;
  const size = h * w * c;
  assert.deepEqual(batch.shape, [indices.length, h, w, c]);
  assert.equal(batch.images.length, indices.length * size);
  assert.deepEqual(batch.indices, indices);
  indices.forEach((row, at) => {
    const k = want.rows.indexOf(row);
    assert.deepEqual(Array.from(batch.images.subarray(at * size, (at + 1) * size)), want.images[k], `row ${row} at ${at}`);
    assert.equal(batch.labels[at], want.labels[k], `label of row ${row}`);
  });
  assert.ok(batch.labels instanceof Int32Array);
}

before(() => {
  python(`${imageFolderScript({ seed: 11, perClass: { train: 5, val: 2 }, sides: [10, 30] })}
print("{}")`, tree);
});

for (const compression of ["gzip", "none"] as const) {
  describe(`a converted stack (${compression})`, () => {
    const output = path.join(dir, `pets-${compression}.h5`);
    let file: File;
    let stack: StackedGroup;
    before(async () => {
      await convert([tree], { output, layout: "stacked", resize: parseResize("12x10:fill"), compression });
      file = await File.open(output, "r");
      stack = await openStack(await file.group("pets"));
    });

    test("readBatch: random indices with duplicates equal h5py's rows in the asked order", async () => {
      assert.equal(stack.storage, "fixed");
      assert.deepEqual(stack.imageShape, [10, 12, 3]);
      await assertBatch(stack, output, "pets", randomIndices(40, stack.rows, 7));
      await assertBatch(stack, output, "pets", [stack.rows - 1, 0, 0, 3]);
      // A sequential pass (one read when uncompressed), and runs of neighbours with a duplicate.
      await assertBatch(stack, output, "pets", [4, 5, 6, 7]);
      await assertBatch(stack, output, "pets", [5, 6, 9, 10, 11, 5]);
    });

    test("rows, class names, paths, splits and class counts equal h5py's", async () => {
      const facts = python<{ shape: number[]; classes: string[]; paths: string[]; splits: Record<string, number[]>; counts: number[]; unlabelled: number }>(READ_FACTS, output, "pets");
      assert.equal(stack.rows, facts.shape[0]);
      assert.equal(stack.rows, 21);
      assert.deepEqual(stack.classNames, facts.classes);
      assert.deepEqual(stack.splitNames, ["train", "val"]);
      for (const name of stack.splitNames) assert.deepEqual(Array.from(await stack.split(name)), facts.splits[name]);
      const indices = randomIndices(15, stack.rows, 3);
      assert.deepEqual(await stack.paths(indices), indices.map((r) => facts.paths[r]));
      assert.deepEqual(await stack.paths([...facts.paths.keys()]), facts.paths);
      assert.deepEqual(await stack.classCounts(), { counts: facts.counts, unlabelled: facts.unlabelled });
      assert.deepEqual([stack.labelSource, stack.resize, stack.splitRule], ["dir", "12x10:fill", ""]);
      await assert.rejects(stack.split("test"), /has no split 'test' \(its splits: train, val\)/);
    });

    test("an empty batch, and indices out of range or not whole", async () => {
      const empty = await stack.readBatch([]);
      assert.deepEqual(empty.shape, [0, 10, 12, 3]);
      assert.deepEqual([empty.images.length, empty.labels.length, empty.indices.length], [0, 0, 0]);
      for (const bad of [-1, stack.rows, 1.5, Number.NaN]) {
        await assert.rejects(stack.readBatch([0, bad]), (error: unknown) => error instanceof RangeError && /out of range: \/pets has 21 rows, indices 0 to 20/.test(error.message));
      }
      await assert.rejects(stack.paths([99]), RangeError);
    });

    test("close, in either order with the file", async () => {
      await file.close();
      await stack.close();
      await assert.rejects(stack.readBatch([0]), /closed/);
    });
  });
}

/** Writes with h5py a stack in the layout convert writes, with images stored as `how` says. */
const WRITE_STACK = `
import h5py, json, sys, numpy as np
how = sys.argv[2]
rng = np.random.default_rng(4)
n = 9
f = h5py.File(sys.argv[1], "a")
g = f.create_group(how)
def ragged(name, texts):
    r = g.create_group(name)
    data = [t.encode() for t in texts]
    r["bytes"] = np.frombuffer(b"".join(data), dtype=np.uint8)
    r["offsets"] = np.cumsum([0] + [len(d) for d in data]).astype(np.uint64)
    r.attrs["layout"] = "ragged-utf8"; r.attrs["layout_version"] = 1; r.attrs["shape"] = np.array([n], dtype=np.int64)
vlen = h5py.vlen_dtype(np.uint8)
if how in ("shuffled", "two-per-chunk"):
    images = rng.integers(0, 256, (n, 6, 5, 3), dtype=np.uint8)
    if how == "shuffled":
        g.create_dataset("images", data=images, chunks=(1, 6, 5, 3), shuffle=True, fletcher32=True, compression="gzip")
    else:
        g.create_dataset("images", data=images, chunks=(2, 6, 5, 3), compression="gzip")
    g.attrs["image_shape"] = np.array([6, 5, 3], dtype=np.int64)
    out = {"pixels": [im.flatten().tolist() for im in images]}
elif how == "ragged":
    shapes = [(int(rng.integers(2, 7)), int(rng.integers(2, 7)), 3 if i % 3 else 1) for i in range(n)]
    pixels = [rng.integers(0, 256, s, dtype=np.uint8) for s in shapes]
    d = g.create_dataset("images", (n,), dtype=vlen)
    for i, p in enumerate(pixels): d[i] = p.flatten()
    g["image_shapes"] = np.array(shapes, dtype=np.uint32)
    g.attrs["image_storage"] = "ragged"
    out = {"pixels": [p.flatten().tolist() for p in pixels], "shapes": [list(s) for s in shapes]}
else:
    files = [bytes(rng.integers(0, 256, int(rng.integers(1, 40)), dtype=np.uint8)) for i in range(n)]
    d = g.create_dataset("images", (n,), dtype=vlen)
    for i, b in enumerate(files): d[i] = np.frombuffer(b, dtype=np.uint8)
    formats = ["jpeg" if i % 2 else "png" for i in range(n)]
    ragged("image_format", formats)
    g["image_shapes"] = np.array([[1, len(b), 1] for b in files], dtype=np.uint32)
    g.attrs["image_storage"] = "encoded"
    out = {"bytes": [list(b) for b in files], "formats": formats}
labels = np.array([i % 3 - 1 for i in range(n)], dtype=np.int64)
g["labels"] = labels
g["source_size"] = np.arange(n, dtype=np.uint64)
ragged("paths", [f"c{i % 3}/img{i}.png" for i in range(n)])
for k, v in dict(layout="stacked", stacked_version=1, rows=n, resize="", label_source="dir", split_rule="", seed=0).items(): g.attrs[k] = v
g.attrs["class_names"] = ["a", "b"]
out["labels"] = labels.tolist()
print(json.dumps(out))`;

describe("stacks written by h5py in the same layout", () => {
  const output = path.join(dir, "h5py-stacks.h5");
  const written: Record<string, { pixels?: number[][]; shapes?: number[][]; bytes?: number[][]; formats?: string[]; labels: number[] }> = {};
  before(() => {
    for (const how of ["shuffled", "two-per-chunk", "ragged", "encoded"]) written[how] = python(WRITE_STACK, output, how);
  });

  for (const how of ["shuffled", "two-per-chunk"]) {
    test(`fixed images ${how === "shuffled" ? "with shuffle and fletcher32 (read through HDF5)" : "two to a chunk (read by hyperslab)"}`, async () => {
      const file = await File.open(output, "r");
      const stack = await openStack(await file.group(how));
      try {
        const sequential = await stack.readBatch([3, 4, 5]);
        assert.deepEqual(Array.from(sequential.images), [3, 4, 5].flatMap((row) => written[how].pixels![row]));
        const indices = [8, 0, 3, 3, 5];
        const batch = await stack.readBatch(indices);
        assert.deepEqual(batch.shape, [5, 6, 5, 3]);
        indices.forEach((row, at) => assert.deepEqual(Array.from(batch.images.subarray(at * 90, (at + 1) * 90)), written[how].pixels![row]));
        assert.deepEqual(Array.from(batch.labels), indices.map((r) => written[how].labels[r]));
        const images = await stack.readImages([2]);
        assert.deepEqual([Array.from(images[0].data), images[0].shape], [written[how].pixels![2], [6, 5, 3]]);
      } finally {
        await stack.close();
        await file.close();
      }
    });
  }

  test("ragged images: readImages gives each with its shape; readBatch says to use it", async () => {
    const file = await File.open(output, "r");
    const stack = await openStack(await file.group("ragged"));
    try {
      assert.deepEqual([stack.storage, stack.imageShape, stack.rows], ["ragged", [], 9]);
      const indices = [4, 1, 4, 8];
      const images = await stack.readImages(indices);
      indices.forEach((row, at) => {
        assert.deepEqual(Array.from(images[at].data), written.ragged.pixels![row]);
        assert.deepEqual(images[at].shape, written.ragged.shapes![row]);
      });
      await assert.rejects(stack.readBatch([0]), /are of several shapes \(ragged\): readImages\(\) gives them one by one/);
      assert.ok(images.every((image) => image.format === ""));
      assert.deepEqual(await stack.paths([5]), ["c2/img5.png"]);
    } finally {
      await stack.close();
      await file.close();
    }
  });

  test("encoded images: readImages gives each file's bytes, shape as stored and format", async () => {
    const file = await File.open(output, "r");
    const stack = await openStack(await file.group("encoded"));
    try {
      const indices = [7, 0, 2];
      const images = await stack.readImages(indices);
      indices.forEach((row, at) => assert.deepEqual([Array.from(images[at].data), images[at].shape, images[at].format], [written.encoded.bytes![row], [1, written.encoded.bytes![row].length, 1], written.encoded.formats![row]]));
      await assert.rejects(stack.readBatch([0]), /are the files' own bytes: readImages\(\) gives them one by one/);
      assert.deepEqual(await stack.classCounts(), { counts: [3, 3], unlabelled: 3 });
    } finally {
      await stack.close();
      await file.close();
    }
  });

  test("a group that is not a stack is refused by name", async () => {
    const file = await File.open(output, "r");
    try {
      await assert.rejects(openStack(await file.group("encoded/paths")), /'\/encoded\/paths' is not a stacked group/);
    } finally {
      await file.close();
    }
  });
});

test("splits from a --split rule are read back as h5py has them", async () => {
  const output = path.join(dir, "pets-split.h5");
  await convert([path.join(tree, "train")], { output, layout: "stacked", resize: parseResize("8x8"), split: parseSplitRule("a=0.5,b=0.5"), seed: 2 });
  const file = await File.open(output, "r");
  const stack = await openStack(await file.group("train"));
  try {
    const facts = python<{ splits: Record<string, number[]> }>(READ_FACTS, output, "train");
    assert.deepEqual(stack.splitNames, Object.keys(facts.splits).sort());
    for (const name of stack.splitNames) assert.deepEqual(Array.from(await stack.split(name)), facts.splits[name]);
    assert.equal(stack.splitRule, "a=0.5,b=0.5");
    assert.equal(stack.seed, 2);
  } finally {
    await stack.close();
    await file.close();
  }
});

test("the writer's own ragged and encoded stacks: readImages equals h5py's rows, PIL's pixels and the files' bytes", async () => {
  const mixed = path.join(dir, "mixed");
  python(`import sys, os, numpy as np
from PIL import Image
rng = np.random.default_rng(21)
for cls in ("a", "b"):
    os.makedirs(f"{sys.argv[1]}/{cls}", exist_ok=True)
    for i in range(3):
        Image.fromarray(rng.integers(0, 256, (int(rng.integers(3, 9)), int(rng.integers(3, 9)), 3), dtype=np.uint8)).save(f"{sys.argv[1]}/{cls}/{i}.png")
Image.fromarray(rng.integers(0, 256, (4, 5), dtype=np.uint8)).save(f"{sys.argv[1]}/b/grey.png")
print("{}")`, mixed);
  for (const images of ["pixels", "encoded"] as const) {
    const output = path.join(dir, `mixed-${images}.h5`);
    await convert([mixed], { output, layout: "stacked", images });
    const truth = python<{ storage: string; paths: string[]; rows: number[][]; shapes: number[][]; formats: string[] | null }>(`${PY_RAGGED}
import h5py, json, sys
g = h5py.File(sys.argv[1])["mixed"]
print(json.dumps({"storage": g.attrs["image_storage"], "paths": ragged(g["paths"]), "rows": [x.tolist() for x in g["images"][:]],
  "shapes": g["image_shapes"][:].tolist(), "formats": ragged(g["image_format"]) if "image_format" in g else None}))`, output);
    const file = await File.open(output, "r");
    const stack = await openStack(await file.group("mixed"));
    try {
      assert.equal(stack.storage, images === "pixels" ? "ragged" : "encoded");
      assert.equal(truth.storage, stack.storage);
      const indices = [6, 0, 3, 6];
      const read = await stack.readImages(indices);
      indices.forEach((row, at) => {
        assert.deepEqual([Array.from(read[at].data), read[at].shape, read[at].format], [truth.rows[row], truth.shapes[row], truth.formats?.[row] ?? ""]);
        if (images === "encoded") assert.deepEqual(Buffer.from(read[at].data), fs.readFileSync(path.join(mixed, truth.paths[row])));
      });
      if (images === "pixels") {
        // Each ragged row is PIL's pixels of its file, in the file's own channels.
        const pil = python<number[][]>(`import sys, json, numpy as np
from PIL import Image
print(json.dumps([np.asarray(Image.open(p)).flatten().tolist() for p in sys.argv[1:]]))`, ...indices.map((row) => path.join(mixed, truth.paths[row])));
        indices.forEach((_, at) => assert.deepEqual(Array.from(read[at].data), pil[at]));
      }
    } finally {
      await stack.close();
      await file.close();
    }
  }
});
