// Entries too large to hold stream into their datasets chunk by chunk, whatever block sizes the
// source delivers; a later entry with an earlier one's name fails without touching it; and a
// failed entry leaves no partial dataset behind.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-large-");

// 40 MiB + 12345 bytes of varied data (compressible, but not trivially): more than one entry is
// ever read whole, and not a whole number of 1 MiB chunks. Also a tar.gz holding it, a small JSON
// and, twice, an entry of one name.
const made = python<{ size: number; sha: string; big: string; tar: string; zip: string }>(`import hashlib, io, json, os, sys, tarfile, zipfile
import numpy as np
d = sys.argv[1]
rng = np.random.default_rng(7)
size = 40 * 1024 * 1024 + 12345
data = (rng.integers(0, 16, size, dtype=np.uint8) * np.arange(size, dtype=np.uint64).astype(np.uint8) % 251).astype(np.uint8).tobytes()
os.makedirs(f"{d}/tree/blobs", exist_ok=True)
big = f"{d}/tree/blobs/big.bin"
open(big, "wb").write(data)
open(f"{d}/tree/small.json", "w").write('{"a": 1}')
def add(t, name, payload):
    info = tarfile.TarInfo(name); info.size = len(payload); t.addfile(info, io.BytesIO(payload))
with tarfile.open(f"{d}/pack.tar.gz", "w:gz") as t:
    add(t, "blobs/big.bin", data)
    add(t, "small.json", b'{"a": 1}')
    add(t, "twice.txt", b"first")
    add(t, "twice.txt", b"second, longer")
with zipfile.ZipFile(f"{d}/pack.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("blobs/big.bin", data)
print(json.dumps({"size": size, "sha": hashlib.sha256(data).hexdigest(), "big": big, "tar": f"{d}/pack.tar.gz", "zip": f"{d}/pack.zip"}))`, dir);

const READ = `import h5py, hashlib, json, sys
f = h5py.File(sys.argv[1], "r")
out = {}
for path in sys.argv[2:]:
    ds = f[path]
    out[path] = {"sha": hashlib.sha256(ds[()].tobytes()).hexdigest(), "shape": list(ds.shape), "chunks": list(ds.chunks or []),
                 "compression": ds.compression, "maxshape": [m if m is not None else -1 for m in ds.maxshape],
                 "source_size": int(ds.attrs["source_size"]), "processor": ds.attrs["processor"]}
m = f["_h5dat/manifest"][()]
out["manifest"] = [{n: (r[n].decode() if isinstance(r[n], bytes) else int(r[n])) for n in m.dtype.names} for r in m]
print(json.dumps(out))`;

interface StoredBytes {
  sha: string;
  shape: number[];
  chunks: number[];
  compression: string | null;
  maxshape: number[];
  source_size: number;
  processor: string;
}
type Read = Record<string, StoredBytes> & { manifest: { source_path: string; target: string; status: string; bytes: number; message: string }[] };
type Rows = { path: string; status: string; message: string }[];

test("a large entry streams into a chunked, compressed dataset equal to the file, from a directory, a tar.gz and a zip", async () => {
  for (const [input, group] of [[path.join(dir, "tree"), "tree"], [made.tar, "pack"], [made.zip, "pack"]]) {
    const output = path.join(dir, `${path.basename(input)}.h5`);
    await convert([input], { output, workers: 0 });
    const target = `/${group}/blobs/big.bin`;
    const read = python<Read>(READ, output, target);
    assert.deepEqual(read[target], {
      sha: made.sha, shape: [made.size], chunks: [1 << 20], compression: "gzip", maxshape: [-1], source_size: made.size, processor: "bytes",
    }, input);
    const row = read.manifest.find((r) => r.source_path === "blobs/big.bin")!;
    assert.deepEqual([row.status, row.bytes, row.target], ["written", made.size, target], input);
  }
});

test("uncompressed, the streamed dataset is chunked and equal too", async () => {
  const output = path.join(dir, "none.h5");
  await convert([made.tar], { output, workers: 0, compression: "none" });
  const read = python<Read>(READ, output, "/pack/blobs/big.bin");
  assert.equal(read["/pack/blobs/big.bin"].sha, made.sha);
  assert.equal(read["/pack/blobs/big.bin"].compression, null);
});

test("a second entry of the same name fails and leaves the first one's dataset as it was", async () => {
  const output = path.join(dir, "twice.h5");
  const summary = await convert([made.tar], { output, workers: 0 });
  assert.deepEqual([summary.entries, summary.written, summary.failed], [4, 3, 1]);
  const read = python<{ value: string; manifest: Rows }>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
m = f["_h5dat/manifest"][()]
print(json.dumps({"value": f["pack/twice.txt"][()].tobytes().decode(), "manifest": [{"path": r["source_path"].decode(), "status": r["status"].decode(), "message": r["message"].decode()} for r in m]}))`, output);
  assert.equal(read.value, "first");
  const rows = read.manifest.filter((r) => r.path === "twice.txt");
  assert.deepEqual(rows.map((r) => r.status), ["written", "failed"]);
  assert.match(rows[1].message, /'\/pack\/twice\.txt' was already written by an earlier entry of the same name/);
});

test("an archive cut off inside a large entry fails that entry, and no partial dataset is left", async () => {
  const cut = path.join(dir, "cut.tar.gz");
  python(`import sys
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(data[: len(data) // 2])
print("[]")`, made.tar, cut);
  const output = path.join(dir, "cut.h5");
  const summary = await convert([cut], { output, workers: 0 });
  assert.equal(summary.written, 0);
  const read = python<{ exists: boolean; rows: Rows }>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
m = f["_h5dat/manifest"][()]
print(json.dumps({"exists": "cut/blobs/big.bin" in f, "rows": [{"path": r["source_path"].decode(), "status": r["status"].decode(), "message": r["message"].decode()} for r in m]}))`, output);
  assert.equal(read.exists, false);
  const big = read.rows.find((r) => r.path === "blobs/big.bin")!;
  assert.equal(big.status, "failed");
  assert.match(big.message, /cut\.tar\.gz/);
  assert.ok(read.rows.every((r) => r.status === "failed"), JSON.stringify(read.rows));
});
