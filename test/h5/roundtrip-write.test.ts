// Written by h5dat, read by h5py: every dtype, shape, layout and filter combination, compared
// value for value (and metadata for metadata) with Debian's h5py as the second reader. All cases
// go into one file; one Python run describes it (test/fixtures/make_h5py_fixture.py: dump), then
// each case is one test. h5dat also reads every case back itself, through the same canonical form.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { File, dtype, slice, type CreateDatasetOptions, type Dataset, type Dtype } from "../../src";
import { RECORD, canon, columnsToRecords, IMPORT_FIXTURE, numpyStr, pythonJson, type H5pyDatasetFacts } from "../helpers/canon";
import { tempDir } from "../helpers/h5py";

type Canon = unknown;

interface Expect {
  /** numpy dtype.str as h5py shows it. */
  numpy: string;
  shape: number[] | null;
  /** Canonical values (test/helpers/canon.ts); omitted to skip the value comparison. */
  values?: Canon[] | null;
  maxshape?: (number | null)[] | null;
  chunks?: number[] | null;
  layout?: "contiguous" | "compact" | "chunked";
  compression?: string | null;
  compressionOpts?: number | null;
  shuffle?: boolean;
  fletcher32?: boolean;
  /** Filter ids in pipeline order (1 deflate, 2 shuffle, 3 fletcher32). */
  filters?: number[];
  /** h5py.check_string_dtype of the dtype (or of the array/field base). */
  string?: { encoding: string; length: number | null };
  enum?: Record<string, number>;
  /** [name, numpy dtype.str] per compound field. */
  fields?: [string, string][];
  /** Subarray dims of an array dtype, and numpy str of its base. */
  subarray?: { dims: number[]; base: string };
  /** Shape of h5py's d[()] (array dtypes expand it). */
  valueShape?: number[] | null;
  fillvalue?: Canon;
}

interface Case {
  name: string;
  options: CreateDatasetOptions;
  /** Further h5dat calls on the created dataset (writes with selections, resize, append). */
  then?: (ds: Dataset) => Promise<void>;
  expect: Expect;
  /** Compare h5dat's own compound read with { columns: true } against these columns. */
  columns?: Record<string, ArrayLike<unknown>>;
}

interface H5pyDataset extends H5pyDatasetFacts<{ str: string; string?: { encoding: string; length: number | null }; enum?: Record<string, number>; fields?: [string, { str: string }][]; base?: { str: string; string?: { encoding: string; length: number | null } }; dims?: number[]; bool?: boolean }> {
  filters: number[];
  fillvalue: Canon;
}

const cases: Case[] = [];
const add = (c: Case) => cases.push(c);

// ------------------------------------------------------------------------------ numeric dtypes

const NUMERIC: Record<string, { values: (number | bigint)[]; array: (v: (number | bigint)[]) => ArrayLike<unknown> }> = {
  int8: { values: [-128, 127, 0, 1, -1, 42], array: (v) => Int8Array.from(v as number[]) },
  int16: { values: [-32768, 32767, 0, 1, -1, 1234], array: (v) => Int16Array.from(v as number[]) },
  int32: { values: [-(2 ** 31), 2 ** 31 - 1, 0, 1, -1, 123456789], array: (v) => Int32Array.from(v as number[]) },
  int64: {
    values: [-(2n ** 63n), 2n ** 63n - 1n, 0n, 1n, -1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 62n + 12345n],
    array: (v) => BigInt64Array.from(v as bigint[]),
  },
  uint8: { values: [0, 255, 1, 128], array: (v) => Uint8Array.from(v as number[]) },
  uint16: { values: [0, 65535, 1, 32768], array: (v) => Uint16Array.from(v as number[]) },
  uint32: { values: [0, 2 ** 32 - 1, 1, 2 ** 31], array: (v) => Uint32Array.from(v as number[]) },
  uint64: { values: [0n, 2n ** 64n - 1n, 1n, 2n ** 53n + 1n, 2n ** 63n], array: (v) => BigUint64Array.from(v as bigint[]) },
  float32: {
    values: [NaN, Infinity, -Infinity, 3.4028234663852886e38, -3.4028234663852886e38, 1.1754943508222875e-38, 1.401298464324817e-45, 0.1, -0, 1.5],
    array: (v) => Float32Array.from(v as number[]),
  },
  float64: {
    values: [NaN, Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, 2.2250738585072014e-308, Number.MIN_VALUE, 0.1, -0, 1.5],
    array: (v) => Float64Array.from(v as number[]),
  },
};

