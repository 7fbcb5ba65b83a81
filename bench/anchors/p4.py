# The h5py side of P4: read every listed image dataset whole (f[p][()]), in the list's order,
# from a file h5dat converted.
#
#   /usr/bin/python3 bench/anchors/p4.py --file out.h5 --list paths.json [--hash]
#
# The file is opened before the timer starts; the loop alone is timed. With --hash (the untimed
# check run) each image's pixels are hashed (sha256) and the result is the sha256 of those
# digests in list order, as the h5dat side computes it. One JSON line on stdout.
import argparse
import hashlib
import json
import time

import h5py


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--list", required=True)
    ap.add_argument("--hash", action="store_true")
    a = ap.parse_args()
    with open(a.list) as f:
        paths = json.load(f)
    digests = []
    size = 0
    with h5py.File(a.file, "r") as f:
        c0 = time.process_time()
        t0 = time.perf_counter()
        for p in paths:
            pixels = f[p][()]
            size += pixels.nbytes
            if a.hash:
                digests.append(hashlib.sha256(pixels.tobytes()).digest())
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0
    result = {"side": "h5py", "mode": "h5py", "images": len(paths), "seconds": seconds, "images_per_s": len(paths) / seconds,
              "cpu": cpu, "bytes": size}
    if a.hash:
        result["sha256"] = hashlib.sha256(b"".join(digests)).hexdigest()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
