// Converting real files nobody here made — the sample data of Debian's scientific Python packages
// (python3-sklearn, python3-skimage, python-matplotlib-data), desktop artwork, PyTables' test
// files (python-tables-data) — plus the hard cases made here (TIFF pages of one and of two sizes,
// a truncated JPEG, float/int16/big-endian TIFFs written without an imaging library), loose and in
// a tar.gz: every entry read ends up in the file, typed where the processors can and as its
// original bytes otherwise; typed values equal what PIL, tifffile and pandas read (h5py reading
// the output).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert, type ConvertSummary } from "../../src";
import { fileReport } from "../../src/cli/info-command";
import { PYTHON, python, tempDir } from "../helpers/h5py";

const SKLEARN = "/usr/lib/python3/dist-packages/sklearn/datasets/data";
const SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data";
const MATPLOTLIB = "/usr/share/matplotlib/mpl-data/sample_data";
const TABLES = "/usr/share/python-tables/tests";
const SKIMAGE_FILES = [
  "multipage_rgb.tif", "multipage.tif", "truncated.jpg", "no_time_for_that_tiny.gif", "chessboard_GRAY_U16.tif", "chessboard_GRAY_U16B.tif",
  "camera.png", "palette_color.png", "palette_gray.png", "foo3x5x4indexed.png", "green_palette.png", "rocket.jpg", "text.png", "logo.png",
  "_blobs_3d_fiji_skeleton.tif", "simple.fits", "lbpcascade_frontalface_opencv.xml", "bw_text_skeleton.npy",
];
const TABLES_FILES = ["smpl_f64be.h5", "smpl_compound_chunked.h5", "smpl_enum.h5", "attr-u16.h5", "test_szip.h5", "slink.h5", "float.h5", "vlstr_attr.h5"];
const ARTWORK = ["/usr/share/pixmaps/debian-logo.png", "/usr/share/pixmaps/openjdk-17.xpm", "/usr/share/icons/hicolor/48x48/apps/openjdk-17.png"];

const dir = tempDir("h5dat-real-corpus-");
const corpus = path.join(dir, "corpus");

/** Copies what the installed packages hold into corpus/<group>/, and makes the crafted cases. */
function gather(): string[] {
  const copy = (from: string, group: string, names: string[]) => {
    fs.mkdirSync(path.join(corpus, group), { recursive: true });
    for (const name of names) {
      const source = path.join(from, name);
      if (fs.existsSync(source)) fs.copyFileSync(source, path.join(corpus, group, path.basename(name)));
    }
  };
  const listed = (from: string) => (fs.existsSync(from) ? fs.readdirSync(from).filter((name) => fs.statSync(path.join(from, name)).isFile() && !name.endsWith(".py")) : []);
  copy(SKLEARN, "sklearn", listed(SKLEARN));
  copy(SKIMAGE, "skimage", SKIMAGE_FILES);
  copy(MATPLOTLIB, "matplotlib", listed(MATPLOTLIB));
  copy(TABLES, "tables", TABLES_FILES);
  copy("/", "artwork", ARTWORK.map((file) => file.slice(1)));
  // Made with PIL: two RGB pages of one size, two of different sizes, a JPEG cut at 60 %, a
  // float32 grey page; with the TIFF writer below (struct, no imaging library): the sample types
  // libvips refuses (float64, "samples out of range") or clips (int16), planar and big-endian.
  fs.mkdirSync(path.join(corpus, "crafted"));
  fs.writeFileSync(path.join(dir, "tiff_writer.py"), TIFF_WRITER);
  execFileSync(PYTHON, ["-c", `import sys, numpy as np
sys.path.insert(0, ${JSON.stringify(dir)})
from tiff_writer import write
from PIL import Image
def rgb(h, w, k):
    a = (np.indices((h, w)).sum(0) * k % 256).astype(np.uint8)
    return Image.fromarray(np.stack([a, a[::-1], 255 - a], -1))
out = sys.argv[1]
rgb(20, 30, 3).save(out + "/two-pages.tif", save_all=True, append_images=[rgb(20, 30, 7)])
rgb(20, 30, 3).save(out + "/two-sizes.tif", save_all=True, append_images=[rgb(10, 12, 7)])
rgb(96, 128, 5).save(out + "/whole.jpg", quality=90)
b = open(out + "/whole.jpg", "rb").read()
open(out + "/truncated.jpg", "wb").write(b[: len(b) * 6 // 10])
a = np.indices((10, 12)).sum(0)
Image.fromarray((a * 0.75 - 3).astype(np.float32)).save(out + "/float32-grey.tif")
Image.fromarray((a * 100000 - 700000).astype(np.int32)).save(out + "/int32-grey.tif")
rgb = lambda k, t: np.stack([a * k, a * 2, 40 - a], -1).astype(t)
write(out + "/float64-rgb-2-pages-planar.tif", [rgb(1.5, np.float64), rgb(2.5, np.float64)], planar=True)
write(out + "/float32-rgb.tif", [rgb(0.5, np.float32)])
write(out + "/int16-grey.tif", [(a * 100 - 500).astype(np.int16)])
write(out + "/uint16-rgb-big-endian.tif", [rgb(300, np.uint16)], big=True)`, path.join(corpus, "crafted")]);
  return fs.readdirSync(corpus, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(corpus, path.join(e.parentPath, e.name)));
}

