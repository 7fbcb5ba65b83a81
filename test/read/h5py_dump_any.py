# What Debian's h5py sees in HDF5 files nobody here made (PyTables' test corpus, h5py's own test
# files): every object (walked as h5dat's listing walks: name order, each group entered once),
# and every dataset's and attribute's values in the canonical JSON form of
# test/read/pytables-files.test.ts, or the error h5py reads them with.
#
# Canonical form, one element: ints as numbers (64-bit ones as decimal strings), floats as
# numbers or "NaN"/"Infinity"/"-Infinity", bools as booleans, text as strings, opaque bytes as
# {"opaque": hex}, records as objects, array fields and sequences as lists, object references
# as the target's path (None when null), region references as {"path", "selection"}.
# Usage: h5py_dump_any.py file.h5 ... → {file: {"objects": [[path, kind]], "datasets": {...},
# "attrs": {"path@name": ...}}}; each value is {"shape", "values"} or {"error"}.
import json
import math
import sys

import h5py
import numpy as np


def canon_float(x):
    f = float(x)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    return f


def canon_selection(space):
    kind = space.get_select_type()
    if kind == h5py.h5s.SEL_NONE:
        return {"kind": "none"}
    if kind == h5py.h5s.SEL_ALL:
        return {"kind": "all"}
    if kind == h5py.h5s.SEL_POINTS:
        return {"kind": "points", "points": space.get_select_elem_pointlist().tolist()}
    blocks = space.get_select_hyper_blocklist()
    return {"kind": "hyperslab", "blocks": [{"start": b[0].tolist(), "count": (b[1] - b[0] + 1).tolist()} for b in blocks]}


class Canon:
    def __init__(self, f):
        self.f = f

    def element(self, v, dt):
        """One element `v` of numpy dtype `dt`."""
        if dt.names:
            return {n: self.element(v[n], dt.fields[n][0]) for n in dt.names}
        if dt.subdtype is not None:
            base = dt.subdtype[0]
            return [self.element(x, base) for x in np.asarray(v).ravel()]
        vlen = h5py.check_vlen_dtype(dt)
        if vlen is not None and vlen not in (str, bytes):
            base = np.dtype(vlen)
            return [self.element(x, base) for x in np.asarray(v, dtype=base).ravel()]
        if h5py.check_string_dtype(dt) is not None or isinstance(v, (bytes, str)):
            return v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else str(v)
        ref = h5py.check_ref_dtype(dt)
        if ref is h5py.Reference:
            return self.f[v].name if v else None
        if ref is h5py.RegionReference:
            if not v:
                return None
            space = h5py.h5r.get_region(v, self.f.id)
            return {"path": self.f[v].name, "selection": canon_selection(space)}
        if dt.kind == "V":
            return {"opaque": bytes(v).hex()}
        if dt.kind == "b":
            return bool(v)
        if dt.kind in "iu":
            return str(int(v)) if dt.itemsize == 8 else int(v)
        if dt.kind == "f":
            return canon_float(v)
        raise TypeError("no canonical form for %r (%s)" % (v, dt))

    def values(self, x, dt):
        """All elements of a read value (array or scalar), flat in row-major order."""
        if isinstance(x, h5py.Empty):
            return {"shape": None, "values": None}
        if isinstance(x, np.ndarray) and x.dtype == dt:
            return {"shape": list(x.shape), "values": [self.element(v, dt) for v in x.ravel()]}
        if isinstance(x, np.ndarray) and dt.subdtype is not None:
            # An array-dtype dataset reads with its element's axes appended (as h5dat's shape).
            base = dt.subdtype[0]
            return {"shape": list(x.shape), "values": [self.element(v, base) for v in x.ravel()]}
        return {"shape": [], "values": [self.element(x, dt)]}


def dump(path):
    f = h5py.File(path, "r")
    canon = Canon(f)
    out = {"objects": [], "datasets": {}, "attrs": {}}
    entered = set()

    def attrs_of(obj, where):
        for name in obj.attrs:
            key = "%s@%s" % (where, name)
            try:
                dt = obj.attrs.get_id(name).dtype
                out["attrs"][key] = canon.values(obj.attrs[name], dt)
            except Exception as e:  # h5py cannot read it: not compared
                out["attrs"][key] = {"error": "%s: %s" % (type(e).__name__, e)}

    def walk(group, prefix):
        for name in sorted(group.keys()):
            child = prefix.rstrip("/") + "/" + name
            link = group.get(name, getlink=True)
            if isinstance(link, h5py.SoftLink):
                out["objects"].append([child, "soft-link"])
                continue
            if isinstance(link, h5py.ExternalLink):
                out["objects"].append([child, "external-link"])
                continue
            obj = group[name]
            if isinstance(obj, h5py.Group):
                out["objects"].append([child, "group"])
                attrs_of(obj, child)
                addr = h5py.h5o.get_info(obj.id).addr
                if addr not in entered:
                    entered.add(addr)
                    walk(obj, child)
            elif isinstance(obj, h5py.Dataset):
                out["objects"].append([child, "dataset"])
                attrs_of(obj, child)
                try:
                    out["datasets"][child] = canon.values(obj[()], obj.dtype)
                except Exception as e:
                    out["datasets"][child] = {"error": "%s: %s" % (type(e).__name__, e)}
            else:
                out["objects"].append([child, "datatype"])
                attrs_of(obj, child)

    entered.add(h5py.h5o.get_info(f.id).addr)
    attrs_of(f, "/")
    walk(f, "/")
    return out


print(json.dumps({p: dump(p) for p in sys.argv[1:]}))
