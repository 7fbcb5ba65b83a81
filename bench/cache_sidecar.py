# The bench generators' cache: a generated input beside a JSON sidecar saying what made it (the
# generator's version) and what it holds. A later run reuses the input while both are there and
# the version matches. Used by P9's and P5's records generators (p9/, p5/make-records-archive.py).
import argparse
import hashlib
import json
import os
import tempfile


def sha256_file(path):
    """The file's SHA-256, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cached(sidecar, generator, paths):
    """The sidecar's info (with cached: true) when `generator` made it and `paths` exist, else None."""
    if not os.path.exists(sidecar) or not all(os.path.exists(p) for p in paths(json.load(open(sidecar)))):
        return None
    info = json.load(open(sidecar))
    if info.get("generator") != generator:
        return None
    info["cached"] = True
    return info


def save(sidecar, info):
    """Writes the sidecar, and returns its info with cached: false (what the generator prints)."""
    with open(sidecar, "w") as f:
        json.dump(info, f)
    return {**info, "cached": False}


def arguments(sizes):
    """The generator's arguments: `sizes` (name: default, whole numbers) and --out, the cache directory (made)."""
    parser = argparse.ArgumentParser()
    for name, default in sizes.items():
        parser.add_argument("--" + name, type=int, default=default)
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "h5dat-bench-cache"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    return args
