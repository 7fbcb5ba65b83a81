// convert with the codecs beyond gzip (issue 22): `--compression zstd:5` and a schema rule's
// `compression` give the same values as gzip, in the files and the stacked layout; h5py reads
// every dataset through h5dat's plugin folder, and each dataset carries the asked filter.
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";
import { convert, File, parseSchema, type Dataset } from "../../src";
import { pluginPath } from "../../src/native/plugin-path";
import { python, tempDir } from "../helpers/h5py";
import { WALK, type Walked } from "../helpers/h5-walk";
import { photoArchive } from "../helpers/photo-archive";

const dir = tempDir("h5dat-codec-convert-");
const walk = (file: string) => python<Walked>(`import os, sys\nos.environ["HDF5_PLUGIN_PATH"] = ${JSON.stringify(pluginPath())}\n${WALK}`, file);

/** Every dataset's compressor under `group`, by path: h5dat's setting text. */
async function settings(file: string): Promise<Record<string, string | null>> {
  const f = await File.open(file, "r");
  const out: Record<string, string | null> = {};
  try {
    const datasets: string[] = [];
    await f.visit((name, kind) => {
      if (kind === "dataset" && !name.startsWith("_h5dat")) datasets.push(name);
    });
    for (const name of datasets) out[name] = ((await f.get(name)) as Dataset).compressionSetting;
  } finally {
    await f.close();
  }
  return out;
}

describe("convert with zstd, blosc and bitshuffle", () => {
  let archive: string;
  before(async () => {
    archive = await photoArchive(dir, 9);
  });

  for (const layout of ["files", "stacked"] as const) {
    test(`${layout} layout: --compression zstd:5 holds what gzip holds, and h5py reads it through the plugin folder`, async () => {
      const gzip = path.join(dir, `${layout}-gzip.h5`);
      const zstd = path.join(dir, `${layout}-zstd.h5`);
      await convert([archive], { output: gzip, layout });
      await convert([archive], { output: zstd, layout, compression: "zstd:5" });
      const [a, b] = [walk(gzip), walk(zstd)];
      assert.deepEqual(b.objects, a.objects);
      assert.deepEqual(b.rows, a.rows);
      const used = Object.values(await settings(zstd));
      assert.ok(used.length > 3);
      assert.ok(used.every((s) => s === "zstd:5" || s === "none"), used.join(", "));
      assert.ok(used.includes("zstd:5"));
    });
  }

  test("a schema rule's compression applies to the entries it matches", async () => {
    const schema = parseSchema(JSON.stringify({ rules: [{ match: "**/cat/*.png", compression: "blosc:zstd:5:bitshuffle" }, { match: "**/*.json", compression: "bitshuffle:lz4" }] }));
    const out = path.join(dir, "rules.h5");
    await convert([archive], { output: out, schema });
    const used = await settings(out);
    const cats = Object.entries(used).filter(([name]) => name.includes("/cat/"));
    const dogs = Object.entries(used).filter(([name]) => name.includes("/dog/"));
    assert.ok(cats.length > 0 && cats.every(([, s]) => s === "blosc:zstd:5:bitshuffle"), JSON.stringify(cats));
    assert.ok(dogs.length > 0 && dogs.every(([, s]) => s === "gzip:4"), JSON.stringify(dogs));
    assert.deepEqual(walk(out).objects, walk(path.join(dir, "files-gzip.h5")).objects);
  });
});
