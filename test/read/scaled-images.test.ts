// Numeric images other than uint8/uint16 (h5py's float and int16 images with the HDF5 Image attrs,
// the float32 image the repo's own sample schema makes) read, show and export: integers scaled from
// their dtype's range, floats from the data's ([0, 1] when all values lie in it), NaN as 0, and the
// scaling stated. PIL decodes h5dat's PNGs; numpy scales the same arrays.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { File, readImage, toPNGSync, toFile } from "../../src";
import { exportDatasets } from "../../src/export/export";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-scaled-");
const file = path.join(dir, "images.h5");
const ROOT = path.join(__dirname, "..", "..");
const CLI = path.join(ROOT, "src", "cli", "main.ts");

/** Each image: h5py's dtype, and the scaling h5dat must state. */
const IMAGES: Record<string, { from: [number, number]; to: "uint8" | "uint16" }> = {
  unit_float32: { from: [0, 1], to: "uint8" },
  wide_float32: { from: [-3.5, 1000.25], to: "uint8" },
  rgb_float64: { from: [-1, 2], to: "uint8" },
  grey_int16: { from: [-32768, 32767], to: "uint16" },
  grey_int8: { from: [-128, 127], to: "uint8" },
  rgb_uint32: { from: [0, 2 ** 32 - 1], to: "uint16" },
};

python(`import sys, h5py, numpy as np
rng = np.random.default_rng(7)
with h5py.File(sys.argv[1], "w") as f:
    def image(name, data, truecolor=False):
        d = f.create_dataset(name, data=data)
        # The HDF5 Image spec's attrs, as h5py users (and PyTables) write them.
        d.attrs["CLASS"] = np.bytes_("IMAGE")
        d.attrs["IMAGE_VERSION"] = np.bytes_("1.2")
        d.attrs["IMAGE_SUBCLASS"] = np.bytes_("IMAGE_TRUECOLOR" if truecolor else "IMAGE_GRAYSCALE")
    image("unit_float32", rng.random((30, 40), dtype=np.float32))
    wide = rng.uniform(-3.5, 1000.25, (30, 40)).astype(np.float32)
    wide[0, 0], wide[0, 1], wide[1, 0], wide[1, 1], wide[2, 2] = -3.5, 1000.25, np.nan, np.inf, -np.inf
    image("wide_float32", wide)
    rgb = rng.uniform(-1, 2, (20, 24, 3))
    rgb[0, 0, 0], rgb[0, 0, 1] = -1, 2
    image("rgb_float64", rgb, True)
    image("grey_int16", rng.integers(-32768, 32767, (25, 35), endpoint=True, dtype=np.int16))
    image("grey_int8", rng.integers(-128, 127, (25, 35), endpoint=True, dtype=np.int8))
    image("rgb_uint32", rng.integers(0, 2**32 - 1, (10, 12, 3), endpoint=True, dtype=np.uint32), True)
    f.create_dataset("plain_float32", data=rng.random((30, 40), dtype=np.float32))
print("[]")`, file);

/** PIL's pixels of each PNG, and numpy's scaling of the dataset, as lists. */
function compare(pngs: Record<string, string>): Record<string, { pil: number[]; numpy: number[]; mode: string }> {
  return python(`import sys, json, h5py, numpy as np
from PIL import Image
f = h5py.File(sys.argv[1], "r")
spec = json.loads(sys.argv[2]); pngs = json.loads(sys.argv[3])
out = {}
for name, png in pngs.items():
    lo, hi = spec[name]["from"]; top = 255 if spec[name]["to"] == "uint8" else 65535
    a = f[name][()].astype(np.float64)
    with np.errstate(invalid="ignore"):
        scaled = np.clip(np.floor((a - lo) * top / (hi - lo) + 0.5), 0, top)
    scaled[np.isnan(a)] = 0
    image = Image.open(png)
    out[name] = {"pil": np.asarray(image).astype(np.int64).ravel().tolist(), "numpy": scaled.astype(np.int64).ravel().tolist(), "mode": image.mode}
print(json.dumps(out))`, file, JSON.stringify(IMAGES), JSON.stringify(pngs));
}

