# h5py anchor for P1 / P1-raw: write MiB of float32 rows x 1024 (chunks 256 x 1024; gzip 4 +
# shuffle unless --raw) in slabs of --rows rows, timed from file create to close. Prints one
# JSON line. With --check FILE it instead checks a file h5dat wrote (shape, chunks, filters, and
# three slabs against this side's own generated data) and prints the verdict as JSON.
import argparse
import json
import os
import time

import h5py

import patterns as p


def write(path, mib, rows, raw):
    pool = p.p1_pool()
    total = mib * p.P1_ROWS_PER_MIB
    if total % rows:
        raise SystemExit("size is not a whole number of slabs")
    filters = {} if raw else {"compression": "gzip", "compression_opts": 4, "shuffle": True}
    t0 = time.perf_counter()
    c0 = time.process_time()
    k0 = os.times().system
    with h5py.File(path, "w") as f:
        ds = f.create_dataset("data", shape=(total, p.P1_COLS), dtype="f4", chunks=(p.P1_CHUNK_ROWS, p.P1_COLS), **filters)
        for start in range(0, total, rows):
            ds[start:start + rows] = p.p1_rows(pool, start, rows)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    kernel = os.times().system - k0
    return {"side": "h5py", "bench": "p1-raw" if raw else "p1", "mode": "h5py", "seconds": seconds, "cpu": cpu, "kernelCpu": kernel,
            "rate": mib / seconds, "poolSha": p.sha256(pool), "fileBytes": os.path.getsize(path)}


def check(path, mib, rows, raw):
    pool = p.p1_pool()
    total = mib * p.P1_ROWS_PER_MIB
    slabs = total // rows
    with h5py.File(path, "r") as f:
        ds = f["data"]
        problems = []
        if ds.shape != (total, p.P1_COLS): problems.append("shape %s" % (ds.shape,))
        if ds.dtype != "f4": problems.append("dtype %s" % ds.dtype)
        if ds.chunks != (p.P1_CHUNK_ROWS, p.P1_COLS): problems.append("chunks %s" % (ds.chunks,))
        if raw and (ds.compression or ds.shuffle): problems.append("unexpected filters")
        if not raw and (ds.compression != "gzip" or ds.compression_opts != 4 or not ds.shuffle): problems.append("filters")
        checked = sorted({0, slabs // 2, slabs - 1})
        for s in checked:
            start = s * rows
            if p.sha256(ds[start:start + rows]) != p.sha256(p.p1_rows(pool, start, rows)):
                problems.append("slab %d differs" % s)
    return {"ok": not problems, "problems": problems,
            "what": "h5py read shape, chunks, filters and slabs %s of the h5dat file: equal to h5py's own data" % checked}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--mib", type=int, default=1024)
    ap.add_argument("--rows", type=int, default=1024)
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    print(json.dumps((check if a.check else write)(a.file, a.mib, a.rows, a.raw)))
