// Virtual datasets (Group.createVirtualDataset, Dataset.virtualSources): three shard files written
// by h5dat, and a master whose datasets concatenate theirs along axis 0 by relative file names.
// The directory is then renamed and read from another working directory: by Debian's h5py (HDF5
// 1.10.8, which also shows that the master opens there) and by h5dat. HDF5 looks for a relative
// source in the master's own directory (before the working directory), so the pair moves freely.
// A shard gone missing reads as the fill value in h5py; h5dat refuses to read, naming it. Bad
// mappings are refused and nothing is made.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, test } from "node:test";
import { File, H5Error, type CompoundDtype, type Dtype, type VirtualSource } from "../../src";
import { toTypeSpec } from "../../src/h5/dtype";
import { native } from "../../src/native/addon";
import { python, tempDir } from "../helpers/h5py";

const root = tempDir("h5dat-vds-");
const made = path.join(root, "made");
const moved = path.join(root, "moved");
const ROWS = [2, 3, 4];
const TOTAL = ROWS.reduce((a, b) => a + b, 0);
const FIRST = ROWS.map((_, i) => ROWS.slice(0, i).reduce((a, b) => a + b, 0));
const IMAGE = [4, 5, 3];
const IMAGE_SIZE = 4 * 5 * 3;
const RECORD: CompoundDtype = { kind: "compound", fields: [{ name: "id", dtype: "int32" }, { name: "score", dtype: "float64" }] };
const BLOB: Dtype = { kind: "vlen", base: "uint8" };
const FILL = { image: 255, label: -1n, record: { id: -1, score: -1.5 } };

// Values by global row, so a shard holds rows FIRST[i] .. FIRST[i] + ROWS[i] - 1 of the whole.
const imageRows = (from: number, to: number) => Uint8Array.from({ length: (to - from) * IMAGE_SIZE }, (_, k) => (from * IMAGE_SIZE + k) % 251);
const labelRows = (from: number, to: number) => BigInt64Array.from({ length: to - from }, (_, k) => BigInt(from + k) * 1_000_000_007n - 3n);
const recordRows = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => ({ id: from + k, score: (from + k) / 4 }));
const blobRows = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => Uint8Array.from({ length: (from + k) % 4 }, (_, j) => from + k + j));

/** The four mappings of the master: one per dataset and shard, shard i at its first global row. */
function sourcesOf(name: string, rowShape: number[]): VirtualSource[] {
  return ROWS.map((rows, i) => ({ file: `shard${i}.h5`, dataset: `/${name}`, start: [FIRST[i], ...rowShape.map(() => 0)], shape: [rows, ...rowShape] }));
}

async function writeShards(): Promise<void> {
  fs.mkdirSync(made);
  for (const [i, rows] of ROWS.entries()) {
    const [from, to] = [FIRST[i], FIRST[i] + rows];
    const f = await File.open(path.join(made, `shard${i}.h5`), "w");
    await f.createDataset("images", { dtype: "uint8", shape: [rows, ...IMAGE], chunks: [1, ...IMAGE], compression: "gzip", data: imageRows(from, to) });
    await f.createDataset("labels", { dtype: "int64", data: labelRows(from, to) });
    await f.createDataset("records", { dtype: RECORD, shape: [rows], data: recordRows(from, to) });
    await f.createDataset("blobs", { dtype: BLOB, shape: [rows], data: blobRows(from, to) });
    await f.close();
  }
}

async function writeMaster(): Promise<void> {
  const f = await File.open(path.join(made, "master.h5"), "w");
  const images = await f.createVirtualDataset("images", { dtype: "uint8", shape: [TOTAL, ...IMAGE], fillvalue: FILL.image, sources: sourcesOf("images", IMAGE) });
  assert.equal(images.layout, "virtual");
  assert.deepEqual(images.shape, [TOTAL, ...IMAGE]);
  await f.createVirtualDataset("labels", { dtype: "int64", shape: [TOTAL], maxshape: [null], fillvalue: FILL.label, sources: sourcesOf("labels", []) });
  await f.createVirtualDataset("records", { dtype: RECORD, shape: [TOTAL], fillvalue: FILL.record, sources: sourcesOf("records", []) });
  // The Sync form; HDF5 1.10 and 1.14 map variable-length sequences as any other type.
  f.createVirtualDatasetSync("blobs", { dtype: BLOB, shape: [TOTAL], sources: sourcesOf("blobs", []) });
  await f.close();
}

