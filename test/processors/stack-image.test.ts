// Images decoded for a stacked dataset, against PIL: with --resize RGB kept, grey expanded, alpha
// dropped, 16-bit scaled; without, each image's own channels; encoded, checked but not kept as
// pixels; EXIF orientation applied, resized by each fit.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import sharp from "sharp";
import { decodeStackImage } from "../../src/processors/stack-image";
import { parseResize } from "../../src/processors/resize-spec";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-stack-image-");

/** The five PNGs (RGB, L, LA, RGBA, I16), 7 wide and 5 high; their names. */
function makePngs(): string[] {
  return python<string[]>(`import sys, json, numpy as np
from PIL import Image
d = sys.argv[1]
rng = np.random.default_rng(3)
names = []
for mode, shape in (("RGB", (5, 7, 3)), ("L", (5, 7)), ("LA", (5, 7, 2)), ("RGBA", (5, 7, 4))):
    Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode).save(f"{d}/{mode}.png"); names.append(mode)
Image.fromarray(rng.integers(0, 65536, (5, 7), dtype=np.uint16).astype(np.uint16)).save(f"{d}/I16.png"); names.append("I16")
print(json.dumps(names))`, dir);
}

/** 16-bit grey to 8 bits is the high byte, as libvips scales (PIL's convert of I;16 clips instead). */
function assertHighByte(file: string, got: number[]): void {
  const high = python<number[]>("import sys, json, numpy as np; from PIL import Image; a = np.asarray(Image.open(sys.argv[1])).astype(np.uint16); print(json.dumps((a >> 8).flatten().tolist()))", file);
  assert.ok(got.every((v, i) => Math.abs(v - high[i]) <= 1), file);
}

test("with --resize, RGB, grey, grey+alpha, RGBA and 16-bit PNGs decode to the RGB pixels PIL gives (convert('RGB')), the converted ones said so", async () => {
  for (const name of makePngs()) {
    const file = path.join(dir, `${name}.png`);
    const image = await decodeStackImage(fs.readFileSync(file), { resize: parseResize("7x5:fill") });
    assert.deepEqual(image.shape, [5, 7, 3], name);
    assert.equal(image.convertedToRgb, name !== "RGB", name);
    if (name === "I16") {
      assertHighByte(file, Array.from((image.data as Uint8Array).filter((_, i) => i % 3 === 0)));
      continue;
    }
    const want = python<number[]>("import sys, json, numpy as np; from PIL import Image; print(json.dumps(np.asarray(Image.open(sys.argv[1]).convert('RGB')).flatten().tolist()))", file);
    assert.deepEqual(Array.from(image.data as Uint8Array), want, name);
  }
});

test("without --resize, each image keeps its own channels at 8 bits, as PIL reads them", async () => {
  const channels: Record<string, number> = { RGB: 3, L: 1, LA: 2, RGBA: 4, I16: 1 };
  for (const name of makePngs()) {
    const file = path.join(dir, `${name}.png`);
    const image = await decodeStackImage(fs.readFileSync(file), { resize: null });
    assert.deepEqual(image.shape, [5, 7, channels[name]], name);
    assert.equal(image.convertedToRgb, false, name);
    if (name === "I16") {
      assertHighByte(file, Array.from(image.data as Uint8Array));
      continue;
    }
    const want = python<number[]>("import sys, json, numpy as np; from PIL import Image; print(json.dumps(np.asarray(Image.open(sys.argv[1])).flatten().tolist()))", file);
    assert.deepEqual(Array.from(image.data as Uint8Array), want, name);
  }
});

test("encoded, an image is only checked: no pixels, its stored shape (no EXIF rotation), and a corrupt one fails", async () => {
  const tagged = await sharp({ create: { width: 6, height: 4, channels: 3, background: { r: 10, g: 20, b: 30 } } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const image = await decodeStackImage(tagged, { resize: null, encoded: true });
  assert.equal(image.data.length, 0);
  assert.deepEqual(image.shape, [4, 6, 3]);
  assert.equal(image.format, "jpeg");
  await assert.rejects(decodeStackImage(tagged.subarray(0, 200), { resize: null, encoded: true }), /cannot decode the image/);
});

test("EXIF orientation is applied, and --resize brings the image to its box", async () => {
  // 6 × 4, tagged "rotate 90° clockwise to view" (orientation 6): upright it is 4 wide, 6 high.
  const tagged = await sharp({ create: { width: 6, height: 4, channels: 3, background: { r: 10, g: 20, b: 30 } } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  assert.deepEqual((await decodeStackImage(tagged, { resize: null })).shape, [6, 4, 3]);
  assert.deepEqual((await decodeStackImage(tagged, { resize: parseResize("8x8:contain") })).shape, [8, 8, 3]);
  assert.deepEqual((await decodeStackImage(tagged, { resize: parseResize("10x3:fill") })).shape, [3, 10, 3]);
});

test("a file that is no image fails as the image processor says it", async () => {
  await assert.rejects(decodeStackImage(Buffer.from("plain text, not an image\n".repeat(4)), { resize: null }), /cannot decode the image: .*its content is text/);
});
