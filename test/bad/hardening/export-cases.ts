// Issue 17's export and show cases (points 6 and 9): a tiny file whose never-written 2^40-row
// table once made `export` grow without end, partly written datasets streamed with flat memory,
// a 100 MB attribute that `show` once took gigabytes for, and export names that collided (`x`
// and `x.png` both as x.png, `..hidden` taken for an escape). Inputs are made here with h5py (or
// h5dat convert of a directory made here); values are checked with h5py/numpy/PIL.
import fs from "node:fs";
import path from "node:path";
import type { BadCase } from "../case";
import { python } from "../../helpers/h5py";
import { runConvert } from "../run-convert";
import { expectPeak, expectStatus, filesUnder, runMeasured, type ExportRow } from "./export-run";

const ROWS_2_40 = 2 ** 40;

/** Throws with `what` unless `ok`. */
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

/** Export's --json result: the files written and the skipped datasets. */
function exportResult(stdout: string): { files: ExportRow[]; skipped: { dataset: string; reason: string }[] } {
  return JSON.parse(stdout) as { files: ExportRow[]; skipped: { dataset: string; reason: string }[] };
}

const fillTable: BadCase = {
  name: "export-fill-table-2^40",
  expected: "a few-kB file, 2^40-row tables never written: exit 0, both skipped 'never written … 16 TiB', the rest written; peak < 300 MB, seconds",
  async run(dir) {
    const file = path.join(dir, "fill.h5");
    python(`import sys, h5py, numpy as np
dt = np.dtype([("a", "<i8"), ("b", "<f8")])
with h5py.File(sys.argv[1], "w") as f:
    f.create_dataset("t", shape=(2**40,), maxshape=(None,), dtype=dt, chunks=(1024,))
    f.create_dataset("t.csv", shape=(2**40,), maxshape=(None,), dtype=dt, chunks=(1024,)).attrs["processor"] = "csv"
    f.create_dataset("small", data=np.array([1, 2, 3], "<i4"))
print("[]")`, file);
    const size = fs.statSync(file).size;
    check(size < 16_000, `the input is ${size} bytes`);
    const outcomes: string[] = [];
    for (const target of [["-o", path.join(dir, "out")], ["--archive", path.join(dir, "out.zip")]]) {
      const run = await runMeasured(["export", file, ...target, "--json"]);
      expectStatus(run, 0, target[0]);
      expectPeak(run, 300, target[0]);
      const result = exportResult(run.stdout);
      check(JSON.stringify(result.files.map((f) => [f.dataset, f.file])) === JSON.stringify([["/small", "small.npy"]]), `files: ${JSON.stringify(result.files)}`);
      check(JSON.stringify(result.skipped.map((s) => s.dataset)) === JSON.stringify(["/t", "/t.csv"]), `skipped: ${JSON.stringify(result.skipped)}`);
      for (const skipped of result.skipped) {
        check(/^never written: no storage is allocated, so all of its \[1099511627776\] elements \(16 TiB\) would be the fill value/.test(skipped.reason), `reason: ${skipped.reason}`);
      }
      outcomes.push(`${target[0]} ${run.peakMb} MB ${run.seconds.toFixed(1)} s`);
    }
    check(JSON.stringify(filesUnder(path.join(dir, "out"))) === JSON.stringify(["export-manifest.json", "small.npy"]), `out holds ${filesUnder(path.join(dir, "out")).join(", ")}`);
    check(JSON.stringify(fs.readdirSync(dir).sort()) === JSON.stringify(["fill.h5", "out", "out.zip"]), `dir holds ${fs.readdirSync(dir).join(", ")}`);
    const read = python<{ small: number[]; zip: string[]; rows: ExportRow[] }>(`import sys, json, zipfile, io, numpy as np
z = zipfile.ZipFile(sys.argv[2])
small = np.load(io.BytesIO(z.read("small.npy")))
assert (np.load(sys.argv[1] + "/small.npy") == small).all()
print(json.dumps({"small": small.tolist(), "zip": sorted(z.namelist()), "rows": json.loads(z.read("export-manifest.json"))["datasets"]}))`, path.join(dir, "out"), path.join(dir, "out.zip"));
    check(JSON.stringify(read.small) === "[1,2,3]", `small.npy: ${JSON.stringify(read.small)}`);
    check(read.zip.join() === "export-manifest.json,small.npy", `zip: ${read.zip.join()}`);
    check(read.rows.filter((r) => r.status === "skipped").length === 2, `manifest: ${JSON.stringify(read.rows)}`);
    return `${size} B input, ${ROWS_2_40} rows: exit 0, 2 skipped (never written, 17.6 TB), 1 written; ${outcomes.join("; ")}`;
  },
};

