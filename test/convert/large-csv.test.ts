// A CSV too large to hold (over 8 MiB) converts as it streams in, its blocks parsed in the workers
// (or in the writer with --workers 0), loose or inside a tar.gz: its table equals the whole file's
// reading (parseCsv) cell for cell, and Python's csv module reading the file equals what h5py reads
// from the table. Columns widen mid-file (int → float rewritten), a number column meeting text late
// makes the entry be read again (from the file, or the copy made as the archive streamed), a cell
// past 4 KiB turns its column ragged, and a late row of another width fails the entry with its
// row number and keeps its bytes.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { convert, File, readBytes, readTable } from "../../src";
import { parseCsv } from "../../src/processors/csv";
import { tarOf } from "../helpers/archives";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-large-csv-");
const ROWS = 170000;

/** A log table: ints that turn float at row 40,000, a price that (when `late`) meets "N/A" at row 100,000, bools, quoted text with commas, quotes, newlines and unicode, a column empty until row 60,000, one 6 KB note. */
function logCsv(late: boolean, delimiter = ",", decimal = "."): string {
  const lines = [["id", "price", "ok", "message", "later", "note"].join(delimiter)];
  for (let i = 0; i < ROWS; i++) {
    const id = i < 40000 ? String(i) : `${i}.5`;
    const price = late && i === 100000 ? "N/A" : `${(i % 997) / 10}`.replace(".", decimal);
    const ok = i % 3 === 0 ? "TRUE" : "false";
    const message = i % 11 === 0 ? `"say ""hi""${delimiter} to\nmany ${i}"` : `event ${i} ${"lorem ".repeat(i % 7)}ü`;
    const later = i < 60000 ? "" : String(i * 3);
    const note = i === 70000 ? "x".repeat(6000) : i % 2 ? "odd" : "";
    lines.push([id, price, ok, message, later, note].join(delimiter));
  }
  return lines.join("\n") + "\n";
}

const late = path.join(dir, "late.csv");
const plain = path.join(dir, "plain.csv");
const semicolons = path.join(dir, "europe.csv");
fs.writeFileSync(late, logCsv(true));
fs.writeFileSync(plain, logCsv(false));
fs.writeFileSync(semicolons, logCsv(false, ";", ","));
const tar = path.join(dir, "tables.tar.gz");
tarOf(tar, { "late.csv": late, "plain.csv": plain });

/** The table at `target` equals parseCsv's reading of `file` (whole), column for column. */
async function assertTable(output: string, target: string, file: string, options: { decimalComma?: boolean } = {}): Promise<void> {
  const whole = await parseCsv(fs.readFileSync(file), options);
  const f = await File.open(output, "r");
  try {
    const table = await readTable(await f.dataset(target));
    assert.deepEqual(table.columns, whole.columns);
    assert.equal(table.length, whole.rows);
    whole.columns.forEach((name, c) => {
      const want = Array.from(whole.values[c] as ArrayLike<unknown>);
      const have = Array.from(table.values[c] as ArrayLike<unknown>);
      const first = want.findIndex((value, r) => !Object.is(value, have[r]));
      assert.equal(first, -1, `${target} column ${name} (${whole.types[c]}) row ${first}: ${String(have[first]).slice(0, 40)} for ${String(want[first]).slice(0, 40)}`);
    });
  } finally {
    await f.close();
  }
}

describe("a CSV over 8 MiB streams into a typed table", () => {
  test("loose and from a tar.gz: widening, a late text cell read again, a ragged column; h5py agrees with Python's csv", async () => {
    assert.ok(fs.statSync(plain).size > 8 << 20);
    const output = path.join(dir, "large.h5");
    const summary = await convert([late, plain, tar], { output });
    assert.deepEqual([summary.written, summary.failed], [4, 0]);
    for (const [target, file] of [["/late.csv", late], ["/plain.csv", plain], ["/tables/late.csv", late], ["/tables/plain.csv", plain]]) await assertTable(output, target, file);
    const seen = python<{ types: Record<string, string[]>; mismatches: unknown[] }>(`
import h5py, csv, json, sys, math
out, late, plain = sys.argv[1:4]
f = h5py.File(out, "r")
types, mismatches = {}, []
for name, src in (("late.csv", late), ("plain.csv", plain)):
    ds = f[name]
    types[name] = [ds.dtype[i].kind for i in range(len(ds.dtype))]
    rows = list(csv.reader(open(src, newline="", encoding="utf-8")))[1:]
    texts = {}
    for c, ragged in enumerate(ds.attrs.get("ragged_datasets", [])):
        if ragged: texts[c] = f[ragged][()].tobytes()
    for r in (0, 1, 39999, 40000, 59999, 60000, 69999, 70000, 99999, 100000, len(rows) - 1):
        rec = ds[r]
        for c, field in enumerate(ds.dtype.names):
            v = rec[field]
            if c in texts:
                start = int(ds[r - 1][field]) if r > 0 else 0
                v = texts[c][start:int(v)].decode()
            elif isinstance(v, bytes): v = v.decode()
            cell = rows[r][c]
            kind = ds.dtype[c].kind
            want = cell if kind in "SO" or c in texts else (cell.lower() == "true" if kind == "b" else (float(cell) if cell else float("nan")) if kind == "f" else int(cell))
            same = (isinstance(want, float) and math.isnan(want) and math.isnan(v)) or v == want
            if not same: mismatches.append([name, r, field, str(v)[:30], str(want)[:30]])
print(json.dumps({"types": types, "mismatches": mismatches}))
`, output, late, plain);
    assert.deepEqual(seen.mismatches, []);
    // late: the price column is text (read again); plain: a float. The note column is ragged (its end offsets, uint64).
    assert.deepEqual(seen.types, { "late.csv": ["f", "S", "b", "S", "f", "u"], "plain.csv": ["f", "f", "b", "S", "f", "u"] });
  });

  test("--workers 0 parses the blocks in the writer, to the same table", async () => {
    const output = path.join(dir, "no-workers.h5");
    await convert([late], { output, workers: 0 });
    await assertTable(output, "/late.csv", late);
  });

  test("semicolons and decimal commas are sniffed and read as the whole file's reading does", async () => {
    const output = path.join(dir, "europe.h5");
    await convert([semicolons], { output, decimalComma: true });
    await assertTable(output, "/europe.csv", semicolons, { decimalComma: true });
    const f = await File.open(output, "r");
    const table = await readTable(await f.dataset("/europe.csv"), [1, 3]);
    assert.deepEqual(Array.from(table.values[1] as Float64Array), [0.1, 0.2]);
    await f.close();
  });

  test("a late row of another width fails the table naming its row; the entry's bytes are kept", async () => {
    const broken = path.join(dir, "broken.csv");
    fs.writeFileSync(broken, logCsv(false).replace("\n150000.5,", "\n150000.5,extra,"));
    const brokenTar = path.join(dir, "broken.tar");
    tarOf(brokenTar, { "broken.csv": broken });
    const output = path.join(dir, "broken.h5");
    const summary = await convert([broken, brokenTar], { output });
    assert.equal(summary.failed, 0);
    const f = await File.open(output, "r");
    for (const target of ["/broken.csv", "/broken/broken.csv"]) {
      const ds = await f.dataset(target);
      assert.equal(await ds.attrs.get("processor"), "bytes");
      assert.match(String(await ds.attrs.get("fallback_reason")), /CSV row 150002 has 7 cells, the header \(row 1\) has 6/);
      assert.ok(Buffer.from(await readBytes(ds)).equals(fs.readFileSync(broken)), `${target} keeps the file's bytes`);
      await ds.close();
    }
    await f.close();
  });
});
