// CSV/TSV → a typed compound dataset ("table") or raw cell strings ("kv", a ragged string array). Written with h5dat,
// read with h5py, and compared cell by cell with Python's csv module reading the same file.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { before, describe, test } from "node:test";
import { File, readTable } from "../../src";
import { csvDelimiterFor, CsvError, parseCsv, writeCsv } from "../../src/processors/csv";
import { python, tempDir } from "../helpers/h5py";

interface Case {
  name: string;
  file: string;
  text: string;
  /** Expected numpy kind per field: i int64, f float64, b bool, S string (fixed-length UTF-8). */
  kinds: string;
  mode?: "table" | "kv";
}

const CASES: Case[] = [
  {
    name: "mixed",
    file: "mixed.csv",
    text: 'id,score,ok,name,big\n1,2.5,true,"Smith, J.",9223372036854775807\n2,,FALSE,"say ""hi""",-9223372036854775808\n3,-1e-3,True,"two\nlines",0\n',
    kinds: "ifbSi",
  },
  { name: "crlf_bom", file: "crlf.csv", text: "\ufeffa,b,c\r\n1,x,\r\n\r\n2,y,3.5\r\n", kinds: "iSf" },
  { name: "tsv", file: "data.tsv", text: "city\tpop\tnote\nZürich\t421878\tsee, also\n東京\t13960000\t\"tab\there\"\n", kinds: "SiS" },
  { name: "gzip", file: "data.csv.gz", text: "x,y\n1,nan\n2,inf\n3,-Infinity\n", kinds: "if" },
  { name: "empty_and_big", file: "empty.csv", text: "e,huge,s\n,99999999999999999999,\n,1,\n", kinds: "SfS" },
  { name: "header_only", file: "header.csv", text: "p,q\n", kinds: "SS" },
  { name: "duplicate_headers", file: "dup.csv", text: "a,a,\n1,2,3\n", kinds: "iii" },
  { name: "kv", file: "kv.csv", text: 'k,v\nalpha,"1,2"\nbeta,\n', kinds: "", mode: "kv" },
];

const CHECK = `
import h5py, json, sys, csv, gzip, math
h5path, srcdir = sys.argv[1], sys.argv[2]
cases = json.loads(sys.argv[3])
def cell_value(kind, cell):
    if kind == "i": return int(cell)
    if kind == "f": return float(cell) if cell != "" else float("nan")
    if kind == "b": return cell.lower() == "true"
    return cell
def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b): return True
    return type(a) == type(b) and a == b
def py(v):
    if isinstance(v, bytes): return v.decode("utf-8")
    return v.item() if hasattr(v, "item") else v
out = {}
with h5py.File(h5path, "r") as f:
    for c in cases:
        src = srcdir + "/" + c["file"]
        opener = gzip.open if src.endswith(".gz") else open
        delimiter = "\\t" if ".tsv" in src else ","
        with opener(src, "rt", encoding="utf-8-sig", newline="") as fh:
            rows = [r for r in csv.reader(fh, delimiter=delimiter) if r]
        header, body = rows[0], rows[1:]
        ds = f[c["name"]]
        attrs = {k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in ds.attrs.items()}
        mismatches = []
        if c.get("mode") == "kv":
            kinds = ""
            # A ragged string array: the cells' UTF-8 between consecutive offsets, row-major.
            shape = [int(n) for n in ds.attrs["shape"]]
            o = ds["offsets"][:]
            b = ds["bytes"][:].tobytes()
            cells = [b[o[i]:o[i + 1]].decode("utf-8") for i in range(len(o) - 1)]
            got = [cells[r * shape[1]:(r + 1) * shape[1]] for r in range(shape[0])]
            if got != body: mismatches.append([got, body])
            ds = ds["bytes"]
        else:
            names = ds.dtype.names
            kinds = "".join("b" if ds.dtype[n] == bool else ds.dtype[n].kind for n in names)
            data = ds[()]
            for r, row in enumerate(body):
                for j, n in enumerate(names):
                    want = cell_value(kinds[j], row[j])
                    have = py(data[r][n])
                    if kinds[j] == "b": have = bool(have)
                    if not same(have, want): mismatches.append([r, n, repr(have), repr(want)])
            shape = list(ds.shape)
            if shape != [len(body)]: mismatches.append(["shape", shape, len(body)])
        out[c["name"]] = {"kinds": kinds, "header": header, "attrs": attrs, "mismatches": mismatches, "shape": shape, "compression": ds.compression}
print(json.dumps(out))
`;

interface PyResult {
  kinds: string;
  header: string[];
  attrs: { columns: string[]; mode: string };
  mismatches: unknown[];
  shape: number[];
  compression: string | null;
}