before(async () => {
  await writeShards();
  await writeMaster();
  fs.renameSync(made, moved);
});

/** h5py's reading of a master, from `cwd`: each dataset's values, and whether it equals numpy.concatenate of the shards'. */
function readWithH5py(master: string, cwd: string) {
  return python<{
    hdf5: string;
    cwd: string;
    virtual: boolean[];
    concatenated: boolean[];
    images: number[];
    labels: string[];
    records: [number, number][];
    blobs: number[][];
    sources: string[][];
  }>(
    String.raw`import h5py, json, os, sys, numpy as np
os.chdir(sys.argv[2])
names = ["images", "labels", "records", "blobs"]
with h5py.File(sys.argv[1], "r") as f:
    def concatenated(name):
        parts = []
        for i in range(3):
            path = os.path.join(os.path.dirname(sys.argv[1]), f"shard{i}.h5")
            if not os.path.exists(path): return None
            with h5py.File(path, "r") as s: parts.append(s[name][()])
        whole = np.concatenate(parts)
        got = f[name][()]
        if name == "blobs": return len(got) == len(whole) and all(np.array_equal(a, b) for a, b in zip(got, whole))
        return bool(np.array_equal(got, whole))
    print(json.dumps({
        "hdf5": h5py.version.hdf5_version, "cwd": os.getcwd(),
        "virtual": [f[n].is_virtual for n in names],
        "concatenated": [concatenated(n) for n in names],
        "images": f["images"][()].ravel().tolist(),
        "labels": [str(v) for v in f["labels"][()]],
        "records": [[int(r["id"]), float(r["score"])] for r in f["records"][()]],
        "blobs": [b.tolist() for b in f["blobs"][()]],
        "sources": [[s.file_name, s.dset_name] for s in f["labels"].virtual_sources()],
    }))`,
    master,
    cwd,
  );
}

test("h5py (HDF5 1.10.8) reads the moved master from another working directory as numpy.concatenate of the shards", () => {
  const read = readWithH5py(path.join(moved, "master.h5"), root);
  assert.match(read.hdf5, /^1\.10\./);
  assert.notEqual(read.cwd, moved);
  assert.deepEqual(read.virtual, [true, true, true, true]);
  assert.deepEqual(read.concatenated, [true, true, true, true]);
  assert.deepEqual(read.images, Array.from(imageRows(0, TOTAL)));
  assert.deepEqual(read.labels, Array.from(labelRows(0, TOTAL), String));
  assert.deepEqual(read.records, recordRows(0, TOTAL).map((r) => [r.id, r.score]));
  assert.deepEqual(read.blobs, blobRows(0, TOTAL).map((b) => Array.from(b)));
  assert.deepEqual(read.sources, ROWS.map((_, i) => [`shard${i}.h5`, "/labels"]), "the names are stored relative, as given");
});

test("h5dat reads it back whole and across shard boundaries, from a relative path and after a chdir", async () => {
  const home = process.cwd();
  process.chdir(root);
  const f = await File.open("moved/master.h5", "r", { external: "follow" });
  process.chdir(home);
  try {
    const images = await f.dataset("images");
    assert.deepEqual((await images.read()).data, imageRows(0, TOTAL));
    const across = await images.read("1:6");
    assert.deepEqual(across.shape, [5, ...IMAGE]);
    assert.deepEqual(across.data, imageRows(1, 6));
    assert.deepEqual((await images.read("4, 1:3, :, 2")).data, Uint8Array.from([1, 2].flatMap((y) => [0, 1, 2, 3, 4].map((x) => (4 * IMAGE_SIZE + y * 15 + x * 3 + 2) % 251))));
    const labels = f.datasetSync("labels");
    assert.deepEqual(labels.readSync().data, labelRows(0, TOTAL));
    assert.deepEqual(labels.readSync("1:8").data, labelRows(1, 8));
    assert.deepEqual(labels.maxshape, [null]);
    assert.deepEqual((await (await f.dataset("records")).read("1:3")).data, recordRows(1, 3));
    assert.deepEqual((await (await f.dataset("blobs")).read()).data, blobRows(0, TOTAL));
    assert.deepEqual((await (await f.dataset("blobs")).read("3:5")).data, blobRows(3, 5));
  } finally {
    await f.close();
  }
});

