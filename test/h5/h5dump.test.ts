// What h5dat asked HDF5 for, as h5dump (HDF5's own tool) prints it: `h5dump -p -H` shows each
// dataset's storage layout (CHUNKED shape, CONTIGUOUS, COMPACT), its filter pipeline in order
// (PREPROCESSING SHUFFLE, COMPRESSION DEFLATE { LEVEL n }, CHECKSUM FLETCHER32) and its dataspace.
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";
import { File, dtype, type CreateDatasetOptions } from "../../src";
import { h5dump, tempDir } from "../helpers/h5py";

interface Dumped {
  datatype: string;
  dataspace: string;
  layout: string;
  size: number;
  ratio: number | null;
  filters: string[];
}

/** Splits `h5dump -p -H` output into one entry per dataset (names are unique in this file). */
function parseDump(text: string): Map<string, Dumped> {
  const out = new Map<string, Dumped>();
  const blocks = text.split(/^\s*DATASET "/m).slice(1);
  for (const block of blocks) {
    const name = block.slice(0, block.indexOf('"'));
    const layout = /STORAGE_LAYOUT \{\s*([^\n]+)\n\s*SIZE (\d+)(?: \(([\d.]+):1 COMPRESSION\))?/.exec(block);
    const filters = /FILTERS \{\n([\s\S]*?)\n\s*\}\n\s*FILLVALUE/.exec(block);
    const datatype = /DATATYPE\s+([\s\S]*?)\n\s*DATASPACE/.exec(block);
    const dataspace = /DATASPACE\s+([^\n]+)/.exec(block);
    assert.ok(layout && filters && datatype && dataspace, `cannot parse h5dump output for ${name}:\n${block}`);
    out.set(name, {
      datatype: datatype[1].replace(/\s+/g, " ").trim(),
      dataspace: dataspace[1].trim(),
      layout: layout[1].trim(),
      size: Number(layout[2]),
      ratio: layout[3] ? Number(layout[3]) : null,
      filters: filters[1].split("\n").map((l) => l.trim()).filter(Boolean),
    });
  }
  return out;
}

// Compressible data (a repeating ramp), so DEFLATE visibly shrinks it.
const RAMP = Float32Array.from({ length: 2000 }, (_, i) => i % 50);
const base: CreateDatasetOptions = { data: RAMP, shape: [40, 50] };

const DEFLATE = (level: number) => `COMPRESSION DEFLATE { LEVEL ${level} }`;
const SHUFFLE = "PREPROCESSING SHUFFLE";
const FLETCHER = "CHECKSUM FLETCHER32";

const CASES: { name: string; options: CreateDatasetOptions; layout: string; filters: string[]; dataspace?: string; datatype?: string }[] = [
  { name: "contiguous", options: { ...base, layout: "contiguous" }, layout: "CONTIGUOUS", filters: ["NONE"] },
  { name: "default_layout", options: base, layout: "CONTIGUOUS", filters: ["NONE"] },
  { name: "compact", options: { data: Int32Array.of(1, 2, 3), layout: "compact" }, layout: "COMPACT", filters: ["NONE"] },
  { name: "chunked", options: { ...base, chunks: [10, 25] }, layout: "CHUNKED ( 10, 25 )", filters: ["NONE"] },
  { name: "gzip1", options: { ...base, chunks: [8, 50], compression: "gzip", compressionOpts: 1 }, layout: "CHUNKED ( 8, 50 )", filters: [DEFLATE(1)] },
  { name: "gzip9", options: { ...base, chunks: [40, 10], compression: 9 }, layout: "CHUNKED ( 40, 10 )", filters: [DEFLATE(9)] },
  { name: "gzip_default", options: { ...base, chunks: [20, 20], compression: "gzip" }, layout: "CHUNKED ( 20, 20 )", filters: [DEFLATE(4)] },
  { name: "shuffle", options: { ...base, chunks: [20, 50], shuffle: true }, layout: "CHUNKED ( 20, 50 )", filters: [SHUFFLE] },
  { name: "fletcher32", options: { ...base, chunks: [7, 13], fletcher32: true }, layout: "CHUNKED ( 7, 13 )", filters: [FLETCHER] },
  {
    name: "gzip_shuffle_fletcher32",
    options: { ...base, chunks: [16, 16], compression: "gzip", compressionOpts: 6, shuffle: true, fletcher32: true },
    layout: "CHUNKED ( 16, 16 )",
    filters: [SHUFFLE, DEFLATE(6), FLETCHER],
  },
  { name: "shuffle_gzip9", options: { ...base, chunks: [40, 50], compression: 9, shuffle: true }, layout: "CHUNKED ( 40, 50 )", filters: [SHUFFLE, DEFLATE(9)] },
  {
    name: "unlimited_images",
    options: { shape: [0, 64, 64, 3], maxshape: [null, 64, 64, 3], dtype: "uint8", chunks: [16, 64, 64, 3], compression: "gzip", compressionOpts: 4, shuffle: true },
    layout: "CHUNKED ( 16, 64, 64, 3 )",
    filters: [SHUFFLE, DEFLATE(4)],
    dataspace: "SIMPLE { ( 10, 64, 64, 3 ) / ( H5S_UNLIMITED, 64, 64, 3 ) }", // after the append below
  },
  {
    name: "chunked_3d_1d_chunks",
    options: { shape: [30, 20, 10], dtype: "int16", chunks: [30, 1, 10], fletcher32: true },
    layout: "CHUNKED ( 30, 1, 10 )",
    filters: [FLETCHER],
    dataspace: "SIMPLE { ( 30, 20, 10 ) / ( 30, 20, 10 ) }",
  },
  {
    name: "bool_gzip",
    options: { data: [true, false, true, true], chunks: [2], compression: 1 },
    layout: "CHUNKED ( 2 )",
    filters: [DEFLATE(1)],
    datatype: 'H5T_ENUM { H5T_STD_I8LE; "FALSE" 0; "TRUE" 1; }',
  },
  {
    name: "strings_gzip",
    options: { data: ["a", "ü", "日本"], chunks: [3], compression: "gzip", compressionOpts: 2 },
    layout: "CHUNKED ( 3 )",
    filters: [DEFLATE(2)],
    datatype: "H5T_STRING { STRSIZE H5T_VARIABLE; STRPAD H5T_STR_NULLTERM; CSET H5T_CSET_UTF8; CTYPE H5T_C_S1; }",
  },
  {
    name: "big_endian_shuffle",
    options: { data: Int32Array.of(1, 2, 3, 4), dtype: ">int32", chunks: [4], shuffle: true },
    layout: "CHUNKED ( 4 )",
    filters: [SHUFFLE],
    datatype: "H5T_STD_I32BE",
  },
  {
    name: "compound_fletcher32",
    options: { data: [{ a: 1, s: "x" }], dtype: dtype.compound({ a: "int32", s: dtype.string({ length: 3, charset: "ascii" }) }), chunks: [1], fletcher32: true },
    layout: "CHUNKED ( 1 )",
    filters: [FLETCHER],
  },
];

// Chunk shapes h5dat chooses itself.
const GUESSED: Record<string, CreateDatasetOptions> = {
  guess_true: { shape: [1000, 1000], dtype: "uint8", chunks: true },
  guess_by_gzip: { shape: [300, 200], dtype: "int16", compression: "gzip" },
  guess_by_maxshape: { shape: [5, 7], maxshape: [null, 7], dtype: "float64" },
};

describe("h5dump -p -H shows the layout and filters h5dat asked for", () => {
  const file = path.join(tempDir(), "h5dump.h5");
  let dumped: Map<string, Dumped>;
  const reported = new Map<string, { chunks: number[] | null; storageSize: number }>();

  before(async () => {
    const f = await File.open(file, "w");
    for (const c of CASES) {
      const ds = await f.createDataset(c.name, c.options);
      if (c.name === "unlimited_images") await ds.append(new Uint8Array(10 * 64 * 64 * 3).map((_, i) => i % 7));
      await ds.refresh();
      reported.set(c.name, { chunks: ds.chunks, storageSize: ds.storageSize });
    }
    // Guessed chunk shapes: h5dump must show the shape h5dat reports.
    for (const [name, options] of Object.entries(GUESSED)) {
      const ds = await f.createDataset(name, options);
      reported.set(name, { chunks: ds.chunks, storageSize: ds.storageSize });
    }
    await f.close();
    dumped = parseDump(h5dump("-p", "-H", file));
  });

  for (const c of CASES) {
    test(c.name, () => {
      const d = dumped.get(c.name);
      assert.ok(d, `h5dump does not show ${c.name}`);
      assert.equal(d.layout, c.layout, "storage layout");
      assert.deepEqual(d.filters, c.filters, "filters, in pipeline order");
      if (c.dataspace) assert.equal(d.dataspace, c.dataspace, "dataspace");
      if (c.datatype) assert.equal(d.datatype, c.datatype, "datatype");
      assert.equal(d.size, reported.get(c.name)?.storageSize, "SIZE is h5dat's storageSize");
    });
  }

  test("DEFLATE really compresses: h5dump's ratio grows with the level on compressible data", () => {
    const ratio = (name: string) => dumped.get(name)?.ratio ?? 0;
    assert.ok(ratio("gzip1") > 1.5, `gzip1 ratio ${ratio("gzip1")}`);
    assert.ok(ratio("gzip9") >= ratio("gzip1"), `gzip9 ${ratio("gzip9")} < gzip1 ${ratio("gzip1")}`);
    assert.ok(ratio("shuffle_gzip9") > 1.5);
    assert.equal(dumped.get("contiguous")?.ratio, null);
    assert.equal(dumped.get("contiguous")?.size, RAMP.byteLength);
  });

  test("guessed chunk shapes (chunks: true, or implied by filters or maxshape) are what h5dump shows", () => {
    for (const name of Object.keys(GUESSED)) {
      const chunks = reported.get(name)?.chunks;
      assert.ok(chunks && chunks.length > 0, `${name} has no chunks`);
      assert.equal(dumped.get(name)?.layout, `CHUNKED ( ${chunks.join(", ")} )`, name);
    }
    assert.deepEqual(dumped.get("guess_by_maxshape")?.filters, ["NONE"]);
    assert.deepEqual(dumped.get("guess_by_gzip")?.filters, [DEFLATE(4)]);
  });
});