describe("writeCsv, read by h5py", () => {
  const dir = tempDir();
  const h5path = path.join(dir, "csv.h5");
  let results: Record<string, PyResult>;

  before(async () => {
    const f = await File.open(h5path, "w");
    for (const c of CASES) {
      const bytes = Buffer.from(c.text, "utf8");
      const file = path.join(dir, c.file);
      fs.writeFileSync(file, c.file.endsWith(".gz") ? zlib.gzipSync(bytes) : bytes);
      await writeCsv(f, c.name, fs.readFileSync(file), { delimiter: csvDelimiterFor(c.file), mode: c.mode });
    }
    await f.close();
    results = python<Record<string, PyResult>>(CHECK, h5path, dir, JSON.stringify(CASES));
  });

  for (const c of CASES) {
    test(c.name, () => {
      const r = results[c.name];
      assert.deepEqual(r.mismatches, []);
      assert.equal(r.kinds, c.kinds);
      assert.deepEqual(r.attrs.columns, r.header, "attr columns is Python's header row");
      assert.equal(r.attrs.mode, c.mode ?? "table");
      assert.equal(r.compression, "gzip");
    });
  }

  test("kv keeps [R, C] raw cells", () => assert.deepEqual(results.kv.shape, [2, 2]));
});

describe("parseCsv", () => {
  test("types and values per column", async () => {
    const table = await parseCsv('i,f,b,s\n1,1.5,true,a\n12345678901234567890,,false,"b,c"\n');
    assert.deepEqual(table.columns, ["i", "f", "b", "s"]);
    // 12345678901234567890 is beyond int64: the column is float64.
    assert.deepEqual(table.types, ["float64", "float64", "bool", "string"]);
    assert.deepEqual(Array.from(table.values[0] as Float64Array), [1, 12345678901234567890]);
    assert.ok(Number.isNaN((table.values[1] as Float64Array)[1]));
    assert.deepEqual(table.values[2], [true, false]);
    assert.deepEqual(table.values[3], ["a", "b,c"]);
    assert.equal(table.rows, 2);
  });

  test("int64 columns hold BigInts exactly", async () => {
    const table = await parseCsv("n\n9007199254740993\n-9223372036854775808\n+7\n");
    assert.deepEqual(table.types, ["int64"]);
    assert.deepEqual(Array.from(table.values[0] as BigInt64Array), [9007199254740993n, -9223372036854775808n, 7n]);
  });

  test("reads a stream, gzipped", async () => {
    const gz = zlib.gzipSync(Buffer.from("a;b\n1;x\n"));
    const table = await parseCsv(Readable.from([gz.subarray(0, 5), gz.subarray(5)]), { delimiter: ";" });
    assert.deepEqual(table.columns, ["a", "b"]);
    assert.deepEqual(table.types, ["int64", "string"]);
  });

  test("ragged rows name the row", async () => {
    await assert.rejects(parseCsv("a,b\n1,2\n3,4,5\n"), (e: unknown) => e instanceof CsvError && e.row === 3 && /row 3 has 3 cells, the header \(row 1\) has 2/.test(e.message));
    await assert.rejects(parseCsv("a,b\n1,2\n\n3\n"), (e: unknown) => e instanceof CsvError && e.row === 4);
  });

  test("malformed quoting and empty input are CsvErrors", async () => {
    await assert.rejects(parseCsv('a,b\n1,"2"x\n'), (e: unknown) => e instanceof CsvError && /invalid CSV: .*got: 'x'/.test(e.message));
    await assert.rejects(parseCsv(""), /no header row/);
    await assert.rejects(parseCsv("a\n", { delimiter: "::" }), /one character/);
  });

  test("csvDelimiterFor", () => {
    assert.equal(csvDelimiterFor("x.tsv"), "\t");
    assert.equal(csvDelimiterFor("X.TSV.gz"), "\t");
    assert.equal(csvDelimiterFor("x.csv.gz"), ",");
  });
});

