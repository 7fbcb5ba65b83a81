// Images converted through sharp hold the pixel values PIL decodes from the same files: 8- and
// 16-bit, grey as [H, W], colour as [H, W, C], palette expanded, EXIF orientation applied; the
// HDF5 Image spec attrs are there; a corrupt image is kept as its bytes with the decoder's message;
// an image of more pixels than the limit fails before it is decoded.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { decodeImage, DEFAULT_MAX_PIXELS } from "../../src/processors/image";
import { readJpegHeader } from "../../src/processors/jpeg-header";
import { native } from "../../src/native/addon";
import sharp from "sharp";
import { python, tempDir } from "../helpers/h5py";
import { writeImages } from "../bad/inputs/images";

const dir = tempDir("h5dat-images-");
const images = path.join(dir, "images");

// name → PIL mode to compare in, and how far lossy decoders may differ (0 = exact).
const CASES: Record<string, { mode: string; tolerance: number }> = {
  "rgb.png": { mode: "RGB", tolerance: 0 },
  "rgba.png": { mode: "RGBA", tolerance: 0 },
  "grey.png": { mode: "L", tolerance: 0 },
  "grey16.png": { mode: "I;16", tolerance: 0 },
  "palette.png": { mode: "RGBA", tolerance: 0 },
  "rgb.jpg": { mode: "RGB", tolerance: 3 },
  "grey.jpg": { mode: "L", tolerance: 3 },
  "anim.gif": { mode: "RGB", tolerance: 0 },
  "rgb.tif": { mode: "RGB", tolerance: 0 },
  "lossless.webp": { mode: "RGB", tolerance: 0 },
  "rotated.jpg": { mode: "RGB", tolerance: 3 },
  "progressive.jpg": { mode: "RGB", tolerance: 3 },
  "444.jpg": { mode: "RGB", tolerance: 3 },
  "rgb.bmp": { mode: "RGB", tolerance: 0 },
  "palette.bmp": { mode: "RGB", tolerance: 0 },
  "grey.bmp": { mode: "RGB", tolerance: 0 },
  "mono.bmp": { mode: "RGB", tolerance: 0 },
  "icon.ico": { mode: "RGBA", tolerance: 0 },
};

python(`import os, sys, json
import numpy as np
from PIL import Image
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
h, w = 37, 53
y, x = np.mgrid[0:h, 0:w]
rgb = np.stack([(x * 5) % 256, (y * 7) % 256, ((x + y) * 3) % 256], -1).astype("uint8")
Image.fromarray(rgb).save(f"{out}/rgb.png")
Image.fromarray(np.dstack([rgb, ((x * y) % 256).astype("uint8")])).save(f"{out}/rgba.png")
Image.fromarray(rgb[..., 0]).save(f"{out}/grey.png")
Image.fromarray(((x * 1237 + y * 911) % 65536).astype("uint16")).save(f"{out}/grey16.png")
p = Image.fromarray(rgb).quantize(16); p.info["transparency"] = 3; p.save(f"{out}/palette.png", transparency=3)
Image.fromarray(rgb).save(f"{out}/rgb.jpg", quality=95)
Image.fromarray(rgb[..., 1]).save(f"{out}/grey.jpg", quality=95)
frames = [Image.fromarray(np.roll(rgb, k, 1)).convert("P", palette=Image.ADAPTIVE) for k in range(3)]
frames[0].save(f"{out}/anim.gif", save_all=True, append_images=frames[1:], duration=100)
Image.fromarray(rgb).save(f"{out}/rgb.tif")
Image.fromarray(rgb).save(f"{out}/lossless.webp", lossless=True)
exif = Image.Exif(); exif[0x0112] = 6
Image.fromarray(rgb).save(f"{out}/rotated.jpg", quality=95, exif=exif)
Image.fromarray(rgb).save(f"{out}/progressive.jpg", quality=90, progressive=True, optimize=True)
Image.fromarray(rgb).save(f"{out}/444.jpg", quality=90, subsampling=0)
Image.fromarray(rgb).save(f"{out}/rgb.bmp")
Image.fromarray(rgb).quantize(16).save(f"{out}/palette.bmp")
Image.fromarray(rgb[..., 2]).save(f"{out}/grey.bmp")
Image.fromarray(rgb[..., 0] > 128).save(f"{out}/mono.bmp")
Image.fromarray(np.dstack([rgb, ((x * y) % 256).astype("uint8")])).save(f"{out}/icon.ico", sizes=[(32, 32)])
whole = open(f"{out}/rgb.png", "rb").read(); open(f"{out}/corrupt.png", "wb").write(whole[:len(whole) // 2])
print("[]")`, images);

