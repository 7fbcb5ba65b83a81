// convert → read: a generated tree (PNG 8-bit RGB, RGBA and grey+alpha, 16-bit grey PNG, JPEG,
// JSON with Unicode, big numbers and empty containers, JSONL, CSV with quotes and empty cells, a
// short video from ffmpeg's testsrc, a sine WAV, binary files) converted with convert(), then read
// back with the reader: each helper must give what went in, as Python (PIL, csv, h5py) reads it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { File, convert, type ImagePixels, readImage, readImageSync, toPNG, toPNGSync, toFile, toFileSync, readJSONText, readJSONTextSync, readJSON, readJSONSync, readTable, readTableSync, readVideoFrames, readVideoFramesSync, readAudio, readAudioSync, readBytes, readBytesSync } from "../../src";
import type { Table } from "../../src/read";
import { decodeImage } from "../../src/processors/image";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-read-roundtrip-");
const tree = path.join(dir, "tree");
const at = (name: string) => path.join(tree, name);
const sha = (view: ArrayBufferView) => crypto.createHash("sha256").update(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)).digest("hex");

const JSON_TEXT = `{
  "name": "Zoë — 日本語 🎉",
  "escapes": "tab\\t quote\\" backslash\\\\ nul\\u0000 sep\\u2028 \\ud83d\\ude00",
  "big": 12345678901234567890123,
  "negBig": -9007199254740993,
  "maxSafe": 9007199254740991,
  "float": 0.1, "exp": 1.5e-7, "negZero": -0.0, "huge": 1e400,
  "emptyObj": {}, "emptyArr": [],
  "nested": {"a": [[], {}, [[]], {"b": {}}], "0": "zero key"},
  "zeroObj": {"0": 1, "1": 2},
  "list": [1, "two", null, true, false, {"x": [1, 2, {"y": null}]}],
  "": "empty key",
  "a/b~c": "pointer escapes"
}`;
const JSONL_TEXT = '{"id": 1, "v": [1, 2]}\n\n{"id": 2, "v": {}, "big": 18446744073709551616}\r\n[]\n"str"\n';
const CSV_TEXT = 'id,name,price,ok,note,empty,mixed\n1,"Smith, John",3.5,true,"He said ""hi""",,a\n2,Zoë,,FALSE,"multi\nline",,1\n3,"",-1e3,True,plain,,2.5\n-4,x,inf,false,,,\n';

const BLOB = crypto.randomBytes(5000);
const BIG_BLOB = crypto.randomBytes(1536 * 1024); // streamed into 1 MiB chunks: two of them

let both: File; // --images both
let encoded: File; // --images encoded
let pixelsFile: string;
let encodedFile: string;

interface PyImage {
  shape: number[];
  mode: string;
  values: number[];
}
interface PyRef {
  images: Record<string, PyImage>;
  csv: { header: string[]; rows: Record<string, unknown>[] };
  video: { shape: number[]; sha: string; fps: number };
  audio: { shape: number[]; sha: string; rate: number };
}
let ref: PyRef;

/** The pixels of image files as PIL decodes them (flat values, numpy shape, PIL mode). */
const PIL_DECODE = `import json, sys
import numpy as np
from PIL import Image
out = {}
for path in sys.argv[1:]:
    im = Image.open(path)
    a = np.asarray(im)
    out[path] = {"shape": list(a.shape), "mode": im.mode, "values": a.astype(np.int64).ravel().tolist()}
print(json.dumps(out))`;