for (const [name, { values, array }] of Object.entries(NUMERIC)) {
  for (const order of ["", ">"]) {
    const d = `${order}${name}` as Dtype;
    for (const input of ["typed", "plain"] as const) {
      add({
        name: `numeric/${order ? "be_" : ""}${name}_${input}`,
        options: { data: input === "typed" ? array(values) : [...values], dtype: d },
        expect: { numpy: numpyStr(d as string), shape: [values.length], values: canon(values, d) },
      });
    }
  }
}

// A TypedArray of another type converts as numpy casting would (HDF5 does the conversion).
add({
  name: "numeric/int32_into_float64",
  options: { data: new Int32Array([1, -2, 2 ** 31 - 1]), dtype: "float64" },
  expect: { numpy: "<f8", shape: [3], values: [1, -2, 2 ** 31 - 1] },
});
// Inferred dtypes: numbers → float64, bigints → int64, booleans → bool, TypedArrays → their type.
add({ name: "infer/numbers", options: { data: [1.5, -2, 3] }, expect: { numpy: "<f8", shape: [3], values: [1.5, -2, 3] } });
add({ name: "infer/bigints", options: { data: [2n ** 60n, -3n] }, expect: { numpy: "<i8", shape: [2], values: [String(2n ** 60n), "-3"] } });
add({ name: "infer/uint16array", options: { data: new Uint16Array([7, 65535]) }, expect: { numpy: "<u2", shape: [2], values: [7, 65535] } });

// ------------------------------------------------------------------------------ other dtypes

const BOOLS = [true, false, false, true, true];
add({ name: "bool/explicit", options: { data: BOOLS, dtype: "bool" }, expect: { numpy: "|b1", shape: [5], values: BOOLS } });
add({ name: "bool/inferred", options: { data: BOOLS }, expect: { numpy: "|b1", shape: [5], values: BOOLS } });
add({ name: "bool/from_uint8array", options: { data: new Uint8Array([1, 0, 1]), dtype: "bool" }, expect: { numpy: "|b1", shape: [3], values: [true, false, true] } });
add({
  name: "bool/2d_gzip",
  options: { data: [[true, false, true], [false, false, true]], dtype: "bool", chunks: [1, 3], compression: "gzip" },
  expect: { numpy: "|b1", shape: [2, 3], values: [true, false, true, false, false, true], chunks: [1, 3], compression: "gzip", compressionOpts: 4 },
});

const TEXT = ["héllo", "wörld", "日本語", "", "emoji 🎉", "plain"];
add({
  name: "string/vlen_utf8",
  options: { data: TEXT },
  expect: { numpy: "|O", shape: [6], values: TEXT, string: { encoding: "utf-8", length: null } },
});
add({
  name: "string/vlen_ascii",
  options: { data: ["abc", "", "xyz 123"], dtype: dtype.string({ charset: "ascii" }) },
  expect: { numpy: "|O", shape: [3], values: ["abc", "", "xyz 123"], string: { encoding: "ascii", length: null } },
});
add({
  name: "string/fixed_ascii",
  options: { data: ["abc", "abcdef", "", "a b"], dtype: dtype.string({ length: 6, charset: "ascii" }) },
  expect: { numpy: "|S6", shape: [4], values: ["abc", "abcdef", "", "a b"], string: { encoding: "ascii", length: 6 } },
});
add({
  name: "string/fixed_utf8",
  // 12 bytes: "日本語ü" is 3*3 + 2 = 11 bytes.
  options: { data: ["日本", "é", "日本語ü", ""], dtype: dtype.string({ length: 12 }) },
  expect: { numpy: "|S12", shape: [4], values: ["日本", "é", "日本語ü", ""], string: { encoding: "utf-8", length: 12 } },
});
add({
  name: "string/vlen_2d",
  options: { data: [["a", "bb", "ccc"], ["ü", "", "日"]] },
  expect: { numpy: "|O", shape: [2, 3], values: ["a", "bb", "ccc", "ü", "", "日"], string: { encoding: "utf-8", length: null } },
});
add({
  name: "string/vlen_gzip_chunked",
  options: { data: Array.from({ length: 50 }, (_, i) => "x".repeat(i) + "ü"), chunks: [8], compression: "gzip", compressionOpts: 1 },
  expect: {
    numpy: "|O", shape: [50], values: Array.from({ length: 50 }, (_, i) => "x".repeat(i) + "ü"),
    chunks: [8], compression: "gzip", compressionOpts: 1, string: { encoding: "utf-8", length: null },
  },
});

