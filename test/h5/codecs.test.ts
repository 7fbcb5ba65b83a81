// The codecs beyond gzip (issue 22) against the Python side: h5py reads what h5dat writes through
// h5dat's plugin folder alone (before hdf5plugin is imported), and h5dat reads what h5py +
// hdf5plugin write (Debian's blosc and lz4 plugins; zstd and bitshuffle, which Debian lacks,
// through h5dat's plugins, whose set_local then runs inside h5py's HDF5), every setting × dtype
// × a shape with edge chunks × a fill value; the stored filter IDs and cd_values equal
// hdf5plugin's for the same settings. Then a filter h5dat lacks, corrupt chunks, and chunks that
// claim huge sizes: clear errors, on both read paths (chunk-parallel and HDF5's own).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { before, describe, test } from "node:test";
import { File, H5Error, dtype, type Dataset, type Dtype } from "../../src";
import { pluginPath } from "../../src/native/plugin-path";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-codecs-");
const SETTINGS = ["zstd:5", "lz4", "blosc:blosclz:5:shuffle", "blosc:lz4:5:shuffle", "blosc:lz4hc:9:noshuffle", "blosc:zlib:1:bitshuffle", "blosc:zstd:3:bitshuffle", "bitshuffle:none", "bitshuffle:lz4", "bitshuffle:zstd:4"];
const DTYPES = ["uint8", "int16", "float32", "float64", "compound"] as const;
type DtypeName = (typeof DTYPES)[number];
/** 103 × 29 in chunks of 16 × 8: the last chunk row and column are edge chunks. */
const SHAPE = [103, 29];
const CHUNKS = [16, 8];
/** 50 × 20 with only its first chunk written: the rest reads as the fill value 7. */
const FILL_SHAPE = [50, 20];
const FILL = 7;

/** Where Debian's hdf5-filter-plugin packages put their filters (HDF5's default plugin folder). */
const DEBIAN_PLUGINS = "/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins";

const COMPOUND = dtype.compound({ a: "int32", b: "float64" });

/** The values of element i, the same formulas as the Python side's (exact in both). */
function values(name: DtypeName, n: number): unknown {
  const index = Array.from({ length: n }, (_, i) => i);
  switch (name) {
    case "uint8": return Uint8Array.from(index, (i) => (i * 37) % 251);
    case "int16": return Int16Array.from(index, (i) => ((i * 7919) % 65536) - 32768);
    case "float32": return Float32Array.from(index, (i) => (i % 1000) * 0.25 - 100);
    case "float64": return Float64Array.from(index, (i) => i * 0.5 - 1e6 + i / 1024);
    case "compound": return { a: Int32Array.from(index, (i) => i * 3 - 5000), b: Float64Array.from(index, (i) => i / 8) };
  }
}
const dtypeOf = (name: DtypeName): Dtype => (name === "compound" ? COMPOUND : name);
const label = (setting: string, name: DtypeName, fill = false) => `${setting.replace(/:/g, "_")}-${name}${fill ? "-fill" : ""}`;

const PY_VALUES = `
import numpy as np
def values(name, n):
    i = np.arange(n, dtype=np.int64)
    if name == "uint8": return ((i * 37) % 251).astype("u1")
    if name == "int16": return (((i * 7919) % 65536) - 32768).astype("<i2")
    if name == "float32": return ((i % 1000) * 0.25 - 100).astype("<f4")
    if name == "float64": return (i * 0.5 - 1e6 + i / 1024).astype("<f8")
    out = np.zeros(n, dtype=[("a", "<i4"), ("b", "<f8")])
    out["a"] = i * 3 - 5000; out["b"] = i / 8
    return out
def expected(name, shape, fill):
    if not fill: return values(name, shape[0] * shape[1]).reshape(shape)
    out = np.full(shape, 7, dtype=values(name, 1).dtype)
    out[0:16, 0:8] = values(name, 128).reshape(16, 8)
    return out
def filters(d):
    plist = d.id.get_create_plist()
    return [[int(f[0]), [int(v) for v in f[2]]] for f in (plist.get_filter(k) for k in range(plist.get_nfilters()))]
`;

