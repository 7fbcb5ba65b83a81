// Bad contents: corrupt image headers, a pixel bomb, empty files of every type, a .jpg that is
// text, JSON that is not UTF-8, 10,000 levels deep or 100 MB on one line, ragged CSV, mixed line
// endings, a BOM, NUL bytes, and a non-HDF5 file named .h5. What a processor fails on is kept as
// its bytes (manifest "kept as bytes: <error>"); limits (the pixel bomb) still fail.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { PY_RAGGED, python } from "../../helpers/h5py";
import { convertCase } from "../convert-case";
import { knownPixels, writeImages, type ImageFormat } from "../inputs/images";
import { writeTree } from "../inputs/tree";

const EXTENSIONS: Record<ImageFormat, string> = { png: "png", jpeg: "jpg", gif: "gif", tiff: "tif" };

function corruptHeaderCase(format: ImageFormat) {
  const ext = EXTENSIONS[format];
  return convertCase({
    name: `${format}-corrupt-header`,
    expected: `exit 0; corrupt.${ext} kept as bytes: cannot decode; known.png beside written, pixels equal`,
    build: (dir) => {
      const root = writeTree(path.join(dir, "images"), {});
      writeImages([{ file: path.join(root, `corrupt.${ext}`), kind: "corrupt", format }, { file: path.join(root, "known.png"), kind: "known", format: "png" }]);
      return [root];
    },
    exit: 0,
    rows: [
      { path: `corrupt.${ext}`, status: "written", message: /^kept as bytes: cannot decode the image: \S/ },
      { path: "known.png", status: "written" },
    ],
    values: { "/images/known.png": knownPixels() },
  });
}

/** [pointer, value] rows of a JSON dataset, as h5py reads them. */
const GOOD_JSON = { text: '{"a": [1, "x"], "b": null}', rows: [["/a/0", "1"], ["/a/1", '"x"'], ["/b", "null"]] };

/** What a 0-byte file of each type becomes: written empty where empty is a value of its type. */
const EMPTY: Record<string, RegExp | null> = {
  csv: /^empty \(0 bytes\): an empty file has no header row$/,
  gif: /^empty \(0 bytes\): an empty file is not an image$/,
  jpg: /^empty \(0 bytes\): an empty file is not an image$/,
  json: /^empty \(0 bytes\): an empty file is not a JSON document$/,
  jsonl: null,
  mp4: /^empty \(0 bytes\): an empty file is not a video$/,
  png: /^empty \(0 bytes\): an empty file is not an image$/,
  tif: /^empty \(0 bytes\): an empty file is not an image$/,
  txt: null,
  wav: /^empty \(0 bytes\): an empty file is not audio$/,
};

const MB100 = 100 << 20;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz";

