# h5py anchor for P1 / P1-raw / P1-zstd / P1-blosc: write MiB of float32 rows x 1024 (chunks
# 256 x 1024; gzip 4 + shuffle, or --raw no filters, or --codec zstd|blosc) in slabs of --rows
# rows, timed from file create to close. Prints one JSON line.
#
# --codec zstd is hdf5plugin.Zstd(clevel=3), i.e. filter 32015 with cd_values (3,): Debian's
# hdf5plugin 4.0.1 has no zstd plugin, so the harness points HDF5_PLUGIN_PATH at h5dat's plugin
# folder (a thin libzstd wrapper, ZSTD_compress per chunk, as hdf5plugin's own filter is).
# --codec blosc is hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=SHUFFLE) from Debian's
# hdf5plugin (its own Blosc plugin). With --check FILE it instead checks a file h5dat wrote (shape, chunks, filters, and
# three slabs against this side's own generated data) and prints the verdict as JSON.
import argparse
import json
import os
import time

import h5py

import patterns as p


def filters_of(codec):
    """The create_dataset filter arguments of a P1 bench."""
    if codec == "none":
        return {}
    if codec == "zstd":
        return {"compression": 32015, "compression_opts": (3,)}
    if codec == "blosc":
        import hdf5plugin
        return dict(hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE))
    return {"compression": "gzip", "compression_opts": 4, "shuffle": True}


def pipeline(ds):
    """The dataset's filters as (id, cd_values) pairs, in order."""
    plist = ds.id.get_create_plist()
    return [plist.get_filter(i)[0:3:2] for i in range(plist.get_nfilters())]


def filters_ok(ds, codec):
    got = pipeline(ds)
    if codec == "none":
        return got == []
    if codec == "zstd":
        return [(i, tuple(v)) for i, v in got] == [(32015, (3,))]
    if codec == "blosc":
        # Blosc fills cd_values[0:4] (versions, type size, block size) itself; the user's are 4:7.
        return len(got) == 1 and got[0][0] == 32001 and tuple(got[0][1][4:7]) == (5, 1, 1)
    return ds.compression == "gzip" and ds.compression_opts == 4 and ds.shuffle


BENCH_NAMES = {"gzip": "p1", "none": "p1-raw", "zstd": "p1-zstd", "blosc": "p1-blosc"}


def write(path, mib, rows, codec):
    pool = p.p1_pool()
    total = mib * p.P1_ROWS_PER_MIB
    if total % rows:
        raise SystemExit("size is not a whole number of slabs")
    filters = filters_of(codec)
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
    return {"side": "h5py", "bench": BENCH_NAMES[codec], "mode": "h5py", "seconds": seconds, "cpu": cpu, "kernelCpu": kernel,
            "rate": mib / seconds, "poolSha": p.sha256(pool), "fileBytes": os.path.getsize(path)}


def check(path, mib, rows, codec):
    if codec == "blosc":
        import hdf5plugin  # noqa: F401 (registers its Blosc filter for reading)
    pool = p.p1_pool()
    total = mib * p.P1_ROWS_PER_MIB
    slabs = total // rows
    with h5py.File(path, "r") as f:
        ds = f["data"]
        problems = []
        if ds.shape != (total, p.P1_COLS): problems.append("shape %s" % (ds.shape,))
        if ds.dtype != "f4": problems.append("dtype %s" % ds.dtype)
        if ds.chunks != (p.P1_CHUNK_ROWS, p.P1_COLS): problems.append("chunks %s" % (ds.chunks,))
        if not filters_ok(ds, codec): problems.append("filters %s" % (pipeline(ds),))
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
    ap.add_argument("--raw", action="store_true", help="the same as --codec none")
    ap.add_argument("--codec", choices=["gzip", "none", "zstd", "blosc"], default="gzip")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    print(json.dumps((check if a.check else write)(a.file, a.mib, a.rows, "none" if a.raw else a.codec)))
