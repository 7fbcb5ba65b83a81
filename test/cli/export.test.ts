// convert → export round trip, into a directory and into a tar.gz / zip: exported JSON and JSONL
// deep-equal the sources, CSV parses to the same rows, PNGs decode to the same pixels, bytes are
// identical; video/audio and float images are listed as skipped with a reason.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-export-");
const tree = path.join(dir, "data");
fs.mkdirSync(path.join(tree, "pics"), { recursive: true });
fs.writeFileSync(path.join(tree, "doc.json"), '{"name": "Zürich ✓", "big": 12345678901234567890, "nested": {"empty": [], "obj": {}}, "list": [1, 2.5, null, true]}');
fs.writeFileSync(path.join(tree, "lines.jsonl"), '{"a": 1}\n{"b": [2, 3]}\n');
fs.writeFileSync(path.join(tree, "table.csv"), 'id,name,score,ok\n1,"Smith, J.",2.5,true\n2,"say ""hi""",,false\n3,"multi\nline",4,true\n');
fs.writeFileSync(path.join(tree, "blob.bin"), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) % 256)));
python(`import sys
import numpy as np
from PIL import Image
y, x = np.mgrid[0:20, 0:30]
Image.fromarray(np.stack([x * 8, y * 12, (x + y) * 5], -1).astype("uint8")).save(sys.argv[1] + "/pics/rgb.png")
Image.fromarray(np.stack([x * 8, y * 12, (x + y) * 5], -1).astype("uint8")).save(sys.argv[1] + "/pics/photo.jpg", quality=95)
print("[]")`, tree);
const output = path.join(dir, "data.h5");

const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const exportCli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, "export", output, ...args], { encoding: "utf8" });

/** Compares an exported tree with the source tree, the way Python reads both. */
function compare(exported: string): { json: boolean; jsonl: boolean; csv: [string[][], string[][]]; png: boolean; jpgPixels: boolean; bytes: boolean } {
  return python(`import csv, json, sys, io
import numpy as np
from PIL import Image
src, out = sys.argv[1], sys.argv[2]
rows = lambda p: list(csv.reader(open(p, newline="")))
jl = lambda p: [json.loads(l) for l in open(p) if l.strip()]
print(json.dumps({
  "json": json.load(open(src + "/doc.json")) == json.load(open(out + "/doc.json")),
  "jsonl": jl(src + "/lines.jsonl") == jl(out + "/lines.jsonl"),
  "csv": [rows(src + "/table.csv"), rows(out + "/table.csv")],
  "png": bool((np.asarray(Image.open(src + "/pics/rgb.png")) == np.asarray(Image.open(out + "/pics/rgb.png"))).all()),
  "jpgPixels": bool((np.asarray(Image.open(src + "/pics/photo.jpg")).astype(int) - np.asarray(Image.open(out + "/pics/photo.png")).astype(int)).__abs__().max() <= 3),
  "bytes": open(src + "/blob.bin", "rb").read() == open(out + "/blob.bin", "rb").read(),
}))`, tree, exported);
}

test("export to a directory gives back the sources: JSON, JSONL, CSV rows, PNG pixels, bytes", async () => {
  await convert([tree], { output, workers: 0 });
  const out = path.join(dir, "out");
  const run = exportCli("/data", "-o", out, "--json");
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { files: { dataset: string; file: string; format: string }[]; skipped: unknown[] };
  assert.deepEqual(result.skipped, []);
  assert.deepEqual(Object.fromEntries(result.files.map((f) => [f.file, f.format])), {
    "blob.bin": "bytes", "doc.json": "json", "lines.jsonl": "json", "pics/photo.png": "png", "pics/rgb.png": "png", "table.csv": "csv",
  });
  // One manifest for every export: each dataset with the file it became.
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "export-manifest.json"), "utf8")) as { datasets: { dataset: string; status: string; file: string; format: string }[] };
  assert.deepEqual(manifest.datasets.map((d) => [d.dataset, d.status, d.file, d.format]), [...result.files].sort((a, b) => (a.dataset < b.dataset ? -1 : 1)).map((f) => [f.dataset, "written", f.file, f.format]));
  const seen = compare(out);
  assert.deepEqual(seen.csv[1], seen.csv[0]);
  assert.deepEqual({ ...seen, csv: true }, { json: true, jsonl: true, csv: true, png: true, jpgPixels: true, bytes: true });
});

