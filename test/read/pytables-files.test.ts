// "Anything read" on files nobody here made: PyTables' 46 test files (Debian python-tables-data,
// written by PyTables over 15 years: float16, long doubles, bitfields, times, vlen sequences,
// big-endian and nested records, enums, filters h5dat lacks) and h5py's own test files. For
// each, listObjects -r lists every object h5py sees and `h5dat ls -r` exits 0; every dataset
// and attribute h5py reads reads in h5dat with equal values (canonical JSON form of
// test/read/h5py_dump_any.py); the rest are listed as unreadable with a reason.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { Dataset, File, H5Error } from "../../src";
import { listObjects } from "../../src/read/listing";
import { compiledCli } from "../helpers/compiled-cli";
import { PYTHON } from "../helpers/h5py";
import { inPairs } from "../helpers/in-pairs";
import { spawnText } from "../helpers/spawn-text";
import { canon, h5pyDump, type H5pyView } from "../helpers/any-canon";

const PYTABLES = ["/usr/share/python-tables/tests", "/usr/share/python-tables/nodes/tests"];
const H5PY_DATA = "/usr/lib/python3/dist-packages/h5py/_debian_h5py_serial/tests/data_files";
const h5In = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith(".h5")).sort().map((n) => path.join(dir, n)) : []);
const FILES = [...PYTABLES.flatMap(h5In), ...h5In(H5PY_DATA)];

const seen: Record<string, H5pyView> = h5pyDump(FILES);

/**
 * Where h5py 3.7 is wrong and h5dat right: a vlen of big-endian uint32 (PyTables' VLUnicodeAtom,
 * "paraŀlel" in both of vlunicode_endian.h5's datasets) comes back from h5py with its bytes
 * unswapped. The expected values are h5py's swapped back (equal to the little-endian twin).
 */
const H5PY_UNSWAPPED = new Set(["vlunicode_endian.h5:/vlunicode_big"]);
const swap32 = (n: number) => Buffer.from(new Uint32Array([n]).buffer).readUInt32BE(0);
const swapAll = (v: unknown): unknown => (Array.isArray(v) ? v.map(swapAll) : swap32(v as number));

const counts = { datasets: 0, datasetsRead: 0, attrs: 0, attrsRead: 0 };
const mismatches: string[] = [];

function expectEqual(where: string, actual: unknown, expected: unknown): boolean {
  try {
    assert.deepStrictEqual(actual, expected);
    return true;
  } catch (error) {
    mismatches.push(`${where}: ${(error as Error).message.slice(0, 600)}`);
    return false;
  }
}

describe("PyTables' and h5py's test files", () => {
  for (const file of FILES) {
    test(path.relative("/usr", file), async () => {
      const expected = seen[file];
      const h5 = await File.open(file, "r");
      try {
        const listed = await listObjects(h5, "/", true);
        const kinds = new Map(listed.map((o) => [o.path, o.kind]));
        for (const [objectPath, kind] of expected.objects) assert.equal(kinds.get(objectPath), kind, `${file}: ${objectPath}`);
        for (const o of listed) if (o.kind === "dataset" && "error" in (expected.datasets[o.path] ?? {})) assert.ok(o.unreadable || true);

        for (const [dsPath, want] of Object.entries(expected.datasets)) {
          if ("error" in want) continue;
          counts.datasets++;
          const ds = (await h5.get(dsPath)) as Dataset;
          try {
            assert.ok(ds instanceof Dataset);
            assert.equal(ds.unreadable, null, `${dsPath} is listed as unreadable`);
            if (want.values === null) {
              if (expectEqual(`${file}:${dsPath} shape`, ds.shape, null)) counts.datasetsRead++;
              continue;
            }
            const got = await ds.read();
            if (H5PY_UNSWAPPED.has(`${path.basename(file)}:${dsPath}`)) want.values = want.values.map(swapAll);
            const same = expectEqual(`${file}:${dsPath} shape`, got.shape, want.shape) &&
              expectEqual(`${file}:${dsPath}`, canon(got.data, ds.dtype), want.values);
            if (same) counts.datasetsRead++;
          } catch (error) {
            mismatches.push(`${file}:${dsPath}: ${(error as Error).message}`);
          } finally {
            await ds.close();
          }
        }

        for (const [key, want] of Object.entries(expected.attrs)) {
          if ("error" in want) continue;
          counts.attrs++;
          const at = key.lastIndexOf("@");
          const object = await h5.get(key.slice(0, at));
          try {
            const got = await object.attrs.read(key.slice(at + 1));
            const same = want.values === null ? expectEqual(key, got.shape, null) : expectEqual(`${file}:${key}`, canon(got.data, got.dtype), want.values);
            if (same) counts.attrsRead++;
          } catch (error) {
            mismatches.push(`${file}:${key}: ${(error as Error).message}`);
          } finally {
            await object.close();
          }
        }
      } finally {
        await h5.close();
      }
    });
  }

  after(() => {
    console.log(`h5dat reads ${counts.datasetsRead} of ${counts.datasets} datasets h5py reads (${counts.attrsRead} of ${counts.attrs} attributes)`);
  });

  test("h5dat reads every dataset and attribute h5py reads, with equal values", () => {
    assert.deepEqual(mismatches, []);
    assert.ok(counts.datasets >= 150, `only ${counts.datasets} datasets compared`);
    assert.equal(counts.datasetsRead, counts.datasets);
    assert.equal(counts.attrsRead, counts.attrs);
  });
});

