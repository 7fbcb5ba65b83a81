// `ls` and `show` name dimensions as NetCDF-4 does (netCDF4-python as the second reader: each
// variable's dimensions, their sizes, which are UNLIMITED), and as h5py's ds.dims does for an
// h5py file; every attribute of a NetCDF variable shows (DIMENSION_LIST, if unreadable, with why).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { makeDimensionFiles } from "../helpers/dimension-files";
import { python, tempDir } from "../helpers/h5py";

const files = makeDimensionFiles(tempDir("h5dat-dims-cli-"));
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const h5dat = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], { encoding: "utf8" });

interface NetcdfView {
  variables: Record<string, { dimensions: string[] }>;
  dimensions: Record<string, { size: number; unlimited: boolean; group: string }>;
}

/** netCDF4-python's view: each variable's dimension names, each dimension's size and UNLIMITED. */
const netcdf = python<NetcdfView>(`import json, sys, netCDF4
nc = netCDF4.Dataset(sys.argv[1])
out = {"variables": {}, "dimensions": {}}
def walk(g, prefix):
    for name, v in g.variables.items(): out["variables"][prefix + name] = {"dimensions": list(v.dimensions)}
    for name, d in g.dimensions.items(): out["dimensions"][prefix + name] = {"size": len(d), "unlimited": d.isunlimited(), "group": prefix or "/"}
    for name, sub in g.groups.items(): walk(sub, prefix + name + "/")
walk(nc, "/")
print(json.dumps(out))`, files.netcdf);

type Listed = { path: string; kind: string; dims?: string[]; scale?: string };

test("ls -r --json of a NetCDF-4 file: each variable's dims are netCDF4's dimensions, each dimension a scale", () => {
  const run = h5dat("ls", "-r", "--json", files.netcdf);
  assert.equal(run.status, 0, run.stderr);
  const listed = JSON.parse(run.stdout) as Listed[];
  const byPath = Object.fromEntries(listed.map((o) => [o.path, o]));
  for (const [variable, { dimensions }] of Object.entries(netcdf.variables)) {
    const object = byPath[variable];
    assert.ok(object, variable);
    // A coordinate variable is its own dimension (a scale, not attached to itself).
    if (dimensions.length === 1 && variable.endsWith(`/${dimensions[0]}`)) assert.equal(object.scale, dimensions[0], variable);
    else assert.deepEqual(object.dims, dimensions, variable);
  }
  for (const dimension of Object.keys(netcdf.dimensions)) assert.equal(byPath[dimension]?.scale, dimension.split("/").pop(), dimension);
  const text = h5dat("ls", "-r", files.netcdf);
  assert.match(text.stdout, /^\/tas .* dims: time×lat×lon$/m);
  assert.match(text.stdout, /^\/sub\/station_temp .* dims: time×station$/m);
});

test("show of a NetCDF-4 variable: dimensions with sizes and UNLIMITED as netCDF4 has them, every attribute, exit 0", () => {
  const run = h5dat("show", files.netcdf, "/tas");
  assert.equal(run.status, 0, run.stderr);
  const size = (name: string) => {
    const d = netcdf.dimensions[`/${name}`];
    return d.unlimited ? `UNLIMITED \\(${d.size} currently\\)` : String(d.size);
  };
  assert.match(run.stdout, new RegExp(`^ {4}\\[0\\] time = ${size("time")}  ← /time$`, "m"));
  assert.match(run.stdout, new RegExp(`^ {4}\\[1\\] lat = ${size("lat")}  ← /lat$`, "m"));
  assert.match(run.stdout, new RegExp(`^ {4}\\[2\\] lon = ${size("lon")}  ← /lon$`, "m"));
  // Until vlen sequences of references read, DIMENSION_LIST shows as unreadable with the reason;
  // then as the scales' paths.
  assert.match(run.stdout, /^ {2}@DIMENSION_LIST = (<unreadable variable-length sequence \[3\]: .+>|\[\["\/time"\], \["\/lat"\], \["\/lon"\]\])$/m);
  assert.match(run.stdout, /^ {2}@units = "K"$/m);
  const json = JSON.parse(h5dat("show", files.netcdf, "/tas", "--json").stdout);
  assert.deepEqual(json.dims.axes.map((a: { scales: { dimension: string; size: number; unlimited: boolean }[] }) => a.scales.map((s) => [s.dimension, s.size, s.unlimited])),
    netcdf.variables["/tas"].dimensions.map((d) => [[d, netcdf.dimensions[`/${d}`].size, netcdf.dimensions[`/${d}`].unlimited]]));
  const dimensionList = json.attrs.DIMENSION_LIST;
  if (dimensionList.unreadable !== true) assert.deepEqual(dimensionList, [["/time"], ["/lat"], ["/lon"]]);
  const group = h5dat("show", files.netcdf, "/sub");
  assert.equal(group.status, 0, group.stderr);
  assert.match(group.stdout, /^ {4}station = 2  ← \/sub\/station$/m);
  // The root's dimensions in --json are netCDF4's dimensions of the root group.
  const root = JSON.parse(h5dat("show", files.netcdf, "/", "--json").stdout) as { dimensions: { name: string; size: number; unlimited: boolean }[] };
  const rootDimensions = Object.entries(netcdf.dimensions).filter(([, d]) => d.group === "/");
  assert.deepEqual(Object.fromEntries(root.dimensions.map((d) => [`/${d.name}`, { size: d.size, unlimited: d.unlimited, group: "/" }])), Object.fromEntries(rootDimensions));
  const dimensionOnly = h5dat("show", files.netcdf, "/nv");
  assert.match(dimensionOnly.stdout, /^ {2}dimension scale: nv \(NAME "This is a netCDF dimension but not a netCDF variable\. +2"\)$/m);
});

test("show --json and ls --json of an h5py file: labels and scales per axis as h5py's ds.dims", () => {
  const expected = python<{ label: string; names: string[]; paths: string[] }[]>(`import h5py, json, sys
d = h5py.File(sys.argv[1], "r")["data"]
print(json.dumps([{"label": dim.label, "names": list(dim.keys()), "paths": [s.name for s in dim.values()]} for dim in d.dims]))`, files.scales);
  const run = h5dat("show", files.scales, "/data", "--json");
  assert.equal(run.status, 0, run.stderr);
  const axes = JSON.parse(run.stdout).dims.axes as { label: string; scales: { name: string; path: string }[] }[];
  assert.deepEqual(axes.map((a) => ({ label: a.label, names: a.scales.map((s) => s.name), paths: a.scales.map((s) => s.path) })), expected);
  const listed = JSON.parse(h5dat("ls", "-r", "--json", files.scales).stdout) as Listed[];
  // An axis is named by its first scale (its NAME, or the scale's own name when it has none), else its label.
  const name = (a: { label: string; names: string[]; paths: string[] }) => (a.paths.length ? a.names[0] || a.paths[0].split("/").pop() : a.label);
  assert.deepEqual(listed.find((o) => o.path === "/data")?.dims, expected.map(name));
  assert.deepEqual(listed.find((o) => o.path === "/grp/e")?.dims, ["y", "x coordinate"]);
  assert.equal(listed.find((o) => o.path === "/x")?.scale, "x coordinate");
  assert.equal(listed.find((o) => o.path === "/plain")?.dims, undefined);
});