const PARTIAL_ROWS = 2 ** 23;
const TABLE_ROWS = 2 ** 20;
const STRING_ROWS = 2 ** 18;

const partlyWritten: BadCase = {
  name: "export-partly-written-big",
  expected: "2^40 float64 never written: skipped; 64 MiB .npy of 2 rows, two 2^20-row CSVs (foreign and h5dat's), 2^18-line text of mostly fill: written equal to h5py, in a directory and a tar; peak < 400 MB",
  async run(dir) {
    const file = path.join(dir, "partial.h5");
    python(`import sys, h5py, numpy as np
dt = np.dtype([("a", "<i8"), ("b", "<f8")])
with h5py.File(sys.argv[1], "w") as f:
    f.create_dataset("never", shape=(2**40,), dtype="<f8", chunks=(2**16,))
    # Rows of 2^22 values, larger than export's 16 MiB blocks: read in runs along the row.
    n = f.create_dataset("numbers", shape=(2, ${PARTIAL_ROWS / 2}), dtype="<f8", chunks=(1, 2**16))
    n[0, 0:3] = [1.5, 2.5, 3.5]
    n[1, -2:] = [7, 8]
    t = f.create_dataset("table", shape=(${TABLE_ROWS},), dtype=dt, chunks=(2**14,))
    t[0:2] = np.array([(1, 0.5), (2, 1.5)], dt)
    # The same as h5dat's own CSV table (read by readTable, block by block).
    f.copy("table", "h5dat_table")
    f["h5dat_table"].attrs["processor"] = "csv"
    s = f.create_dataset("lines", shape=(${STRING_ROWS},), dtype=h5py.string_dtype(), chunks=(2**12,))
    s[0:3] = ["one", "two", "three"]
print("[]")`, file);
    const outcomes: string[] = [];
    const out = path.join(dir, "out");
    const tar = path.join(dir, "out.tar");
    for (const target of [["-o", out], ["--archive", tar]]) {
      const run = await runMeasured(["export", file, ...target, "--json"]);
      expectStatus(run, 0, target[0]);
      expectPeak(run, 400, target[0]);
      const result = exportResult(run.stdout);
      check(JSON.stringify(result.files.map((f) => f.file).sort()) === JSON.stringify(["h5dat_table.csv", "lines.txt", "numbers.npy", "table.csv"]), `files: ${JSON.stringify(result.files)}`);
      check(result.skipped.length === 1 && result.skipped[0].dataset === "/never" && /^never written: .*\(8 TiB\)/.test(result.skipped[0].reason), `skipped: ${JSON.stringify(result.skipped)}`);
      outcomes.push(`${target[0]} ${run.peakMb} MB ${run.seconds.toFixed(1)} s`);
    }
    // Nothing beside the outputs: no spool file left by the tar's CSV.
    check(JSON.stringify(fs.readdirSync(dir).sort()) === JSON.stringify(["out", "out.tar", "partial.h5"]), `dir holds ${fs.readdirSync(dir).join(", ")}`);
    const checked = python<Record<string, string>>(`import sys, json, tarfile, io, h5py, numpy as np, csv
f = h5py.File(sys.argv[1], "r")
tar = tarfile.open(sys.argv[3])
out = {}
for where, read in [("dir", lambda name: open(sys.argv[2] + "/" + name, "rb").read()), ("tar", lambda name: tar.extractfile(name).read())]:
    numbers = np.load(io.BytesIO(read("numbers.npy")))
    assert numbers.dtype == np.dtype("<f8") and numbers.shape == f["numbers"].shape, (numbers.dtype, numbers.shape)
    assert (numbers == f["numbers"][()]).all()
    table = f["table"][()]
    for name in ("table.csv", "h5dat_table.csv"):
        rows = list(csv.reader(io.StringIO(read(name).decode())))
        assert rows[0] == ["a", "b"] and len(rows) == len(table) + 1, (name, rows[0], len(rows))
        assert all(int(r[0]) == a and float(r[1]) == b for r, (a, b) in zip(rows[1:], table.tolist())), name
    lines = read("lines.txt").decode().split("\\n")
    assert lines[-1] == "" and lines[:-1] == [v.decode() for v in f["lines"][()]]
    out[where] = "%d numbers, 2 × %d rows, %d lines equal" % (numbers.size, len(rows) - 1, len(lines) - 1)
print(json.dumps(out))`, file, out, tar);
    return `exit 0, /never skipped (8.8 TB of fill); ${checked.dir} (dir and tar); ${outcomes.join("; ")}`;
  },
};

