// JSON pairs and kv CSV cells in both their layouts: the ragged string array written now, and the
// [N, 2] / [R, C] variable-length string datasets of files written before it (made here as the
// old writer made them, and by h5py). Both read the same through readJSON, readJSONText,
// readTable, show and export; ls reports what each takes in the file, checked against h5py and
// h5stat.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { convert, File } from "../../src";
import { jsonToPairs, writeJson } from "../../src/processors/json";
import { writeCsv } from "../../src/processors/csv";
import { readJSON, readJSONSync, readJSONText, readTable } from "../../src/read/records";
import { listObject } from "../../src/read/listing";
import { python, tempDir } from "../helpers/h5py";

const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], { encoding: "utf8" });

const DOCUMENTS: Record<string, string> = {
  nested: '{"a": {"b": {"c": [1, [2, [3, {"d": null}]]]}}, "e": true, "f": false}',
  unicode: '{"Zoë": "🚀 日本語 \\u00e9", "k/ey~": ["α", "\\u2028"], "": "empty key"}',
  big_numbers: "[12345678901234567890123, -9223372036854775809, 1e400, -0.0, 1E+2, 3.141592653589793238462643383279]",
  empties: '{"a": [], "b": {}, "c": [[], {}], "d": [{}], "e": {"f": {"g": []}}}',
  nul_newline: '{"s": "nul\\u0000here", "t": "line\\nbreak\\r\\n", "u": ["\\u0000", "\\n"]}',
  index_keys: '{"0": "a", "1": {"0": []}, "x": [{"0": 1}]}',
};
const JSONL = '{"id": 1, "v": [1, 2]}\n\n{"id": 2, "big": 18446744073709551616}\n[]\n"line\\u0000"\n';
const CSV = 'id,name,note\n1,Zoë,"multi\nline"\n2,,"a,b"\n3,日本,tab\there\n';

/** An [N, 2] vlen pointer/value dataset as h5dat wrote JSON before the ragged layout. */
async function writeOldJson(f: File, name: string, text: string, jsonl = false): Promise<void> {
  const flat = jsonToPairs(text, { jsonl }).flat();
  const attrs = { columns: ["pointer", "value"], format: "json-pointer-pairs", jsonl };
  await (await f.createDataset(name, { data: flat, shape: [flat.length / 2, 2], dtype: "string", chunks: true, compression: "gzip", attrs })).close();
}

