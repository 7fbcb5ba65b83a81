# The second reader for `h5dat export` of files h5dat did not make: reads export-manifest.json in
# the export directory and compares every file written with h5py's values of its dataset.
#   .npy  → np.load equals ds[()] (np.array_equal, NaN equal to NaN; same shape)
#   .csv  → every row equals ds's records, fields flattened with dots, array cells as JSON
#   .txt  → one line per value; .json → json.loads equals ds[()].tolist() (bytes decoded)
#   .bin  → the elements' bytes; .png (an IMAGE) → its pixels (8/16-bit) or shape (scaled)
# Usage: compare-export.py file.h5 export-dir [file.h5 export-dir ...]; prints as JSON, per file,
# {"compared": {format: n}, "skipped": [manifest rows], "h5pyUnreadable": [...], "mismatches":
# [...], "manifest": [dataset paths], "datasets": [every dataset path h5py finds]}.
import csv, json, math, os, sys
import h5py
import numpy as np



# Where h5py 3.7 is wrong: a vlen of big-endian uint32 (PyTables' VLUnicodeAtom, "paraŀlel")
# comes back with its bytes unswapped; h5dat reads the values (as the little-endian twin has them).
H5PY_UNSWAPPED = {("vlunicode_endian.h5", "/vlunicode_big")}


def plain(value, f=None):
    """h5py's value as JSON-like Python: bytes decoded, numpy scalars and arrays as lists, object
    references as their targets' paths (as h5dat reads them)."""
    if isinstance(value, h5py.Reference):
        return (f[value].name if f is not None else None) if value else None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray):
        return [plain(v, f) for v in value.tolist()] if value.dtype.kind in "SUO" else plain(value.tolist(), f)
    if isinstance(value, np.generic):
        return plain(value.item(), f)
    if isinstance(value, (list, tuple)):
        return [plain(v, f) for v in value]
    return value


def same(a, b):
    """Equal, NaN equal to NaN, at any depth."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return a == b
    return a == b


def flat_fields(dtype, prefix=()):
    for name in dtype.names:
        sub = dtype.fields[name][0]
        if sub.names:
            yield from flat_fields(sub, prefix + (name,))
        else:
            yield prefix + (name,), sub


def cell_equal(text, value, dtype, f):
    if dtype.subdtype is not None:
        return same(json.loads(text), plain(np.asarray(value), f))
    if dtype.kind == "f":
        return (text == "" and math.isnan(value)) or (text != "" and float(text) == float(value))
    if dtype.kind in "iu":
        return int(text) == int(value)
    if dtype.kind == "b":
        return text == ("true" if value else "false")
    if dtype.kind in "SU":
        return text == plain(value, f)
    return same(json.loads(text), plain(value, f))


def compare(out, ds, row, compared, mismatches):
    name = row["file"]
    path = os.path.join(out, name)
    fmt = row["format"]
    if fmt == "npy":
        got, want = np.load(path), ds[()]
        if want.dtype.kind == "f" and want.dtype.itemsize > 8:
            # h5dat reads 128-bit floats as float64 (a stated loss): compare at that precision.
            want = want.astype(np.float64)
        ok = got.shape == want.shape and np.array_equal(got, want, equal_nan=got.dtype.kind == "f")
    elif fmt == "csv":
        rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
        fields = list(flat_fields(ds.dtype))
        want = ds[()].reshape(-1)
        ok = rows[0] == [".".join(p) for p, _ in fields] and len(rows) - 1 == len(want)
        for record, line in zip(want, rows[1:]):
            for (p, dtype), text in zip(fields, line):
                value = record
                for part in p:
                    value = value[part]
                ok = ok and cell_equal(text, value, dtype, ds.file)
    elif fmt == "text":
        lines = open(path, encoding="utf-8").read().split("\n")[:-1]
        ok = lines == [plain(v, ds.file) for v in ds[()]]
    elif fmt == "json":
        got = json.load(open(path, encoding="utf-8"))
        value = None if ds.shape is None else ds[()]
        if (os.path.basename(ds.file.filename), ds.name) in H5PY_UNSWAPPED:
            value = np.array([v.byteswap() for v in value], dtype=object)
        want = None if value is None else plain(value, ds.file)
        ok = same(got, want)
    elif fmt == "png":
        # An image (attr CLASS IMAGE): 8/16-bit values exactly; others were scaled, so the shape.
        from PIL import Image
        got, want = np.asarray(Image.open(path)), ds[()]
        ok = got.shape == want.shape and (want.dtype not in (np.uint8, np.uint16) or np.array_equal(got, want))
    elif fmt == "bytes":
        ok = open(path, "rb").read() == np.asarray(ds[()]).tobytes()
    else:
        ok = False
    compared[fmt] = compared.get(fmt, 0) + 1
    if not ok:
        mismatches.append(row["dataset"] + " → " + name)


def check(source, out):
    manifest = json.load(open(os.path.join(out, "export-manifest.json")))
    f = h5py.File(source, "r")
    compared, mismatches, skipped, unreadable = {}, [], [], []
    for row in manifest["datasets"]:
        if row["status"] == "skipped":
            skipped.append(row)
            continue
        try:
            ds = f[row["dataset"]]
            ds.dtype
        except Exception as error:  # h5py cannot read it either (HDF5 time types): nothing to compare
            unreadable.append({"dataset": row["dataset"], "reason": repr(error)})
            continue
        try:
            compare(out, ds, row, compared, mismatches)
        except Exception as error:  # a file h5py cannot compare is a mismatch, named
            mismatches.append(row["dataset"] + ": " + repr(error))

    datasets = []
    f.visit(lambda name: datasets.append("/" + name) if f.get(name, getclass=True) is h5py.Dataset else None)
    return {"compared": compared, "skipped": skipped, "h5pyUnreadable": unreadable, "mismatches": mismatches,
            "manifest": [r["dataset"] for r in manifest["datasets"]], "datasets": sorted(set(datasets))}


print(json.dumps({sys.argv[i]: check(sys.argv[i], sys.argv[i + 1]) for i in range(1, len(sys.argv), 2)}))
