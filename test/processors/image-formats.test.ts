// The image formats image.test.ts leaves out: CMYK JPEG and TIFF, 8- and 16-bit (kept as the
// file's four inks, IMAGE_COLORMODEL "CMYK"), 16-bit RGB and grey TIFF and 16-bit RGBA and
// grey+alpha PNG (exact uint16 values, written by hand so no decoder under test made them),
// 8-bit grey+alpha PNG and grey PNG with a transparent key ([H, W, 2]), SVG (rasterized at its
// own size) and AVIF.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import sharp from "sharp";
import { convert } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-image-formats-");
const images = path.join(dir, "images");
// Expected pixels (.npy from numpy, .bin from sharp) live outside the converted tree.
const expected = path.join(dir, "expected");

// name → where the expected pixels come from ("pil:MODE" decodes the file with PIL in MODE,
// "npy:NAME" / "bin:NAME" are arrays saved beside), how far they may differ, the stored shape,
// dtype, IMAGE_SUBCLASS and IMAGE_COLORMODEL (null: absent).
interface Case { want: string; tolerance: number; shape: number[]; dtype: string; subclass: string; colourModel: string | null }
const CASES: Record<string, Case> = {
  "cmyk.jpg": { want: "pil:CMYK", tolerance: 3, shape: [37, 53, 4], dtype: "uint8", subclass: "IMAGE_TRUECOLOR", colourModel: "CMYK" },
  "cmyk-rotated.jpg": { want: "pil:CMYK", tolerance: 3, shape: [53, 37, 4], dtype: "uint8", subclass: "IMAGE_TRUECOLOR", colourModel: "CMYK" },
  "cmyk.tif": { want: "pil:CMYK", tolerance: 0, shape: [37, 53, 4], dtype: "uint8", subclass: "IMAGE_TRUECOLOR", colourModel: "CMYK" },
  "cmyk16.tif": { want: "npy:rgba16", tolerance: 0, shape: [37, 53, 4], dtype: "uint16", subclass: "IMAGE_TRUECOLOR", colourModel: "CMYK" },
  "rgb16.tif": { want: "npy:rgb16", tolerance: 0, shape: [37, 53, 3], dtype: "uint16", subclass: "IMAGE_TRUECOLOR", colourModel: "RGB" },
  "grey16.tif": { want: "npy:grey16", tolerance: 0, shape: [37, 53], dtype: "uint16", subclass: "IMAGE_GRAYSCALE", colourModel: null },
  "rgba16.png": { want: "npy:rgba16", tolerance: 0, shape: [37, 53, 4], dtype: "uint16", subclass: "IMAGE_TRUECOLOR", colourModel: "RGB" },
  "la16.png": { want: "npy:la16", tolerance: 0, shape: [37, 53, 2], dtype: "uint16", subclass: "IMAGE_TRUECOLOR", colourModel: null },
  "la.png": { want: "pil:LA", tolerance: 0, shape: [37, 53, 2], dtype: "uint8", subclass: "IMAGE_TRUECOLOR", colourModel: null },
  "grey-trns.png": { want: "pil:LA", tolerance: 0, shape: [37, 53, 2], dtype: "uint8", subclass: "IMAGE_TRUECOLOR", colourModel: null },
  "shapes.svg": { want: "bin:shapes", tolerance: 0, shape: [30, 40, 4], dtype: "uint8", subclass: "IMAGE_TRUECOLOR", colourModel: "RGB" },
  "lossless.avif": { want: "npy:rgb", tolerance: 0, shape: [37, 53, 3], dtype: "uint8", subclass: "IMAGE_TRUECOLOR", colourModel: "RGB" },
  "lossy.avif": { want: "bin:lossy", tolerance: 0, shape: [37, 53, 3], dtype: "uint8", subclass: "IMAGE_TRUECOLOR", colourModel: "RGB" },
};