// Compound (RECORD: every kind of field), records given with nested arrays for the array field.
const RECORDS = [
  { id: 2n ** 60n + 7n, x: 0.1, name: "ünï", tag: "ab", ok: true, grid: [[1, 2], [3, 4]] },
  { id: -5n, x: -Infinity, name: "", tag: "abcd", ok: false, grid: [[-1, -2], [-3, -4]] },
  { id: 0n, x: NaN, name: "日本語", tag: "", ok: true, grid: [[32767, -32768], [0, 0]] },
];
const RECORD_COLUMNS = {
  id: BigInt64Array.from(RECORDS.map((r) => r.id)),
  x: Float32Array.from(RECORDS.map((r) => r.x)),
  name: RECORDS.map((r) => r.name),
  tag: RECORDS.map((r) => r.tag),
  ok: RECORDS.map((r) => r.ok),
  grid: Int16Array.from(RECORDS.flatMap((r) => r.grid.flat())),
};
const RECORD_EXPECT: Expect = {
  numpy: "|V33",
  shape: [3],
  values: canon(RECORDS, RECORD),
  fields: [["id", "<i8"], ["x", "<f4"], ["name", "|O"], ["tag", "|S4"], ["ok", "|b1"], ["grid", "|V8"]],
};
add({ name: "compound/records", options: { data: RECORDS, dtype: RECORD }, expect: RECORD_EXPECT, columns: RECORD_COLUMNS });
add({ name: "compound/columns", options: { data: RECORD_COLUMNS, dtype: RECORD, shape: [3] }, expect: RECORD_EXPECT, columns: RECORD_COLUMNS });
add({
  name: "compound/columns_gzip_chunked",
  options: { data: RECORD_COLUMNS, dtype: RECORD, shape: [3], chunks: [2], compression: "gzip", shuffle: true },
  expect: { ...RECORD_EXPECT, chunks: [2], compression: "gzip", compressionOpts: 4, shuffle: true, filters: [2, 1] },
});
add({
  name: "compound/inferred",
  options: { data: [{ id: 1n, name: "a", score: 0.5, flag: true }, { id: 2n, name: "béta", score: -1, flag: false }] },
  expect: {
    numpy: "|V25", shape: [2], fields: [["id", "<i8"], ["name", "|O"], ["score", "<f8"], ["flag", "|b1"]],
    values: [{ id: "1", name: "a", score: 0.5, flag: true }, { id: "2", name: "béta", score: -1, flag: false }],
  },
});
const NESTED = dtype.compound({ a: "int32", inner: dtype.compound({ x: "float64", y: "uint8" }), b: ">float32" });
add({
  name: "compound/nested",
  options: { data: [{ a: 1, inner: { x: 0.5, y: 7 }, b: 2.5 }, { a: -3, inner: { x: -0.25, y: 255 }, b: -1 }], dtype: NESTED },
  expect: {
    numpy: "|V17", shape: [2], fields: [["a", "<i4"], ["inner", "|V9"], ["b", ">f4"]],
    values: [{ a: 1, inner: { x: 0.5, y: 7 }, b: 2.5 }, { a: -3, inner: { x: -0.25, y: 255 }, b: -1 }],
  },
});
add({
  name: "compound/scalar_record",
  options: { data: { a: 7, s: "only" }, dtype: dtype.compound({ a: "int32", s: "string" }), shape: [] },
  expect: { numpy: "|V12", shape: [], values: [{ a: 7, s: "only" }] },
});

const BYTES = [Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7), Uint8Array.of(255, 254, 253, 252, 251, 250, 249, 248), new Uint8Array(8)];
// (Untagged: h5py reads opaque data through an untagged type, and HDF5 converts between opaque
// types only when their tags match. Tags are checked on h5dat's side below.)
add({
  name: "opaque/elements",
  options: { data: BYTES, dtype: dtype.opaque(8) },
  expect: { numpy: "|V8", shape: [3], values: BYTES.map((b) => ({ opaque: Buffer.from(b).toString("hex") })) },
});
add({
  name: "opaque/packed_uint8array",
  options: { data: Uint8Array.of(1, 2, 3, 4, 5, 6), dtype: dtype.opaque(3) },
  expect: { numpy: "|V3", shape: [2], values: [{ opaque: "010203" }, { opaque: "040506" }] },
});

