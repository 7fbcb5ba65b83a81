// `h5dat convert` end to end: a mixed tree (JSON, CSV, text, a text file named .jpg, a broken JSON)
// as a directory, zip, tar, tar.gz and tar.bz2 gives identical datasets, every entry is in the
// manifest, attrs name the source, and values match Python's own json/csv readings of the files.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { makeTreeAndArchives } from "../helpers/archives";
import { PY_RAGGED, python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-convert-");
const tree = path.join(dir, "mixed");
const FILES: Record<string, string | Buffer> = {
  "docs/doc.json": JSON.stringify({ a: [1, 2, { b: "ü" }], empty: {}, list: [] }).replace("2,", "2, 12345678901234567890123,"),
  "docs/lines.jsonl": '{"n": 1}\n\n{"n": 2, "s": "x"}\n',
  "tables/t.csv": 'x,y,name\n1,2.5,"a, b"\n3,,"multi\nline"\n',
  "tables/t.tsv": "k\tv\ntrue\t1\nfalse\t2\n",
  "notes.txt": "hello\n",
  "fake.jpg": Buffer.from("just text, not a JPEG"),
  "broken.json": "{bad json",
};
makeTreeAndArchives(FILES, tree, dir, "mixed", ["tar", "tar.gz", "tar.bz2", "zip"]);

// What h5py sees of a converted file: every dataset's values and attrs, the manifest, root attrs.
const DUMP = `${PY_RAGGED}
import h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], "r")
def plain(v):
    if isinstance(v, bytes): return v.decode()
    if isinstance(v, np.ndarray): return [plain(x) for x in v.tolist()] if v.dtype.kind in "OS" else plain(v.tolist())
    if isinstance(v, (list, tuple)): return [plain(x) for x in v]
    if isinstance(v, np.generic): return plain(v.item())
    if isinstance(v, float) and v != v: return "NaN"
    return v
out = {"datasets": {}, "root": {k: plain(f.attrs[k]) for k in f.attrs}}
def is_ragged(obj):
    return isinstance(obj, h5py.Group) and obj.attrs.get("layout") == "ragged-utf8"
def visit(name, obj):
    # A ragged string array (JSON pairs, kv cells) is one value: its strings, not its two datasets.
    if is_ragged(obj):
        out["datasets"]["/".join(name.split("/")[1:])] = {"value": ragged(obj), "attrs": {k: plain(obj.attrs[k]) for k in obj.attrs}}
    if isinstance(obj, h5py.Dataset) and not name.startswith("_h5dat") and not is_ragged(obj.parent):
        value = obj[()]
        if obj.dtype.names: value = [{n: plain(row[n]) for n in obj.dtype.names} for row in value]
        else: value = plain(value)
        out["datasets"]["/".join(name.split("/")[1:])] = {"value": value, "attrs": {k: plain(obj.attrs[k]) for k in obj.attrs}}
f.visititems(visit)
m = f["_h5dat/manifest"][()]
out["manifest"] = sorted([{n: plain(r[n]) for n in m.dtype.names} for r in m], key=lambda r: r["source_path"])
print(json.dumps(out))`;

interface Dump {
  datasets: Record<string, { value: unknown; attrs: Record<string, unknown> }>;
  root: Record<string, unknown>;
  manifest: { source: string; source_path: string; target: string; status: string; bytes: number; processor: string; message: string }[];
}

async function convertAndDump(input: string, name: string): Promise<Dump> {
  const output = path.join(dir, `${name}.h5`);
  const summary = await convert([input], { output });
  assert.equal(summary.entries, Object.keys(FILES).length);
  // broken.json and fake.jpg are kept as their bytes (their processors fail on them).
  assert.deepEqual([summary.written, summary.keptAsBytes, summary.skipped, summary.failed], [5, 2, 0, 0]);
  return python<Dump>(DUMP, output);
}

test("a directory, a zip, a tar, a tar.gz and a tar.bz2 of one tree give identical datasets, attrs and manifest rows", async () => {
  const fromDir = await convertAndDump(tree, "from-dir");
  for (const archive of ["mixed.zip", "mixed.tar", "mixed.tar.gz", "mixed.tar.bz2"]) {
    const fromArchive = await convertAndDump(path.join(dir, archive), archive);
    const strip = (d: Dump) => ({
      datasets: Object.fromEntries(Object.entries(d.datasets).map(([k, v]) => [k, { ...v, attrs: { ...v.attrs, source: null } }])),
      manifest: d.manifest.map((r) => ({ ...r, source: null })),
    });
    assert.deepEqual(strip(fromArchive), strip(fromDir), archive);
  }
});

test("values, attrs and the manifest match the sources, as Python reads them", async () => {
  const seen = await convertAndDump(tree, "checked");
  const expected = python<{ json: unknown; jsonl: unknown[]; csv: string[][]; tsv: string[][] }>(`import csv, io, json, sys, os
src = sys.argv[1]
read = lambda p: open(os.path.join(src, p), encoding="utf-8", newline="").read()
print(json.dumps({"json": json.loads(read("docs/doc.json")), "jsonl": [json.loads(l) for l in read("docs/lines.jsonl").splitlines() if l],
  "csv": list(csv.reader(io.StringIO(read("tables/t.csv")))), "tsv": list(csv.reader(io.StringIO(read("tables/t.tsv")), delimiter="\\t"))}))`, tree);

  const doc = seen.datasets["docs/doc.json"];
  const pairs = doc.value as string[][];
  assert.deepEqual(pairs.find(([p]) => p === "/a/2"), ["/a/2", "12345678901234567890123"]); // the big number, as written
  assert.deepEqual(pairs.find(([p]) => p === "/empty"), ["/empty", "{}"]);
  assert.deepEqual(Object.fromEntries(pairs.filter(([p]) => p === "/a/0" || p === "/a/3/b").map(([p, v]) => [p, JSON.parse(v)])), { "/a/0": 1, "/a/3/b": "ü" });
  assert.equal((expected.json as { a: unknown[] }).a.length, 4);
  assert.deepEqual(doc.attrs, { columns: ["pointer", "value"], format: "json-pointer-pairs", jsonl: false, layout: "ragged-utf8", layout_version: 1, shape: [pairs.length, 2], source: tree, source_path: "docs/doc.json", source_size: Buffer.byteLength(FILES["docs/doc.json"]), media_type: "application/json", processor: "json" });

  // JSON Lines of objects: a record table, "s" absent from the first record (mask state 2).
  assert.deepEqual(seen.datasets["docs/lines.jsonl"].value, [{ n: 1, s: "", _mask: [0, 2] }, { n: 2, s: "x", _mask: [0, 0] }]);
  assert.equal(seen.datasets["docs/lines.jsonl"].attrs.layout, "records");
  assert.deepEqual(expected.jsonl, [{ n: 1 }, { n: 2, s: "x" }]);

  const csvRows = seen.datasets["tables/t.csv"].value as Record<string, unknown>[];
  assert.deepEqual(csvRows.map((r) => [String(r.x), r.y === "NaN" ? "" : String(r.y), r.name]), expected.csv.slice(1));
  assert.deepEqual(seen.datasets["tables/t.csv"].attrs.columns, expected.csv[0]);
  assert.deepEqual((seen.datasets["tables/t.tsv"].value as Record<string, unknown>[]).map((r) => [r.k ? "true" : "false", String(r.v)]), expected.tsv.slice(1));

  assert.equal(Buffer.from(seen.datasets["notes.txt"].value as number[]).toString(), "hello\n");

  assert.deepEqual(seen.manifest.map((r) => [r.source_path, r.status]), Object.keys(FILES).sort().map((p) => [p, "written"]));
  const broken = seen.manifest.find((r) => r.source_path === "broken.json")!;
  assert.match(broken.message, /^kept as bytes: invalid JSON at line 1, column 2/);
  const fake = seen.manifest.find((r) => r.source_path === "fake.jpg")!;
  assert.equal(fake.processor, "image");
  assert.match(fake.message, /^kept as bytes: cannot decode the image: .*(unsupported image format|corrupt|not a)/i);
  // Kept: the file's bytes, the media type it was classified as, and why.
  assert.equal(Buffer.from(seen.datasets["broken.json"].value as number[]).toString(), FILES["broken.json"]);
  assert.deepEqual(seen.datasets["fake.jpg"].attrs, {
    source: tree, source_path: "fake.jpg", source_size: FILES["fake.jpg"].length, media_type: "image/jpeg", processor: "bytes", fallback_reason: fake.message.replace(/^kept as bytes: /, ""),
  });
  for (const row of seen.manifest.filter((r) => r.status === "written")) assert.equal(row.target, `/mixed/${row.source_path}`);
  assert.equal(seen.root.h5dat_version, require("../../package.json").version);
  assert.equal(seen.root.hdf5_version, "1.14.5");
});

function cli(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "..", "..", "src", "cli", "main.ts"), ...args], { encoding: "utf8" });
}

