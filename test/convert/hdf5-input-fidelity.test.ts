// A copied HDF5 or NetCDF-4 input means what its source meant, as h5py (and netCDF4-python) read
// both: every value and attribute, each reference's target, dimension scales, soft and hard links
// (external links are not copied: issue 17.5), committed datatypes, fill values, chunks and filters — loose and from archives.
// The comparison is test/fixtures/hdf5_input_fidelity.py's, object by object.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert, File } from "../../src";
import { PYTHON, python, tempDir } from "../helpers/h5py";
import { runCli } from "../bad/reader-runs";

const FIXTURE = path.join(__dirname, "..", "fixtures", "hdf5_input_fidelity.py");
const dir = tempDir("h5dat-h5fidelity-");

/** Runs the fixture script's `command`; returns its JSON output. */
function fixture<T>(command: string, ...args: string[]): T {
  return JSON.parse(execFileSync(PYTHON, [FIXTURE, command, ...args], { encoding: "utf8", maxBuffer: 64 << 20 })) as T;
}
type Comparison = { problems: string[]; counts: Record<string, number> };
const compare = (source: string, output: string, prefix: string): Comparison => fixture("compare", source, output, prefix);
const netcdf = (file: string, group: string): unknown => fixture("netcdf", file, group);

fixture("make", dir);
python(`import sys, tarfile, zipfile
d = sys.argv[1]
with zipfile.ZipFile(f"{d}/bundle.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for n in ("sci.h5", "clim.nc"): z.write(f"{d}/{n}", f"data/{n}")
with tarfile.open(f"{d}/bundle.tar", "w") as t:
    for n in ("sci.h5", "clim.nc"): t.add(f"{d}/{n}", f"data/{n}")
print("{}")`, dir);

const SCI = path.join(dir, "sci.h5");
const CLIM = path.join(dir, "clim.nc");

/** Asserts that both sources' copies (`sci` and `clim`, their paths in `output`) read as the sources do. */
function assertFaithful(output: string, [sciPath, climPath]: [string, string]): void {
  const sci = compare(SCI, output, sciPath);
  assert.deepEqual(sci.problems, [], `${output}: sci.h5`);
  // How much was compared: every reference, scale and link of the source (it cannot pass empty).
  assert.deepEqual(
    { ...sci.counts, attrs: undefined, datasets: undefined, links: undefined },
    { object_refs: 44, region_refs: 12, scales: 8, soft_links: 6, external_links: 1, hard_link_pairs: 2, attrs: undefined, datasets: undefined, links: undefined },
  );
  const clim = compare(CLIM, output, climPath);
  assert.deepEqual(clim.problems, [], `${output}: clim.nc`);
  assert.equal(clim.counts.scales, 16);
  assert.equal(clim.counts.object_refs, 32); // DIMENSION_LIST and REFERENCE_LIST entries
}