/** A minimal TIFF writer: pages of one dtype, chunky or planar, uncompressed, either byte order. */
const TIFF_WRITER = String.raw`# A minimal TIFF writer (numpy + struct): pages of one dtype, chunky or planar, uncompressed.
import struct, sys, numpy as np
def write(path, pages, planar=False, photometric=None, extra=None, big=False):
    bo = ">" if big else "<"
    out = bytearray(b"MM\x00*" if big else b"II*\x00") + struct.pack(bo + "I", 0)
    ifd_at = 4
    for page in pages:
        page = np.asarray(page)
        h, w = page.shape[:2]
        spp = 1 if page.ndim == 2 else page.shape[2]
        data = (np.moveaxis(page, -1, 0) if planar and spp > 1 else page).astype(page.dtype.newbyteorder(bo)).tobytes()
        planes = spp if planar and spp > 1 else 1
        plane_bytes = len(data) // planes
        strip_offsets = []
        for p in range(planes):
            strip_offsets.append(len(out)); out += data[p * plane_bytes:(p + 1) * plane_bytes]
            if len(out) % 2: out += b"\x00"
        fmt = {"u": 1, "i": 2, "f": 3}[page.dtype.kind]
        bps = page.dtype.itemsize * 8
        def arr(kind, values):
            nonlocal out
            at = len(out); out += struct.pack(bo + kind * len(values), *values)
            if len(out) % 2: out += b"\x00"
            return at
        bps_at = arr("H", [bps] * spp) if spp > 2 else None
        fmt_at = arr("H", [fmt] * spp) if spp > 2 else None
        offs_at = arr("I", strip_offsets) if planes > 1 else None
        counts_at = arr("I", [plane_bytes] * planes) if planes > 1 else None
        photo = photometric if photometric is not None else (2 if spp >= 3 else 1)
        entries = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, spp, bps_at if bps_at is not None else bps), (259, 3, 1, 1), (262, 3, 1, photo),
                   (273, 4, planes, offs_at if offs_at is not None else strip_offsets[0]), (277, 3, 1, spp), (278, 4, 1, h),
                   (279, 4, planes, counts_at if counts_at is not None else plane_bytes), (284, 3, 1, 2 if planes > 1 else 1), (339, 3, spp, fmt_at if fmt_at is not None else fmt)]
        if extra is not None: entries.append((338, 3, 1, extra))
        entries.sort()
        here = len(out)
        struct.pack_into(bo + "I", out, ifd_at, here)
        out += struct.pack(bo + "H", len(entries))
        for tag, typ, count, value in entries:
            inline = count * (2 if typ == 3 else 4) <= 4
            if inline and typ == 3 and count == 2: raise ValueError("two shorts inline not used here")
            val = struct.pack(bo + ("HH" if (typ == 3 and inline) else "I"), *( (value, 0) if (typ == 3 and inline) else (value,) ))
            out += struct.pack(bo + "HHI", tag, typ, count) + val
        ifd_at = len(out); out += struct.pack(bo + "I", 0)
    open(path, "wb").write(bytes(out))
`;

const files = gather();
execFileSync("tar", ["-czf", path.join(dir, "corpus.tar.gz"), "-C", dir, "corpus"]);

/**
 * h5py's view of an output: each entry's dataset kind, whether its bytes equal the source file
 * (kept as bytes), and for typed images and CSVs whether the values equal PIL's and pandas'.
 */