describe("JSON and kv CSV: the ragged layout and the old vlen layout read the same", () => {
  const dir = tempDir();
  const fresh = path.join(dir, "new.h5");
  const old = path.join(dir, "old.h5");
  const byH5py = path.join(dir, "h5py-old.h5");

  before(async () => {
    for (const [file, write] of [[fresh, false], [old, true]] as const) {
      const f = await File.open(file, "w");
      for (const [name, text] of Object.entries(DOCUMENTS)) {
        if (write) await writeOldJson(f, name, text);
        else await (await writeJson(f, name, text)).close();
      }
      if (write) await writeOldJson(f, "lines", JSONL, true);
      else await (await writeJson(f, "lines", JSONL, { jsonl: true })).close();
      await f.close();
    }
    // The old kv CSV: an [R, C] vlen dataset of the cells with the header in `columns`.
    const f = await File.open(old, "r+");
    const cells = [["1", "Zoë", "multi\nline"], ["2", "", "a,b"], ["3", "日本", "tab\there"]];
    await (await f.createDataset("table.csv", { data: cells.flat(), shape: [3, 3], dtype: "string", chunks: true, compression: "gzip", attrs: { columns: ["id", "name", "note"], mode: "kv", processor: "csv" } })).close();
    await f.close();
    const g = await File.open(fresh, "r+");
    await (await writeCsv(g, "table.csv", CSV, { mode: "kv" })).close();
    await g.close();
    // h5py writing the old layout the way it stored it: vlen UTF-8 strings, the same attrs.
    python(
      `
import h5py, json, sys
pairs = json.loads(sys.argv[2])
with h5py.File(sys.argv[1], "w") as f:
    d = f.create_dataset("doc", data=pairs, dtype=h5py.string_dtype(), chunks=True, compression="gzip")
    d.attrs["columns"] = ["pointer", "value"]
    d.attrs["format"] = "json-pointer-pairs"
    d.attrs["jsonl"] = False
print("{}")
`,
      byH5py,
      JSON.stringify(jsonToPairs(DOCUMENTS.unicode)),
    );
  });

  for (const [name, text] of Object.entries(DOCUMENTS)) {
    test(`${name}: readJSON deep-equals the source, readJSONText keeps its numbers, in both layouts`, async () => {
      const expected = JSON.parse(text.replace(/12345678901234567890123|-9223372036854775809/g, '"$&"'), (_k, v) => (typeof v === "string" && /^-?\d{19,}$/.test(v) ? BigInt(v) : v));
      for (const file of [fresh, old]) {
        const f = await File.open(file, "r");
        try {
          const target = (await f.get(name)) as Parameters<typeof readJSON>[0];
          const value = await readJSON(target);
          assert.deepStrictEqual(value, expected, file);
          assert.deepStrictEqual(readJSONSync(target), expected);
          assert.deepStrictEqual(JSON.parse(await readJSONText(target)), JSON.parse(text), file);
        } finally {
          await f.close();
        }
      }
    });
  }

  test("JSONL reads as the array of its documents in both layouts", async () => {
    for (const file of [fresh, old]) {
      const f = await File.open(file, "r");
      try {
        const target = (await f.get("lines")) as Parameters<typeof readJSON>[0];
        assert.deepStrictEqual(await readJSON(target), [{ id: 1, v: [1, 2] }, { id: 2, big: 18446744073709551616n }, [], "line\u0000"]);
      } finally {
        await f.close();
      }
    }
  });

  test("a file h5py wrote in the old layout reads as the source", async () => {
    const f = await File.open(byH5py, "r");
    try {
      assert.deepStrictEqual(await readJSON(await f.dataset("doc")), JSON.parse(DOCUMENTS.unicode));
    } finally {
      await f.close();
    }
  });

  test("kv CSV: readTable gives the same columns and rows from both layouts, whole and by range", async () => {
    const tables = [];
    for (const file of [fresh, old]) {
      const f = await File.open(file, "r");
      try {
        const target = (await f.get("table.csv")) as Parameters<typeof readTable>[0];
        const table = await readTable(target);
        const part = await readTable(target, [1, 3]);
        tables.push({ mode: table.mode, columns: table.columns, rows: [...table.rows()], part: [...part.rows()] });
      } finally {
        await f.close();
      }
    }
    assert.deepEqual(tables[0], tables[1]);
    assert.deepEqual(tables[0].rows, [
      { id: "1", name: "Zoë", note: "multi\nline" },
      { id: "2", name: "", note: "a,b" },
      { id: "3", name: "日本", note: "tab\there" },
    ]);
    assert.deepEqual(tables[0].part, tables[0].rows.slice(1));
  });

  test("show and export give the same text from both layouts", () => {
    for (const name of ["nested", "lines", "table.csv"]) {
      const shown = [fresh, old].map((file) => cli("show", file, `/${name}`).stdout.split("\n").filter((l) => !l.startsWith("/") && !l.startsWith("  @")).join("\n"));
      assert.equal(shown[0], shown[1], name);
      assert.ok(shown[0].length > 0, name);
    }
    const exported = [fresh, old].map((file, i) => {
      const out = path.join(dir, `export-${i}`);
      const run = cli("export", file, "-o", out);
      assert.equal(run.status, 0, run.stderr);
      return Object.fromEntries(["nested", "unicode", "big_numbers", "lines", "table.csv"].map((n) => [n, fs.readFileSync(path.join(out, n), "utf8")]));
    });
    assert.deepEqual(exported[0], exported[1]);
    assert.equal(exported[0].big_numbers, "[12345678901234567890123,-9223372036854775809,1e400,-0.0,1E+2,3.141592653589793238462643383279]");
  });
});