/** hdf5plugin's keyword arguments for each setting: what a Python user writes. */
const PY_PLUGIN_ARGS = `
import hdf5plugin
B = hdf5plugin.Blosc
SHUF = {"noshuffle": B.NOSHUFFLE, "shuffle": B.SHUFFLE, "bitshuffle": B.BITSHUFFLE}
def plugin_args(setting):
    p = setting.split(":")
    if p[0] == "zstd": return hdf5plugin.Zstd(clevel=int(p[1]))
    if p[0] == "lz4": return hdf5plugin.LZ4()
    if p[0] == "blosc": return hdf5plugin.Blosc(cname=p[1], clevel=int(p[2]), shuffle=SHUF[p[3]])
    if p[1] == "zstd": return hdf5plugin.Bitshuffle(cname="zstd", clevel=int(p[2]))
    return hdf5plugin.Bitshuffle(cname=p[1])
`;

interface PythonSide {
  /** Per dataset of h5dat's file: whether h5py read it equal. */
  read: Record<string, boolean>;
  /** Per dataset: [filter id, cd_values] as stored by h5dat and by h5py + hdf5plugin. */
  ours: Record<string, [number, number[]][]>;
  theirs: Record<string, [number, number[]][]>;
  /** The filter names h5py + hdf5plugin stored (who wrote them). */
  theirNames: Record<string, string[]>;
}

