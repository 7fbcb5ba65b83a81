# Reference pipeline for P3: what a Python user writes to turn a Fashion-like tar.gz into HDF5,
# doing the work h5dat does. Timed from start (before the pool is made and the archive opened)
# to the HDF5 file's close; prints one JSON line.
#
#   /usr/bin/python3 bench/anchors/p3.py --archive p3-5000.tar.gz --file out.h5 [--workers 2]
#   /usr/bin/python3 bench/anchors/p3.py --archive p3-5000.tar.gz --file out.h5 --check
#
# - the archive is streamed with tarfile (mode "r|gz"), never unpacked to disk;
# - a multiprocessing.Pool(2) prepares every entry (imap, ordered), as h5dat's worker pool does:
#   JPEGs decoded with PIL into uint8 [H, W, 3] arrays, JSON parsed (json module) into its
#   (pointer, leaf JSON text) pairs, the CSV parsed (csv module) into a typed numpy table;
# - the main process is the one h5py writer, with h5dat's layout and attrs: /<archive stem>/<path>,
#   images gzip 4 in one chunk per image with the HDF5 Image attrs and h5dat's source/size/type
#   attrs; JSON as an [N, 2] ragged string array (RFC 6901 pointer, leaf JSON text: a group of
#   the UTF-8 bytes and uint64 offsets, gzip'd, as src/h5/ragged-strings.ts writes it); the CSV as a compound table (types inferred per column: int64, float64, bool,
#   string) gzip'd; a manifest table /_h5dat/manifest, one row per entry; the same file-format
#   bounds as h5dat (libver v108..v110).
#
# --check reads a file (h5dat's or this side's) and checks it against the archive: every image
# dataset present with shape (600, 400, 3) uint8, three images' pixels within 3 of PIL's decode
# of the same JPEG, every JSON and the CSV present; prints the verdict as JSON.
import argparse
import csv
import io
import json
import os
import re
import resource
import tarfile
import time
from multiprocessing import Pool

import h5py
import numpy as np
from PIL import Image, ImageOps

SUFFIXES = [".tar.gz", ".tgz", ".tar"]
STRING = h5py.string_dtype("utf-8")


def group_name(archive):
    base = os.path.basename(archive)
    for suffix in SUFFIXES:
        if base.lower().endswith(suffix):
            return base[: -len(suffix)]
    return base


def kind_of(name):
    lower = name.lower()
    if lower.endswith((".jpg", ".jpeg")):
        return "image"
    if lower.endswith(".json"):
        return "json"
    if lower.endswith(".csv"):
        return "csv"
    return "bytes"


def entries(archive):
    """(path, kind, bytes) of every regular file, in archive order."""
    with tarfile.open(archive, mode="r|gz") as tar:
        for member in tar:
            if member.isfile():
                yield re.sub(r"^(\./)+", "", member.name), kind_of(member.name), tar.extractfile(member).read()


def prepare(item):
    """In a worker: (path, kind, size, prepared). JPEG bytes to a uint8 array (EXIF orientation
    applied, as h5dat does); JSON to its flat [pointer, text, ...] list; CSV to (header, table)."""
    path, kind, data = item
    if kind == "image":
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img)
            prepared = np.asarray(img.convert("RGB") if img.mode not in ("RGB", "L") else img)
    elif kind == "json":
        prepared = json_pairs(json.loads(data.decode("utf-8")), "", [])
    elif kind == "csv":
        prepared = csv_table(data)
    else:
        prepared = data
    return path, kind, len(data), prepared


def escape_token(token):
    return token.replace("~", "~0").replace("/", "~1")


def json_pairs(value, pointer, out):
    """The leaves of a parsed JSON value as (pointer, JSON text), in document order."""
    if isinstance(value, dict) and value:
        for key, child in value.items():
            json_pairs(child, pointer + "/" + escape_token(key), out)
    elif isinstance(value, list) and value:
        for i, child in enumerate(value):
            json_pairs(child, "%s/%d" % (pointer, i), out)
    else:
        out.append(pointer)
        out.append(json.dumps(value, ensure_ascii=False))
    return out


INT = re.compile(r"^[+-]?\d+$")


