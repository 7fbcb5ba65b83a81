// Issue 17, point 6 (images): memory bombs within the limits. A 0.75 MB PNG of 16000 × 16000 zeros
// is inside --max-pixels and decodes to 768 MB; four in a tar took +5.5 GB with 2 workers. Now an
// image counts its decoded size against the data in flight, and one this large is decoded and
// written in strips of rows: the four convert within 600 MB over all processes (writer and
// workers, as the summary reports them), their values sampled by h5py. A big image of real
// values written in strips equals the same image written whole, and what PIL decodes.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { python } from "../../helpers/h5py";
import type { BadCase } from "../case";
import { convertCase, type ConvertCaseSpec } from "../convert-case";
import { knownPixels, writeImages } from "../inputs/images";
import { writeTar } from "../inputs/tar";
import { runConvert, type ConvertRun } from "../run-convert";

/** Over all processes, the writer's peak RSS and its workers' (the goal of the issue). */
const PEAK_RSS_BOUND_MB = 600;
const SIDE = 16000;

/** A PNG of SIDE × SIDE RGB zeros: 0.75 MB, 768 MB decoded. */
function zeroPng(): Promise<Buffer> {
  return sharp({ create: { width: SIDE, height: SIDE, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
}

/** The summary's peak RSS: the writer's, and its workers' summed. */
function peakRss(run: ConvertRun): { writer: number; workers: number } {
  const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { peakRssMb: number; workersPeakRssMb: number };
  return { writer: Math.round(summary.peakRssMb), workers: Math.round(summary.workersPeakRssMb) };
}

/** h5py reads windows of each dataset (never a whole 768 MB one): shape, dtype, attrs and the nonzero samples seen. */
const SAMPLE_PY = String.raw`
import h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], "r")
out = {}
for name in json.loads(sys.argv[2]):
    d = f[name]
    h, w = d.shape[0], d.shape[1]
    corners = [(0, 0), (0, w - 256), (h - 256, 0), (h - 256, w - 256), (h // 2, w // 2), (h // 3, 2 * w // 3)]
    nonzero = sum(int(np.count_nonzero(d[y:y + 256, x:x + 256])) for y, x in corners)
    # Whole rows at a band's edges too: the first and last of the image, and a few between.
    nonzero += sum(int(np.count_nonzero(d[y])) for y in (0, 1, 249, 250, 4095, 4096, h // 2, h - 2, h - 1))
    out[name] = {"shape": list(d.shape), "dtype": str(d.dtype), "nonzero": nonzero,
                 "attrs": {k: int(d.attrs[k]) for k in ("width", "height", "channels", "bit_depth")},
                 "class": d.attrs["CLASS"].decode()}
print(json.dumps(out))
`;

interface ZeroBombsSpec {
  name: string;
  workers: number;
  count: number;
}

/** `count` zero PNGs of SIDE² in a tar with known.png, converted with `workers` workers. */
function zeroBombsCase({ name, workers, count }: ZeroBombsSpec): BadCase {
  const names = Array.from({ length: count }, (_, i) => `zeros-${i + 1}.png`);
  let rss = { writer: 0, workers: 0 };
  const spec: ConvertCaseSpec = {
    name,
    expected: `exit 0; ${count} PNG(s) of 16000×16000 zeros (0.75 MB each, 768 MB decoded) and known.png in a tar, --workers ${workers}: all written, sampled zeros; peak RSS writer + workers ≤ ${PEAK_RSS_BOUND_MB} MB`,
    args: ["--workers", String(workers)],
    build: async (dir) => {
      const png = await zeroPng();
      const images = path.join(dir, "known");
      fs.mkdirSync(images);
      writeImages([{ file: path.join(images, "known.png"), kind: "known", format: "png" }]);
      const tar = path.join(dir, "bombs.tar");
      writeTar(tar, [...names.map((member) => ({ name: member, data: png })), { name: "known.png", data: fs.readFileSync(path.join(images, "known.png")) }]);
      return [tar];
    },
    exit: 0,
    rows: [...names.map((member) => ({ path: member, status: "written" as const })), { path: "known.png", status: "written" }],
    values: { "/bombs/known.png": knownPixels() },
    check: (view, run) => {
      const targets = names.map((member) => `/bombs/${member}`);
      const seen = python<Record<string, { shape: number[]; dtype: string; nonzero: number; attrs: Record<string, number>; class: string }>>(SAMPLE_PY, run.output, JSON.stringify(targets));
      for (const target of targets) {
        assert.deepEqual(view.datasets[target], { shape: [SIDE, SIDE, 3], dtype: "uint8" }, target);
        assert.deepEqual(seen[target].attrs, { width: SIDE, height: SIDE, channels: 3, bit_depth: 8 }, `${target}: attrs`);
        assert.equal(seen[target].class, "IMAGE", `${target}: CLASS`);
        assert.equal(seen[target].nonzero, 0, `${target}: nonzero samples in the windows read`);
      }
      rss = peakRss(run);
      // A bound on memory, the behaviour under test (no timing): it was 1425 + 5993 MB.
      assert.ok(rss.writer + rss.workers <= PEAK_RSS_BOUND_MB, `peak RSS ${rss.writer} MB writer + ${rss.workers} MB workers, over ${PEAK_RSS_BOUND_MB} MB`);
    },
  };
  const inner = convertCase(spec);
  return { ...inner, run: async (dir) => `${await inner.run(dir)}; peak RSS ${rss.writer} MB writer + ${rss.workers} MB workers` };
}

/** A gradient of real values (every channel differs, rows and columns differ): `width` × `height` RGB. */
async function gradientPng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.allocUnsafe(width * height * 3);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 3) {
      pixels[i] = (x + y) & 255;
      pixels[i + 1] = (x * 3 + (y >> 2)) & 255;
      pixels[i + 2] = (x ^ y) & 255;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
}

/** SHA-256 of a dataset's values read in slices of rows, its chunks and attrs; and of the PNG as PIL decodes it. */
const DIGEST_PY = String.raw`
import hashlib, h5py, json, sys, numpy as np
from PIL import Image
Image.MAX_IMAGE_PIXELS = None
def digest(path, name):
    with h5py.File(path, "r") as f:
        d = f[name]
        h = hashlib.sha256()
        for y in range(0, d.shape[0], 500): h.update(d[y:y + 500].tobytes())
        attrs = {k: (v.decode() if isinstance(v, bytes) else v.item() if hasattr(v, "item") else v) for k, v in d.attrs.items()}
        return {"shape": list(d.shape), "dtype": str(d.dtype), "chunks": list(d.chunks), "sha256": h.hexdigest(), "attrs": attrs}
pil = hashlib.sha256(np.asarray(Image.open(sys.argv[3]).convert("RGB")).tobytes()).hexdigest()
print(json.dumps({"strips": digest(sys.argv[1], sys.argv[4]), "whole": digest(sys.argv[2], sys.argv[4]), "pil": pil}))
`;

/** Converts `inputs` with images decoded whole at any size (the threshold of strips set past them). */
function convertWhole(inputs: string[], output: string): Promise<ConvertRun> {
  const previous = process.env.H5DAT_STRIP_MIN_BYTES;
  // runConvert's child takes the environment as it is when spawned, synchronously.
  process.env.H5DAT_STRIP_MIN_BYTES = String(2 ** 40);
  try {
    return runConvert(inputs, output);
  } finally {
    if (previous === undefined) delete process.env.H5DAT_STRIP_MIN_BYTES;
    else process.env.H5DAT_STRIP_MIN_BYTES = previous;
  }
}

const stripsEqualWhole: BadCase = {
  name: "image-strips-equal-whole",
  expected: "exit 0; a 12000×9000 RGB gradient PNG (324 MB decoded) written in strips equals it written whole: shape, chunks, attrs, values (and PIL's pixels)",
  async run(dir) {
    const png = path.join(dir, "gradient.png");
    fs.writeFileSync(png, await gradientPng(12000, 9000));
    const [strips, whole] = [await runConvert([png], path.join(dir, "strips.h5")), await convertWhole([png], path.join(dir, "whole.h5"))];
    for (const run of [strips, whole]) assert.equal(run.exitCode, 0, run.stderr);
    const seen = python<{ strips: Record<string, unknown>; whole: Record<string, unknown>; pil: string }>(DIGEST_PY, strips.output, whole.output, png, "/gradient.png");
    assert.deepEqual(seen.strips, seen.whole, "the image written in strips differs from it written whole");
    assert.equal(seen.strips.sha256, seen.pil, "the values differ from PIL's pixels");
    assert.deepEqual(seen.strips.shape, [9000, 12000, 3]);
    const [inStrips, inWhole] = [peakRss(strips), peakRss(whole)];
    return `exit 0; strips equal whole and PIL (sha256 ${String(seen.pil).slice(0, 12)}); writer peak RSS ${inStrips.writer} MB in strips, ${inWhole.writer} MB whole`;
  },
};

export const memoryCases: BadCase[] = [
  zeroBombsCase({ name: "png-zero-bombs-tar-2-workers", workers: 2, count: 4 }),
  zeroBombsCase({ name: "png-zero-bomb-no-workers", workers: 0, count: 1 }),
  stripsEqualWhole,
];