const CUBE = Float32Array.from({ length: 24 }, (_, i) => i / 4 - 2);
add({
  name: "array/float32_2x3_flat",
  options: { data: CUBE, dtype: dtype.array("float32", [2, 3]), shape: [4] },
  expect: { numpy: "|V24", shape: [4], valueShape: [4, 2, 3], subarray: { dims: [2, 3], base: "<f4" }, values: [...CUBE] },
});
add({
  name: "array/float32_2x3_nested",
  options: { data: [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]], dtype: dtype.array("float32", [2, 3]) },
  expect: { numpy: "|V24", shape: [2], valueShape: [2, 2, 3], subarray: { dims: [2, 3], base: "<f4" }, values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
});
add({
  name: "array/int64_3",
  options: { data: [[2n ** 63n - 1n, 0n, -1n], [1n, 2n, 3n]], dtype: dtype.array("int64", [3]) },
  expect: { numpy: "|V24", shape: [2], valueShape: [2, 3], subarray: { dims: [3], base: "<i8" }, values: [String(2n ** 63n - 1n), "0", "-1", "1", "2", "3"] },
});
add({
  name: "array/vlen_strings",
  options: { data: [["a", "bé"], ["", "日本"]], dtype: dtype.array("string", [2]) },
  expect: { numpy: "|V16", shape: [2], valueShape: [2, 2], subarray: { dims: [2], base: "|O" }, string: { encoding: "utf-8", length: null }, values: ["a", "bé", "", "日本"] },
});
add({
  name: "array/fixed_strings",
  options: { data: [["ab", "c"], ["def", ""]], dtype: dtype.array(dtype.string({ length: 3, charset: "ascii" }), [2]) },
  expect: { numpy: "|V6", shape: [2], valueShape: [2, 2], subarray: { dims: [2], base: "|S3" }, values: ["ab", "c", "def", ""] },
});

add({
  name: "enum/int16_numbers",
  options: { data: [0, 1, 2, 1], dtype: dtype.enum("int16", { RED: 0, GREEN: 1, BLUE: 2 }) },
  expect: { numpy: "<i2", shape: [4], values: [0, 1, 2, 1], enum: { RED: 0, GREEN: 1, BLUE: 2 } },
});
add({
  name: "enum/uint8_names",
  options: { data: ["LOW", "HIGH", "LOW"], dtype: dtype.enum("uint8", { LOW: 10, HIGH: 200 }) },
  expect: { numpy: "|u1", shape: [3], values: [10, 200, 10], enum: { LOW: 10, HIGH: 200 } },
});
add({
  name: "enum/int64_names_and_numbers",
  // Names, numbers and bigints mixed.
  options: { data: ["NEG", 0, "BIG", -(2n ** 40n)], dtype: dtype.enum("int64", { NEG: -(2 ** 40), ZERO: 0, BIG: 2 ** 50 }) },
  expect: { numpy: "<i8", shape: [4], values: [String(-(2 ** 40)), "0", String(2 ** 50), String(-(2 ** 40))], enum: { NEG: -(2 ** 40), ZERO: 0, BIG: 2 ** 50 } },
});
add({
  name: "enum/int32_typedarray",
  options: { data: Int32Array.of(-1, 5, -1), dtype: dtype.enum("int32", { NEG: -1, FIVE: 5 }) },
  expect: { numpy: "<i4", shape: [3], values: [-1, 5, -1], enum: { NEG: -1, FIVE: 5 } },
});

// ------------------------------------------------------------------------------ shapes

/** n consecutive integers centred on 0. */
const iota = (n: number) => Array.from({ length: n }, (_, i) => i - Math.floor(n / 2));
add({ name: "shape/scalar_float", options: { data: 2.75 }, expect: { numpy: "<f8", shape: [], values: [2.75], maxshape: [] } });
add({ name: "shape/scalar_int64", options: { data: -(2n ** 63n), shape: [] }, expect: { numpy: "<i8", shape: [], values: [String(-(2n ** 63n))] } });
add({ name: "shape/scalar_string", options: { data: "scalar ✓" }, expect: { numpy: "|O", shape: [], values: ["scalar ✓"] } });
add({ name: "shape/scalar_bool", options: { data: true, shape: [] }, expect: { numpy: "|b1", shape: [], values: [true] } });
add({ name: "shape/1d", options: { data: Int16Array.from(iota(7)) }, expect: { numpy: "<i2", shape: [7], values: [...iota(7)] } });
add({ name: "shape/2d_nested", options: { data: [[1, 2, 3], [4, 5, 6]], dtype: "uint8" }, expect: { numpy: "|u1", shape: [2, 3], values: [1, 2, 3, 4, 5, 6] } });
add({ name: "shape/3d", options: { data: Int32Array.from(iota(24)), shape: [2, 3, 4], dtype: "int32" }, expect: { numpy: "<i4", shape: [2, 3, 4], values: [...iota(24)] } });
add({
  name: "shape/4d_chunked",
  options: { data: Float64Array.from(iota(120)), shape: [2, 3, 4, 5], dtype: "float64", chunks: [1, 3, 2, 5], compression: "gzip", shuffle: true },
  expect: { numpy: "<f8", shape: [2, 3, 4, 5], values: [...iota(120)], chunks: [1, 3, 2, 5], compression: "gzip", compressionOpts: 4, shuffle: true },
});
add({ name: "shape/empty_0", options: { shape: [0], dtype: "float32" }, expect: { numpy: "<f4", shape: [0], values: [] } });
add({ name: "shape/empty_0x5", options: { shape: [0, 5], dtype: "int64" }, expect: { numpy: "<i8", shape: [0, 5], values: [], valueShape: [0, 5] } });
add({ name: "shape/empty_strings", options: { data: [], shape: [0], dtype: "string" }, expect: { numpy: "|O", shape: [0], values: [] } });
add({
  name: "shape/null",
  options: { shape: null, dtype: "float32" },
  expect: { numpy: "<f4", shape: null, maxshape: null, values: null, valueShape: null },
});