before(async () => {
  const ffmpeg = require("@ffmpeg-installer/ffmpeg").path as string;
  for (const sub of ["images", "data", "media", "bin"]) fs.mkdirSync(at(sub), { recursive: true });
  python(`import sys
import numpy as np
from PIL import Image
d = sys.argv[1]
rng = np.random.default_rng(7)
Image.fromarray(rng.integers(0, 256, (24, 32, 3), dtype=np.uint8), "RGB").save(d + "/images/rgb8.png")
Image.fromarray(rng.integers(0, 256, (10, 12, 4), dtype=np.uint8), "RGBA").save(d + "/images/rgba.png")
Image.fromarray(rng.integers(0, 256, (9, 11, 2), dtype=np.uint8), "LA").save(d + "/images/grey-alpha.png")
Image.fromarray(rng.integers(0, 65536, (20, 30), dtype=np.uint16)).save(d + "/images/grey16.png")
y, x = np.mgrid[0:40, 0:48]
photo = np.stack([x * 5, y * 6, (x + y) * 3], axis=-1).astype(np.uint8)
Image.fromarray(photo, "RGB").save(d + "/images/photo.jpg", quality=92)
print("[]")`, tree);
  fs.writeFileSync(at("data/doc.json"), JSON_TEXT);
  fs.writeFileSync(at("data/lines.jsonl"), JSONL_TEXT);
  fs.writeFileSync(at("data/table.csv"), CSV_TEXT);
  fs.writeFileSync(at("bin/blob.bin"), BLOB);
  fs.writeFileSync(at("bin/big.bin"), BIG_BLOB);
  const run = (...args: string[]) => execFileSync(ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", ...args]);
  run("-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "1", "-c:v", "mpeg4", at("media/clip.mp4"));
  run("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "0.5", at("media/tone.wav"));

  pixelsFile = path.join(dir, "both.h5");
  encodedFile = path.join(dir, "encoded.h5");
  const a = await convert([tree], { output: pixelsFile, images: "both", workers: 0 });
  assert.deepEqual([a.failed, a.written], [0, a.entries], JSON.stringify(a.failures));
  const b = await convert([at("images")], { output: encodedFile, images: "encoded", workers: 0 });
  assert.deepEqual([b.failed, b.written], [0, b.entries], JSON.stringify(b.failures));
  both = await File.open(pixelsFile, "r");
  encoded = await File.open(encodedFile, "r");

  const images = ["rgb8.png", "rgba.png", "grey-alpha.png", "grey16.png", "photo.jpg"].map((n) => at(`images/${n}`));
  ref = python<PyRef>(`import csv, hashlib, json, math, re, sys
import h5py
import numpy as np
from PIL import Image

# CSV as Python's csv module reads it, with h5dat's column types applied.
with open(sys.argv[2] + "/data/table.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
INT = re.compile(r"^[+-]?[0-9]+$")
DEC = re.compile(r"^[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
SPECIAL = re.compile(r"^[+-]?(nan|inf|infinity)$", re.I)
def column(cells):
    if cells and all(INT.match(c) and -2**63 <= int(c) < 2**63 for c in cells): return [str(int(c)) for c in cells]
    if cells and all(c.lower() in ("true", "false") for c in cells): return [c.lower() == "true" for c in cells]
    nums = [c for c in cells if c != ""]
    if nums and all(DEC.match(c) or SPECIAL.match(c) for c in nums):
        vals = [float(c) if c != "" else float("nan") for c in cells]
        return ["NaN" if math.isnan(v) else ("Infinity" if v == math.inf else ("-Infinity" if v == -math.inf else v)) for v in vals]
    return cells
cols = [column([r[i] for r in body]) for i in range(len(header))]
table = [{header[i]: cols[i][r] for i in range(len(header))} for r in range(len(body))]

f = h5py.File(sys.argv[1], "r")
v = f["tree/media/clip.mp4"]
frames = v[1:4]
a = f["tree/media/tone.wav"]
print(json.dumps({
    "csv": {"header": header, "rows": table},
    "video": {"shape": list(frames.shape), "sha": hashlib.sha256(frames.tobytes()).hexdigest(), "fps": float(v.attrs["fps"])},
    "audio": {"shape": list(a.shape), "sha": hashlib.sha256(a[()].tobytes()).hexdigest(), "rate": int(a.attrs["sample_rate"])},
}))`, pixelsFile, tree);
  ref.images = python<Record<string, PyImage>>(PIL_DECODE, ...images);
});

after(async () => {
  await both?.close();
  await encoded?.close();
});

function assertPixels(image: ImagePixels, py: PyImage, what: string, tolerance = 0) {
  assert.deepEqual(image.shape, py.shape, `${what}: shape`);
  assert.equal(image.data.length, py.values.length, `${what}: values`);
  let worst = 0;
  for (let i = 0; i < py.values.length; i++) worst = Math.max(worst, Math.abs(image.data[i] - py.values[i]));
  assert.ok(worst <= tolerance, `${what}: pixels differ from PIL's by up to ${worst} (allowed ${tolerance})`);
}

describe("images", () => {
  const cases: [string, number[], number, 8 | 16, number][] = [
    // name, shape, channels, bit depth, tolerance against PIL (JPEG decoders may round differently)
    ["rgb8.png", [24, 32, 3], 3, 8, 0],
    ["rgba.png", [10, 12, 4], 4, 8, 0],
    ["grey-alpha.png", [9, 11, 2], 2, 8, 0],
    ["grey16.png", [20, 30], 1, 16, 0],
    ["photo.jpg", [40, 48, 3], 3, 8, 2],
  ];
  for (const [name, shape, channels, bitDepth, tolerance] of cases) {
    test(`${name}: readImage equals PIL's decode; toPNG decodes back to the same pixels`, async () => {
      const p = `/tree/images/${name}`;
      const image = await readImage(await both.dataset(p));
      assert.deepEqual([image.shape, image.width, image.height, image.channels, image.bitDepth, image.frames], [shape, shape[1], shape[0], channels, bitDepth, 1]);
      assert.ok(bitDepth === 16 ? image.data instanceof Uint16Array : image.data instanceof Uint8Array);
      assertPixels(image, ref.images[at(`images/${name}`)], name, tolerance);
      assert.deepEqual(readImageSync(both.datasetSync(p)), image, "readImageSync");

      // PNG out: PIL reads back exactly the stored pixels, 16-bit kept.
      const png = await toPNG(await both.dataset(p));
      assert.deepEqual(toPNGSync(both.datasetSync(p)), png, "toPNGSync");
      const out = path.join(dir, `out-${name}.png`);
      fs.writeFileSync(out, png);
      const decoded = python<Record<string, PyImage>>(PIL_DECODE, out)[out];
      // PIL reads 16-bit grey as mode "I" (int32 values); the PNG header tells the depth itself.
      assert.equal(decoded.mode, { 1: bitDepth === 16 ? "I" : "L", 2: "LA", 3: "RGB", 4: "RGBA" }[channels]);
      assert.deepEqual([png[24], png[25]], [bitDepth, { 1: 0, 2: 4, 3: 2, 4: 6 }[channels]], "IHDR bit depth and colour type");
      assertPixels(image, decoded, `${name} via toPNG`);
      const bySharp = await decodeImage(png);
      assert.deepEqual([bySharp.bitDepth, bySharp.channels, sha(bySharp.data)], [bitDepth, channels, sha(image.data)]);

      // The same image converted as encoded bytes reads as the same pixels.
      assert.equal(await readImage(await encoded.dataset(`/images/${name}`)).then((e) => sha(e.data)), sha(image.data), "from --images encoded");
      assert.equal(sha(readImageSync(encoded.datasetSync(`/images/${name}`)).data), sha(image.data), "readImageSync from --images encoded");
    });
  }

  test("toFile: the original bytes when kept and the format matches, else the pixels re-encoded", async () => {
    const source = fs.readFileSync(at("images/photo.jpg"));
    const jpg = path.join(dir, "copy.jpeg"); // .jpeg and .jpg name the same media type
    assert.deepEqual(await toFile(await both.dataset("/tree/images/photo.jpg"), jpg), { file: jpg, format: "jpeg", bytes: source.length, original: true });
    assert.ok(fs.readFileSync(jpg).equals(source), "--images both: encoded_path's bytes");
    const fromEncoded = path.join(dir, "encoded-copy.jpg");
    assert.equal(toFileSync(encoded.datasetSync("/images/photo.jpg"), fromEncoded).original, true);
    assert.ok(fs.readFileSync(fromEncoded).equals(source), "--images encoded: the dataset's bytes");
    assert.ok((await readBytes(await encoded.dataset("/images/photo.jpg"))).equals(source), "readBytes of an encoded image");

    const pixels = await readImage(await both.dataset("/tree/images/photo.jpg"));
    const again = path.join(dir, "reencoded.jpg");
    const result = await toFile(await both.dataset("/tree/images/photo.jpg"), again, { reencode: true, encoder: { quality: 100 } });
    assert.equal(result.original, false);
    const redecoded = await decodeImage(fs.readFileSync(again));
    assert.deepEqual(redecoded.shape, pixels.shape);

    // Lossless formats keep the pixels; TIFF keeps 16 bits; the encoded file converts to PNG too.
    for (const [from, p, out] of [[both, "/tree/images/grey16.png", "grey16.tif"], [both, "/tree/images/rgba.png", "rgba.webp"], [encoded, "/images/rgb8.png", "rgb8.tiff"], [encoded, "/images/photo.jpg", "photo.png"]] as const) {
      const file = path.join(dir, out);
      const expected = await readImage(await from.dataset(p));
      const written = await toFile(await from.dataset(p), file, { encoder: out.endsWith(".webp") ? { lossless: true } : {} });
      assert.equal(written.original, false, out);
      const back = await decodeImage(fs.readFileSync(file));
      assert.deepEqual([back.bitDepth, back.shape, sha(back.data)], [expected.bitDepth, expected.shape, sha(expected.data)], out);
    }
    await assert.rejects(toFile(await both.dataset("/tree/images/photo.jpg"), path.join(dir, "x.bmp")), /cannot write images as '\.bmp'/);
  });
});

describe("JSON", () => {
  test("readJSON deep-equals JSON.parse of the source, integers beyond 2^53 as BigInt", async () => {
    const expected = JSON.parse(JSON_TEXT) as Record<string, unknown>;
    expected.big = 12345678901234567890123n;
    expected.negBig = -9007199254740993n;
    const value = await readJSON(await both.group("/tree/data/doc.json"));
    assert.deepStrictEqual(value, expected);
    assert.deepStrictEqual(readJSONSync(both.groupSync("/tree/data/doc.json")), expected);
    assert.ok(Object.is((value as Record<string, unknown>).negZero, -0));
    // The text form keeps every number as written.
    const text = await readJSONText(await both.group("/tree/data/doc.json"));
    for (const literal of ["12345678901234567890123", "-9007199254740993", "1.5e-7", "-0.0", "1e400"]) assert.ok(text.includes(`:${literal}`), literal);
    assert.deepStrictEqual(JSON.parse(text), JSON.parse(JSON_TEXT));
  });

  test("readJSON of JSONL is the array of its documents", async () => {
    const expected = JSONL_TEXT.split(/\r?\n/).filter((l) => l.trim()).map((l) => JSON.parse(l));
    expected[1].big = 18446744073709551616n;
    // Records with objects among them: a record table (a dataset).
    assert.deepStrictEqual(await readJSON(await both.dataset("/tree/data/lines.jsonl")), expected);
    assert.equal(readJSONTextSync(both.datasetSync("/tree/data/lines.jsonl")), '[{"id":1,"v":[1,2]},{"id":2,"v":{},"big":18446744073709551616},[],"str"]');
  });
});

describe("CSV", () => {
  const canonCell = (v: unknown) => (typeof v === "bigint" ? v.toString() : typeof v === "number" && !Number.isFinite(v) ? (Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity") : v);

  test("readTable: typed columns, rows keyed by the header equal to Python's csv reading", async () => {
    const table = await readTable(await both.dataset("/tree/data/table.csv"));
    assert.deepEqual(table.columns, ref.csv.header);
    assert.equal(table.length, ref.csv.rows.length);
    assert.equal(table.mode, "table");
    assert.ok(table.byName.id instanceof BigInt64Array);
    assert.ok(table.byName.price instanceof Float64Array);
    assert.deepEqual(table.byName.ok, [true, false, true, false]);
    assert.deepEqual(table.byName.empty, ["", "", "", ""]);
    const rows = [...table.rows()].map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, canonCell(v)])));
    assert.deepEqual(rows, ref.csv.rows);
    assert.deepEqual(Object.keys([...readTableSync(both.datasetSync("/tree/data/table.csv")).rows()][0]), ref.csv.header, "column order");
  });

  test("readTable(range) reads those rows alone, equal to the same rows of Python's csv reading", async () => {
    const canonRows = (table: Table) => [...table.rows()].map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, canonCell(v)])));
    const middle = await readTable(await both.dataset("/tree/data/table.csv"), [1, 3]);
    assert.deepEqual([middle.start, middle.stop, middle.length, middle.total], [1, 3, 2, ref.csv.rows.length]);
    assert.deepEqual(canonRows(middle), ref.csv.rows.slice(1, 3));
    assert.deepEqual(canonRows(readTableSync(both.datasetSync("/tree/data/table.csv"), [-1])), ref.csv.rows.slice(-1));
    assert.deepEqual(canonRows(await readTable(await both.dataset("/tree/data/table.csv"), 0)), ref.csv.rows.slice(0, 1));
    assert.equal((await readTable(await both.dataset("/tree/data/table.csv"), [0, 1000])).length, ref.csv.rows.length, "a stop past the end is clipped");
    assert.throws(() => readTableSync(both.datasetSync("/tree/data/table.csv"), 99), /row 99 out of range/);
  });

  test("a kv-mode table reads as string columns under the original header", async () => {
    const output = path.join(dir, "kv.h5");
    await convert([at("data/table.csv")], { output, csv: "kv", workers: 0 });
    const f = await File.open(output, "r");
    try {
      const table = await readTable(await f.group("/table.csv"));
      assert.equal(table.mode, "kv");
      assert.deepEqual(table.columns, ref.csv.header);
      assert.deepEqual([...table.rows()][1], { id: "2", name: "Zoë", price: "", ok: "FALSE", note: "multi\nline", empty: "", mixed: "1" });
      assert.deepEqual([...(await readTable(await f.group("/table.csv"), [1, 2])).rows()], [[...table.rows()][1]], "a kv table's rows alone");
    } finally {
      await f.close();
    }
  });
});