test("every image's pixels equal PIL's decode of the same file; shapes, dtypes and Image attrs", async () => {
  const output = path.join(dir, "images.h5");
  const summary = await convert([images], { output });
  assert.equal(summary.written, Object.keys(CASES).length);
  // The cut PNG is kept as its bytes, with libvips's error.
  assert.equal(summary.failed, 0);
  assert.equal(summary.keptAsBytes, 1);
  assert.equal(summary.kept[0].source_path, "corrupt.png");
  assert.match(summary.kept[0].message, /^kept as bytes: .*(png|truncat|read|corrupt)/i);

  const report = python<Record<string, { shape: number[]; dtype: string; maxdiff: number; attrs: Record<string, string | number> }>>(
    `import h5py, json, sys
import numpy as np
from PIL import Image, ImageOps
f = h5py.File(sys.argv[1], "r"); src = sys.argv[2]; cases = json.loads(sys.argv[3])
out = {}
for name, case in cases.items():
    d = f["images"][name]
    img = Image.open(f"{src}/{name}")
    img = ImageOps.exif_transpose(img)
    expected = np.asarray(img.convert(case["mode"]) if case["mode"] != "I;16" else img)
    got = d[()]
    attrs = {k: (v.decode() if isinstance(v, bytes) else v.item() if hasattr(v, "item") else v) for k, v in d.attrs.items()}
    same = got.shape == expected.shape
    out[name] = {"shape": list(got.shape), "dtype": str(got.dtype), "maxdiff": int(np.abs(got.astype("i8") - expected.astype("i8")).max()) if same else -1,
                 "attrs": {k: attrs[k] for k in ["CLASS", "IMAGE_SUBCLASS", "media_type", "processor", "bit_depth"]}}
print(json.dumps(out))`,
    output, images, JSON.stringify(CASES),
  );
  for (const [name, { tolerance }] of Object.entries(CASES)) {
    const seen = report[name];
    assert.ok(seen.maxdiff >= 0 && seen.maxdiff <= tolerance, `${name}: shape ${seen.shape}, max difference ${seen.maxdiff}`);
    assert.equal(seen.attrs.CLASS, "IMAGE", name);
    assert.equal(seen.attrs.processor, "image", name);
  }
  assert.deepEqual(report["grey16.png"].shape, [37, 53]);
  assert.equal(report["grey16.png"].dtype, "uint16");
  assert.equal(report["grey16.png"].attrs.bit_depth, 16);
  assert.equal(report["grey.png"].attrs.IMAGE_SUBCLASS, "IMAGE_GRAYSCALE");
  assert.deepEqual(report["rgba.png"].shape, [37, 53, 4]);
  assert.deepEqual(report["palette.png"].shape, [37, 53, 4]);
  assert.deepEqual(report["rotated.jpg"].shape, [53, 37, 3]); // EXIF orientation 6: upright is rotated
  assert.equal(report["rgb.png"].attrs.IMAGE_SUBCLASS, "IMAGE_TRUECOLOR");
  assert.equal(report["rgb.png"].attrs.media_type, "image/png");
  assert.deepEqual(report["icon.ico"].shape, [22, 32, 4]); // PIL kept the aspect ratio inside 32x32
  assert.deepEqual(report["mono.bmp"].shape, [37, 53, 3]);
});