// ------------------------------------------------------------------------------ layouts and filters

const WAVE = Float32Array.from({ length: 2000 }, (_, i) => Math.round(Math.sin(i / 10) * 1000) / 8);
const WAVE_VALUES = canon(WAVE, "float32");
const wave = (name: string, options: Partial<CreateDatasetOptions>, expect: Partial<Expect>) =>
  add({ name: `filters/${name}`, options: { data: WAVE, shape: [40, 50], ...options }, expect: { numpy: "<f4", shape: [40, 50], values: WAVE_VALUES, ...expect } });

wave("contiguous", { layout: "contiguous" }, { layout: "contiguous", chunks: null });
add({
  name: "filters/compact",
  options: { data: Int32Array.of(1, -1, 2 ** 31 - 1, -(2 ** 31)), layout: "compact" },
  expect: { numpy: "<i4", shape: [4], values: [1, -1, 2 ** 31 - 1, -(2 ** 31)], layout: "compact", chunks: null },
});
wave("chunked_no_filters", { chunks: [10, 25] }, { layout: "chunked", chunks: [10, 25], filters: [] });
wave("chunked_layout_option", { layout: "chunked", chunks: [40, 5] }, { layout: "chunked", chunks: [40, 5], filters: [] });
wave("gzip1", { compression: "gzip", compressionOpts: 1, chunks: [8, 50] }, { chunks: [8, 50], compression: "gzip", compressionOpts: 1, filters: [1] });
wave("gzip9_numeric_form", { compression: 9, chunks: [40, 10] }, { chunks: [40, 10], compression: "gzip", compressionOpts: 9, filters: [1] });
wave("gzip_default_level", { compression: "gzip", chunks: [20, 50] }, { chunks: [20, 50], compression: "gzip", compressionOpts: 4 });
wave("shuffle", { shuffle: true, chunks: [20, 20] }, { chunks: [20, 20], shuffle: true, compression: null, filters: [2] });
wave("fletcher32", { fletcher32: true, chunks: [7, 13] }, { chunks: [7, 13], fletcher32: true, compression: null, filters: [3] });
wave(
  "gzip_shuffle_fletcher32",
  { compression: "gzip", compressionOpts: 6, shuffle: true, fletcher32: true, chunks: [16, 16] },
  { chunks: [16, 16], compression: "gzip", compressionOpts: 6, shuffle: true, fletcher32: true, filters: [2, 1, 3] },
);
wave("gzip9_shuffle", { compression: "gzip", compressionOpts: 9, shuffle: true, chunks: [5, 50] }, { chunks: [5, 50], compression: "gzip", compressionOpts: 9, shuffle: true, filters: [2, 1] });
wave("gzip1_fletcher32", { compression: "gzip", compressionOpts: 1, fletcher32: true, chunks: [40, 50] }, { chunks: [40, 50], compression: "gzip", compressionOpts: 1, fletcher32: true, filters: [1, 3] });
wave("shuffle_fletcher32", { shuffle: true, fletcher32: true, chunks: [3, 7] }, { chunks: [3, 7], shuffle: true, fletcher32: true, compression: null, filters: [2, 3] });
wave("gzip0", { compression: "gzip", compressionOpts: 0, chunks: [10, 10] }, { chunks: [10, 10], compression: "gzip", compressionOpts: 0 });