describe("codecs: h5dat ↔ h5py + hdf5plugin", () => {
  const ours = path.join(dir, "h5dat.h5");
  const theirs = path.join(dir, "hdf5plugin.h5");
  let side: PythonSide;

  before(async () => {
    const f = await File.open(ours, "w");
    for (const setting of SETTINGS) {
      for (const name of DTYPES) {
        await (await f.createDataset(label(setting, name), { data: values(name, SHAPE[0] * SHAPE[1]), dtype: dtypeOf(name), shape: SHAPE, chunks: CHUNKS, compression: setting })).close();
        if (name === "compound") continue;
        const filled = await f.createDataset(label(setting, name, true), { dtype: dtypeOf(name), shape: FILL_SHAPE, chunks: CHUNKS, compression: setting, fillvalue: FILL });
        await filled.write(values(name, 128), "0:16, 0:8");
        await filled.close();
      }
    }
    await f.close();
    const read = python<Pick<PythonSide, "read" | "ours">>(`
import os, sys, json
os.environ["HDF5_PLUGIN_PATH"] = sys.argv[1]
import h5py
${PY_VALUES}
out = {"read": {}, "ours": {}}
with h5py.File(sys.argv[2], "r") as f:
    for name in f:
        d = f[name]
        fill = name.endswith("-fill")
        dname = name.split("-")[1]
        out["read"][name] = bool(np.array_equal(d[()], expected(dname, d.shape, fill)))
        out["ours"][name] = filters(d)
print(json.dumps(out))
`, pluginPath(), ours);
    // A second process, as a Debian user runs it: Debian's plugin folder first (its blosc and
    // lz4 filters, which Debian's hdf5plugin uses), h5dat's after it (zstd and bitshuffle).
    const written = python<Pick<PythonSide, "theirs" | "theirNames">>(`
import os, sys, json
os.environ["HDF5_PLUGIN_PATH"] = sys.argv[1]
${PY_PLUGIN_ARGS}
import h5py
${PY_VALUES}
settings, dtypes = json.loads(sys.argv[3]), json.loads(sys.argv[4])
out = {"theirs": {}, "theirNames": {}}
with h5py.File(sys.argv[2], "w") as f:
    for setting in settings:
        for dname in dtypes:
            base = setting.replace(":", "_")
            v = values(dname, 103 * 29).reshape(103, 29)
            d = f.create_dataset(f"{base}-{dname}", data=v, chunks=(16, 8), **plugin_args(setting))
            out["theirs"][d.name[1:]] = filters(d)
            plist = d.id.get_create_plist()
            out["theirNames"][d.name[1:]] = [plist.get_filter(k)[3].decode() for k in range(plist.get_nfilters())]
            if dname == "compound": continue
            d = f.create_dataset(f"{base}-{dname}-fill", shape=(50, 20), dtype=v.dtype, chunks=(16, 8), fillvalue=7, **plugin_args(setting))
            d[0:16, 0:8] = values(dname, 128).reshape(16, 8)
print(json.dumps(out))
`, `${DEBIAN_PLUGINS}:${pluginPath()}`, theirs, JSON.stringify(SETTINGS), JSON.stringify(DTYPES));
    side = { ...read, ...written };
  });

  test("h5py reads every dataset h5dat wrote equal, through h5dat's plugin folder alone", () => {
    const names = Object.keys(side.read);
    assert.equal(names.length, SETTINGS.length * (DTYPES.length * 2 - 1));
    assert.deepEqual(names.filter((name) => !side.read[name]), []);
  });

  test("h5dat reads every dataset h5py + hdf5plugin wrote equal", async () => {
    const f = await File.open(theirs, "r");
    try {
      for (const setting of SETTINGS) {
        for (const name of DTYPES) {
          for (const fill of name === "compound" ? [false] : [false, true]) {
            const ds = (await f.get(label(setting, name, fill))) as Dataset;
            const got = await ds.read(undefined, name === "compound" ? { columns: true } : {});
            assert.deepEqual(got, expected(name, fill), `${label(setting, name, fill)}`);
          }
        }
      }
    } finally {
      await f.close();
    }
  });

  test("the filter IDs and cd_values are hdf5plugin's for the same settings", () => {
    for (const name of Object.keys(side.theirs)) assert.deepEqual(side.ours[name], side.theirs[name], name);
    // Blosc and LZ4 were written by Debian's hdf5plugin filters, not h5dat's plugins.
    assert.match(side.theirNames[label("lz4", "uint8")][0], /HDF5 lz4 filter/);
    assert.deepEqual(side.ours[label("blosc:lz4:5:shuffle", "float32")], [[32001, [2, 2, 4, 512, 5, 1, 1]]]);
    assert.deepEqual(side.ours[label("bitshuffle:zstd:4", "int16")], [[32008, [0, 5, 2, 0, 3, 4]]]);
    assert.deepEqual(side.ours[label("zstd:5", "float64")], [[32015, [5]]]);
  });
});

/** What h5dat should read for a dataset of `name` (the fill variant has only its first chunk written). */
function expected(name: DtypeName, fill: boolean): unknown {
  if (!fill) return { data: values(name, SHAPE[0] * SHAPE[1]), shape: SHAPE };
  const all = values(name, FILL_SHAPE[0] * FILL_SHAPE[1]) as Uint8Array;
  const first = values(name, 128) as Uint8Array;
  all.fill(FILL);
  for (let r = 0; r < 16; r++) for (let c = 0; c < 8; c++) all[r * FILL_SHAPE[1] + c] = first[r * 8 + c];
  return { data: all, shape: FILL_SHAPE };
}

