// Reads of unfiltered chunks straight from the file (pread on several threads, issue 22's P8):
// files h5py wrote — with and without a user block, which shifts every address — read whole and
// by hyperslabs equal the values h5py stored, whether the chunks lie as rows of the result or
// must be scattered, and the same in a file opened read-write (HDF5's own path) and read-only.
// Beside them the cases that must not go the direct way: a chunk never written (fill values),
// big-endian data (converted), a selection with a stride.
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";
import { File } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-direct-read-");

interface Case {
  name: string;
  dtype: "u1" | "<i2" | "<f4" | "<f8" | ">i4";
  shape: number[];
  chunks: number[];
}

/** Each case's values: element i of the flattened array, as both sides compute them. */
const CASES: Case[] = [
  { name: "rows_u1", dtype: "u1", shape: [300, 1000], chunks: [64, 1000] },
  { name: "tiles_f4", dtype: "<f4", shape: [400, 300], chunks: [32, 64] },
  { name: "cube_i2", dtype: "<i2", shape: [90, 30, 50], chunks: [7, 30, 50] },
  { name: "line_f8", dtype: "<f8", shape: [70000], chunks: [4096] },
  { name: "big_endian", dtype: ">i4", shape: [300, 300], chunks: [50, 50] },
];

function expected(c: Case): number[] {
  const n = c.shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => {
    switch (c.dtype) {
      case "u1": return (i * 37) % 251;
      case "<i2": return ((i * 7919) % 65536) - 32768;
      case "<f4": return (i % 1000) * 0.25 - 100;
      case "<f8": return i * 0.5 - 1e6 + i / 1024;
      case ">i4": return i * 3 - 50000;
    }
  });
}

const PY_WRITE = `
import sys, json, h5py, numpy as np
path, userblock, cases = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
def values(dtype, n):
    i = np.arange(n, dtype=np.int64)
    if dtype == "u1": return ((i * 37) % 251).astype("u1")
    if dtype == "<i2": return (((i * 7919) % 65536) - 32768).astype("<i2")
    if dtype == "<f4": return ((i % 1000) * 0.25 - 100).astype("<f4")
    if dtype == "<f8": return (i * 0.5 - 1e6 + i / 1024).astype("<f8")
    return (i * 3 - 50000).astype(">i4")
with h5py.File(path, "w", userblock_size=userblock) as f:
    for c in cases:
        n = int(np.prod(c["shape"]))
        f.create_dataset(c["name"], data=values(c["dtype"], n).reshape(c["shape"]), chunks=tuple(c["chunks"]))
    # Only its first chunk written: the rest reads as the fill value 9.
    d = f.create_dataset("sparse", shape=(512, 512), dtype="<f4", chunks=(64, 512), fillvalue=9)
    d[0:64] = 1.5
print(json.dumps({"userblock": userblock}))
`;

/** The row-major elements of `c`'s values inside [start, start + count). */
function slice(c: Case, values: number[], start: number[], count: number[]): number[] {
  const out: number[] = [];
  const at = [...start];
  const total = count.reduce((a, b) => a * b, 1);
  for (let k = 0; k < total; k++) {
    let flat = 0;
    for (let d = 0; d < c.shape.length; d++) flat = flat * c.shape[d] + at[d];
    out.push(values[flat]);
    for (let d = c.shape.length - 1; d >= 0; d--) {
      if (++at[d] < start[d] + count[d]) break;
      at[d] = start[d];
    }
  }
  return out;
}

/** Hyperslabs of each case: whole rows, a block inside (not on chunk edges), a rank-wide corner. */
function hyperslabs(c: Case): { start: number[]; count: number[] }[] {
  const rows = { start: c.shape.map((_, d) => (d === 0 ? 17 : 0)), count: c.shape.map((s, d) => (d === 0 ? s - 40 : s)) };
  const inner = { start: c.shape.map((s) => Math.floor(s / 5)), count: c.shape.map((s) => Math.floor(s / 2)) };
  return [rows, inner];
}

for (const userblock of [0, 512]) {
  describe(`unfiltered chunks read from the file${userblock ? " (user block of 512 bytes)" : ""}`, () => {
    const file = path.join(dir, `direct-${userblock}.h5`);
    before(() => {
      python(PY_WRITE, file, String(userblock), JSON.stringify(CASES));
    });

    for (const mode of ["r", "r+"] as const) {
      test(`every case whole and by hyperslabs, opened "${mode}"`, async () => {
        const f = await File.open(file, mode);
        try {
          for (const c of CASES) {
            const values = expected(c);
            const ds = await f.dataset(c.name);
            const whole = await ds.read();
            assert.deepEqual(whole.shape, c.shape, c.name);
            assert.deepEqual(Array.from(whole.data as ArrayLike<number>), values, `${c.name} whole`);
            for (const { start, count } of hyperslabs(c)) {
              const part = await ds.read({ start, count });
              assert.deepEqual(Array.from(part.data as ArrayLike<number>), slice(c, values, start, count), `${c.name} [${start}] + [${count}]`);
            }
          }
          const sparse = (await (await f.dataset("sparse")).read()).data as Float32Array;
          assert.equal(sparse.length, 512 * 512);
          assert.ok(sparse.subarray(0, 64 * 512).every((v) => v === 1.5), "the written chunk");
          assert.ok(sparse.subarray(64 * 512).every((v) => v === 9), "the fill value past it");
        } finally {
          await f.close();
        }
      });
    }

    test("a strided selection and a read racing the file's close", async () => {
      const c = CASES[0];
      const values = expected(c);
      const f = await File.open(file, "r");
      const ds = await f.dataset(c.name);
      const strided = await ds.read({ start: [1, 0], count: [100, 500], stride: [2, 2] });
      const want: number[] = [];
      for (let r = 0; r < 100; r++) for (let k = 0; k < 500; k++) want.push(values[(1 + 2 * r) * 1000 + 2 * k]);
      assert.deepEqual(Array.from(strided.data as Uint8Array), want);
      // The read holds its own copy of the file's descriptor: closing the file meanwhile must
      // neither crash nor read another file's bytes.
      const reading = ds.read().then((r) => Array.from(r.data as Uint8Array), (error: Error) => error);
      await f.close().catch(() => undefined);
      const got = await reading;
      if (!(got instanceof Error)) assert.deepEqual(got, values);
    });
  });
}
