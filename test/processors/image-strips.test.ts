// An image written in strips (image-strips.ts) is the dataset the whole path writes: same shape,
// dtype, chunks, attrs and values, for every kind of image libvips streams (grey, grey + alpha,
// RGB, RGBA, 16-bit, palette, CMYK, JPEG, WebP, TIFF, GIF), in many bands, compressed or not, or
// stored as another dtype; compared by h5py. A decoder's failure midway is an ImageDecodeError;
// after a write's failure libvips's save is drained to its end; either way no pipe is left behind. Images to rotate or
// animated ones, and those over --max-pixels, do not go in strips.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import sharp, { type Sharp } from "sharp";
import { File } from "../../src/h5/file";
import { decodeImage, writeDecodedImage, type ImageOptions } from "../../src/processors/image";
import { ImageDecodeError, planStrips, writeImageStrips } from "../../src/processors/image-strips";
import { decodedBytesOf } from "../../src/processors/image-footprint";
import type { DatasetLayout } from "../../src/processors/layout";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-strips-test-");
const WIDTH = 1500;
const HEIGHT = 1100;
/** Small bands, so each image is written in several (chunks of these images are ~140 rows). */
const BAND_BYTES = 64 << 10;

/** A gradient with `channels` channels, 8- or 16-bit, as a sharp pipeline to encode. */
function gradient(channels: number, sixteen = false): Sharp {
  const data = sixteen ? new Uint16Array(WIDTH * HEIGHT * channels) : new Uint8Array(WIDTH * HEIGHT * channels);
  for (let y = 0, i = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      for (let k = 0; k < channels; k++, i++) {
        const v = k === 0 ? x + y : k === 1 ? x * 3 + (y >> 2) : k === 2 ? x ^ y : y * 7 + x;
        data[i] = sixteen ? (v * 37) & 0xffff : v & 255;
      }
    }
  }
  return sharp(Buffer.from(data.buffer), { raw: { width: WIDTH, height: HEIGHT, channels: channels as 1 | 2 | 3 | 4, ...(sixteen && { depth: "ushort" as const }) } });
}

const KINDS: Record<string, () => Promise<Buffer>> = {
  "rgb.png": () => gradient(3).png().toBuffer(),
  "grey.png": () => gradient(1).toColourspace("b-w").png().toBuffer(),
  "grey-alpha.png": () => gradient(2).toColourspace("b-w").png().toBuffer(),
  "rgba.png": () => gradient(4).png().toBuffer(),
  "rgb16.png": () => gradient(3, true).toColourspace("rgb16").png().toBuffer(),
  "grey16.png": () => gradient(1, true).toColourspace("grey16").png().toBuffer(),
  "grey-alpha16.png": () => gradient(2, true).toColourspace("grey16").png().toBuffer(),
  "palette.png": () => gradient(3).png({ palette: true }).toBuffer(),
  "rgb.jpg": () => gradient(3).jpeg().toBuffer(),
  "grey.jpg": () => gradient(1).toColourspace("b-w").jpeg().toBuffer(),
  "exif-upright.jpg": () => gradient(3).jpeg().withMetadata({ orientation: 1 }).toBuffer(),
  "cmyk.jpg": () => gradient(4).toColourspace("cmyk").jpeg().toBuffer(),
  "rgb.webp": () => gradient(3).webp({ lossless: true }).toBuffer(),
  "rgba.webp": () => gradient(4).webp().toBuffer(),
  "rgb.tif": () => gradient(3).tiff({ compression: "deflate" }).toBuffer(),
  "rgb.gif": () => gradient(3).gif().toBuffer(),
};

/** Per dataset under each group: shape, dtype, chunks, filters, attrs and the values' SHA-256 (read in slices of rows). */
const DIGEST_PY = String.raw`
import hashlib, h5py, json, sys
f = h5py.File(sys.argv[1], "r")
def digest(d):
    h = hashlib.sha256()
    for y in range(0, d.shape[0], 97): h.update(d[y:y + 97].tobytes())
    attrs = {k: (v.decode() if isinstance(v, bytes) else v.item() if hasattr(v, "item") else v) for k, v in d.attrs.items()}
    return {"shape": list(d.shape), "dtype": str(d.dtype), "chunks": d.chunks and list(d.chunks), "compression": d.compression, "shuffle": d.shuffle, "sha256": h.hexdigest(), "attrs": attrs}
print(json.dumps({g: {n: digest(f[g][n]) for n in f[g]} for g in sys.argv[2:]}))
`;

type Digest = Record<string, Record<string, { shape: number[]; dtype: string; chunks: number[] | null; sha256: string }>>;

/** Pipe directories (vips-pipe.ts) in the temporary directory now. */
const pipeDirs = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("h5dat-strips-") && !name.startsWith("h5dat-strips-test-"));

/** Writes each image whole under /whole and in strips under /strips, with `layout`; returns h5py's digests. */
async function writeBoth(file: string, images: Record<string, Buffer>, layout: DatasetLayout, options: ImageOptions = {}): Promise<Digest> {
  const h5 = await File.open(file, "w");
  try {
    const [whole, strips] = [await h5.createGroup("whole"), await h5.createGroup("strips")];
    for (const [name, bytes] of Object.entries(images)) {
      await (await writeDecodedImage(whole, name, await decodeImage(bytes, options), layout)).close();
      const plan = await planStrips(bytes, options);
      assert.ok(plan, `${name} goes in strips`);
      await (await writeImageStrips(strips, name, plan, layout, undefined, BAND_BYTES)).close();
    }
  } finally {
    await h5.close();
  }
  return python<Digest>(DIGEST_PY, file, "whole", "strips");
}

const images: Record<string, Buffer> = {};
test("setup: images of every kind libvips streams", async () => {
  for (const [name, make] of Object.entries(KINDS)) images[name] = await make();
});