const ATTR_ELEMENTS = 100 * 1024 * 1024 / 8;

const bigAttribute: BadCase = {
  name: "show-100MB-attribute",
  expected: "show of a 100 MB attribute: exit 0, its first 1000 values, shape and 104.9 MB; show peak < 600 MB (HDF5 decodes it whole to list and open it), ls < 200 MB; a [1, 2^26] dataset previews 1000 values",
  async run(dir) {
    const file = path.join(dir, "attr.h5");
    // Past 64 KiB an attribute needs dense storage: libver "latest".
    python(`import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "w", libver="latest") as f:
    d = f.create_dataset("d", data=np.arange(3))
    d.attrs["big"] = np.arange(${ATTR_ELEMENTS}, dtype="<f8")
    d.attrs["small"] = "kept whole"
    f.create_dataset("wide", shape=(1, 2**26), dtype="<f8", chunks=(1, 2**16))[0, :5] = [9, 8, 7, 6, 5]
print("[]")`, file);
    const shown = await runMeasured(["show", file, "/d"]);
    expectStatus(shown, 0, "show");
    expectPeak(shown, 600, "show");
    const line = shown.stdout.split("\n").find((l) => l.startsWith("  @big = ")) ?? "";
    // The line is cut to the width (100 columns off a terminal), saying so; --json below has the 1000 values.
    check(line.startsWith(`  @big = <float64 [${ATTR_ELEMENTS}], ${ATTR_ELEMENTS} elements, 100 MiB: the first 1000>`) && / … \([\d,]+ more characters\)$/.test(line) && [...line].length <= 100, `show printed: ${line.slice(0, 200)} … ${line.slice(-40)}`);
    check(shown.stdout.includes(`  @small = "kept whole"`), `show printed: ${shown.stdout.slice(0, 300)}`);
    const json = await runMeasured(["show", "--json", file, "/d"]);
    expectStatus(json, 0, "show --json");
    expectPeak(json, 600, "show --json");
    const big = (JSON.parse(json.stdout) as { attrs: { big: { head: boolean; values: number[]; shape: number[]; count: number; bytes: number } } }).attrs.big;
    const h5py = python<number[]>(`import sys, json, h5py
print(json.dumps(h5py.File(sys.argv[1], "r")["d"].attrs["big"][:1000].tolist()))`, file);
    check(big.head && big.count === ATTR_ELEMENTS && big.bytes === ATTR_ELEMENTS * 8 && big.shape.join() === String(ATTR_ELEMENTS), `--json: ${JSON.stringify({ ...big, values: big.values.length })}`);
    check(JSON.stringify(big.values) === JSON.stringify(h5py), "--json values differ from h5py's first 1000");
    const wide = await runMeasured(["show", "--json", file, "/wide"]);
    expectStatus(wide, 0, "show /wide");
    const values = (JSON.parse(wide.stdout) as { preview: { values: number[] } }).preview.values;
    check(values.length === 1000 && values.slice(0, 6).join() === "9,8,7,6,5,0", `/wide preview: ${values.length} values ${values.slice(0, 6).join()}`);
    const listed = await runMeasured(["ls", "-r", file]);
    expectStatus(listed, 0, "ls");
    expectPeak(listed, 200, "ls");
    return `exit 0, first 1000 of ${ATTR_ELEMENTS} values equal h5py's, 100 MiB named; peak show ${shown.peakMb} MB, --json ${json.peakMb} MB, ls ${listed.peakMb} MB; /wide 1000 values`;
  },
};

/** The sources of the collision case: three PNGs whose names fold to one, and names of dots. */
const COLLIDING = [
  { name: "x", value: 10 },
  { name: "x.png", value: 20 },
  { name: "X.PNG", value: 30 },
] as const;
const DOTTED = [
  { name: "..hidden", text: "hidden text\n" },
  { name: "...", text: "dots\n" },
] as const;