const CHECK = `import csv, gzip, hashlib, io, json, sys, h5py, numpy as np, pandas as pd, tifffile
from PIL import Image, ImageFile
root, output, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
f = h5py.File(output, "r")
out = {}
def pil_pages(path, all_pages, channels):
    im = Image.open(path)
    pages = []
    for i in range(getattr(im, "n_frames", 1) if all_pages else 1):
        im.seek(i)
        page = im
        # libvips gives a GIF four channels (alpha 255 where opaque) whatever its palette holds.
        if page.mode == "P": page = page.convert("RGBA" if "transparency" in page.info or channels == 4 else "RGB")
        elif page.mode == "1": page = page.convert("L")
        pages.append(np.asarray(page))
    return pages
def tiff_pages(path, all_pages):
    with tifffile.TiffFile(path) as tiff:
        out = []
        for page in (tiff.pages if all_pages else tiff.pages[:1]):
            a = page.asarray()
            if page.planarconfig == 2 and a.ndim == 3: a = np.moveaxis(a, 0, -1)
            out.append(a)
        return out
for row in f["_h5dat/manifest"][()]:
    source_path, target, status = row["source_path"].decode(), row["target"].decode(), row["status"].decode()
    entry = {"status": status, "message": row["message"].decode()}
    out[source_path] = entry
    if status != "written": continue
    d = f[target]
    local = root + "/" + source_path[len(prefix):]
    entry["processor"] = d.attrs.get("processor", b"") if isinstance(d, h5py.Dataset) else "hdf5"
    if isinstance(entry["processor"], bytes): entry["processor"] = entry["processor"].decode()
    if entry["processor"] == "bytes":
        entry["same_bytes"] = d[()].tobytes() == open(local, "rb").read()
        entry["fallback_reason"] = d.attrs.get("fallback_reason", "")
    elif entry["processor"] == "image":
        all_pages = d.attrs.get("frame_count", 1) > 1
        try:
            pages = pil_pages(local, all_pages, d.shape[-1] if d.ndim == 3 + all_pages else 1)
            reader = "pil"
        except Exception as e:
            entry["pil"] = "PIL cannot read it: " + str(e)
            if not local.endswith(".tif"): continue
            # What PIL cannot read of a TIFF (float RGB), tifffile does.
            pages, reader = tiff_pages(local, all_pages), "tifffile"
        want = np.stack(pages) if len(pages) > 1 else pages[0]
        got = d[()]
        # Same values; the same type where tifffile reads (PIL widens int16 to its "I", int32).
        same = want.shape == got.shape and want.dtype.kind == got.dtype.kind and np.array_equal(want, got)
        if reader == "tifffile": same = same and want.dtype.itemsize == got.dtype.itemsize
        if reader == "pil" and want.dtype.kind == "u" and want.dtype.itemsize < got.dtype.itemsize and local.endswith(".tif"):
            same = "PIL reads 16-bit RGB as 8-bit: tifffile compares"
        entry[reader] = same if isinstance(same, str) else "equal" if same else f"differs: {reader} {want.shape} {want.dtype}, h5dat {got.shape} {got.dtype}"
        if reader == "pil" and local.endswith(".tif"):
            t = np.stack(tiff_pages(local, all_pages)) if all_pages else tiff_pages(local, False)[0]
            entry["tifffile"] = "equal" if t.shape == got.shape and t.dtype.kind == got.dtype.kind and t.dtype.itemsize == got.dtype.itemsize and np.array_equal(t, got) else f"differs: tifffile {t.shape} {t.dtype}, h5dat {got.shape} {got.dtype}"
        entry["dtype"] = str(got.dtype)
        entry["shape"] = list(got.shape)
        entry["page_count"] = int(d.attrs.get("page_count", 0))
    elif entry["processor"] == "csv":
        preamble = [p.decode() if isinstance(p, bytes) else p for p in d.attrs.get("preamble", [])]
        columns = [c.decode() if isinstance(c, bytes) else c for c in d.attrs["columns"]]
        no_header = columns[0] == "column_0"
        frame = pd.read_csv(local, skiprows=len(preamble), header=None if no_header else 0, keep_default_na=False, dtype=str)
        data = d[()]
        same = len(frame) == len(data) and len(frame.columns) == len(data.dtype.names)
        for i, name in enumerate(data.dtype.names if same else []):
            cells, values = frame.iloc[:, i].tolist(), data[name]
            if values.dtype.kind in "iu": same = same and [int(c) for c in cells] == values.tolist()
            elif values.dtype.kind == "f": same = same and np.array_equal(np.array([float(c) if c != "" else np.nan for c in cells]), values, equal_nan=True)
            else: same = same and cells == [v.decode() if isinstance(v, bytes) else v for v in values.tolist()]
        entry["pandas"] = "equal" if same else "differs"
        entry["preamble"] = preamble
print(json.dumps(out))`;