python(`import os, sys, struct, zlib
import numpy as np
from PIL import Image
out, exp = sys.argv[1], sys.argv[2]; os.makedirs(out); os.makedirs(exp)
h, w = 37, 53
y, x = np.mgrid[0:h, 0:w]
rgb = np.stack([(x * 5) % 256, (y * 7) % 256, ((x + y) * 3) % 256], -1).astype("uint8")
rgb16 = np.stack([(x * 1237 + y * 911) % 65536, (x * 301 + y * 4099) % 65536, (x * y * 97) % 65536], -1).astype("uint16")
arrays = {"rgb": rgb, "rgb16": rgb16, "grey16": rgb16[..., 1], "rgba16": np.dstack([rgb16, ((x + 1) * (y + 1) * 53) % 65536]).astype("uint16"),
          "la16": np.ascontiguousarray(rgb16[..., :2])}
for name, a in arrays.items(): np.save(f"{exp}/{name}.npy", a)

def png(path, a, colour_type):  # 16-bit PNG by hand: PIL writes none with colour
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    rows = b"".join(b"\\0" + r.astype(">u2").tobytes() for r in a)
    ihdr = struct.pack(">IIBBBBB", a.shape[1], a.shape[0], 16, colour_type, 0, 0, 0)
    open(path, "wb").write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))

def tiff(path, a, photometric):  # uncompressed 16-bit TIFF by hand: PIL 9.4 writes no 16-bit RGB or CMYK
    spp = 1 if a.ndim == 2 else a.shape[2]
    data = a.astype("<u2").tobytes()
    tags = [(256, 3, 1, a.shape[1]), (257, 3, 1, a.shape[0]), (258, 3, spp, 16), (259, 3, 1, 1), (262, 3, 1, photometric),
            (273, 4, 1, 0), (277, 3, 1, spp), (278, 3, 1, a.shape[0]), (279, 4, 1, len(data)), (284, 3, 1, 1)]
    bps_at = 8 + 2 + 12 * len(tags) + 4
    data_at = bps_at + (2 * spp if spp > 2 else 0)
    ifd = struct.pack("<H", len(tags))
    for tag, kind, count, value in tags:
        if tag == 258 and spp > 2: ifd += struct.pack("<HHII", tag, kind, count, bps_at)
        elif tag == 273: ifd += struct.pack("<HHII", tag, kind, count, data_at)
        elif kind == 3: ifd += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else: ifd += struct.pack("<HHII", tag, kind, count, value)
    bps = struct.pack(f"<{spp}H", *[16] * spp) if spp > 2 else b""
    open(path, "wb").write(b"II*\\0" + struct.pack("<I", 8) + ifd + b"\\0\\0\\0\\0" + bps + data)

Image.fromarray(rgb).convert("CMYK").save(f"{out}/cmyk.jpg", quality=95)
exif = Image.Exif(); exif[0x0112] = 6
Image.fromarray(rgb).convert("CMYK").save(f"{out}/cmyk-rotated.jpg", quality=95, exif=exif)
Image.fromarray(rgb).convert("CMYK").save(f"{out}/cmyk.tif")
tiff(f"{out}/rgb16.tif", arrays["rgb16"], 2); tiff(f"{out}/grey16.tif", arrays["grey16"], 1); tiff(f"{out}/cmyk16.tif", arrays["rgba16"], 5)
png(f"{out}/rgba16.png", arrays["rgba16"], 6); png(f"{out}/la16.png", arrays["la16"], 4)
Image.fromarray(np.dstack([rgb[..., 0], rgb[..., 1]]), "LA").save(f"{out}/la.png")
Image.fromarray(rgb[..., 0]).save(f"{out}/grey-trns.png", transparency=10)
print("[]")`, images, expected);

// Four solid rectangles on a 40×30 canvas, one half transparent; tested at their centres.
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">
  <rect x="0" y="0" width="20" height="15" fill="#ff0000"/>
  <rect x="20" y="0" width="20" height="15" fill="#00ff00"/>
  <rect x="0" y="15" width="20" height="15" fill="#0000ff"/>
  <rect x="20" y="15" width="20" height="15" fill="#336699" fill-opacity="0.5"/>
</svg>`;
const SVG_CENTRES: [number, number, number[]][] = [[7, 10, [255, 0, 0, 255]], [7, 30, [0, 255, 0, 255]], [22, 10, [0, 0, 255, 255]], [22, 30, [0x33, 0x66, 0x99, 128]]];

/** sharp's own decode of a file, saved as raw bytes for the Python side. */
async function saveSharpDecode(file: string, name: string): Promise<void> {
  fs.writeFileSync(path.join(expected, `${name}.bin`), await sharp(file).raw().toBuffer());
}

async function makeSharpFixtures(): Promise<void> {
  fs.writeFileSync(path.join(images, "shapes.svg"), SVG);
  await saveSharpDecode(path.join(images, "shapes.svg"), "shapes");
  const w = 53, h = 37;
  const rgb = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgb.set([(x * 5) % 256, (y * 7) % 256, ((x + y) * 3) % 256], (y * w + x) * 3);
  const raw = { raw: { width: w, height: h, channels: 3 as const } };
  await sharp(rgb, raw).avif({ lossless: true }).toFile(path.join(images, "lossless.avif"));
  await sharp(rgb, raw).avif({ quality: 60 }).toFile(path.join(images, "lossy.avif"));
  await saveSharpDecode(path.join(images, "lossy.avif"), "lossy");
}

type Report = Record<string, { shape: number[]; dtype: string; maxdiff: number; attrs: Record<string, string | number | null>; pixels?: number[][]; offSource?: [number, number] }>;

function readBack(output: string, group: string, cases: Record<string, Case>): Report {
  return python<Report>(`import h5py, json, sys