test("the CLI exits 0 when entries were kept as bytes, 2 when entries failed, 1 on a fatal error, and refuses to overwrite", () => {
  const output = path.join(dir, "cli.h5");
  const some = cli("convert", tree, "-o", output);
  assert.equal(some.status, 0, some.stderr);
  assert.match(some.stdout, /7 entries: 5 written, 2 kept as bytes, 0 skipped, 0 failed/);
  assert.match(some.stdout, /written: .*mixed: broken\.json: kept as bytes: invalid JSON/);
  // --on-error fail: entries whose processor fails fail, as before, and the exit code says so.
  const failing = cli("convert", tree, "-o", path.join(dir, "on-error-fail.h5"), "--on-error", "fail");
  assert.equal(failing.status, 2, failing.stderr);
  assert.match(failing.stdout, /7 entries: 5 written, 0 kept as bytes, 0 skipped, 2 failed/);
  assert.match(failing.stderr, /failed: .*mixed: broken\.json: invalid JSON/);
  assert.equal(cli("convert", tree, "-o", path.join(dir, "never.h5"), "--on-error", "bytes").status, 1);

  const again = cli("convert", tree, "-o", output);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /output '.*cli\.h5' exists: pass --overwrite/);

  const clean = cli("convert", path.join(tree, "tables"), "-o", output, "--overwrite", "--json");
  assert.equal(clean.status, 0, clean.stderr);
  assert.equal(JSON.parse(clean.stdout).written, 2);
});

test("the output appears only at a clean end: written as .partial, then renamed; a fatal error leaves the old file", async () => {
  const fs = require("node:fs") as typeof import("node:fs");
  const { EventEmitter } = require("node:events") as typeof import("node:events");
  const output = path.join(dir, "atomic.h5");
  fs.writeFileSync(output, "old content");
  // A listener that throws is a fatal error in the middle of the run.
  const events = new EventEmitter();
  events.on("entry", () => {
    throw new Error("listener broke");
  });
  await assert.rejects(convert([tree], { output, overwrite: true, workers: 0 }, events), /listener broke/);
  assert.equal(fs.readFileSync(output, "utf8"), "old content");
  assert.ok(fs.existsSync(`${output}.partial`));
  const summary = await convert([tree], { output, overwrite: true, workers: 0 });
  assert.equal(summary.output, output);
  assert.equal(fs.existsSync(`${output}.partial`), false);
  assert.ok(python<{ ok: boolean }>(`import h5py, json, sys
print(json.dumps({"ok": "_h5dat/manifest" in h5py.File(sys.argv[1], "r")}))`, output).ok);
});