test("virtualSources() gives the mappings as made; a dataset that is not virtual has none", async () => {
  const f = await File.open(path.join(moved, "master.h5"), "r");
  try {
    const images = await f.dataset("images");
    assert.equal(images.layout, "virtual");
    assert.match(images.outside ?? "", /^virtual dataset sources 'shard0\.h5:\/images', 'shard1\.h5:\/images', 'shard2\.h5:\/images'$/);
    assert.deepEqual(await images.virtualSources(), sourcesOf("images", IMAGE));
    assert.deepEqual((await f.dataset("blobs")).virtualSourcesSync(), sourcesOf("blobs", []));
    // Reading needs { external: "follow" }: the sources are other files.
    await assert.rejects(images.read(), /not read: its values are virtual dataset sources/);
  } finally {
    await f.close();
  }
  const shard = await File.open(path.join(moved, "shard1.h5"), "r");
  assert.deepEqual(await (await shard.dataset("labels")).virtualSources(), []);
  await shard.close();
});

test("a missing shard reads as the fill value in h5py (HDF5 gives no error); h5dat refuses, naming the file", async () => {
  const missing = path.join(root, "missing");
  fs.cpSync(moved, missing, { recursive: true });
  fs.rmSync(path.join(missing, "shard1.h5"));
  const [from, to] = [FIRST[1], FIRST[1] + ROWS[1]];
  const images = imageRows(0, TOTAL).fill(FILL.image, from * IMAGE_SIZE, to * IMAGE_SIZE);
  const labels = labelRows(0, TOTAL).fill(FILL.label, from, to);
  const records = recordRows(0, TOTAL).map((r, row) => (row >= from && row < to ? FILL.record : r));
  const blobs = blobRows(0, TOTAL).map((b, row) => (row >= from && row < to ? new Uint8Array(0) : b));

  const read = readWithH5py(path.join(missing, "master.h5"), root);
  assert.deepEqual(read.concatenated, [null, null, null, null]);
  assert.deepEqual(read.images, Array.from(images));
  assert.deepEqual(read.labels, Array.from(labels, String));
  assert.deepEqual(read.records, records.map((r) => [r.id, r.score]));
  assert.deepEqual(read.blobs, blobs.map((b) => Array.from(b)));

  const f = await File.open(path.join(missing, "master.h5"), "r", { external: "follow" });
  try {
    for (const name of ["images", "labels", "records", "blobs"]) {
      const dataset = await f.dataset(name);
      await assert.rejects(dataset.read(), (error: Error) => error instanceof H5Error && /the source file 'shard1\.h5' of this virtual dataset is missing/.test(error.message) && error.message.includes(`/${name}`));
      assert.throws(() => dataset.readSync(), /'shard1\.h5'/, "even rows of shards that are there: a missing source is a broken master");
    }
  } finally {
    await f.close();
  }
});

test('sources in the same file ("."): read without following anything, an empty source maps nothing', async () => {
  const file = path.join(root, "own.h5");
  const f = await File.open(file, "w");
  await f.createDataset("parts/a", { dtype: "float32", data: Float32Array.from([1, 2, 3]) });
  await f.createDataset("parts/b", { dtype: "float32", data: Float32Array.from([4, 5]) });
  await f.createDataset("parts/none", { dtype: "float32", shape: [0] });
  const sources: VirtualSource[] = [
    { file: ".", dataset: "parts/a", start: [0], shape: [3] },
    { file: ".", dataset: "parts/none", start: [3], shape: [0] },
    { file: ".", dataset: "/parts/b", start: [4], shape: [2] },
  ];
  const whole = await f.createVirtualDataset("whole", { dtype: "float32", shape: [6], fillvalue: -9, sources });
  assert.deepEqual(await whole.virtualSources(), [sources[0], sources[2]], "the empty one is checked, not stored");
  await f.close();
  const back = await File.open(file, "r");
  assert.deepEqual((await (await back.dataset("whole")).read()).data, Float32Array.from([1, 2, 3, -9, 4, 5]));
  await back.close();
  assert.deepEqual(python(`import h5py, json, sys\nprint(json.dumps(h5py.File(sys.argv[1], "r")["whole"][()].tolist()))`, file), [1, 2, 3, -9, 4, 5]);
});