describe("video, audio, bytes", () => {
  test("readVideoFrames([1, 4]) equals frames 1..3 as h5py reads them", async () => {
    const frames = await readVideoFrames(await both.dataset("/tree/media/clip.mp4"), [1, 4]);
    assert.deepEqual([frames.shape, frames.frames, frames.start, frames.stop, frames.width, frames.height, frames.fps], [ref.video.shape, 3, 1, 4, 64, 48, ref.video.fps]);
    assert.equal(sha(frames.data), ref.video.sha);
    const sync = readVideoFramesSync(both.datasetSync("/tree/media/clip.mp4"), [1, 4]);
    assert.equal(sha(sync.data), ref.video.sha);
    // Python bounds: negatives from the end, clipped; one index is one frame.
    const last = await readVideoFrames(await both.dataset("/tree/media/clip.mp4"), [-2, 100]);
    assert.deepEqual([last.start, last.stop, last.shape], [8, 10, [2, 48, 64, 3]]);
    assert.deepEqual((await readVideoFrames(await both.dataset("/tree/media/clip.mp4"), -1)).shape, [1, 48, 64, 3]);
    assert.equal((await readVideoFrames(await both.dataset("/tree/media/clip.mp4"))).frames, 10);
  });

  test("readAudio equals h5py's samples, with the sample rate and channels", async () => {
    const audio = await readAudio(await both.dataset("/tree/media/tone.wav"));
    assert.deepEqual([audio.shape, audio.sampleRate, audio.channels, audio.length], [ref.audio.shape, ref.audio.rate, 1, ref.audio.shape[0]]);
    assert.ok(audio.samples instanceof Float32Array);
    assert.equal(sha(audio.samples), ref.audio.sha);
    assert.equal(sha(readAudioSync(both.datasetSync("/tree/media/tone.wav")).samples), ref.audio.sha);
    const part = await readAudio(await both.dataset("/tree/media/tone.wav"), [100, 200]);
    assert.deepEqual(part.samples, audio.samples.slice(100, 200));
  });

  test("readBytes equals the file (one chunk, and a file streamed into several)", async () => {
    assert.ok((await readBytes(await both.dataset("/tree/bin/blob.bin"))).equals(BLOB));
    assert.ok(readBytesSync(both.datasetSync("/tree/bin/blob.bin")).equals(BLOB));
    assert.ok((await readBytes(await both.dataset("/tree/bin/big.bin"))).equals(BIG_BLOB));
    // Passing a dataset instead of a path.
    const ds = await both.dataset("/tree/bin/blob.bin");
    assert.ok((await readBytes(ds)).equals(BLOB));
    await ds.close();
  });

  test("helpers refuse datasets of another kind with the path in the message", async () => {
    await assert.rejects(readVideoFrames(await both.dataset("/tree/media/tone.wav")), /'\/tree\/media\/tone\.wav' is not a uint8 \[T, H, W, 3\] video/);
    await assert.rejects(readAudio(await both.dataset("/tree/bin/blob.bin")), /is not float32/);
    await assert.rejects(readImage(await both.dataset("/tree/data/table.csv")), /not uint8 or uint16 pixels/);
    await assert.rejects(readJSON(await both.dataset("/tree/images/rgb8.png")), /'\/tree\/images\/rgb8\.png' is not a dataset of strings/);
    await assert.rejects(readTable(await both.dataset("/tree/bin/blob.bin")), /neither a compound table/);
    await assert.rejects(both.dataset("/tree"), /is a group, expected a dataset/);
  });
});
