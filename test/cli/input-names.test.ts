// One naming rule for inputs: an archive and a loose HDF5 file both become a group named after
// the input without its extension (`imgds.zip` → /imgds, `sci.h5` → /sci, `clim.nc` → /clim);
// other loose files keep their whole name; a copied HDF5 file whose name another input asks for
// keeps its whole name, so both inputs are kept. Read back with h5py.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-input-names-");
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const h5dat = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], { encoding: "utf8" });

// sci.h5 and clim.nc hold HDF5 (h5py writes both); imgds.zip and sci.zip hold one text file each.
python(`import h5py, sys, zipfile, json
d = sys.argv[1]
for name, values in (("sci.h5", [1, 2, 3]), ("clim.nc", [4, 5]), ("_h5dat.h5", [6])):
    with h5py.File(f"{d}/{name}", "w") as f: f["x"] = values
for name in ("imgds", "sci"):
    with zipfile.ZipFile(f"{d}/{name}.zip", "w") as z: z.writestr("a.txt", name)
print("[]")`, dir);
fs.writeFileSync(path.join(dir, "notes.txt"), "notes");
fs.writeFileSync(path.join(dir, "fake.h5"), "text named as HDF5");

/** The root's members and each one's kind, and /<group>/x of each HDF5 copy, read by h5py. */
function rootOf(output: string): { members: Record<string, string>; values: Record<string, number[]> } {
  return python(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
members = {k: type(v).__name__ for k, v in f.items() if k != "_h5dat"}
values = {k: f[k]["x"][()].tolist() for k, v in f.items() if isinstance(v, h5py.Group) and "x" in v}
print(json.dumps({"members": members, "values": values}))`, output);
}

const input = (name: string) => path.join(dir, name);

test("a loose HDF5 file's group is named without its extension, as an archive's; other loose files keep their name", () => {
  const output = path.join(dir, "names.h5");
  const run = h5dat("convert", "--quiet", "--workers", "0", input("sci.h5"), input("clim.nc"), input("imgds.zip"), input("notes.txt"), input("fake.h5"), "-o", output);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(rootOf(output), {
    members: { sci: "Group", clim: "Group", imgds: "Group", "notes.txt": "Dataset", "fake.h5": "Dataset" },
    values: { sci: [1, 2, 3], clim: [4, 5] },
  });
  const rows = JSON.parse(h5dat("info", "--json", output).stdout).entries;
  assert.equal(rows.total, 5);
});

test("a copied HDF5 file whose name another input asks for keeps its whole name: both inputs are kept, in either order", () => {
  for (const order of [["sci.h5", "sci.zip"], ["sci.zip", "sci.h5"]]) {
    const output = path.join(dir, `clash-${order[0]}.h5`);
    const run = h5dat("convert", "--quiet", "--workers", "0", ...order.map(input), "-o", output);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(rootOf(output), { members: { sci: "Group", "sci.h5": "Group" }, values: { "sci.h5": [1, 2, 3] } });
  }
});

test("a loose file that is not HDF5 asks only for its whole name: sci.h5 beside sci.txt is /sci; beside a loose 'sci' it keeps /sci.h5", () => {
  fs.writeFileSync(input("sci.txt"), "text");
  fs.mkdirSync(path.join(dir, "other"));
  fs.writeFileSync(path.join(dir, "other", "sci"), "a loose file named sci");
  const output = path.join(dir, "beside-text.h5");
  const run = h5dat("convert", "--quiet", "--workers", "0", input("sci.h5"), input("sci.txt"), "-o", output);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(rootOf(output), { members: { sci: "Group", "sci.txt": "Dataset" }, values: { sci: [1, 2, 3] } });
  const taken = path.join(dir, "beside-sci.h5");
  assert.equal(h5dat("convert", "--quiet", "--workers", "0", path.join(dir, "other", "sci"), input("sci.h5"), "-o", taken).status, 0);
  assert.deepEqual(rootOf(taken), { members: { sci: "Dataset", "sci.h5": "Group" }, values: { "sci.h5": [1, 2, 3] } });
});

test("a loose HDF5 file named as h5dat's own group takes /_h5dat_1, and its row says so", () => {
  const output = path.join(dir, "own.h5");
  const run = h5dat("convert", "--quiet", "--workers", "0", input("_h5dat.h5"), "-o", output);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(rootOf(output), { members: { _h5dat_1: "Group" }, values: { _h5dat_1: [6] } });
  const rows = python<{ target: string; message: string }[]>(`import h5py, json, sys
m = h5py.File(sys.argv[1], "r")["_h5dat/manifest"][()]
print(json.dumps([{"target": r["target"].decode(), "message": r["message"].decode()} for r in m]))`, output);
  assert.deepEqual(rows, [{ target: "/_h5dat_1", message: "renamed: '/_h5dat' is h5dat's own group, so this input's group is '/_h5dat_1'" }]);
});