interface Seen {
  status: string;
  message: string;
  processor?: string;
  same_bytes?: boolean;
  fallback_reason?: string;
  pil?: string;
  tifffile?: string;
  dtype?: string;
  shape?: number[];
  page_count?: number;
  pandas?: string;
  preamble?: string[];
}

function check(output: string, prefix: string, root = corpus): Record<string, Seen> {
  return python<Record<string, Seen>>(CHECK, root, output, prefix);
}

/** The counts a run prints, by how each entry landed. */
function tally(seen: Record<string, Seen>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of Object.values(seen)) {
    const key = entry.status !== "written" ? entry.status : entry.processor === "bytes" && entry.fallback_reason ? "kept as bytes" : `typed ${entry.processor}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function assertEveryEntryKept(summary: ConvertSummary, seen: Record<string, Seen>, prefix: string): void {
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  assert.equal(Object.keys(seen).length, files.length);
  for (const file of files) {
    const entry = seen[prefix + file];
    assert.ok(entry, `${file} is in the manifest`);
    assert.equal(entry.status, "written", `${file}: ${entry.message}`);
    if (entry.processor === "bytes") assert.equal(entry.same_bytes, true, `${file}: its bytes are the file's`);
    if (entry.fallback_reason) assert.match(entry.message, /^kept as bytes: /, file);
    if (entry.pil !== undefined && !entry.pil.startsWith("PIL cannot") && !entry.pil.startsWith("PIL reads")) assert.equal(entry.pil, "equal", `${file}: pixels equal PIL's`);
    if (entry.tifffile !== undefined) assert.equal(entry.tifffile, "equal", `${file}: samples equal tifffile's`);
    if (entry.pandas !== undefined) assert.equal(entry.pandas, "equal", `${file}: values equal pandas'`);
  }
  assert.equal(summary.keptAsBytes, Object.values(seen).filter((e) => e.fallback_reason).length);
}

