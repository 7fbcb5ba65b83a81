// The ragged string array (src/h5/ragged-strings.ts): written in blocks, read whole and by row
// range, and read by h5py from its bytes and offsets alone.
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";
import { File } from "../../src";
import { runAsync, runSync } from "../../src/h5/operation";
import { decodeStrings, encodeStrings } from "../../src/h5/encoded-strings";
import { RaggedStringsWriter, readRaggedStrings, writeRaggedStrings } from "../../src/h5/ragged-strings";
import { python, tempDir } from "../helpers/h5py";

/** Strings that test the encoding: empty, NUL, line breaks, every UTF-8 length, a long one. */
const ODD = ["", "\u0000", "a\nb\r\n", "é", "日本語", "🚀 x 🚀", "\u2028", "tab\there", '"quoted"', "x".repeat(70_000)];

/** Enough strings to pass several 4 MiB blocks and 256 KiB chunks. */
function many(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${i}:${ODD[i % ODD.length].slice(0, 200)}:${"é".repeat(i % 37)}`);
}

const READ_BACK = `
import h5py, json, sys
out = {}
with h5py.File(sys.argv[1], "r") as f:
    for name in f:
        g = f[name]
        o = g["offsets"][:]
        b = g["bytes"][:].tobytes()
        out[name] = {
            "strings": [b[o[i]:o[i + 1]].decode("utf-8") for i in range(len(o) - 1)],
            "shape": [int(n) for n in g.attrs["shape"]],
            "layout": g.attrs["layout"], "version": int(g.attrs["layout_version"]),
            "dtypes": [str(g["bytes"].dtype), str(g["offsets"].dtype)],
            "compression": [g["bytes"].compression, g["offsets"].compression],
            "offset0": int(o[0]),
        }
print(json.dumps(out))
`;

describe("ragged string arrays", () => {
  const dir = tempDir();
  const file = path.join(dir, "ragged.h5");
  const column = many(120_000);
  const matrix = [...ODD, ...ODD.map((s) => s.toUpperCase())];
  type Py = Record<string, { strings: string[]; shape: number[]; layout: string; version: number; dtypes: string[]; compression: (string | null)[]; offset0: number }>;
  let py: Py;

  before(async () => {
    const f = await File.open(file, "w");
    await (await writeRaggedStrings(f, "column", column, [column.length])).close();
    await (await writeRaggedStrings(f, "matrix", matrix, [matrix.length / 2, 2], { compression: "none" })).close();
    await (await writeRaggedStrings(f, "empty", [], [0, 3])).close();
    // Appended in uneven pieces, as a streaming writer would.
    const writer = await RaggedStringsWriter.create(f, "appended", [2]);
    for (let i = 0; i < matrix.length; i += 4) await writer.append(matrix.slice(i, i + 4));
    await (await writer.finish()).close();
    await f.close();
    py = python<Py>(READ_BACK, file);
  });

  test("h5py decodes every string from bytes and offsets", () => {
    assert.deepEqual(py.column.strings, column);
    assert.deepEqual(py.matrix.strings, matrix);
    assert.deepEqual(py.appended.strings, matrix);
    assert.deepEqual(py.empty.strings, []);
  });

  test("the group says its layout, version and shape; the datasets are uint8 and uint64, compressed as asked", () => {
    assert.deepEqual([py.column.layout, py.column.version, py.column.shape, py.column.offset0], ["ragged-utf8", 1, [column.length], 0]);
    assert.deepEqual(py.column.dtypes, ["uint8", "uint64"]);
    assert.deepEqual(py.column.compression, ["gzip", "gzip"]);
    assert.deepEqual(py.matrix.compression, [null, null]);
    assert.deepEqual([py.matrix.shape, py.appended.shape, py.empty.shape], [[matrix.length / 2, 2], [matrix.length / 2, 2], [0, 3]]);
  });

  test("h5dat reads them whole and by row range, sync and async", async () => {
    const f = await File.open(file, "r");
    try {
      const g = await f.group("column");
      assert.deepEqual((await runAsync(readRaggedStrings(g))).data, column);
      assert.deepEqual(runSync(readRaggedStrings(g, 50_000, 50_010)).data, column.slice(50_000, 50_010));
      assert.deepEqual(runSync(readRaggedStrings(g, 119_990, 200_000)), { data: column.slice(119_990), shape: [10] });
      const m = await f.group("matrix");
      assert.deepEqual(await runAsync(readRaggedStrings(m, 3, 5)), { data: matrix.slice(6, 10), shape: [2, 2] });
      assert.deepEqual(await runAsync(readRaggedStrings(await f.group("empty"))), { data: [], shape: [0, 3] });
    } finally {
      await f.close();
    }
  });
});

describe("decodeStrings", () => {
  test("valid UTF-8 of every length decodes as each string's own decode would", () => {
    const strings = Array.from({ length: 5000 }, (_, i) => `${ODD[i % ODD.length].slice(0, 50)}${i}${["🚀", "é", "日"][i % 3]}`);
    const { bytes, ends } = encodeStrings(strings);
    assert.deepEqual(decodeStrings(bytes, Float64Array.from([0, ...ends])), strings);
  });

  test("bytes that are not UTF-8 (another writer's) decode string by string, with replacement characters", () => {
    const bytes = new Uint8Array([0x61, 0x80, 0x62, 0xe6, 0x97]);
    assert.deepEqual(decodeStrings(bytes, Float64Array.from([0, 2, 3, 5])), ["a\ufffd", "b", "\ufffd"]);
  });
});