describe("ls: stored sizes as h5py and h5stat see them", () => {
  const dir = tempDir();
  const oldFile = path.join(dir, "vlen.h5");
  const newFile = path.join(dir, "ragged.h5");
  // Mostly text: the vlen heap dominates the old file.
  const text = JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `name ${i} ${"é".repeat(i % 9)}`, tags: ["a", "bb", "ccc"].slice(0, i % 4) })));

  before(async () => {
    const f = await File.open(oldFile, "w");
    await writeOldJson(f, "doc", text);
    await f.close();
    const g = await File.open(newFile, "w");
    await (await writeJson(g, "doc", text)).close();
    await g.close();
  });

  test("a vlen dataset's stored size is its chunks plus its heap objects (16-byte header, data padded to 8)", async () => {
    const py = python<{ storage: number; heap: number; data: number; n: number; itemsize: number }>(
      `
import h5py, json, sys
with h5py.File(sys.argv[1], "r") as f:
    d = f["doc"]
    values = [s for row in d[()] for s in row]
    heap = sum(16 + -(-len(s) // 8) * 8 for s in values)
    print(json.dumps({"storage": int(d.id.get_storage_size()), "heap": heap, "data": sum(len(s) for s in values), "n": int(d.size), "itemsize": int(d.dtype.itemsize)}))
`,
      oldFile,
    );
    const f = await File.open(oldFile, "r");
    const listed = await listObject(f, "/doc");
    await f.close();
    assert.equal(listed.heapBytes, py.heap);
    assert.equal(listed.storedBytes, py.storage + py.heap);
    assert.equal(listed.logicalBytes, py.n * py.itemsize + py.data);
    // h5stat cannot tell datasets apart, but this file has one: its unaccounted space (the global
    // heap collections) is the heap objects plus each collection's header and free tail.
    const h5stat = execFileSync("h5stat", ["-S", oldFile], { encoding: "utf8" });
    const unaccounted = Number(/Unaccounted space: (\d+)/.exec(h5stat)![1]);
    assert.ok(unaccounted >= py.heap && unaccounted < py.heap * 1.02 + 8192, `h5stat's unaccounted ${unaccounted} vs heap ${py.heap}`);
    const line = cli("ls", oldFile).stdout;
    assert.match(line, /^\/doc\s+dataset string \[\d+, 2\]\s+chunks \[\d+, \d\] gzip:4\s+[\d.]+ KiB → [\d.]+ KiB \(incl\. [\d.]+ KiB vlen heap\) \([\d.]+×\)$/m);
  });

  test("foreign vlen types: compound string fields and int32 sequences count their heap objects too", async () => {
    const file = path.join(dir, "foreign.h5");
    const py = python<Record<string, { storage: number; heap: number }>>(
      `
import h5py, json, sys, numpy as np
with h5py.File(sys.argv[1], "w") as f:
    rec = np.dtype([("id", "i8"), ("name", h5py.string_dtype())])
    f.create_dataset("records", data=np.array([(i, "n" * (i % 23)) for i in range(500)], dtype=rec), chunks=True, compression="gzip")
    seqs = np.empty(300, dtype=object)
    for i in range(300): seqs[i] = np.arange(i % 11, dtype="i4")
    f.create_dataset("seqs", data=seqs, dtype=h5py.vlen_dtype(np.dtype("i4")))
with h5py.File(sys.argv[1], "r") as f:
    heap = lambda sizes: sum(16 + -(-n // 8) * 8 for n in sizes)
    out = {
        "records": {"storage": int(f["records"].id.get_storage_size()), "heap": heap(len(r["name"]) for r in f["records"][()])},
        "seqs": {"storage": int(f["seqs"].id.get_storage_size()), "heap": heap(4 * len(s) for s in f["seqs"][()])},
    }
print(json.dumps(out))
`,
      file,
    );
    const f = await File.open(file, "r");
    try {
      for (const name of ["records", "seqs"]) {
        const listed = await listObject(f, `/${name}`);
        assert.deepEqual([listed.heapBytes, listed.storedBytes], [py[name].heap, py[name].storage + py[name].heap], name);
      }
    } finally {
      await f.close();
    }
  });

  test("a ragged group's stored size is its two datasets' storage, as h5py gives it", async () => {
    const py = python<{ stored: number; logical: number; file: number }>(
      `
import h5py, json, os, sys
with h5py.File(sys.argv[1], "r") as f:
    g = f["doc"]
    stored = g["bytes"].id.get_storage_size() + g["offsets"].id.get_storage_size()
    logical = g["bytes"].size + 8 * g["offsets"].size
print(json.dumps({"stored": int(stored), "logical": int(logical), "file": os.path.getsize(sys.argv[1])}))
`,
      newFile,
    );
    const f = await File.open(newFile, "r");
    const listed = await listObject(f, "/doc");
    await f.close();
    assert.deepEqual([listed.kind, listed.layout, listed.storedBytes, listed.logicalBytes, listed.heapBytes], ["group", "ragged-utf8", py.stored, py.logical, undefined]);
    assert.match(cli("ls", newFile).stdout, /^\/doc\s+group ragged-utf8 string \[\d+, 2\]\s+bytes\+offsets\s+[\d.]+ KiB → [\d.]+ KiB \([\d.]+×\)$/m);
    // Compressed text: the new file is a fraction of the old one.
    assert.ok(py.file * 3 < fs.statSync(oldFile).size, `${py.file} vs ${fs.statSync(oldFile).size}`);
  });
});

describe("--csv kv through convert", () => {
  test("round trips the cells, read by h5dat and by h5py", async () => {
    const dir = tempDir();
    const input = path.join(dir, "cells.csv");
    fs.writeFileSync(input, CSV);
    const output = path.join(dir, "kv.h5");
    await convert([input], { output, csv: "kv", workers: 0 });
    const f = await File.open(output, "r");
    const table = await readTable(await f.group("/cells.csv"));
    await f.close();
    assert.deepEqual([table.mode, table.columns, table.values], ["kv", ["id", "name", "note"], [["1", "2", "3"], ["Zoë", "", "日本"], ["multi\nline", "a,b", "tab\there"]]]);
    const py = python<string[][]>(
      `
import h5py, json, sys, csv, io
with h5py.File(sys.argv[1], "r") as f:
    g = f["cells.csv"]
    o = g["offsets"][:]; b = g["bytes"][:].tobytes()
    cells = [b[o[i]:o[i + 1]].decode("utf-8") for i in range(len(o) - 1)]
    r, c = [int(n) for n in g.attrs["shape"]]
    rows = [list(g.attrs["columns"])] + [cells[i * c:(i + 1) * c] for i in range(r)]
with open(sys.argv[2], newline="", encoding="utf-8") as fh:
    print(json.dumps([rows, list(csv.reader(fh))]))
`,
      output,
      input,
    );
    assert.deepEqual(py[0], py[1]);
  });
});
