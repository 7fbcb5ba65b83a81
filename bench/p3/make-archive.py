# P3's input: a Fashion-like tar.gz, generated deterministically (same --count, same bytes).
#
#   /usr/bin/python3 bench/p3/make-archive.py [--count 5000] [--out DIR]
#
# Inside, as a tar of a product-image dataset's directory would be:
#   images/<class>/<id>.jpg   --count JPEGs, 600 high x 400 wide, RGB, quality 90 (4:2:0), each
#                             different: gradients, shapes, a woven texture and noise seeded by
#                             the index, so that neither JPEG nor gzip finds them trivial
#   labels.csv                one row per image: id,label,price,in_stock,name (int, string,
#                             float, bool, string with commas and non-ASCII)
#   meta/<id>.json            --count small product records (nested objects, arrays, Unicode
#                             strings, integers, decimals, booleans, null)
# The archive is cached as DIR/p3-<count>.tar.gz (DIR defaults to <tmpdir>/h5dat-bench-cache) with
# a sidecar .json naming the generator's hash and the archive's sha256: a later run with the same
# generator reuses it. The last stdout line is that sidecar, as JSON (with "path").
import argparse
import gzip
import hashlib
import io
import json
import math
import os
import sys
import tarfile
import tempfile
from multiprocessing import Pool

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cache_sidecar import sha256_file  # noqa: E402

HEIGHT = 600
WIDTH = 400
QUALITY = 90
CLASSES = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"]
COLOURS = ["Navy Blue", "Black", "Off-White", "Crème", "Bordeaux", "Olive", "Grey Melange", "Rosé", "Türkis", "Sand"]
BRANDS = ["Nordström & Söhne", "Maison Élan", "Café Loom", "Ōsaka Thread", "Bjørk", "Zara-ish", "Łódź Mills", "São Paulo Co."]
MATERIALS = ["cotton", "linen", "wool", "polyester", "viscose", "elastane", "leather", "denim"]
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]


def class_of(index):
    return CLASSES[index % len(CLASSES)]


def id_of(index):
    return 10000 + index