// The chunk-parallel read (binding/chunks/chunked_read.cc) takes reads of 256 KiB and more whose
// chunks are all stored and whose filters h5dat undoes itself; anything else goes through
// H5Dread. Both must give the same values.
describe("chunk-parallel reads", () => {
  const file = path.join(dir, "parallel.h5");
  const ROWS = 300;
  const COLS = 1000;
  const wave = Float32Array.from({ length: ROWS * COLS }, (_, i) => (i % 4099) * 0.125 - 100);
  const OPTIONS: Record<string, { compression?: string; shuffle?: boolean; fletcher32?: boolean }> = {
    none: {},
    "gzip+shuffle+fletcher32": { compression: "gzip:4", shuffle: true, fletcher32: true },
    ...Object.fromEntries(SETTINGS.map((setting) => [setting, { compression: setting }])),
    "zstd+shuffle": { compression: "zstd:3", shuffle: true },
  };

  before(async () => {
    const f = await File.open(file, "w");
    for (const [name, options] of Object.entries(OPTIONS)) {
      await (await f.createDataset(name, { data: wave, shape: [ROWS, COLS], chunks: [64, 128], ...options })).close();
    }
    await f.close();
  });

  test("whole reads and hyperslabs with edge chunks equal the data, and equal H5Dread's small reads", async () => {
    const f = await File.open(file, "r");
    try {
      for (const name of Object.keys(OPTIONS)) {
        const ds = (await f.get(name)) as Dataset;
        assert.deepEqual(await ds.read(), { data: wave, shape: [ROWS, COLS] }, name);
        const slab = (await ds.read("37:250, 5:900")) as { data: Float32Array; shape: number[] };
        assert.deepEqual(slab.shape, [213, 895]);
        for (let r = 0; r < 213; r++) {
          for (const c of [0, 122, 123, 894]) assert.equal(slab.data[r * 895 + c], wave[(37 + r) * COLS + 5 + c], `${name} [${37 + r}, ${5 + c}]`);
        }
        // A small read goes through H5Dread (and the filter HDF5 calls): the same values.
        const small = (await ds.read("250:260, 990:1000")) as { data: Float32Array };
        assert.deepEqual(Array.from(small.data), Array.from({ length: 100 }, (_, k) => wave[(250 + Math.floor(k / 10)) * COLS + 990 + (k % 10)]));
      }
    } finally {
      await f.close();
    }
  });

  test("h5py reads them equal (HDF5's own gzip, shuffle and Fletcher-32 over chunks h5dat filtered)", () => {
    const result = python<Record<string, boolean>>(`
import os, sys, json
os.environ["HDF5_PLUGIN_PATH"] = sys.argv[1]
import h5py, numpy as np
i = np.arange(300 * 1000)
wave = ((i % 4099) * 0.125 - 100).astype("<f4").reshape(300, 1000)
with h5py.File(sys.argv[2], "r") as f:
    print(json.dumps({name: bool(np.array_equal(f[name][()], wave)) for name in f}))
`, pluginPath(), file);
    assert.deepEqual(Object.entries(result).filter(([, ok]) => !ok), []);
    assert.equal(Object.keys(result).length, Object.keys(OPTIONS).length);
  });

  test("h5dump reads them through the plugin folder (a program that links HDF5 itself)", () => {
    for (const name of ["zstd:5", "bitshuffle:zstd:4", "blosc:zstd:3:bitshuffle", "lz4"]) {
      const out = execFileSync("h5dump", ["-d", `/${name}`, "-s", "1,0", "-c", "1,4", file], { encoding: "utf8", env: { ...process.env, HDF5_PLUGIN_PATH: pluginPath() } });
      const values = /\(1,0\): ([^\n]+)/.exec(out)?.[1].split(",").map(Number);
      assert.deepEqual(values, Array.from(wave.subarray(COLS, COLS + 4)), `${name}:\n${out}`);
    }
  });
});

