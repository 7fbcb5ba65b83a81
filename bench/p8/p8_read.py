# The h5py side of P8: one timed whole-dataset read, ds[()], of a P1-shaped file, printing one
# JSON line (the same fields as h5dat-p8.ts). Timed from file open to close. With --verify the
# data is then compared, untimed, with P1's generated rows (bench/anchors/patterns.py).
#
# Filters: gzip is HDF5's own; zstd (32015) comes from HDF5_PLUGIN_PATH, which the harness points
# at h5dat's plugin folder (Debian's hdf5plugin 4.0.1 has no zstd; h5dat's plugin is a thin
# libzstd wrapper, ZSTD_decompress per chunk, as hdf5plugin's own filter is).
import argparse
import json
import os
import sys
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "anchors"))
import patterns as p  # noqa: E402

GIB = 2 ** 30


def read(path):
    t0 = time.perf_counter()
    c0 = time.process_time()
    with h5py.File(path, "r") as f:
        data = f["data"][()]
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return data, {"side": "h5py", "mode": "h5py", "seconds": seconds, "cpu": cpu, "bytes": data.nbytes, "gibPerS": data.nbytes / GIB / seconds}


def verify(data):
    pool = p.p1_pool()
    rows = data.shape[0]
    for start in range(0, rows, p.P1_POOL_ROWS):
        n = min(p.P1_POOL_ROWS, rows - start)
        if not np.array_equal(data[start:start + n], pool[:n]):
            raise SystemExit("h5py P8 read is wrong: rows %d..%d differ from P1's data" % (start, start + n))
    return "h5py read all %d rows: equal to P1's generated data" % rows


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--verify", action="store_true")
    a = ap.parse_args()
    data, result = read(a.file)
    if a.verify:
        result["verified"] = verify(data)
    print(json.dumps(result))