def image_bytes(index):
    """One JPEG: a two-way gradient, a woven texture, shapes and noise, all seeded by index."""
    rng = np.random.default_rng(0x5EED0000 + index)
    y = np.linspace(0.0, 1.0, HEIGHT, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, WIDTH, dtype=np.float32)[None, :]
    base = rng.uniform(40, 215, size=3).astype(np.float32)
    tilt = rng.uniform(-90, 90, size=(2, 3)).astype(np.float32)
    freq = rng.uniform(6, 40, size=2).astype(np.float32)
    texture = 12 * np.sin(2 * math.pi * (freq[0] * x + 0.3 * freq[1] * y)) * np.cos(2 * math.pi * freq[1] * y)
    rgb = base + tilt[0] * y[..., None] + tilt[1] * x[..., None] + texture[..., None]
    img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(4, 10))):
        x0, x1 = sorted(rng.integers(0, WIDTH, size=2).tolist())
        y0, y1 = sorted(rng.integers(0, HEIGHT, size=2).tolist())
        fill = tuple(rng.integers(0, 256, size=3).tolist())
        outline = tuple(rng.integers(0, 256, size=3).tolist())
        shape = int(rng.integers(0, 3))
        if shape == 0:
            draw.rectangle([x0, y0, x1, y1], fill=fill, outline=outline, width=3)
        elif shape == 1:
            draw.ellipse([x0, y0, x1, y1], fill=fill, outline=outline, width=2)
        else:
            draw.polygon([(x0, y1), ((x0 + x1) // 2, y0), (x1, y1)], fill=fill, outline=outline)
    # Sensor-like noise over everything, shapes included.
    noisy = np.asarray(img, dtype=np.float32) + rng.normal(0.0, 5.0, size=(HEIGHT, WIDTH, 3)).astype(np.float32)
    img = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=QUALITY)
    return out.getvalue()


def record(index):
    """A small product record, different per index."""
    rng = np.random.default_rng(0x1D0000 + index)
    pick = lambda seq: seq[int(rng.integers(0, len(seq)))]
    colour = pick(COLOURS)
    cls = class_of(index)
    price = round(float(rng.uniform(4.99, 299.0)), 2)
    return {
        "id": id_of(index),
        "gender": pick(["Men", "Women", "Unisex", "Kids"]),
        "masterCategory": "Apparel" if index % 10 not in (5, 7, 9) else "Footwear",
        "articleType": cls,
        "baseColour": colour,
        "year": 2010 + index % 15,
        "productDisplayName": "%s %s %s — Größe %s" % (pick(BRANDS), colour, cls.replace("_", " "), pick(SIZES)),
        "price": {"amount": price, "currency": pick(["EUR", "USD", "GBP", "JPY"]), "discount": None if index % 3 else 0.15},
        "inStock": bool(index % 4),
        "rating": {"average": round(float(rng.uniform(1, 5)), 1), "count": int(rng.integers(0, 20000))},
        "tags": [pick(["sale", "new", "eco", "bestseller", "limited", "日本限定", "été"]) for _ in range(int(rng.integers(1, 5)))],
        "materials": [{"name": pick(MATERIALS), "share": int(rng.integers(5, 95))} for _ in range(int(rng.integers(1, 4)))],
        "variants": [
            {"sku": "%d-%s" % (id_of(index), size), "size": size, "stock": int(rng.integers(0, 50)), "weight_g": round(float(rng.uniform(80, 1500)), 1)}
            for size in SIZES[: int(rng.integers(1, len(SIZES) + 1))]
        ],
        "images": {"default": "images/%s/%d.jpg" % (cls, id_of(index)), "width": WIDTH, "height": HEIGHT},
        "description": "Ein schönes Stück aus %s. Pflege: 30°C, nicht bügeln ✓" % pick(MATERIALS),
    }


def csv_text(count):
    lines = ["id,label,price,in_stock,name"]
    for index in range(count):
        rec = record(index)
        name = rec["productDisplayName"].replace('"', '""')
        lines.append('%d,%s,%.2f,%s,"%s, %s"' % (rec["id"], class_of(index), rec["price"]["amount"],
                                                  "true" if rec["inStock"] else "false", name, rec["baseColour"]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 1700000000
    info.mode = 0o644
    info.uid = info.gid = 1000
    info.uname = info.gname = "bench"
    tar.addfile(info, io.BytesIO(data))


def add_dir(tar, name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mtime = 1700000000
    info.mode = 0o755
    info.uid = info.gid = 1000
    info.uname = info.gname = "bench"
    tar.addfile(info)


def generate(path, count):
    """Writes the archive to path: images by class (a tar of the tree lists them so), then labels.csv, then meta/."""
    order = sorted(range(count), key=lambda i: (class_of(i), id_of(i)))
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar, Pool(2) as pool:
        add_dir(tar, "images/")
        current = None
        for index, data in zip(order, pool.imap(image_bytes, order, chunksize=16)):
            if class_of(index) != current:
                current = class_of(index)
                add_dir(tar, "images/%s/" % current)
            add(tar, "images/%s/%d.jpg" % (current, id_of(index)), data)
        add(tar, "labels.csv", csv_text(count))
        add_dir(tar, "meta/")
        for index in range(count):
            add(tar, "meta/%d.json" % id_of(index), json.dumps(record(index), ensure_ascii=False, indent=2).encode("utf-8"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "h5dat-bench-cache"))
    ap.add_argument("--force", action="store_true", help="regenerate even when cached")
    a = ap.parse_args()
    if a.count <= 0:
        raise SystemExit("--count must be positive")
    with open(__file__, "rb") as f:
        generator = hashlib.sha256(f.read()).hexdigest()[:16]
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "p3-%d.tar.gz" % a.count)
    sidecar = path + ".json"
    if not a.force and os.path.exists(path) and os.path.exists(sidecar):
        with open(sidecar) as f:
            info = json.load(f)
        if info.get("generator") == generator and info.get("bytes") == os.path.getsize(path):
            info.update(path=path, cached=True)
            print(json.dumps(info))
            return
    print("generating %s (%d JPEGs %dx%d, %d JSON, 1 CSV)..." % (path, a.count, WIDTH, HEIGHT, a.count), file=sys.stderr)
    partial = "%s.%d.partial" % (path, os.getpid())
    try:
        generate(partial, a.count)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    info = {"generator": generator, "count": a.count, "files": 2 * a.count + 1, "height": HEIGHT, "width": WIDTH,
            "classes": CLASSES, "bytes": os.path.getsize(path), "sha256": sha256_file(path)}
    with open(sidecar, "w") as f:
        json.dump(info, f)
    info.update(path=path, cached=False)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