// Chunk shapes h5dat guesses must be h5py's guess (filters.guess_chunk): checked per case below.
interface Guess {
  name: string;
  shape: number[];
  maxshape?: (number | null)[];
  dtype: Dtype;
  typesize: number;
  /** Options that imply chunking (instead of chunks: true), and what they show. */
  options?: Partial<CreateDatasetOptions>;
  expect?: Partial<Expect>;
}
const GUESSES: Guess[] = [
  { name: "guess/2d_small", shape: [40, 50], dtype: "float32", typesize: 4 },
  { name: "guess/2d_1mb", shape: [1000, 1000], dtype: "uint8", typesize: 1 },
  { name: "guess/1d_long", shape: [100000], dtype: "float64", typesize: 8 },
  { name: "guess/3d", shape: [64, 64, 64], dtype: "float32", typesize: 4 },
  { name: "guess/empty_unlimited", shape: [0, 5], maxshape: [null, 5], dtype: "int8", typesize: 1 },
  { name: "guess/by_gzip", shape: [300, 200], dtype: "int16", typesize: 2, options: { compression: "gzip" }, expect: { compression: "gzip", compressionOpts: 4 } },
  { name: "guess/by_fletcher32", shape: [5000], dtype: "int32", typesize: 4, options: { fletcher32: true }, expect: { fletcher32: true } },
  { name: "guess/by_maxshape", shape: [4, 3], maxshape: [10, null], dtype: "uint32", typesize: 4, options: {} },
  { name: "guess/compound", shape: [20000], dtype: RECORD, typesize: 33 },
];
for (const g of GUESSES) {
  add({
    name: g.name,
    options: { shape: g.shape, maxshape: g.maxshape, dtype: g.dtype, chunks: g.options ? undefined : true, ...g.options },
    expect: { numpy: typeof g.dtype === "string" ? numpyStr(g.dtype) : "|V33", shape: g.shape, layout: "chunked", maxshape: g.maxshape ?? g.shape, ...g.expect },
  });
}

// Resizable datasets: maxshape with null (unlimited), resize and append.
add({
  name: "resize/append_rows",
  options: { data: Int16Array.from({ length: 15 }, (_, i) => i), shape: [3, 5], maxshape: [null, 5], chunks: [2, 5] },
  then: async (ds) => {
    await ds.append(new Int16Array(10).fill(-1));
    await ds.append([[9, 9, 9, 9, 9]]);
    await ds.resize(8); // one axis: the new rows hold the fill value
    await ds.resize([9, 5]);
  },
  expect: {
    numpy: "<i2", shape: [9, 5], maxshape: [null, 5], chunks: [2, 5],
    values: [...Array.from({ length: 15 }, (_, i) => i), ...Array(10).fill(-1), 9, 9, 9, 9, 9, ...Array(15).fill(0)],
  },
});
add({
  name: "resize/both_axes_unlimited_shrink",
  options: { data: Float64Array.from({ length: 12 }, (_, i) => i), shape: [3, 4], maxshape: [null, null], chunks: [2, 2] },
  then: async (ds) => {
    await ds.resize([5, 6]);
    await ds.write(Float64Array.of(-1, -2), [4, slice(4, 6)]);
    await ds.resize([5, 5]);
  },
  expect: {
    numpy: "<f8", shape: [5, 5], maxshape: [null, null], chunks: [2, 2],
    values: [0, 1, 2, 3, 0, 4, 5, 6, 7, 0, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1],
  },
});
add({
  name: "resize/fixed_maxshape",
  options: { data: Int32Array.of(1, 2, 3, 4), maxshape: [10] },
  then: async (ds) => {
    await ds.resize(10);
    await ds.write([7, 8, 9], "7:");
  },
  // A maxshape beyond the shape needs chunks: guessed from the creation shape, as h5py does.
  expect: { numpy: "<i4", shape: [10], maxshape: [10], chunks: [4], values: [1, 2, 3, 4, 0, 0, 0, 7, 8, 9] },
});
add({
  name: "resize/append_strings",
  options: { shape: [0], maxshape: [null], dtype: "string", chunks: [4] },
  then: async (ds) => {
    await ds.append(["a", "bé"]);
    await ds.append(["日本", "", "z"]);
  },
  expect: { numpy: "|O", shape: [5], maxshape: [null], chunks: [4], values: ["a", "bé", "日本", "", "z"] },
});
add({
  name: "resize/append_records_and_columns",
  options: { shape: [0], maxshape: [null], dtype: RECORD, chunks: [2] },
  then: async (ds) => {
    await ds.append(RECORDS.slice(0, 2));
    // The last record as columns (grid holds 4 values per record).
    const c = RECORD_COLUMNS;
    await ds.append({ id: c.id.slice(2), x: c.x.slice(2), name: c.name.slice(2), tag: c.tag.slice(2), ok: c.ok.slice(2), grid: c.grid.slice(8) });
  },
  expect: { ...RECORD_EXPECT, maxshape: [null], chunks: [2] },
});
add({
  name: "resize/append_array_dtype",
  options: { shape: [0], maxshape: [null], dtype: dtype.array("uint16", [2]), chunks: [8] },
  then: async (ds) => {
    await ds.append(Uint16Array.of(1, 2, 3, 4));
    await ds.append([[5, 65535]]);
  },
  expect: { numpy: "|V4", shape: [3], maxshape: [null], chunks: [8], valueShape: [3, 2], values: [1, 2, 3, 4, 5, 65535] },
});