test("an icon with a 32-bit DIB image, and a 16-bit BMP, decode to their pixels", async () => {
  const { decodeBmp, decodeIco } = await import("../../src/processors/bmp");
  // A 2x2 32-bit BGRA DIB inside an ICO: rows bottom-up, then a (here ignored) AND mask.
  const dib = Buffer.alloc(40 + 16 + 8);
  dib.writeUInt32LE(40, 0); dib.writeInt32LE(2, 4); dib.writeInt32LE(4, 8); dib.writeUInt16LE(1, 12); dib.writeUInt16LE(32, 14);
  Buffer.from([0, 0, 255, 255, 0, 255, 0, 128, 255, 0, 0, 0, 10, 20, 30, 255]).copy(dib, 40); // bottom row, then top row
  const ico = Buffer.alloc(6 + 16);
  ico.writeUInt16LE(1, 2); ico.writeUInt16LE(1, 4); ico[6] = 2; ico[7] = 2; ico.writeUInt32LE(dib.length, 14); ico.writeUInt32LE(22, 18);
  const icon = await decodeIco(Buffer.concat([ico, dib]), () => Promise.reject(new Error("no PNG here")));
  assert.deepEqual([icon.width, icon.height, icon.channels], [2, 2, 4]);
  assert.deepEqual(Array.from(icon.data), [0, 0, 255, 0, 30, 20, 10, 255, 255, 0, 0, 255, 0, 255, 0, 128]);

  // 2x1 16-bit BMP, 5-5-5: pure red and pure blue.
  const bmp = Buffer.alloc(14 + 40 + 4);
  bmp.write("BM", 0, "latin1"); bmp.writeUInt32LE(bmp.length, 2); bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14); bmp.writeInt32LE(2, 18); bmp.writeInt32LE(1, 22); bmp.writeUInt16LE(1, 26); bmp.writeUInt16LE(16, 28);
  bmp.writeUInt16LE(0x7c00, 54); bmp.writeUInt16LE(0x001f, 56);
  assert.deepEqual(Array.from(decodeBmp(bmp).data), [255, 0, 0, 0, 0, 255]);
  assert.throws(() => decodeBmp(bmp.subarray(0, 40)), /invalid BMP: truncated/);
});

