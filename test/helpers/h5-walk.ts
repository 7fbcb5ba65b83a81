// What h5py sees of a converted file, to compare two files made two ways (a sharded run merged,
// a one-process run): every object reached from the root, following external links and reading
// virtual datasets, with its values' digest and attrs; the manifest's rows and the quarantine as
// sorted sets; the master's counts.
import { PythonSession } from "./python-session";

// walk_file(path) closes the file (and so the shards it reached) before it returns: a session
// (walkSession) goes on while the test writes beside them.
/** Every object h5py reaches from the root (following external links), but h5dat's own group: kind, dtype, shape, a digest of the values, attrs. */
const WALK_FILE = `
import h5py, json, sys, hashlib, numpy as np
def digest(ds):
    v = ds[()]
    if isinstance(v, np.ndarray) and v.dtype.kind != "O" and not (v.dtype.names and any(v.dtype[n].kind == "O" for n in v.dtype.names)):
        return hashlib.sha256(v.tobytes()).hexdigest()
    return hashlib.sha256(repr(v.tolist() if hasattr(v, "tolist") else v).encode()).hexdigest()
def attrs(o):
    return {k: repr(v.tolist() if hasattr(v, "tolist") else v) for k, v in o.attrs.items()}
def walk_file(path):
    out, links = {}, []
    def walk(g, prefix):
        for name in g:
            if prefix == "" and name == "_h5dat": continue
            p = prefix + "/" + name
            if isinstance(g.get(name, getlink=True), h5py.ExternalLink): links.append(p)
            o = g[name]
            if isinstance(o, h5py.Group):
                out[p] = {"attrs": attrs(o)}
                walk(o, p)
            else:
                out[p] = {"dtype": str(o.dtype), "shape": list(o.shape), "digest": digest(o), "attrs": attrs(o)}
    with h5py.File(path, "r") as f:
        walk(f, "")
        m = f["_h5dat/manifest"][()]
        rows = sorted(json.dumps([r[k].decode() if isinstance(r[k], bytes) else int(r[k]) for k in ("source", "source_path", "target", "status", "bytes", "processor", "message")]) for r in m)
        q = f["_h5dat/quarantine"][()] if "quarantine" in f["_h5dat"] else []
        quarantine = sorted(json.dumps([x.decode() if isinstance(x, bytes) else int(x) for x in r]) for r in q)
        own = {k: int(f["_h5dat"].attrs[k]) for k in ("written", "skipped", "failed") if k in f["_h5dat"].attrs}
    return {"objects": out, "links": len(links), "rows": rows, "quarantine": quarantine, "counts": own}`;

/** Python printing Walked of the file sys.argv[1] names. */
export const WALK = `${WALK_FILE}
print(json.dumps(walk_file(sys.argv[1])))`;

/** One Python process walking many files: `await session.call<Walked>(file)`; close() it after. */
export function walkSession(): PythonSession {
  return new PythonSession(`${WALK_FILE}
handle = walk_file`);
}

export interface Walked {
  objects: Record<string, unknown>;
  links: number;
  rows: string[];
  quarantine: string[];
  counts: Record<string, number>;
}