// Writes through selections, and the fill value of unwritten elements.
add({
  name: "select/writes",
  options: { shape: [4, 6], dtype: "int32", fillvalue: -7 },
  then: async (ds) => {
    await ds.write(Int32Array.of(1, 2, 3, 4, 5, 6), "1:4:2, ::2"); // rows 1, 3; columns 0, 2, 4
    await ds.write([10, 11], [slice(0, 2), -1]); // column 5 of rows 0, 1
    await ds.write([[20, 21], [22, 23]], { start: [2, 1], count: [1, 2], block: [2, 1], stride: [1, 2] }); // rows 2-3, columns 1, 3
    await ds.write(99, [0, 0]);
  },
  expect: {
    numpy: "<i4", shape: [4, 6], fillvalue: -7,
    values: [
      99, -7, -7, -7, -7, 10,
      1, -7, 2, -7, 3, 11,
      -7, 20, -7, 21, -7, -7,
      4, 22, 5, 23, 6, -7,
    ],
  },
});
add({
  name: "select/strings",
  options: { data: [["a", "b", "c"], ["d", "e", "f"]], dtype: "string" },
  then: async (ds) => {
    await ds.write(["X", "Ÿ"], "::1, 0");
    await ds.write("日本", [-1, -1]);
  },
  expect: { numpy: "|O", shape: [2, 3], values: ["X", "b", "c", "Ÿ", "e", "日本"] },
});
add({
  name: "select/records",
  options: { data: RECORDS, dtype: RECORD, chunks: [2], maxshape: [null] },
  then: async (ds) => {
    await ds.write([RECORDS[2]], "0:1");
    await ds.write({ ...RECORDS[0], name: "replaced ✓" }, "2"); // one record, indexed
  },
  expect: {
    ...RECORD_EXPECT,
    maxshape: [null],
    chunks: [2],
    values: canon([RECORDS[2], RECORDS[1], { ...RECORDS[0], name: "replaced ✓" }], RECORD),
  },
});
add({
  name: "select/fill_float",
  options: { shape: [3], dtype: "float64", fillvalue: NaN },
  then: async (ds) => ds.write(1.5, "1"),
  expect: { numpy: "<f8", shape: [3], values: ["NaN", 1.5, "NaN"], fillvalue: "NaN" },
});

// ------------------------------------------------------------------------------ the run

const dir = tempDir();
const file = path.join(dir, "written-by-h5dat.h5");
const writeErrors = new Map<string, Error>();
let seen: { datasets: Record<string, H5pyDataset>; guesses: number[][] };
let reader: File;

/** Expected default metadata of a dataset that asked for no chunking, filters or growth. */
function defaults(e: Expect): Expect {
  const chunked = e.chunks !== undefined && e.chunks !== null;
  return {
    layout: chunked ? "chunked" : "contiguous",
    chunks: null,
    maxshape: e.shape,
    compression: null,
    compressionOpts: null,
    shuffle: false,
    fletcher32: false,
    ...e,
  };
}


function checkWithH5py(c: Case, d: H5pyDataset) {
  const e = defaults(c.expect);
  assert.equal(d.error, undefined, `h5py could not read it: ${d.error}`);
  assert.equal(d.dtype.str, e.numpy, "numpy dtype");
  assert.deepEqual(d.shape, e.shape, "shape");
  assert.deepEqual(d.maxshape, e.maxshape, "maxshape");
  assert.equal(d.layout, e.layout, "layout");
  if (!c.name.startsWith("guess/")) assert.deepEqual(d.chunks, e.chunks, "chunks");
  assert.equal(d.compression, e.compression, "compression");
  assert.equal(d.compression_opts, e.compressionOpts, "compression_opts");
  assert.equal(d.shuffle, e.shuffle, "shuffle");
  assert.equal(d.fletcher32, e.fletcher32, "fletcher32");
  if (e.filters) assert.deepEqual(d.filters, e.filters, "filter pipeline order");
  if (e.string) assert.deepEqual(d.dtype.string ?? d.dtype.base?.string, e.string, "string dtype");
  if (e.numpy === "|b1") assert.equal(d.dtype.bool, true, "h5py sees numpy bool");
  assert.deepEqual(d.dtype.enum, e.enum, "enum mapping");
  if (e.fields) assert.deepEqual(d.dtype.fields?.map(([n, t]) => [n, t.str]), e.fields, "compound fields");
  if (e.subarray) {
    assert.deepEqual(d.dtype.dims, e.subarray.dims, "subarray dims");
    assert.equal(d.dtype.base?.str, e.subarray.base, "subarray base");
  }
  if (e.fillvalue !== undefined) assert.deepEqual(d.fillvalue, e.fillvalue, "fill value");
  if (e.values !== undefined) {
    assert.deepEqual(d.value_shape, e.valueShape ?? e.shape, "shape of d[()]");
    assert.deepEqual(d.values, e.values, "values");
  }
}