test("every real file is kept, loose and in a tar.gz: typed where it can be, as bytes otherwise", { timeout: 120_000 }, async () => {
  const loose = await convert([corpus], { output: path.join(dir, "loose.h5"), workers: 1 });
  const seen = check(path.join(dir, "loose.h5"), "");
  console.log(`${files.length} files: ${JSON.stringify(tally(seen))}`);
  for (const [file, entry] of Object.entries(seen)) if (entry.fallback_reason) console.log(`  kept as bytes: ${file}: ${entry.fallback_reason}`);
  assertEveryEntryKept(loose, seen, "");
  // The comparisons made, not only the entries kept: images PIL reads, tables pandas reads.
  const compared = Object.values(seen);
  const equalImages = compared.filter((e) => e.pil === "equal").length;
  const equalTables = compared.filter((e) => e.pandas === "equal").length;
  console.log(`  ${equalImages} images equal to PIL's (${compared.filter((e) => e.pil?.startsWith("PIL cannot")).length} PIL cannot read), ${equalTables} tables equal to pandas'`);
  assert.ok(equalImages >= 18 && equalTables >= 12, `${equalImages} images, ${equalTables} tables compared`);

  // The cases of issue 16.
  assert.equal(seen["sklearn/breast_cancer.csv"].pandas, "equal");
  assert.deepEqual(seen["sklearn/breast_cancer.csv"].preamble, ["569,30,malignant,benign"]);
  assert.deepEqual(seen["sklearn/boston_house_prices.csv"].preamble, ["506,13,,,,,,,,,,,,"]);
  assert.equal(seen["crafted/two-pages.tif"].pil, "equal");
  assert.deepEqual(seen["crafted/two-pages.tif"].shape, [20, 30, 3]);
  // Cut in its Huffman tables (PIL cannot open it either), and cut mid-scan: kept as bytes.
  for (const file of ["skimage/truncated.jpg", "crafted/truncated.jpg"]) {
    assert.equal(seen[file].processor, "bytes", file);
    assert.match(seen[file].message, /^kept as bytes: cannot decode the image: .*premature end of JPEG image/, file);
  }
  // libvips refuses float64 ("tiff2vips: samples out of range") and clips int16: h5dat's own
  // TIFF reader gives tifffile's samples, type included.
  const tiffs = { "skimage/multipage_rgb.tif": [10, 10, 3, "float64"], "crafted/float64-rgb-2-pages-planar.tif": [10, 12, 3, "float64"], "crafted/int16-grey.tif": [10, 12, "int16"], "crafted/float32-rgb.tif": [10, 12, 3, "float32"], "crafted/float32-grey.tif": [10, 12, "float32"], "crafted/int32-grey.tif": [10, 12, "int32"], "crafted/uint16-rgb-big-endian.tif": [10, 12, 3, "uint16"] };
  for (const [file, shape] of Object.entries(tiffs)) {
    assert.deepEqual([...(seen[file].shape ?? []), seen[file].dtype], shape, file);
    assert.equal(seen[file].tifffile, "equal", file);
  }

  // `h5dat info` counts them apart too.
  const report = await fileReport(path.join(dir, "loose.h5"));
  assert.deepEqual([report.entries?.written, report.entries?.keptAsBytes, report.entries?.failed], [loose.written, loose.keptAsBytes, 0]);
  assert.deepEqual(report.kept.map((row) => row.source_path).sort(), Object.keys(seen).filter((file) => seen[file].fallback_reason).sort());

  const archived = await convert([path.join(dir, "corpus.tar.gz")], { output: path.join(dir, "archived.h5"), workers: 1 });
  const inArchive = check(path.join(dir, "archived.h5"), "corpus/");
  assertEveryEntryKept(archived, inArchive, "corpus/");
  assert.deepEqual(tally(inArchive), tally(seen));
});

test("--animated stores every TIFF page as PIL reads them; --truncated-images decodes a cut JPEG as PIL's LOAD_TRUNCATED_IMAGES", { timeout: 60_000 }, async () => {
  const crafted = path.join(corpus, "crafted");
  const output = path.join(dir, "options.h5");
  const summary = await convert([crafted], { output, workers: 0, animated: true, truncatedImages: true });
  assert.equal(summary.keptAsBytes, 0);
  const seen = check(output, "", crafted);
  assert.equal(seen["two-pages.tif"].pil, "equal");
  assert.deepEqual(seen["two-pages.tif"].shape, [2, 20, 30, 3]);
  // Pages of two sizes fit no [P, H, W, C]: page 0, and the attr page_count says there are more.
  assert.deepEqual(seen["two-sizes.tif"].shape, [20, 30, 3]);
  assert.equal(seen["two-sizes.tif"].page_count, 2);
  assert.equal(seen["whole.jpg"].pil, "equal");
  assert.deepEqual(seen["float64-rgb-2-pages-planar.tif"].shape, [2, 10, 12, 3]);
  assert.equal(seen["float64-rgb-2-pages-planar.tif"].tifffile, "equal");
  const truncated = python<{ equal: boolean; shape: number[]; grey_rows: number }>(`import json, sys, h5py, numpy as np
from PIL import Image, ImageFile
ImageFile.LOAD_TRUNCATED_IMAGES = True
want = np.asarray(Image.open(sys.argv[2]))
got = h5py.File(sys.argv[1], "r")["crafted/truncated.jpg"][()]
print(json.dumps({"equal": bool(np.array_equal(want, got)), "shape": list(got.shape), "grey_rows": int((got == 128).all(axis=(1, 2)).sum())}))`, output, path.join(crafted, "truncated.jpg"));
  assert.deepEqual(truncated.shape, [96, 128, 3]);
  assert.equal(truncated.equal, true);
  // The part past the cut is libjpeg's fill (mid grey): the comparison covers both halves.
  assert.ok(truncated.grey_rows > 0);

  const failing = await convert([crafted], { output: path.join(dir, "fail.h5"), workers: 0, onError: "fail" });
  assert.deepEqual(failing.failures.map((row) => row.source_path), ["truncated.jpg"]);
  assert.match(failing.failures[0].message, /^cannot decode the image: VipsJpeg: premature end of JPEG image/);
});
