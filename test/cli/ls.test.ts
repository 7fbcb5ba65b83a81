// `h5dat ls`: the listing of a file matches h5py's view of it (names, kinds, shapes, chunks,
// filters, links); a missing path exits 1 with a message.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-ls-");
const file = path.join(dir, "f.h5");
python(`import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    g = f.create_group("a/b")
    g.create_dataset("x", data=np.arange(1000, dtype="<i4").reshape(10, 100), chunks=(5, 50), compression="gzip", compression_opts=6, shuffle=True)
    f.create_dataset("s", data=np.float64(3.5))
    f.create_dataset("grow", shape=(0, 3), maxshape=(None, 3), dtype="u1", chunks=(16, 3))
    f.create_dataset("t", data=np.array([(1, b"x")], dtype=[("i", "<i8"), ("n", "S4")]))
    f["soft"] = h5py.SoftLink("/a/b/x")
    f["ext"] = h5py.ExternalLink("other.h5", "/y")
    f["a"].attrs["k"] = 1
print("[]")`, file);

const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const ls = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, "ls", ...args], { encoding: "utf8" });

test("ls -r --json lists what h5py sees: kinds, shapes, chunks, filters, links, attr counts", () => {
  const run = ls("-r", "--json", file);
  assert.equal(run.status, 0, run.stderr);
  const listed = JSON.parse(run.stdout) as { path: string; kind: string; shape?: number[] | null; chunks?: number[] | null; filters?: string[]; target?: string; attrs: number; maxshape?: (number | null)[] }[];
  const seen = python<Record<string, { kind: string; shape?: number[]; chunks?: number[] | null; filters?: string[]; target?: string; attrs: number; maxshape?: (number | null)[] }>>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
out = {}
def walk(g, prefix):
    for name in sorted(g.keys()):
        p = prefix.rstrip("/") + "/" + name
        link = g.get(name, getlink=True)
        if isinstance(link, h5py.SoftLink): out[p] = {"kind": "soft-link", "target": link.path, "attrs": 0}; continue
        if isinstance(link, h5py.ExternalLink): out[p] = {"kind": "external-link", "target": link.filename + ":" + link.path, "attrs": 0}; continue
        o = g[name]
        if isinstance(o, h5py.Group):
            out[p] = {"kind": "group", "attrs": len(o.attrs)}; walk(o, p)
        else:
            filters = (["shuffle"] if o.shuffle else []) + (["gzip:%d" % o.compression_opts] if o.compression == "gzip" else [])
            out[p] = {"kind": "dataset", "shape": list(o.shape), "chunks": list(o.chunks) if o.chunks else None, "filters": filters, "attrs": len(o.attrs), "maxshape": list(o.maxshape)}
walk(f, "/")
print(json.dumps(out))`, file);
  assert.deepEqual(listed.map((o) => o.path), Object.keys(seen));
  for (const o of listed) {
    const expected = seen[o.path];
    const got: Record<string, unknown> = { kind: o.kind, attrs: o.attrs };
    if (o.target !== undefined) got.target = o.target;
    if (o.kind === "dataset") Object.assign(got, { shape: o.shape, chunks: o.chunks, filters: o.filters, maxshape: o.maxshape });
    assert.deepEqual(got, expected, o.path);
  }
});

test("ls without -r lists one level; a dataset path lists that dataset; a missing path exits 1", () => {
  const top = ls(file);
  assert.equal(top.status, 0, top.stderr);
  assert.deepEqual(top.stdout.trim().split("\n").map((line) => line.split(/\s+/)[0]), ["/a", "/ext", "/grow", "/s", "/soft", "/t"]);
  const one = ls(file, "/a/b/x");
  assert.match(one.stdout, /^\/a\/b\/x\s+dataset int32 \[10, 100\]\s+chunks \[5, 50\] shuffle\+gzip:6\s+3\.9 KiB → [\d.]+ (bytes|KiB) \([\d.]+×\)$/m);
  const missing = ls(file, "/nope");
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /'\/nope' is not in .*f\.h5/);
});
