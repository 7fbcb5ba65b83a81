# h5py anchor for P2: --count datasets of 64x64x3 uint8 (gzip 4) in one group, the idiomatic
# h5py way, timed from file create to close. Prints one JSON line. With --check FILE it instead
# checks a file h5dat wrote (count, and three datasets' shape, chunks, filter and bytes against
# this side's own generated data, chunks against h5py's own chunk guess) and prints the verdict.
import argparse
import json
import os
import time

import h5py
from h5py._hl.filters import guess_chunk

import patterns as p


def write(path, count):
    pool = p.p2_pool()
    t0 = time.perf_counter()
    c0 = time.process_time()
    k0 = os.times().system
    with h5py.File(path, "w") as f:
        g = f.create_group("images")
        for i in range(count):
            g.create_dataset(p.p2_name(i), data=pool[i % p.P2_POOL_IMAGES], compression="gzip", compression_opts=4)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    kernel = os.times().system - k0
    return {"side": "h5py", "bench": "p2", "mode": "h5py", "seconds": seconds, "cpu": cpu, "kernelCpu": kernel, "rate": count / seconds,
            "poolSha": p.sha256(pool), "fileBytes": os.path.getsize(path)}


def check(path, count):
    pool = p.p2_pool()
    chunks = guess_chunk(p.P2_SHAPE, None, 1)
    problems = []
    with h5py.File(path, "r") as f:
        g = f["images"]
        if len(g) != count: problems.append("%d datasets" % len(g))
        checked = sorted({0, count // 2, count - 1})
        for i in checked:
            ds = g[p.p2_name(i)]
            if ds.shape != p.P2_SHAPE or ds.dtype != "u1": problems.append("%s shape/dtype" % ds.name)
            if ds.compression != "gzip" or ds.compression_opts != 4: problems.append("%s filters" % ds.name)
            if ds.chunks != chunks: problems.append("%s chunks %s, h5py's %s" % (ds.name, ds.chunks, chunks))
            if p.sha256(ds[()]) != p.sha256(pool[i % p.P2_POOL_IMAGES]): problems.append("%s differs" % ds.name)
    return {"ok": not problems, "problems": problems,
            "what": "h5py read %d datasets of the h5dat file; %s: shape, chunks (h5py's guess), gzip 4 and bytes equal h5py's own" % (count, ", ".join(p.p2_name(i) for i in checked))}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    print(json.dumps(check(a.file, a.count) if a.check else write(a.file, a.count)))