describe("codecs on bad input", () => {
  const file = path.join(dir, "bad.h5");
  const ROWS = 512;

  /** A dataset of 512 × 1024 float32 (2 MiB, chunks of 64 rows) with `compression`, chunk [0, 0] replaced by `bytes`. */
  async function corrupted(name: string, compression: string, bytes: Uint8Array): Promise<void> {
    const f = await File.open(file, "a");
    const ds = await f.createDataset(name, { data: new Float32Array(ROWS * 1024).fill(1.5), shape: [ROWS, 1024], chunks: [64, 1024], compression });
    await ds.writeChunk([0, 0], bytes);
    await ds.close();
    await f.close();
  }

  /** Rejects with an H5Error naming the dataset and matching `cause`, on the parallel path (whole read) and H5Dread's (a small read). */
  async function readsFail(name: string, cause: RegExp): Promise<void> {
    const f = await File.open(file, "r");
    try {
      const ds = (await f.get(name)) as Dataset;
      await assert.rejects(ds.read(), (e: Error) => e instanceof H5Error && cause.test(e.message) && e.message.includes(`/${name}`), `${name}: whole read`);
      await assert.rejects(ds.read("0:2, 0:2"), (e: Error) => e instanceof H5Error && e.message.includes(`/${name}`), `${name}: small read`);
      // The file and the rest of the dataset stay readable.
      assert.deepEqual(Array.from(((await ds.read("64:65, 0:4")) as { data: Float32Array }).data), [1.5, 1.5, 1.5, 1.5]);
    } finally {
      await f.close();
    }
  }

  before(async () => {
    await (await File.open(file, "w")).close();
  });

  test("corrupt zstd, lz4, blosc and bitshuffle chunks are read errors naming the codec", async () => {
    const garbage = Uint8Array.from({ length: 4000 }, (_, i) => (i * 151 + 7) % 256);
    for (const compression of ["zstd:3", "lz4", "blosc:lz4:5:shuffle", "bitshuffle:lz4", "bitshuffle:zstd:3"]) {
      const name = `garbage-${compression.replace(/:/g, "_")}`;
      await corrupted(name, compression, garbage);
      await readsFail(name, new RegExp(`${compression.split(":")[0]}: corrupt chunk`));
    }
  });

  test("a chunk whose header claims a huge size is refused before anything is allocated for it", async () => {
    // LZ4's header: 2^40 bytes decoded, in blocks of 1 GiB; then one block of 4 bytes.
    const lz4 = new Uint8Array(20);
    const view = new DataView(lz4.buffer);
    view.setBigUint64(0, 2n ** 40n);
    view.setUint32(8, 2 ** 30);
    view.setUint32(12, 4);
    await corrupted("huge-lz4", "lz4", lz4);
    await readsFail("huge-lz4", /lz4: corrupt chunk: it claims 1099511627776 bytes decoded/);
    // A zstd frame header with a content size of 2^40 bytes (FCS of 8 bytes, single segment).
    const zstd = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0]);
    await corrupted("huge-zstd", "zstd:3", zstd);
    await readsFail("huge-zstd", /zstd: corrupt chunk: it claims 1099511627776 bytes decoded/);
    // Bitshuffle with LZ4 keeps LZ4's header.
    await corrupted("huge-bitshuffle", "bitshuffle:lz4", lz4);
    await readsFail("huge-bitshuffle", /bitshuffle: corrupt chunk: it claims 1099511627776 bytes decoded/);
  });

  test("a file with a filter h5dat lacks reads as an error naming the filter's ID and name", async () => {
    const other = path.join(dir, "bzip2.h5");
    python(`
import sys, json, h5py, numpy as np, hdf5plugin
with h5py.File(sys.argv[1], "w") as f:
    f.create_dataset("x", data=np.arange(1000, dtype="<i4"), chunks=(100,), **hdf5plugin.BZip2())
print(json.dumps(True))
`, other);
    const f = await File.open(other, "r");
    try {
      const ds = (await f.get("x")) as Dataset;
      assert.equal(ds.compression, "bzip2");
      await assert.rejects(ds.read(), (e: Error) => e instanceof H5Error && /filter 'bzip2' \(id 307\) is not available/.test(e.message));
    } finally {
      await f.close();
    }
  });

  test("h5dat ls names each codec's setting", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", path.join(__dirname, "..", "..", "src", "cli", "main.ts"), "ls", "-r", path.join(dir, "parallel.h5")], { encoding: "utf8" });
    for (const setting of ["zstd:5", "lz4", "blosc:lz4hc:9:noshuffle", "bitshuffle:zstd:4", "bitshuffle:none", "shuffle+gzip:4+fletcher32"]) assert.ok(out.includes(setting), `${setting} in:\n${out}`);
  });
});