test("--images encoded keeps the file's bytes; both adds them under /_h5dat/encoded beside the pixels", async () => {
  const fs = await import("node:fs");
  const source = path.join(images, "rgb.jpg");
  const original = fs.readFileSync(source);
  for (const mode of ["encoded", "both"] as const) {
    const output = path.join(dir, `images-${mode}.h5`);
    const summary = await convert([source], { output, images: mode });
    assert.equal(summary.written, 1);
    const seen = python<{ shape: number[]; processor: string; encoded: number[] | null; encodedPath: string | null }>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); d = f["rgb.jpg"]
p = d.attrs.get("encoded_path"); p = p.decode() if isinstance(p, bytes) else p
print(json.dumps({"shape": list(d.shape), "processor": d.attrs["processor"], "encodedPath": p,
  "encoded": f[p][()].tolist() if p else (d[()].tolist() if d.ndim == 1 else None)}))`, output);
    assert.deepEqual(Buffer.from(seen.encoded ?? []), original, mode);
    if (mode === "encoded") {
      assert.deepEqual([seen.shape, seen.processor, seen.encodedPath], [[original.length], "bytes", null]);
    } else {
      assert.deepEqual([seen.shape, seen.processor, seen.encodedPath], [[37, 53, 3], "image", "/_h5dat/encoded/rgb.jpg"]);
    }
  }
});

test("an animated GIF with animated: true is [T, H, W, C], every frame equal to PIL's", async () => {
  const output = path.join(dir, "animated.h5");
  const summary = await convert([path.join(images, "anim.gif")], { output, animated: true });
  assert.equal(summary.written, 1);
  const seen = python<{ shape: number[]; frames: number; maxdiff: number }>(`import h5py, json, sys
import numpy as np
from PIL import Image, ImageSequence
d = h5py.File(sys.argv[1], "r")["anim.gif"]; got = d[()]
want = np.stack([np.asarray(f.convert(("RGB", "RGBA")[got.shape[-1] - 3])) for f in ImageSequence.Iterator(Image.open(sys.argv[2]))])
print(json.dumps({"shape": list(got.shape), "frames": int(d.attrs["frame_count"]), "maxdiff": int(np.abs(got.astype("i4") - want.astype("i4")).max()) if got.shape == want.shape else -1}))`, output, path.join(images, "anim.gif"));
  assert.equal(seen.frames, 3);
  assert.deepEqual(seen.shape.slice(0, 3), [3, 37, 53]);
  assert.equal(seen.maxdiff, 0);
});

test("an image of more pixels than maxPixels fails on its header, before decoding; 0 lifts the limit", async () => {
  const bomb = path.join(dir, "bomb.png");
  writeImages([{ file: bomb, kind: "bomb", side: 20000 }]);
  const bytes = fs.readFileSync(bomb);
  assert.ok(bytes.length < 200_000, `the bomb is ${bytes.length} bytes`);
  assert.equal(DEFAULT_MAX_PIXELS, 268402689);
  await assert.rejects(decodeImage(bytes), /^Error: too many pixels: 20,000 × 20,000 = 400,000,000, over --max-pixels 268,402,689 \(not decoded\)$/);
  const small = path.join(dir, "known.png");
  writeImages([{ file: small, kind: "known", format: "png" }]);
  await assert.rejects(decodeImage(fs.readFileSync(small), { maxPixels: 47 }), /8 × 6 = 48, over --max-pixels 47/);
  assert.deepEqual((await decodeImage(fs.readFileSync(small), { maxPixels: 48 })).shape, [6, 8, 3]);
  assert.deepEqual((await decodeImage(fs.readFileSync(small), { maxPixels: 0 })).shape, [6, 8, 3]);
});

test("a JPEG's header, read from its markers, says what sharp's metadata says; plain ones decode by libjpeg-turbo to sharp's very pixels", async () => {
  const jpegs = path.join(dir, "jpegs");
  python(`import io, os, sys
import numpy as np
from PIL import Image, ImageCms
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
def photo(h, w, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([(x * 5) % 256, (y * 7) % 256, ((x + y) * 3) % 256], -1)
    return np.clip(base + rng.integers(-20, 20, (h, w, 3)), 0, 255).astype("uint8")
rgb = photo(45, 67, 1)
Image.fromarray(rgb).save(f"{out}/baseline.jpg")
Image.fromarray(rgb).save(f"{out}/progressive.jpg", progressive=True)
Image.fromarray(photo(601, 401, 2)).save(f"{out}/odd-420.jpg", quality=90)
Image.fromarray(photo(53, 37, 3)).save(f"{out}/odd-422.jpg", quality=75, subsampling=1)
Image.fromarray(photo(64, 48, 4)).save(f"{out}/q100-444.jpg", quality=100, subsampling=0)
Image.fromarray(photo(1, 1, 5)).save(f"{out}/one-pixel.jpg")
Image.fromarray(photo(1500, 2000, 6)).save(f"{out}/large-optimized.jpg", quality=85, optimize=True, progressive=True)
Image.fromarray(rgb[..., 0]).save(f"{out}/grey.jpg")
Image.fromarray(rgb).convert("CMYK").save(f"{out}/cmyk.jpg")
exif = Image.Exif(); exif[0x0112] = 8
Image.fromarray(rgb).save(f"{out}/exif-8-comment.jpg", exif=exif, comment=b"x" * 5000)
exif = Image.Exif(); exif[0x0112] = 1
Image.fromarray(rgb).save(f"{out}/exif-1.jpg", exif=exif)
exif = Image.Exif(); exif[0x010f] = "camera"
Image.fromarray(rgb).save(f"{out}/exif-no-orientation.jpg", exif=exif)
srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
Image.fromarray(rgb).save(f"{out}/icc.jpg", icc_profile=srgb)
print("[]")`, jpegs);
  const direct = new Set(["baseline.jpg", "progressive.jpg", "odd-420.jpg", "odd-422.jpg", "q100-444.jpg", "one-pixel.jpg", "large-optimized.jpg", "exif-1.jpg"]);
  for (const name of fs.readdirSync(jpegs).sort()) {
    const bytes = fs.readFileSync(path.join(jpegs, name));
    const meta = await sharp(bytes).metadata();
    const header = readJpegHeader(bytes);
    assert.ok(header, name);
    assert.deepEqual([header.width, header.height, header.components, header.precision], [meta.width, meta.height, meta.channels, 8], name);
    assert.equal(header.orientation, meta.orientation, `${name}: orientation`);
    assert.equal(header.icc, meta.icc !== undefined, `${name}: ICC profile`);
    const plain = header.components === 3 && !header.icc && (!header.exif || header.orientation === 1);
    assert.equal(plain, direct.has(name), `${name}: decoded directly`);
    // Whichever decoder runs, the pixels are sharp's (libvips decodes with the same library).
    const decoded = await decodeImage(bytes);
    const space = header.components === 1 ? "b-w" : header.components === 4 ? "cmyk" : "srgb";
    let pipeline = sharp(bytes).rotate();
    if (space === "cmyk") pipeline = pipeline.pipelineColourspace("cmyk");
    const raw = await pipeline.toColourspace(space).raw().toBuffer({ resolveWithObject: true });
    const shape = raw.info.channels === 1 ? [raw.info.height, raw.info.width] : [raw.info.height, raw.info.width, raw.info.channels];
    assert.deepEqual(decoded.shape, shape, name);
    assert.ok(Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength).equals(raw.data), `${name}: pixels differ from sharp's`);
    if (plain) {
      assert.ok((await native.decodeJpeg(bytes))?.data?.equals(raw.data), `${name}: libjpeg-turbo's pixels`);
      // Into a buffer the caller gives (a worker's mapped pixel file): the same bytes, and no `data`.
      const into = new Uint8Array(raw.data.length).fill(0xa5);
      assert.deepEqual(await native.decodeJpeg(bytes, into), { width: raw.info.width, height: raw.info.height }, name);
      assert.ok(Buffer.from(into.buffer).equals(raw.data), `${name}: pixels decoded into the caller's buffer`);
      // A buffer of another size is not written past: the answer is null (sharp then decodes).
      assert.equal(await native.decodeJpeg(bytes, new Uint8Array(raw.data.length - 1)), null, `${name}: too small a buffer`);
      assert.equal(await native.decodeJpeg(bytes, new Uint8Array(raw.data.length + 3)), null, `${name}: too large a buffer`);
    }
  }
  const baseline = fs.readFileSync(path.join(jpegs, "baseline.jpg"));
  // Broken or foreign bytes have no header: the decode then asks sharp, which names the fault.
  assert.equal(readJpegHeader(baseline.subarray(0, 20)), null);
  assert.equal(readJpegHeader(Buffer.from("not a jpeg at all")), null);
  const noLength = Buffer.from(baseline);
  noLength[2 + 2] = 0;
  noLength[2 + 3] = 1;
  assert.equal(readJpegHeader(noLength), null);
  // A truncated file makes libjpeg-turbo warn: not decoded here, and sharp refuses it.
  const truncated = baseline.subarray(0, baseline.length / 2);
  assert.equal(await native.decodeJpeg(truncated), null);
  await assert.rejects(decodeImage(truncated), /^Error: cannot decode the image: /);
  // Stray bytes before a marker are a warning too: sharp then decodes the file, as it always has.
  const sos = baseline.indexOf(Buffer.from([0xff, 0xda]));
  const stray = Buffer.concat([baseline.subarray(0, sos), Buffer.from([1, 2, 3]), baseline.subarray(sos)]);
  assert.equal(await native.decodeJpeg(stray), null);
  const strayPixels = await sharp(stray, { failOn: "error" }).raw().toBuffer();
  const strayDecoded = await decodeImage(stray);
  assert.ok(Buffer.from(strayDecoded.data.buffer, strayDecoded.data.byteOffset, strayDecoded.data.byteLength).equals(strayPixels));
  await assert.rejects(native.decodeJpeg("bytes" as unknown as Uint8Array), /decodeJpeg needs the file's bytes as a Uint8Array/);
  await assert.rejects(native.decodeJpeg(baseline, [1, 2] as unknown as Uint8Array), /decodeJpeg decodes into a Uint8Array/);
  // decodeImage hands a plain JPEG's pixels to the target it is given, and takes them back from it.
  const asked: number[] = [];
  const buffers: Uint8Array[] = [];
  const target = (byteLength: number) => {
    asked.push(byteLength);
    buffers.push(new Uint8Array(byteLength));
    return buffers.at(-1)!;
  };
  const intoTarget = await decodeImage(baseline, {}, target);
  const own = await decodeImage(baseline);
  assert.equal(intoTarget.data, buffers[0], "the pixels are the target's buffer");
  assert.deepEqual(asked, [own.data.byteLength]);
  assert.ok(Buffer.from(intoTarget.data).equals(Buffer.from(own.data)));
  // A stray-byte file is asked for a buffer too, then decoded by sharp into its own.
  const strayTarget = await decodeImage(stray, {}, target);
  assert.notEqual(strayTarget.data, buffers.at(-1));
  assert.ok(Buffer.from(strayTarget.data.buffer, strayTarget.data.byteOffset, strayTarget.data.byteLength).equals(strayPixels));
  // A frame claiming 60,000 × 60,000 fails before decoding, as a PNG bomb does.
  const bomb = Buffer.from(baseline);
  const sof = bomb.indexOf(Buffer.from([0xff, 0xc0]));
  bomb.writeUInt16BE(60000, sof + 5);
  bomb.writeUInt16BE(60000, sof + 7);
  assert.deepEqual(readJpegHeader(bomb), { precision: 8, width: 60000, height: 60000, components: 3, exif: false, icc: false });
  await assert.rejects(decodeImage(bomb), /^Error: too many pixels: 60,000 × 60,000 = 3,600,000,000, over --max-pixels 268,402,689 \(not decoded\)$/);
});