// Files that open with metadata instead of a header (scikit-learn's datasets): the metadata rows
// go to the attr `preamble`, the table is the rows of the width most rows have, with the first
// of them as header unless it is all numbers; values as Python's csv reads the rows after it.
describe("metadata rows before the table", () => {
  const dir = tempDir("h5dat-csv-preamble-");
  const CASES = {
    // breast_cancer.csv: "569,30,malignant,benign", then rows of 31 cells, no header.
    "no-header.csv": { text: "3,2,no,yes\n1.5,2,0\n2.5,3,1\n-1,4,1\n", preamble: ["3,2,no,yes"], columns: ["column_0", "column_1", "column_2"], skip: 1 },
    // boston_house_prices.csv: "506,13,,,...", padded to the table's width, then a header.
    "padded.csv": { text: '2,3,,,\n"A","B","C","D","E"\n1,2,3,4,x\n5,6,7,8,y\n', preamble: ["2,3,,,"], columns: ["A", "B", "C", "D", "E"], skip: 2 },
    // Two metadata lines, then a header.
    "two-lines.csv": { text: "# made by a tool\nversion,2\nname,n,score\nab,1,0.5\ncd,2,\n", preamble: ["# made by a tool", "version,2"], columns: ["name", "n", "score"], skip: 3 },
  };

  test("the preamble is an attr; the table's values equal Python's csv after it", async () => {
    const file = await File.open(path.join(dir, "preamble.h5"), "w");
    for (const [name, { text }] of Object.entries(CASES)) {
      fs.writeFileSync(path.join(dir, name), text);
      await (await writeCsv(file, name, text)).close();
    }
    await file.close();
    const seen = python<Record<string, { preamble: string[]; columns: string[]; rows: string[][]; expected: string[][] }>>(`import csv, h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], "r")
skips = json.loads(sys.argv[3])
def text(v):
    if isinstance(v, bytes): return v.decode()
    if isinstance(v, float): return "" if v != v else repr(v).rstrip("0").rstrip(".") if "." in repr(v) else repr(v)
    return str(v)
out = {}
for name, skip in skips.items():
    d = f[name]
    rows = [[text(x.item() if hasattr(x, "item") else x) for x in r] for r in d[()]]
    expected = list(csv.reader(open(sys.argv[2] + "/" + name, newline="")))[skip:]
    out[name] = {"preamble": [p.decode() if isinstance(p, bytes) else p for p in d.attrs["preamble"]], "columns": [c.decode() if isinstance(c, bytes) else c for c in d.attrs["columns"]], "rows": rows, "expected": expected}
print(json.dumps(out))`, path.join(dir, "preamble.h5"), dir, JSON.stringify(Object.fromEntries(Object.entries(CASES).map(([name, c]) => [name, c.skip]))));
    for (const [name, c] of Object.entries(CASES)) {
      assert.deepEqual(seen[name].preamble, c.preamble, name);
      assert.deepEqual(seen[name].columns, c.columns, name);
      // Numbers as Python prints them ("1.5", "2"); an empty float cell is NaN, shown as "".
      assert.deepEqual(seen[name].rows, seen[name].expected.map((row) => row.map((cell) => (cell === "" ? "" : String(Number.isNaN(Number(cell)) ? cell : Number(cell))))), name);
    }
  });

  test("integer-like header names keep the file's column order", async () => {
    const table = await parseCsv("0,0,5,13\n1,2,3,4\n");
    assert.deepEqual(table.columns, ["0", "0", "5", "13"]);
    const file = await File.open(path.join(dir, "order.h5"), "w");
    await (await writeCsv(file, "t", "0,0,5,13\n1,2,3,4\n")).close();
    await file.close();
    assert.deepEqual(python(`import h5py, sys, json
d = h5py.File(sys.argv[1], "r")["t"]
print(json.dumps([list(d.dtype.names), [int(x) for x in d[0]]]))`, path.join(dir, "order.h5")), [["0", "0_1", "5", "13"], [1, 2, 3, 4]]);
  });

  test("rows of another width after the table starts: a clear error counting them", async () => {
    await assert.rejects(parseCsv("a,b,c\n1,2,3\n4,5\n6,7,8,9\n7,8,9\n"), (e: unknown) =>
      e instanceof CsvError && e.row === 3 && e.message === "CSV row 3 has 2 cells, the header (row 1) has 3; 2 of the 4 data rows have another width (2 cells: 1 row, 4 cells: 1 row) (cells split at ',', sniffed from the first rows; give another with --csv-delimiter or a schema rule's \"delimiter\")");
    // A header of names is never taken for metadata, even with empty names at its end.
    const table = await parseCsv("a,b,\n1,2,3\n");
    assert.deepEqual([table.columns, table.preamble], [["a", "b", ""], undefined]);
  });
});

describe("text columns", () => {
  test("fixed-length UTF-8 sized to a power of two; a cell over 4 KiB makes its column ragged; readTable gives the texts", async () => {
    const dir = tempDir();
    const file = path.join(dir, "text.h5");
    const long = "ü".repeat(2100);
    const f = await File.open(file, "w");
    await (await writeCsv(f, "t", `name,note,n\nab,x,1\n東京,${long},2\n`)).close();
    const table = await readTable(await f.dataset("t"));
    assert.deepEqual(table.values.slice(0, 2), [["ab", "東京"], ["x", long]]);
    assert.deepEqual(await (await f.dataset("t")).attrs.get("ragged_datasets"), ["", "t.ragged.1", ""]);
    await f.close();
    const seen = python<{ dtype: string[]; note: string }>(
      "import h5py, json, sys; f = h5py.File(sys.argv[1]); d = f['t']; e = d['note']; print(json.dumps({'dtype': [d.dtype[i].str for i in range(3)], 'note': f['t.ragged.1'][e[0]:e[1]].tobytes().decode()}))",
      file,
    );
    assert.deepEqual(seen, { dtype: ["|S8", "<u8", "<i8"], note: long });
  });

  test("a table written before (variable-length string fields, as h5py writes them) reads the same", async () => {
    const dir = tempDir();
    const file = path.join(dir, "old.h5");
    python(`import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    t = np.dtype([("name", h5py.string_dtype()), ("n", "<i8")])
    d = f.create_dataset("t.csv", data=np.array([("Zoë", 1), ("", 2)], dtype=t))
    d.attrs["columns"] = ["name", "n"]
    d.attrs["mode"] = "table"
print("{}")`, file);
    const f = await File.open(file, "r");
    const table = await readTable(await f.dataset("t.csv"));
    assert.deepEqual([table.values[0], Array.from(table.values[1] as BigInt64Array)], [["Zoë", ""], [1n, 2n]]);
    await f.close();
  });
});