export const contentCases = [
  ...(["png", "jpeg", "gif", "tiff"] as const).map(corruptHeaderCase),
  convertCase({
    name: "pixel-bomb",
    expected: "exit 2; a 50 KB PNG claiming 20000×20000 failed before decoding (--max-pixels default)",
    build: (dir) => {
      const root = writeTree(path.join(dir, "images"), {});
      writeImages([{ file: path.join(root, "bomb.png"), kind: "bomb", side: 20000 }, { file: path.join(root, "known.png"), kind: "known", format: "png" }]);
      return [root];
    },
    exit: 2,
    rows: [
      { path: "bomb.png", status: "failed", message: /^too many pixels: 20,000 × 20,000 = 400,000,000, over --max-pixels 268,402,689 \(not decoded\)$/ },
      { path: "known.png", status: "written" },
    ],
    values: { "/images/known.png": knownPixels() },
    check: (_, run) => assert.ok(run.seconds < 20, `the pixel bomb took ${run.seconds.toFixed(1)} s`),
  }),
  convertCase({
    name: "max-pixels-flag",
    expected: "exit 2; --max-pixels 40: the 8×6 image failed; good.txt written",
    args: ["--max-pixels", "40"],
    build: (dir) => {
      const root = writeTree(path.join(dir, "images"), { "good.txt": "good" });
      writeImages([{ file: path.join(root, "known.png"), kind: "known", format: "png" }]);
      return [root];
    },
    exit: 2,
    rows: [
      { path: "good.txt", status: "written" },
      { path: "known.png", status: "failed", message: /^too many pixels: 8 × 6 = 48, over --max-pixels 40/ },
    ],
    values: { "/images/good.txt": "good" },
  }),
  convertCase({
    name: "empty-file-of-every-type",
    expected: "exit 2; 0-byte txt and jsonl written empty; jpg png gif tif json csv mp4 wav failed: empty",
    build: (dir) => [writeTree(path.join(dir, "empty"), { ...Object.fromEntries(Object.keys(EMPTY).map((ext) => [`empty.${ext}`, ""])), "good.txt": "good" })],
    exit: 2,
    rows: [
      ...Object.entries(EMPTY).map(([ext, message]) => ({ path: `empty.${ext}`, status: message ? ("failed" as const) : ("written" as const), ...(message && { message }) })),
      { path: "good.txt", status: "written" },
    ],
    values: { "/empty/empty.txt": "", "/empty/empty.jsonl": [], "/empty/good.txt": "good" },
    check: (view) => {
      assert.deepEqual(view.datasets["/empty/empty.txt"].shape, [0]);
      assert.deepEqual(view.datasets["/empty/empty.jsonl"].shape, [0, 2]);
    },
  }),
  convertCase({
    name: "jpg-that-is-text",
    expected: "exit 0; photo.jpg (text) kept as bytes: cannot decode, its content is text",
    build: (dir) => [writeTree(path.join(dir, "photos"), { "photo.jpg": "I am not a JPEG, just text.\n", "good.txt": "good" })],
    exit: 0,
    rows: [
      { path: "good.txt", status: "written" },
      { path: "photo.jpg", status: "written", message: /^kept as bytes: cannot decode the image: .*\(its content is text, not an image\)$/ },
    ],
    values: { "/photos/good.txt": "good", "/photos/photo.jpg": "I am not a JPEG, just text.\n" },
  }),
  convertCase({
    name: "json-not-utf8",
    expected: "exit 0; bad.json (Latin-1 é) kept as bytes: not valid UTF-8 at its offset; good.json written",
    build: (dir) => [writeTree(path.join(dir, "docs"), { "bad.json": Buffer.from('{"city": "Orl\xe9ans"}', "latin1"), "good.json": GOOD_JSON.text })],
    exit: 0,
    rows: [
      { path: "bad.json", status: "written", message: /^kept as bytes: not valid UTF-8: byte 0xE9 at offset 13 \(line 1, byte 14 of the line\)/ },
      { path: "good.json", status: "written" },
    ],
    values: { "/docs/good.json": GOOD_JSON.rows, "/docs/bad.json": Buffer.from('{"city": "Orl\xe9ans"}', "latin1") },
  }),
  convertCase({
    name: "json-10000-deep",
    expected: "exit 0; arrays and objects 10,000 deep written by a worker (no stack overflow)",
    args: ["--workers", "1"],
    build: (dir) => [writeTree(path.join(dir, "deep"), {
      "arrays.json": `${"[".repeat(10000)}1${"]".repeat(10000)}`,
      "objects.json": `${'{"a":'.repeat(10000)}null${"}".repeat(10000)}`,
      "good.json": GOOD_JSON.text,
    })],
    exit: 0,
    rows: [
      { path: "arrays.json", status: "written" },
      { path: "good.json", status: "written" },
      { path: "objects.json", status: "written" },
    ],
    values: {
      "/deep/arrays.json": [["/0".repeat(10000), "1"]],
      "/deep/objects.json": [["/a".repeat(10000), "null"]],
      "/deep/good.json": GOOD_JSON.rows,
    },
  }),
  convertCase({
    name: "json-100mb-one-line",
    expected: "exit 0; a 100 MB single-line JSON written by a worker; its 100 MB string intact",
    args: ["--workers", "1"],
    build: (dir) => {
      const root = writeTree(path.join(dir, "big"), { "good.txt": "good" });
      const blob = ALPHABET.repeat(Math.ceil(MB100 / ALPHABET.length)).slice(0, MB100);
      fs.writeFileSync(path.join(root, "big.json"), `{"blob": "${blob}", "n": 1}`);
      return [root];
    },
    exit: 0,
    rows: [
      { path: "big.json", status: "written" },
      { path: "good.txt", status: "written" },
    ],
    values: { "/big/good.txt": "good" },
    // Read by h5py and summed up there: 100 MB back through JSON would only test the pipe.
    check: (_, run) => {
      const seen = python<{ pointers: string[]; length: number; head: string; tail: string; n: string }>(`${PY_RAGGED}
import h5py, json, sys
d = ragged(h5py.File(sys.argv[1], "r")["big/big.json"])
blob = d[0][1]
print(json.dumps({"pointers": [r[0] for r in d], "length": len(blob), "head": blob[:27], "tail": blob[-3:], "n": d[1][1]}))`, run.output);
      const letter = (i: number) => ALPHABET[i % ALPHABET.length];
      assert.deepEqual(seen, { pointers: ["/blob", "/n"], length: MB100 + 2, head: `"${ALPHABET}`, tail: `${letter(MB100 - 2)}${letter(MB100 - 1)}"`, n: "1" });
    },
  }),
  convertCase({
    name: "csv-ragged-rows",
    expected: "exit 0; ragged.csv kept as bytes, naming the row and the delimiter; good.csv written, values equal",
    build: (dir) => [writeTree(path.join(dir, "tables"), { "ragged.csv": "a,b,c\n1,2,3\n4,5\n6,7,8,9\n", "good.csv": "x,y\n1,2.5\n3,\n" })],
    exit: 0,
    rows: [
      { path: "good.csv", status: "written" },
      { path: "ragged.csv", status: "written", message: /^kept as bytes: CSV row 3 has 2 cells, the header \(row 1\) has 3; 2 of the 3 data rows have another width \(2 cells: 1 row, 4 cells: 1 row\) \(cells split at ',', sniffed from the first rows; give another with --csv-delimiter or a schema rule's "delimiter"\)$/ },
    ],
    values: { "/tables/good.csv": [{ x: 1, y: 2.5 }, { x: 3, y: "NaN" }], "/tables/ragged.csv": "a,b,c\n1,2,3\n4,5\n6,7,8,9\n" },
  }),
  convertCase({
    name: "csv-mixed-line-endings",
    expected: "exit 0; \\r\\n, \\n and \\r in one CSV: three rows, values equal",
    build: (dir) => [writeTree(path.join(dir, "tables"), { "mixed.csv": "a,b\r\n1,2\n3,4\r5,6\r\n" })],
    exit: 0,
    rows: [{ path: "mixed.csv", status: "written" }],
    values: { "/tables/mixed.csv": [{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5, b: 6 }] },
  }),
  convertCase({
    name: "csv-bom",
    expected: "exit 0; a UTF-8 BOM is not part of the first column's name",
    build: (dir) => [writeTree(path.join(dir, "tables"), { "bom.csv": "\ufeffname,n\nx,1\n" })],
    exit: 0,
    rows: [{ path: "bom.csv", status: "written" }],
    values: { "/tables/bom.csv": [{ name: "x", n: 1 }] },
  }),
  convertCase({
    name: "csv-nul-bytes",
    expected: "exit 0; a .csv holding NUL kept as its bytes, the row says why",
    build: (dir) => [writeTree(path.join(dir, "tables"), { "nul.csv": "a,b\n1,x\0y\n" })],
    exit: 0,
    rows: [{ path: "nul.csv", status: "written", message: /^kept as bytes: named \.csv but its content is not text/ }],
    values: { "/tables/nul.csv": "a,b\n1,x\0y\n" },
  }),
  convertCase({
    name: "h5-that-is-not-hdf5",
    expected: "exit 0; fake.h5 given to convert kept as bytes: not an HDF5 file; good.txt written",
    build: (dir) => {
      fs.writeFileSync(path.join(dir, "fake.h5"), "this is text, not HDF5\n");
      fs.writeFileSync(path.join(dir, "good.txt"), "good");
      return [path.join(dir, "fake.h5"), path.join(dir, "good.txt")];
    },
    exit: 0,
    rows: [
      { path: "fake.h5", status: "written", message: /^kept as bytes: not an HDF5 file: no HDF5 signature/ },
      { path: "good.txt", status: "written", input: 1 },
    ],
    values: { "/good.txt": "good", "/fake.h5": "this is text, not HDF5\n" },
  }),
];