def column(cells):
    """h5dat's inference: int64, float64 (empty cells NaN), bool, else string."""
    if cells and all(INT.match(c) for c in cells):
        return np.dtype("<i8"), np.array([int(c) for c in cells], dtype="<i8")
    if any(c != "" for c in cells):
        try:
            return np.dtype("<f8"), np.array([float(c) if c != "" else np.nan for c in cells], dtype="<f8")
        except ValueError:
            pass
    if cells and all(c.lower() in ("true", "false") for c in cells):
        return np.dtype("?"), np.array([c.lower() == "true" for c in cells], dtype="?")
    return STRING, np.array(cells, dtype=object)


def csv_table(data):
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], [r for r in rows[1:] if r]
    cols = [column([r[c] for r in body]) for c in range(len(header))]
    table = np.empty(len(body), dtype=[(name, dt) for name, (dt, _) in zip(header, cols)])
    for name, (_, values) in zip(header, cols):
        table[name] = values
    return header, table


def write_ragged(f, target, strings, shape):
    """A ragged string array as h5dat writes it: bytes (uint8) and offsets (uint64) in a group."""
    data = [s.encode("utf-8") for s in strings]
    offsets = np.zeros(len(data) + 1, dtype="<u8")
    np.cumsum([len(b) for b in data], out=offsets[1:])
    g = f.create_group(target)
    g.create_dataset("bytes", data=np.frombuffer(b"".join(data), dtype="u1"), maxshape=(None,), chunks=(int(min(262144, max(1, offsets[-1]))),), compression="gzip")
    g.create_dataset("offsets", data=offsets, maxshape=(None,), chunks=(min(32768, len(offsets)),), shuffle=True, compression="gzip")
    g.attrs["layout"] = "ragged-utf8"
    g.attrs["layout_version"] = np.int32(1)
    g.attrs["shape"] = np.array(shape, dtype="<u8")
    return g


def set_common(obj, archive, path, size, media_type, processor):
    obj.attrs["source"] = archive
    obj.attrs["source_path"] = path
    obj.attrs.create("source_size", size, dtype="<i8")
    obj.attrs["media_type"] = media_type
    obj.attrs["processor"] = processor


def write_image(f, target, pixels):
    ds = f.create_dataset(target, data=pixels, chunks=pixels.shape, compression="gzip", compression_opts=4)
    ds.attrs["CLASS"] = np.bytes_("IMAGE")
    ds.attrs["IMAGE_VERSION"] = np.bytes_("1.2")
    ds.attrs["IMAGE_SUBCLASS"] = np.bytes_("IMAGE_TRUECOLOR" if pixels.ndim == 3 else "IMAGE_GRAYSCALE")
    if pixels.ndim == 3:
        ds.attrs["INTERLACE_MODE"] = np.bytes_("INTERLACE_PIXEL")
        ds.attrs["IMAGE_COLORMODEL"] = np.bytes_("RGB")
    ds.attrs.create("width", pixels.shape[1], dtype="<i8")
    ds.attrs.create("height", pixels.shape[0], dtype="<i8")
    ds.attrs.create("channels", pixels.shape[2] if pixels.ndim == 3 else 1, dtype="<i8")
    ds.attrs.create("bit_depth", 8, dtype="<i8")
    ds.attrs["image_format"] = "jpeg"
    return ds


MANIFEST = np.dtype([("source", STRING), ("source_path", STRING), ("target", STRING), ("status", STRING),
                     ("bytes", "<i8"), ("processor", STRING), ("message", STRING)])