test("export into a tar.gz and a zip holds the same files; a missing path exits 1", () => {
  for (const archive of ["out.tar.gz", "out.zip"]) {
    const file = path.join(dir, archive);
    const run = exportCli("/data", "--archive", file);
    assert.equal(run.status, 0, run.stderr);
    const unpacked = path.join(dir, `unpacked-${archive}`);
    fs.mkdirSync(unpacked);
    if (archive.endsWith(".zip")) execFileSync("unzip", ["-q", file, "-d", unpacked]);
    else execFileSync("tar", ["-xzf", file, "-C", unpacked]);
    const seen = compare(unpacked);
    assert.deepEqual(seen.csv[1], seen.csv[0], archive);
    assert.deepEqual({ ...seen, csv: true }, { json: true, jsonl: true, csv: true, png: true, jpgPixels: true, bytes: true }, archive);
  }
  const missing = exportCli("/nope", "-o", path.join(dir, "x"));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /'\/nope' is not in/);
});

test("an image's PNG replaces its source's extension; one of a name taken gets ' (1)'; kept bytes keep the source's name", async () => {
  const pics = path.join(dir, "names");
  fs.mkdirSync(pics);
  python(`import sys
import numpy as np
from PIL import Image
for i, name in enumerate(("cat.jpg", "cat.png", "Cat.TIFF", "dog.jpg")):
    Image.fromarray(np.full((4, 6, 3), 40 * i, "uint8")).save(sys.argv[1] + "/" + name)
print("[]")`, pics);
  const named = path.join(dir, "names.h5");
  await convert([pics], { output: named, workers: 0, images: "both" });
  const run = spawnSync(process.execPath, ["--import", "tsx", CLI, "export", named, "/names", "-o", path.join(dir, "names-out"), "--json"], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const files = (JSON.parse(run.stdout) as { files: { dataset: string; file: string; format: string }[] }).files;
  // --images both keeps each file's bytes: exported as they came, under the source's name.
  assert.deepEqual(files.map((f) => [f.dataset, f.file, f.format]), [
    ["/names/Cat.TIFF", "Cat.TIFF", "original"], ["/names/cat.jpg", "cat.jpg", "original"], ["/names/cat.png", "cat.png", "original"], ["/names/dog.jpg", "dog.jpg", "original"],
  ]);
  await convert([pics], { output: named, workers: 0, overwrite: true });
  const pngs = spawnSync(process.execPath, ["--import", "tsx", CLI, "export", named, "/names", "-o", path.join(dir, "names-png"), "--json"], { encoding: "utf8" });
  assert.equal(pngs.status, 0, pngs.stderr);
  // Names are compared without case: Cat.TIFF's cat.png is taken by cat.jpg's, cat.png's own by both.
  assert.deepEqual((JSON.parse(pngs.stdout) as { files: { dataset: string; file: string }[] }).files.map((f) => [f.dataset, f.file]), [
    ["/names/Cat.TIFF", "Cat.png"], ["/names/cat.jpg", "cat (1).png"], ["/names/cat.png", "cat (2).png"], ["/names/dog.jpg", "dog.png"],
  ]);
  const pixels = python<number[]>(`import sys, numpy as np
from PIL import Image
print([int(np.asarray(Image.open(sys.argv[1] + "/" + n))[0, 0, 0]) for n in ("Cat.png", "cat (1).png", "cat (2).png", "dog.png")])`, path.join(dir, "names-png"));
  assert.deepEqual(pixels, [80, 0, 40, 120]);
});