const collisions: BadCase = {
  name: "export-name-collisions",
  expected: "x, x.png, X.PNG, ..hidden, ...: exit 0 into a directory, a zip and a tar, 5 files under distinct names (x (1).png, x (2).png), the manifest mapping each, equal to the sources",
  async run(dir) {
    const input = path.join(dir, "col");
    fs.mkdirSync(input);
    python(`import sys, json
from PIL import Image
import numpy as np
for name, v in json.loads(sys.argv[2]):
    a = np.full((4, 5, 3), v, np.uint8)
    a[0, 0] = [v, v + 1, v + 2]
    Image.fromarray(a).save(sys.argv[1] + "/" + name, format="PNG")
print("[]")`, input, JSON.stringify(COLLIDING.map((c) => [c.name, c.value])));
    for (const dotted of DOTTED) fs.writeFileSync(path.join(input, dotted.name), dotted.text);
    const h5 = path.join(dir, "col.h5");
    const converted = await runConvert([input], h5);
    if (converted.exitCode !== 0) throw new Error(`convert: exit ${converted.exitCode}: ${converted.stderr}`);
    const expectedFiles: Record<string, string> = { "/col/X.PNG": "col/X.PNG", "/col/x": "col/x (1).png", "/col/x.png": "col/x (2).png", "/col/..hidden": "col/..hidden", "/col/...": "col/..." };
    const targets = [["-o", path.join(dir, "out")], ["--archive", path.join(dir, "out.zip")], ["--archive", path.join(dir, "out.tar")]];
    for (const target of targets) {
      const run = await runMeasured(["export", h5, ...target]);
      expectStatus(run, 0, target.join(" "));
      check(run.stdout.includes("renamed: /col/x → col/x (1).png (col/x.png was taken)"), `${target[0]} printed: ${run.stdout}`);
    }
    check(JSON.stringify(fs.readdirSync(dir).sort()) === JSON.stringify(["col", "col.h5", "out", "out.tar", "out.zip"]), `dir holds ${fs.readdirSync(dir).join(", ")}`);
    // Each export read back: the manifest's rows, and each file's pixels or bytes by the dataset it names.
    const read = python<Record<string, { rows: ExportRow[]; names: string[]; content: Record<string, unknown> }>>(`import sys, json, io, zipfile, tarfile
from PIL import Image
import numpy as np
def content(names, read):
    rows = json.loads(read("export-manifest.json"))["datasets"]
    out = {}
    for r in rows:
        data = read(r["file"])
        if r["file"].endswith(".png") or r["file"].endswith(".PNG"):
            out[r["dataset"]] = np.asarray(Image.open(io.BytesIO(data))).tolist()
        else:
            out[r["dataset"]] = data.decode()
    return {"rows": rows, "names": sorted(names), "content": out}
import os
d = sys.argv[1]
dir_names = [os.path.relpath(os.path.join(p, n), d) for p, _, ns in os.walk(d) for n in ns]
z = zipfile.ZipFile(sys.argv[2])
t = tarfile.open(sys.argv[3])
print(json.dumps({
  "dir": content(dir_names, lambda n: open(os.path.join(d, n), "rb").read()),
  "zip": content(z.namelist(), z.read),
  "tar": content(t.getnames(), lambda n: t.extractfile(n).read()),
}))`, path.join(dir, "out"), path.join(dir, "out.zip"), path.join(dir, "out.tar"));
    const sourcePixels = python<Record<string, unknown>>(`import sys, json
from PIL import Image
import numpy as np
print(json.dumps({n: np.asarray(Image.open(sys.argv[1] + "/" + n)).tolist() for n in json.loads(sys.argv[2])}))`, input, JSON.stringify(COLLIDING.map((c) => c.name)));
    for (const [where, got] of Object.entries(read)) {
      const files = Object.fromEntries(got.rows.map((r) => [r.dataset, r.file]));
      check(JSON.stringify(files) === JSON.stringify(Object.fromEntries(Object.keys(files).map((k) => [k, expectedFiles[k]]))) && Object.keys(files).length === 5, `${where} manifest: ${JSON.stringify(got.rows)}`);
      check(got.rows.every((r) => r.status === "written"), `${where}: not all written`);
      const renamed = got.rows.filter((r) => r.renamedFrom).map((r) => `${r.dataset}:${r.renamedFrom}`).sort();
      check(renamed.join() === "/col/x.png:col/x.png,/col/x:col/x.png", `${where} renamedFrom: ${renamed.join()}`);
      check(got.names.join() === [...Object.values(expectedFiles), "export-manifest.json"].sort().join(), `${where} holds ${got.names.join(", ")}`);
      for (const c of COLLIDING) check(JSON.stringify(got.content[`/col/${c.name}`]) === JSON.stringify(sourcePixels[c.name]), `${where}: pixels of /col/${c.name} differ from the source`);
      for (const d of DOTTED) check(got.content[`/col/${d.name}`] === d.text, `${where}: /col/${d.name} holds ${JSON.stringify(got.content[`/col/${d.name}`])}`);
    }
    return "exit 0 ×3 (dir, zip, tar): X.PNG, x (1).png, x (2).png, ..hidden, ... — each equal to its source, manifest mapping each";
  },
};

export const exportCases: BadCase[] = [fillTable, partlyWritten, bigAttribute, collisions];