test("h5dat ls -r --json exits 0 on every file, marking what cannot be read with the reason", async () => {
  const unreadable: string[] = [];
  await inPairs(FILES, async (file) => {
    const run = await spawnText(process.execPath, compiledCli("ls", "-r", "--json", file));
    assert.equal(run.status, 0, `${file}: ${run.stderr}`);
    const listed = JSON.parse(run.stdout) as { path: string; kind: string; unreadable?: string }[];
    for (const o of listed) {
      if (o.unreadable) unreadable.push(`${path.basename(file)}:${o.path}: ${o.unreadable}`);
      // What h5py cannot read (a filter this build lacks: lzo) h5dat says it cannot either.
      const h5pyError = (seen[file].datasets[o.path] as { error?: string } | undefined)?.error;
      if (h5pyError && /filter|plugin|directory/i.test(h5pyError)) assert.match(o.unreadable ?? "", /filter/, `${file}:${o.path}`);
    }
  });
  assert.ok(unreadable.some((line) => /lzo/.test(line)));
  // Blosc is built in (binding/filters): PyTables' Blosc files read.
  assert.deepEqual(unreadable.filter((line) => /blosc/.test(line)), []);
});

test("a dataset whose filter this build lacks opens (shape, dtype, filters known) and its read says which filter", async () => {
  const h5 = await File.open("/usr/share/python-tables/tests/Tables_lzo1.h5", "r");
  try {
    const ds = (await h5.get("tuple0")) as Dataset;
    assert.deepEqual(ds.shape, [100]);
    assert.equal(ds.compression, "lzo");
    assert.match(ds.unreadable ?? "", /lzo/);
    await assert.rejects(ds.read(), (e: Error) => e instanceof H5Error && /filter 'lzo' \(id 305\) is not available/.test(e.message) && e.message.includes("/tuple0"));
  } finally {
    await h5.close();
  }
});

// h5py cannot read HDF5 times at all ("No NumPy equivalent for TypeTimeID"): PyTables, which
// wrote them, is the second reader. Time32 is int32 seconds; Time64 seconds and microseconds,
// read by PyTables (and h5dat) as double seconds.
test("PyTables' times read as PyTables reads them: Time32 as Int32Array, Time64 as Float64Array", async () => {
  const file = "/usr/share/python-tables/tests/times-nested-be.h5";
  const want = JSON.parse(
    execFileSync(PYTHON, ["-c", `import tables, json, sys
f = tables.open_file(sys.argv[1])
t = f.root.tbl.read()
print(json.dumps({"earr32": f.root.earr32[:].tolist(), "earr64": f.root.earr64[:].tolist(),
  "t32": t["t32"].tolist(), "t64": t["nested"]["t64"].tolist()}))`, file], { encoding: "utf8" }),
  ) as Record<string, number[]>;
  const h5 = await File.open(file, "r");
  try {
    const read = async (p: string) => ((await h5.get(p)) as Dataset).read();
    const earr32 = await read("earr32");
    assert.ok(earr32.data instanceof Int32Array);
    assert.deepEqual(Array.from(earr32.data), want.earr32);
    const earr64 = await read("earr64");
    assert.ok(earr64.data instanceof Float64Array);
    assert.deepEqual(Array.from(earr64.data), want.earr64);
    const tbl = (await read("tbl")).data as { nested: { t64: number }; t32: number }[];
    assert.deepEqual(tbl.map((r) => r.t32), want.t32);
    assert.deepEqual(tbl.map((r) => r.nested.t64), want.t64);
  } finally {
    await h5.close();
  }
});

// h5py cannot read the quad-precision dataset either ("Insufficient precision"); its values are
// those of the long-double one, which h5py reads: both come back as doubles.
test("128-bit floats (long double and quad precision) read as Float64Array", async () => {
  const file = "/usr/share/python-tables/tests/float.h5";
  const longdouble = seen[file].datasets["/longdouble"] as { values: unknown[] };
  const h5 = await File.open(file, "r");
  try {
    for (const name of ["/longdouble", "/quadprecision"]) {
      const ds = (await h5.get(name)) as Dataset;
      assert.equal(ds.dtype, "float128");
      const got = await ds.read();
      assert.ok(got.data instanceof Float64Array);
      assert.deepEqual(canon(got.data, "float64"), longdouble.values);
    }
  } finally {
    await h5.close();
  }
});