test("readImage and toFile scale h5py's float, int16, int8 and uint32 images; PIL reads numpy's scaling", async () => {
  const reader = await File.open(file, "r");
  const pngs: Record<string, string> = {};
  try {
    for (const [name, expected] of Object.entries(IMAGES)) {
      const pixels = await readImage(await reader.dataset(name));
      assert.deepEqual(pixels.scaling, { dtype: name.split("_")[1], ...expected }, name);
      assert.equal(pixels.bitDepth, expected.to === "uint8" ? 8 : 16, name);
      assert.equal(pixels.data instanceof (expected.to === "uint8" ? Uint8Array : Uint16Array), true, name);
      pngs[name] = path.join(dir, `${name}.png`);
      const written = await toFile(await reader.dataset(name), pngs[name]);
      assert.deepEqual(written.scaling, pixels.scaling, name);
      assert.ok(toPNGSync(reader.datasetSync(name)).equals(fs.readFileSync(pngs[name])), `${name}: toPNGSync`);
    }
    // Without the Image attrs a float array is not taken for an image.
    await assert.rejects(readImage(await reader.dataset("plain_float32")), /holds float32 values, not uint8 or uint16 pixels, and has no attr CLASS=IMAGE/);
  } finally {
    await reader.close();
  }
  const seen = compare(pngs);
  for (const [name, { pil, numpy, mode }] of Object.entries(seen)) {
    // PIL reads 48-bit RGB PNGs as 8-bit: the 16-bit RGB image is compared on its own below.
    if (name === "rgb_uint32") continue;
    assert.equal(mode, { unit_float32: "L", wide_float32: "L", rgb_float64: "RGB", grey_int16: "I", grey_int8: "L" }[name], name);
    assert.deepEqual(pil, numpy, name);
  }
  const rgb16 = await readImage(await (await File.open(file, "r")).dataset("rgb_uint32"));
  assert.deepEqual(Array.from(rgb16.data), seen.rgb_uint32.numpy);
});

test("show --png and export state the scaling and write numpy's values", () => {
  const png = path.join(dir, "shown.png");
  const shown = spawnSync(process.execPath, ["--import", "tsx", CLI, "show", file, "/wide_float32", "--png", png], { encoding: "utf8" });
  assert.equal(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /^scaled: float32 values -3\.5\.\.1000\.25 scaled to uint8 0\.\.255 \(NaN as 0\)$/m);
  assert.match(shown.stdout, /^image: 40×30, 1 channels, /m);
  const exported = spawnSync(process.execPath, ["--import", "tsx", CLI, "export", file, "-o", path.join(dir, "out")], { encoding: "utf8" });
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stdout, /^scaled: \/grey_int16 → grey_int16\.png: int16 values -32768\.\.32767 scaled to uint16 0\.\.65535$/m);
  // Every image is a PNG (what becomes of the plain float array is export's business elsewhere).
  for (const name of Object.keys(IMAGES)) assert.ok(fs.existsSync(path.join(dir, "out", `${name}.png`)), name);
  const seen = compare({ wide_float32: png, grey_int16: path.join(dir, "out", "grey_int16.png"), rgb_float64: path.join(dir, "out", "rgb_float64.png") });
  for (const [name, { pil, numpy }] of Object.entries(seen)) assert.deepEqual(pil, numpy, name);
});

test("export's result names each image's scaling", async () => {
  const result = await exportDatasets(file, "/", { dir: path.join(dir, "api") });
  const scalings = Object.fromEntries(result.files.filter((f) => f.scaling).map((f) => [f.dataset.slice(1), f.scaling]));
  assert.deepEqual(scalings, Object.fromEntries(Object.entries(IMAGES).map(([name, s]) => [name, { dtype: name.split("_")[1], ...s }])));
});

test("the repo's sample (its schema stores a float32 image) reads back: show --png and export", () => {
  const out = path.join(dir, "sample");
  execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "samples", "make-sample-data.ts"), out], { stdio: "ignore" });
  const sample = path.join(out, "sample.h5");
  execFileSync(process.execPath, ["--import", "tsx", CLI, "convert", path.join(out, "sample.tar.gz"), "-o", sample, "--config", path.join(ROOT, "samples", "config.json"), "--schema", path.join(ROOT, "samples", "schema.json")], { stdio: "ignore", cwd: ROOT });
  const exported = spawnSync(process.execPath, ["--import", "tsx", CLI, "export", sample, "/images", "-o", path.join(out, "images"), "--json"], { encoding: "utf8" });
  assert.equal(exported.status, 0, exported.stderr);
  const result = JSON.parse(exported.stdout) as { files: { dataset: string; file: string; scaling?: unknown }[]; skipped: unknown[] };
  assert.deepEqual(result.skipped, []);
  const depth = result.files.find((f) => f.dataset === "/images/depth")!;
  assert.equal(depth.file, "depth.png");
  const { lo, hi, pil, numpy } = python<{ lo: number; hi: number; pil: number[]; numpy: number[] }>(`import sys, json, h5py, numpy as np
from PIL import Image
a = h5py.File(sys.argv[1], "r")["/images/depth"][()].astype(np.float64)
lo, hi = a.min(), a.max()
print(json.dumps({"lo": lo, "hi": hi, "pil": np.asarray(Image.open(sys.argv[2])).astype(int).ravel().tolist(), "numpy": np.floor((a - lo) * 255 / (hi - lo) + 0.5).astype(int).ravel().tolist()}))`, sample, path.join(out, "images", "depth.png"));
  assert.ok(hi > 1, "the sample's depth values lie beyond [0, 1]");
  assert.deepEqual(depth.scaling, { dtype: "float32", from: [lo, hi], to: "uint8" });
  assert.deepEqual(pil, numpy);
  const shown = spawnSync(process.execPath, ["--import", "tsx", CLI, "show", sample, "/images/depth", "--png", path.join(out, "depth.png")], { encoding: "utf8" });
  assert.equal(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /^scaled: float32 values \d+\.\.\d+ scaled to uint8 0\.\.255 \(NaN as 0\)$/m);
});