test("in strips, each kind of image is the dataset the whole path writes (gzip, many bands)", async () => {
  const before = pipeDirs();
  const seen = await writeBoth(path.join(dir, "gzip.h5"), images, { compression: "gzip" });
  for (const name of Object.keys(KINDS)) {
    assert.deepEqual(seen.strips[name], seen.whole[name], name);
    // Several bands of whole chunks each: the chunk's rows are a few of the image's.
    assert.ok(seen.strips[name].chunks![0] * 2 < HEIGHT, `${name}: chunks ${seen.strips[name].chunks}`);
  }
  assert.deepEqual(seen.strips["grey-alpha.png"].shape, [HEIGHT, WIDTH, 2]);
  assert.deepEqual(seen.strips["grey16.png"].shape, [HEIGHT, WIDTH]);
  assert.equal(seen.strips["rgb16.png"].dtype, "uint16");
  assert.deepEqual(seen.strips["cmyk.jpg"].shape, [HEIGHT, WIDTH, 4]);
  assert.deepEqual(pipeDirs(), before, "a pipe's directory was left behind");
});

test("in strips, uncompressed (contiguous) and stored as float32 by a rule: the same as whole", async () => {
  const some = { "rgb.png": images["rgb.png"], "rgb16.png": images["rgb16.png"], "grey.jpg": images["grey.jpg"] };
  const plain = await writeBoth(path.join(dir, "none.h5"), some, { compression: "none" });
  const colour = { "rgb.png": images["rgb.png"], "rgb16.png": images["rgb16.png"] };
  const typed = await writeBoth(path.join(dir, "float.h5"), colour, { compression: "gzip", dtype: "float32", chunks: [100, 500, 1] });
  for (const name of ["rgb.png", "rgb16.png"]) {
    assert.deepEqual(plain.strips[name], plain.whole[name], `${name}, uncompressed`);
    assert.equal(plain.strips[name].chunks, null);
    assert.deepEqual(typed.strips[name], typed.whole[name], `${name}, float32`);
    assert.equal(typed.strips[name].dtype, "float32");
  }
  assert.deepEqual(plain.strips["grey.jpg"], plain.whole["grey.jpg"]);
});

test("images to rotate, animated ones, and formats libvips cannot stream are decoded whole; over --max-pixels fails", async () => {
  const rotated = await gradient(3).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  assert.equal(await planStrips(rotated, {}), null);
  assert.ok(await planStrips(rotated, { orientation: false }), "with orientation ignored it may go in strips");
  const gif = path.join(dir, "two-frames.gif");
  python(`import sys
from PIL import Image
frames = [Image.new("RGB", (40, 30), c) for c in ((255, 0, 0), (0, 0, 255))]
frames[0].save(sys.argv[1], save_all=True, append_images=frames[1:], loop=0)
print("null")`, gif);
  const animated = fs.readFileSync(gif);
  assert.equal(await planStrips(animated, { animated: true }), null);
  assert.ok(await planStrips(animated, {}), "its first frame alone may go in strips");
  assert.equal(await planStrips(Buffer.from("BM not quite a bitmap"), {}), null);
  await assert.rejects(planStrips(images["rgb.png"], { maxPixels: 1000 }), /^Error: too many pixels: 1,500 × 1,100 = 1,650,000, over --max-pixels 1,000 \(not decoded\)$/);
});

test("decoded size from the header: PNG, JPEG and others, before decoding", async () => {
  assert.equal(await decodedBytesOf(images["rgb.png"]), WIDTH * HEIGHT * 3);
  assert.equal(await decodedBytesOf(images["rgb16.png"]), WIDTH * HEIGHT * 3 * 2);
  assert.equal(await decodedBytesOf(images["grey.png"]), WIDTH * HEIGHT);
  assert.equal(await decodedBytesOf(images["rgb.jpg"]), WIDTH * HEIGHT * 3);
  assert.equal(await decodedBytesOf(images["rgb.webp"]), WIDTH * HEIGHT * 3);
  assert.equal(await decodedBytesOf(images["rgba.webp"]), WIDTH * HEIGHT * 4);
  assert.equal(await decodedBytesOf(Buffer.from("no image")), 0);
});

test("a PNG cut short fails midway as an ImageDecodeError naming libpng's error; a failed write ends libvips's save; no pipe stays", async () => {
  const before = pipeDirs();
  const h5 = await File.open(path.join(dir, "fail.h5"), "w");
  try {
    const png = images["rgb.png"];
    const cut = png.subarray(0, Math.floor(png.length * 0.6));
    const plan = await planStrips(cut, {});
    assert.ok(plan);
    const failure = await writeImageStrips(h5, "cut.png", plan, { compression: "gzip" }, undefined, BAND_BYTES).then(() => null, (error: unknown) => error);
    assert.ok(failure instanceof ImageDecodeError, `${failure}`);
    assert.match(failure.message, /^cannot decode the image: .*libpng read error/);
    // A dataset of that name exists: the write fails after libvips has started; its save is drained to its end.
    await h5.createDataset("taken.png", { shape: [1], dtype: "uint8" });
    const whole = await planStrips(png, {});
    const taken = await writeImageStrips(h5, "taken.png", whole!, { compression: "gzip" }, undefined, BAND_BYTES).then(() => null, (error: unknown) => error);
    assert.ok(taken instanceof Error && !(taken instanceof ImageDecodeError), `${taken}`);
    // And the next image still goes through.
    await (await writeImageStrips(h5, "after.png", whole!, { compression: "gzip" }, undefined, BAND_BYTES)).close();
  } finally {
    await h5.close();
  }
  assert.deepEqual(pipeDirs(), before, "a pipe's directory was left behind");
});