async function checkWithH5dat(c: Case, seenByH5py: H5pyDataset) {
  const ds = await reader.dataset(c.name);
  const e = defaults(c.expect);
  assert.deepEqual(ds.chunks, seenByH5py.chunks, "h5dat chunks are h5py's");
  assert.deepEqual(ds.shape, e.shape, "h5dat shape");
  assert.deepEqual(ds.maxshape, e.maxshape, "h5dat maxshape");
  assert.equal(ds.layout, e.layout, "h5dat layout");
  assert.equal(ds.compression, e.compression, "h5dat compression");
  assert.equal(ds.compressionOpts, e.compressionOpts, "h5dat compressionOpts");
  assert.equal(ds.shuffle, e.shuffle, "h5dat shuffle");
  assert.equal(ds.fletcher32, e.fletcher32, "h5dat fletcher32");
  if (e.values === undefined) return;
  const d = ds.dtype;
  const { data, shape } = await ds.read();
  // (A null dataspace reads as no data; the shape read() reports for it is not pinned here.)
  if (e.shape !== null) assert.deepEqual(shape, e.valueShape ?? e.shape, "h5dat read shape");
  assert.deepEqual(canon(data, d), e.values ?? [], "h5dat values");
  if (c.columns) {
    const cols = await ds.read(undefined, { columns: true });
    const count = ds.size;
    assert.deepEqual(canon(columnsToRecords(cols.data as Record<string, ArrayLike<unknown>>, d, count), d), e.values, "h5dat columns");
    assert.deepEqual(canon(columnsToRecords(c.columns, d, count), d), e.values, "input columns");
  }
}

describe("written by h5dat, read by h5py", () => {
  before(async () => {
    const f = await File.open(file, "w");
    for (const c of cases) {
      try {
        const ds = await f.createDataset(c.name, c.options);
        await c.then?.(ds);
      } catch (error) {
        writeErrors.set(c.name, error as Error);
      }
    }
    await f.close();
    const skip = cases.filter((c) => c.expect.values === undefined).map((c) => `/${c.name}`);
    const guessArgs = GUESSES.map((g) => [g.shape, g.maxshape ?? null, g.typesize]);
    seen = pythonJson(
      IMPORT_FIXTURE +
        [
          "from h5py._hl.filters import guess_chunk",
          "out = fx.dump(sys.argv[1], skip_values=set(json.loads(sys.argv[2])))",
          "out['guesses'] = [list(guess_chunk(tuple(s), None if m is None else tuple(m), t)) for s, m, t in json.loads(sys.argv[3])]",
          "print(json.dumps(out))",
        ].join("\n"),
      file,
      JSON.stringify(skip),
      JSON.stringify(guessArgs),
    );
    reader = await File.open(file, "r");
  });

  after(async () => {
    await reader?.close();
  });

  for (const c of cases) {
    test(c.name, async () => {
      const error = writeErrors.get(c.name);
      if (error) throw error;
      const d = seen.datasets[`/${c.name}`];
      assert.ok(d, `h5py does not see /${c.name}`);
      checkWithH5py(c, d);
      await checkWithH5dat(c, d);
    });
  }

  test("chunks: true and implied chunks are h5py's own guess (guess_chunk)", () => {
    GUESSES.forEach((g, i) => {
      assert.deepEqual(seen.datasets[`/${g.name}`]?.chunks, seen.guesses[i], g.name);
    });
  });

  test("opaque tags and exact compound layout survive in h5dat", async () => {
    const tagged = path.join(dir, "tagged.h5");
    const w = await File.open(tagged, "w");
    await w.createDataset("tagged", { data: BYTES, dtype: dtype.opaque(8, "raw bytes") });
    await w.close();
    await using f = await File.open(tagged, "r");
    const opaque = await reader.dataset("opaque/elements");
    assert.deepEqual(opaque.dtype, { kind: "opaque", size: 8 });
    const h5pyTag = pythonJson<string>(
      `import h5py, json, sys\nf = h5py.File(sys.argv[1], "r")\nprint(json.dumps(f["tagged"].id.get_type().get_tag().decode()))`,
      tagged,
    );
    assert.equal(h5pyTag, "raw bytes");
    const back = await f.dataset("tagged");
    assert.deepEqual(back.dtype, { kind: "opaque", size: 8, tag: "raw bytes" });
    assert.deepEqual((await back.read()).data, BYTES);
    const records = await reader.dataset("compound/records");
    const d = records.dtype;
    assert.ok(typeof d === "object" && d.kind === "compound");
    assert.deepEqual(d.fields.map((f) => [f.name, f.offset]), [["id", 0], ["x", 8], ["name", 12], ["tag", 20], ["ok", 24], ["grid", 25]]);
    assert.equal(d.size, 33);
  });
});