test("an h5py file and a NetCDF-4 file given loose are copied as h5py reads them", async () => {
  const output = path.join(dir, "loose.h5");
  const summary = await convert([SCI, CLIM], { output });
  assert.deepEqual([summary.written, summary.failed], [2, 0]);
  // Loose, each is a group named without its extension, as an archive's group is.
  assertFaithful(output, ["/sci", "/clim"]);
  const spot = python<Record<string, unknown>>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
d = f["sci/data"]
print(json.dumps({"root": sorted(f.keys()), "soft": f["sci"].get("soft", getlink=True).path,
  "scales": [[s.name for s in dim.values()] for dim in d.dims], "names": [list(dim.keys()) for dim in d.dims],
  "ref": f[f["sci/objrefs"][0]].name, "station": [s.decode() for s in f["clim/station"][()]]}))`, output);
  assert.deepEqual(spot, {
    // H5Ocopy's "~obj_pointed_by_<address>" links for referenced objects are not left in the root.
    root: ["_h5dat", "clim", "sci"],
    soft: "/sci/f16",
    scales: [["/sci/t"], ["/sci/y"], ["/sci/x"]],
    names: [["time"], ["lat"], [""]],
    ref: "/sci/data",
    station: ["a", "bb", ""],
  });
});

test("HDF5 and NetCDF-4 files inside a zip and a tar are copied as faithfully", async () => {
  for (const archive of ["bundle.zip", "bundle.tar"]) {
    const output = path.join(dir, `${archive}.h5`);
    const summary = await convert([path.join(dir, archive)], { output });
    assert.deepEqual([summary.written, summary.failed], [2, 0], archive);
    // Inside an archive they are its entries, named as every entry is: by their whole name.
    assertFaithful(output, ["/bundle/data/sci.h5", "/bundle/data/clim.nc"]);
  }
});

test("a copied NetCDF-4 file reads in netCDF4-python as its source: dimensions, variables in order, fill values", async () => {
  const output = path.join(dir, "netcdf.h5");
  await convert([CLIM], { output });
  const copy = netcdf(output, "clim") as { order: string[] };
  assert.deepEqual(copy, netcdf(CLIM, ""));
  // The string variable, made again after the copy, keeps its place among the variables.
  assert.deepEqual(copy.order, ["station", "time", "lat", "lon", "tas", "lat_bnds"]);
});

// PyTables' 46 test files: real HDF5 written by another library over 15 years (tables with
// nested compounds, big-endian types, blosc/lzo filters h5dat cannot decode, time types).
const PYTABLES = ["/usr/share/python-tables/tests", "/usr/share/python-tables/nodes/tests"];

test("each of PyTables' test files is copied as h5py reads it (objects h5py cannot read fail the same way)", async () => {
  const sources = PYTABLES.flatMap((folder) => fs.readdirSync(folder).filter((name) => name.endsWith(".h5")).map((name) => path.join(folder, name)));
  assert.equal(sources.length, 46);
  const output = path.join(dir, "pytables.h5");
  const summary = await convert(sources, { output });
  assert.deepEqual([summary.written, summary.failed], [46, 0]);
  const triples = sources.flatMap((source) => [source, output, `/${path.basename(source, ".h5")}`]);
  const results = fixture<Comparison[]>("compare", ...triples);
  assert.deepEqual(results.flatMap((result, i) => result.problems.map((problem) => `${path.basename(sources[i])}: ${problem}`)), []);
  assert.ok(results.reduce((sum, result) => sum + result.counts.datasets, 0) > 140);
});

test("an HDF5 input whose chunk runs past its end fails its entry (or is kept as bytes); H5Ocopy would abort the process on it", async () => {
  // /lzf's chunk 3 given a size of 1 GiB in its chunk B-tree key (v1 B-trees carry no checksum).
  const bad = path.join(dir, "chunk-past-end.h5");
  python(`import h5py, struct, sys
src, out = sys.argv[1], sys.argv[2]
with h5py.File(src, "r") as f:
    address = f["lzf"].id.get_chunk_info(3).byte_offset
b = bytearray(open(src, "rb").read())
at = b.find(struct.pack("<Q", address))  # the child pointer; its key (size, mask, 2 offsets) precedes it
assert struct.unpack("<I", b[at - 24:at - 20])[0] == 20
b[at - 24:at - 20] = struct.pack("<I", 1 << 30)
open(out, "wb").write(b)
print("{}")`, SCI, bad);
  const output = path.join(dir, "chunk-past-end-out.h5");
  const run = await runCli(["convert", bad, CLIM, "-o", output, "--on-error", "fail"]);
  assert.equal(run.signal, null, run.stderr);
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /chunk-past-end\.h5: corrupt file: a chunk at byte \d+ \(1073741824 bytes\) lies past the end of the file/);
  assert.deepEqual(python(`import h5py, json, sys; print(json.dumps(sorted(h5py.File(sys.argv[1], "r").keys())))`, output), ["_h5dat", "clim"]);
  // By default the file is kept as its bytes (read again from disk), saying why.
  const kept = path.join(dir, "chunk-past-end-kept.h5");
  const keep = await runCli(["convert", bad, CLIM, "-o", kept]);
  assert.equal(keep.status, 0, keep.stderr);
  assert.match(keep.stdout, /chunk-past-end\.h5: kept as bytes: corrupt file: a chunk at byte \d+ \(1073741824 bytes\) lies past the end of the file/);
  const stored = python<{ same: boolean; processor: string }>(`import h5py, json, sys
with h5py.File(sys.argv[1], "r") as f:
    d = f["chunk-past-end"]  # its first bytes say HDF5: it takes its group's name, as bytes
    print(json.dumps({"same": d[()].tobytes() == open(sys.argv[2], "rb").read(), "processor": d.attrs["processor"]}))`, kept, bad);
  assert.deepEqual(stored, { same: true, processor: "bytes" });
});

test("Group.copyFile copies a file into a nested group of an open file, twice, as h5py reads the source", async () => {
  const output = path.join(dir, "api.h5");
  const file = await File.open(output, "w");
  const nested = await file.createGroup("a/b");
  for (const name of ["first", "second"]) {
    const source = await File.open(SCI, "r");
    await nested.copyFile(source, name);
    await source.close();
  }
  await file.close();
  for (const name of ["first", "second"]) assert.deepEqual(compare(SCI, output, `/a/b/${name}`).problems.filter((p) => !p.startsWith("attributes added")), []);
  assert.deepEqual(python(`import h5py, json, sys; print(json.dumps(sorted(h5py.File(sys.argv[1], "r").keys())))`, output), ["a"]);
});