import numpy as np
from PIL import Image, ImageOps
f = h5py.File(sys.argv[1], "r"); src, exp, group = sys.argv[2], sys.argv[3], sys.argv[4]; cases = json.loads(sys.argv[5])
centres = json.loads(sys.argv[6])
out = {}
for name, case in cases.items():
    d = f[group][name] if group else f[name]
    got = d[()]
    kind, arg = case["want"].split(":")
    if kind == "pil":
        want = np.asarray(ImageOps.exif_transpose(Image.open(f"{src}/{name}")).convert(arg))
    elif kind == "npy":
        want = np.load(f"{exp}/{arg}.npy")
    else:
        want = np.fromfile(f"{exp}/{arg}.bin", dtype=got.dtype).reshape(got.shape)
    attrs = {k: (v.decode() if isinstance(v, bytes) else v.item() if hasattr(v, "item") else v) for k, v in d.attrs.items()}
    seen = {"shape": list(got.shape), "dtype": str(got.dtype),
            "maxdiff": int(np.abs(got.astype("i8") - want.astype("i8")).max()) if got.shape == want.shape else -1,
            "attrs": {k: attrs.get(k) for k in ["CLASS", "IMAGE_VERSION", "IMAGE_SUBCLASS", "INTERLACE_MODE", "IMAGE_COLORMODEL",
                                               "width", "height", "channels", "bit_depth", "image_format", "media_type", "processor"]}}
    if name.endswith(".svg"): seen["pixels"] = [got[y, x].tolist() for y, x in centres]
    if name.endswith(".avif"):
        off = np.abs(got.astype("i8") - np.load(f"{exp}/rgb.npy").astype("i8"))
        seen["offSource"] = [int(off.max()), float(off.mean())]
    out[name] = seen
print(json.dumps(out))`, output, images, expected, group, JSON.stringify(cases), JSON.stringify(SVG_CENTRES.map(([y, x]) => [y, x])));
}

test("CMYK, 16-bit TIFF/PNG, grey+alpha, SVG and AVIF store the file's pixels with the Image attrs", async () => {
  await makeSharpFixtures();
  const output = path.join(dir, "formats.h5");
  const summary = await convert([images], { output, workers: 0 });
  assert.deepEqual(summary.failures, []);
  assert.equal(summary.written, Object.keys(CASES).length);

  const report = readBack(output, "images", CASES);
  for (const [name, want] of Object.entries(CASES)) {
    const seen = report[name];
    assert.deepEqual(seen.shape, want.shape, name);
    assert.equal(seen.dtype, want.dtype, name);
    assert.ok(seen.maxdiff >= 0 && seen.maxdiff <= want.tolerance, `${name}: max difference ${seen.maxdiff} from ${want.want}`);
    const channels = want.shape.length === 2 ? 1 : want.shape[2];
    assert.deepEqual(seen.attrs, {
      CLASS: "IMAGE", IMAGE_VERSION: "1.2", IMAGE_SUBCLASS: want.subclass,
      INTERLACE_MODE: channels > 1 ? "INTERLACE_PIXEL" : null, IMAGE_COLORMODEL: want.colourModel,
      width: want.shape[1], height: want.shape[0], channels, bit_depth: want.dtype === "uint16" ? 16 : 8,
      image_format: seen.attrs.image_format, media_type: seen.attrs.media_type, processor: "image",
    }, name);
  }
  assert.deepEqual(
    Object.fromEntries(["cmyk.jpg", "cmyk.tif", "rgb16.tif", "rgba16.png", "shapes.svg", "lossless.avif"].map((n) => [n, [report[n].attrs.image_format, report[n].attrs.media_type]])),
    {
      "cmyk.jpg": ["jpeg", "image/jpeg"], "cmyk.tif": ["tiff", "image/tiff"], "rgb16.tif": ["tiff", "image/tiff"],
      "rgba16.png": ["png", "image/png"], "shapes.svg": ["svg", "image/svg+xml"], "lossless.avif": ["heif", "image/avif"],
    },
  );
  // The SVG's rectangles at their centres: opaque ones exact; the half-transparent one went through
  // cairo's 8-bit premultiplied surface, which loses a couple of levels (as sharp's own decode does).
  const svg = report["shapes.svg"].pixels!;
  SVG_CENTRES.forEach(([y, x, rgba], i) => assert.ok(svg[i].every((v, c) => Math.abs(v - rgba[c]) <= (rgba[3] === 255 ? 0 : 3)), `svg at (${y}, ${x}): ${svg[i]} != ${rgba}`));
  // AVIF: lossless is the source exactly; lossy is sharp's decode exactly (above) and near the source on average.
  assert.equal(report["lossless.avif"].offSource![0], 0);
  assert.ok(report["lossy.avif"].offSource![1] < 4, `lossy AVIF is ${report["lossy.avif"].offSource![1]} off its source on average`);
});

test("the colour model and grey+alpha survive decoding in worker processes", async () => {
  const output = path.join(dir, "formats-workers.h5");
  const names = ["cmyk.jpg", "la.png", "rgba16.png"];
  const summary = await convert(names.map((n) => path.join(images, n)), { output, workers: 2 });
  assert.equal(summary.written, names.length);
  const report = readBack(output, "", Object.fromEntries(names.map((n) => [n, CASES[n]])));
  for (const name of names) {
    assert.deepEqual([report[name].shape, report[name].attrs.IMAGE_COLORMODEL], [CASES[name].shape, CASES[name].colourModel], name);
    assert.ok(report[name].maxdiff >= 0 && report[name].maxdiff <= CASES[name].tolerance, `${name}: ${report[name].maxdiff}`);
  }
});