test("a '%' in a source name is stored as HDF5 wants it ('%%'), and read back as given", async () => {
  const dir = path.join(root, "percent");
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(moved, "shard2.h5"), path.join(dir, "100%b.h5"));
  const file = path.join(dir, "master.h5");
  const f = await File.open(file, "w");
  const sources: VirtualSource[] = [{ file: "100%b.h5", dataset: "labels", start: [1], shape: [ROWS[2]] }];
  const labels = await f.createVirtualDataset("labels", { dtype: "int64", shape: [ROWS[2] + 1], sources });
  assert.deepEqual(await labels.virtualSources(), sources);
  await f.close();
  const read = python<{ values: string[]; file: string }>(
    `import h5py, json, sys\nd = h5py.File(sys.argv[1], "r")["labels"]\nprint(json.dumps({"values": [str(v) for v in d[()]], "file": d.virtual_sources()[0].file_name}))`,
    file,
  );
  assert.deepEqual(read, { values: ["0", ...Array.from(labelRows(FIRST[2], TOTAL), String)], file: "100%%b.h5" });
});

test("bad mappings are refused with an H5Error and leave no dataset: shape, rank, block, dtype, missing source", async () => {
  const file = path.join(moved, "bad.h5");
  const f = await File.open(file, "w");
  const labels = (change: Partial<VirtualSource>): VirtualSource[] => [{ ...sourcesOf("labels", [])[0], ...change }];
  const refused = async (options: Parameters<typeof f.createVirtualDataset>[1], pattern: RegExp) => {
    await assert.rejects(f.createVirtualDataset("bad", options), (error: unknown) => {
      assert.ok(error instanceof H5Error, `an H5Error, not ${String(error)}`);
      assert.match(error.message, pattern);
      return true;
    });
    assert.equal(await f.has("bad"), false);
  };
  try {
    await refused({ dtype: "int64", shape: [TOTAL], sources: labels({ shape: [3] }) }, /virtual source 'shard0\.h5:\/labels' has shape \[2\], mapped as \[3\]/);
    await refused({ dtype: "int64", shape: [TOTAL], sources: labels({ start: [0, 0], shape: [2, 1] }) }, /start must have 1 axes, as the dataset/);
    await refused({ dtype: "int64", shape: [TOTAL, 2], sources: labels({ start: [0, 0], shape: [2, 2] }) }, /has shape \[2\], mapped as \[2, 2\]/);
    await refused({ dtype: "int64", shape: [TOTAL], sources: labels({ start: [8] }) }, /block \[8\] \+ \[2\] ends past the shape \[9\]/);
    await refused({ dtype: "int64", shape: [TOTAL], sources: labels({ start: [-1] }) }, /start \[-1\] must be non-negative integers/);
    await refused({ dtype: "string", shape: [TOTAL], sources: labels({}) }, /'shard0\.h5:\/labels' has a type HDF5 cannot convert/);
    await refused({ dtype: "int64", shape: [TOTAL], sources: labels({ file: "nowhere.h5" }) }, /cannot open virtual source 'nowhere\.h5:\/labels' \(as '.*\/moved\/nowhere\.h5'\).*No such file/);
    await refused({ dtype: "int64", shape: [TOTAL], sources: labels({ dataset: "/nothing" }) }, /cannot open virtual source 'shard0\.h5:\/nothing'/);
    assert.throws(() => f.createVirtualDatasetSync("bad", { dtype: "no-such-type" as never, shape: [TOTAL], sources: [] }), /no-such-type/);
    // The binding's own guard, below the TypeScript checks: a rank mismatch is a TypeError, not a crash.
    assert.throws(
      () => native.virtualDatasetCreateSync(f.openHandle, "bad", toTypeSpec("int64"), [TOTAL], null, labels({ start: [0, 0] }), undefined),
      (error: unknown) => error instanceof TypeError && /start must have one index per axis \(1\)/.test(error.message),
    );
    assert.equal(await f.has("bad"), false);
    await f.createVirtualDataset("good", { dtype: "int32", shape: [TOTAL], sources: labels({}) });
  } finally {
    await f.close();
  }
  await assert.rejects(f.createVirtualDataset("late", { dtype: "int64", shape: [TOTAL], sources: labels({}) }), H5Error, "a closed file is refused");
  assert.deepEqual(python(`import h5py, json, sys\nprint(json.dumps(list(h5py.File(sys.argv[1], "r").keys())))`, file), ["good"]);
});
