# P5's input: a mixed tar.gz of about --gb GB (compressed), to show that converting it keeps
# memory flat as the archive grows. Generated deterministically, cached like P3's archive.
#
#   /usr/bin/python3 bench/p5/make-mixed.py --gb 2 [--out DIR]
#
# Inside: the images, JSON records and labels.csv of P3's archive (bench/p3/make-archive.py, made
# first if missing: 5,000 JPEG 600x400 + 5,000 JSON), then blobs/<n>.bin, 100 MiB each, of
# partly compressible bytes (a sensor-dump-like mix of runs and noise) until the archive reaches
# the size. Blobs are what a run streams (an entry larger than h5dat reads whole); the images
# and records are what it converts by the thousand. gzip level 1 keeps generation quick.
# The last stdout line is a JSON sidecar: path, gb, files, bytes, sha256 (like P3's).
import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

import numpy as np

BLOB = 100 << 20
GENERATOR = "p5-mixed-1"


def blob(index):
    """100 MiB: runs of a repeated byte between stretches of 6-bit noise (compresses to ~70%)."""
    rng = np.random.default_rng(0xB10B0000 + index)
    noise = rng.integers(0, 64, BLOB, dtype=np.uint8)
    runs = rng.integers(0, BLOB, 2000)
    for start in runs:
        noise[start:start + 4096] = noise[start]
    return noise.tobytes()


def p3_archive(out):
    here = os.path.dirname(os.path.abspath(__file__))
    made = subprocess.run([sys.executable, os.path.join(here, "..", "p3", "make-archive.py"), "--count", "5000", "--out", out],
                          check=True, capture_output=True, text=True)
    return json.loads(made.stdout.strip().splitlines()[-1])["path"]


def generate(path, gb, out):
    target = int(gb * 1e9)
    files = 0
    with open(path + ".part", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as gz:
            with tarfile.open(fileobj=gz, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                with tarfile.open(p3_archive(out), "r|gz") as source:
                    for member in source:
                        data = source.extractfile(member).read() if member.isfile() else None
                        tar.addfile(member, io.BytesIO(data) if data is not None else None)
                        files += member.isfile()
                index = 0
                while raw.tell() < target:
                    data = blob(index)
                    info = tarfile.TarInfo(f"blobs/{index:03d}.bin")
                    info.size = len(data)
                    info.mtime = 0
                    tar.addfile(info, io.BytesIO(data))
                    files += 1
                    index += 1
    os.replace(path + ".part", path)
    return files


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gb", type=float, default=2.0)
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "h5dat-bench-cache"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"p5-{args.gb:g}gb.tar.gz")
    sidecar = path + ".json"
    if os.path.exists(path) and os.path.exists(sidecar):
        info = json.load(open(sidecar))
        if info.get("generator") == GENERATOR:
            info.update(path=path, cached=True)
            print(json.dumps(info))
            return
    files = generate(path, args.gb, args.out)
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    info = {"generator": GENERATOR, "gb": args.gb, "files": files, "bytes": os.path.getsize(path), "sha256": digest.hexdigest()}
    json.dump(info, open(sidecar, "w"))
    info.update(path=path, cached=False)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