def convert(archive, path, workers):
    group = group_name(archive)
    manifest = []
    t0 = time.perf_counter()
    c0 = time.process_time()
    with Pool(workers) as pool, h5py.File(path, "w", libver=("v108", "v110")) as f:
        f.attrs["inputs"] = [archive]
        f.attrs["command"] = "p3.py " + archive
        f.attrs["created"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        f.attrs["hdf5_version"] = h5py.version.hdf5_version
        f.require_group(group).attrs["source"] = archive
        for name, kind, size, prepared in pool.imap(prepare, entries(archive), chunksize=8):
            target = "/%s/%s" % (group, name)
            if kind == "image":
                ds = write_image(f, target, prepared)
                media_type = "image/jpeg"
            elif kind == "json":
                ds = write_ragged(f, target, prepared, [len(prepared) // 2, 2])
                ds.attrs["columns"] = ["pointer", "value"]
                ds.attrs["format"] = "json-pointer-pairs"
                ds.attrs["jsonl"] = False
                media_type = "application/json"
            elif kind == "csv":
                header, table = prepared
                ds = f.create_dataset(target, data=table, chunks=True, compression="gzip")
                ds.attrs["columns"] = header
                ds.attrs["mode"] = "table"
                media_type = "text/csv"
            else:
                ds = f.create_dataset(target, data=np.frombuffer(prepared, dtype="u1"), compression="gzip")
                media_type = "application/octet-stream"
            set_common(ds, archive, name, size, media_type, kind)
            manifest.append((archive, name, target, "written", size, kind, ""))
        f.create_dataset("/_h5dat/manifest", data=np.array(manifest, dtype=MANIFEST), maxshape=(None,), chunks=(1024,), compression="gzip")
        pool.close()
        pool.join()
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"side": "reference", "bench": "p3", "files": len(manifest), "seconds": seconds, "files_per_s": len(manifest) / seconds,
            "cpu": cpu, "peak_rss_mb": own + children, "main_peak_rss_mb": own, "worker_peak_rss_mb": children,
            "workers": workers, "fileBytes": os.path.getsize(path)}


def check(archive, path):
    """Checks a converted file against the archive (see the header)."""
    group = group_name(archive)
    problems = []
    images, jsons, csvs = [], [], []
    with tarfile.open(archive, mode="r|gz") as tar:
        for member in tar:
            if member.isfile():
                kind = kind_of(member.name)
                (images if kind == "image" else jsons if kind == "json" else csvs).append(member.name)
    sample = sorted({0, len(images) // 2, len(images) - 1}) if images else []
    sample_names = {images[i] for i in sample}
    expected = {}
    with tarfile.open(archive, mode="r|gz") as tar:
        for member in tar:
            if member.name in sample_names:
                with Image.open(io.BytesIO(tar.extractfile(member).read())) as img:
                    expected[member.name] = np.asarray(img.convert("RGB"))
    with h5py.File(path, "r") as f:
        shapes = set()
        for name in images:
            target = "%s/%s" % (group, name)
            if target not in f:
                problems.append("%s missing" % target)
                continue
            ds = f[target]
            shapes.add((ds.shape, str(ds.dtype)))
            if ds.shape != (600, 400, 3) or ds.dtype != np.uint8:
                problems.append("%s is %s %s" % (target, ds.shape, ds.dtype))
            if ds.attrs.get("CLASS") != b"IMAGE":
                problems.append("%s CLASS attr %r" % (target, ds.attrs.get("CLASS")))
        diffs = []
        for name in sorted(sample_names):
            target = "%s/%s" % (group, name)
            if target in f:
                got = f[target][()]
                if got.shape != expected[name].shape:
                    problems.append("%s shape %s, PIL %s" % (target, got.shape, expected[name].shape))
                    continue
                diff = int(np.abs(got.astype(np.int16) - expected[name].astype(np.int16)).max())
                diffs.append(diff)
                if diff > 3:
                    problems.append("%s differs from PIL's decode by up to %d" % (target, diff))
        for name in jsons + csvs:
            target = "%s/%s" % (group, name)
            if target not in f:
                problems.append("%s missing" % target)
        for name in csvs:
            target = "%s/%s" % (group, name)
            if target in f and f[target].shape != (len(images),):
                problems.append("%s has shape %s, not (%d,)" % (target, f[target].shape, len(images)))
        for name in jsons[:1]:
            target = "%s/%s" % (group, name)
            shape = list(f[target].attrs.get("shape", [])) if target in f and isinstance(f[target], h5py.Group) else list(getattr(f.get(target), "shape", []))
            if target in f and (len(shape) != 2 or shape[1] != 2):
                problems.append("%s has shape %s, not [N, 2]" % (target, shape))
        manifest = f["_h5dat/manifest"].shape[0] if "_h5dat/manifest" in f else -1
        if manifest != len(images) + len(jsons) + len(csvs):
            problems.append("manifest has %d rows" % manifest)
    return {"ok": not problems, "problems": problems[:20], "images": len(images), "json": len(jsons), "csv": len(csvs),
            "what": "h5py: all %d images %s, %d JSON, %d CSV present; pixels of %s within %s of PIL (<= 3 allowed)" % (
                len(images), "/".join("%s %s" % s for s in sorted(shapes)) or "-", len(jsons), len(csvs),
                ", ".join(images[i].split("/")[-1] for i in sample), "max diff " + "/".join(map(str, diffs)) if diffs else "-")}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--archive", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    print(json.dumps(check(a.archive, a.file) if a.check else convert(a.archive, a.file, a.workers)))
