// The package as users get it: a static prebuild (no libhdf5, no libz needed at run time), and
// an `npm pack` tarball that installs into an empty project without a compiler and works from
// both require() and import.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { python, tempDir } from "../helpers/h5py";

const root = path.join(__dirname, "..", "..");
const prebuild = path.join(root, "prebuilds", "linux-x64", "h5dat.node");

test("the prebuild links HDF5, libarchive and the codecs statically", () => {
  const libs = execFileSync("ldd", [prebuild], { encoding: "utf8" });
  assert.doesNotMatch(libs, /libhdf5/);
  assert.doesNotMatch(libs, /libz\.so/);
  assert.doesNotMatch(libs, /libarchive|liblzma|libdeflate/);
  assert.doesNotMatch(libs, /not found/);
});

test("the prebuild stamp matches binding/, cmake/ and CMakeLists.txt", () => {
  const out = execFileSync(process.execPath, [path.join(root, "scripts", "prebuild-stamp.js"), "check"], { encoding: "utf8" });
  assert.match(out, /matches/);
});

// A PATH with node, npm and a shell but no compiler, cmake or make: install must not build.
function pathWithoutToolchain(dir: string): string {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  const npmCli = execFileSync("bash", ["-c", "readlink -f $(command -v npm)"], { encoding: "utf8" }).trim();
  for (const tool of ["sh", "bash", "env", "ldd", "uname", "cat"]) {
    const found = execFileSync("bash", ["-c", `command -v ${tool} || true`], { encoding: "utf8" }).trim();
    if (found) fs.symlinkSync(found, path.join(bin, tool));
  }
  fs.symlinkSync(process.execPath, path.join(bin, "node"));
  fs.symlinkSync(npmCli, path.join(bin, "npm"));
  return bin;
}

test("npm pack installs into an empty project with no compiler and works via require and import", { timeout: 300_000 }, () => {
  const dir = tempDir("h5dat-pack-");
  const packed = execFileSync("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
  const tarball = path.join(dir, packed);
  assert.ok(fs.existsSync(tarball), `npm pack wrote ${tarball}`);

  const project = path.join(dir, "project");
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  const env = { ...process.env, PATH: pathWithoutToolchain(dir), npm_config_build_from_source: "" };
  execFileSync("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: project, env, stdio: "pipe" });
  assert.ok(fs.existsSync(path.join(project, "node_modules", "h5dat", "prebuilds", "linux-x64", "h5dat.node")));
  assert.ok(!fs.existsSync(path.join(project, "node_modules", "h5dat", "build")), "install did not compile");

  const file = path.join(dir, "packed.h5");
  execFileSync(process.execPath, ["-e", `
    const { File } = require("h5dat");
    const f = File.openSync(${JSON.stringify(file)}, "w");
    f.createDatasetSync("x", { data: new Int32Array([1, 2, 3]) });
    f.closeSync();`], { cwd: project, env });
  const esm = execFileSync(process.execPath, ["--input-type=module", "-e", `
    import { File, hdf5Version } from "h5dat";
    const f = await File.open(${JSON.stringify(file)}, "r");
    const { data } = await (await f.dataset("x")).read();
    console.log(JSON.stringify({ version: hdf5Version(), data: Array.from(data) }));
    await f.close();`], { cwd: project, env, encoding: "utf8" });
  assert.deepEqual(JSON.parse(esm), { version: "1.14.5", data: [1, 2, 3] });
  const cli = execFileSync(path.join(project, "node_modules", ".bin", "h5dat"), ["--version"], { cwd: project, env, encoding: "utf8" });
  assert.match(cli, /^h5dat \d+\.\d+\.\d+ \(HDF5 1\.14\.5\)/);
  assert.deepEqual(python(`import h5py, json, sys; print(json.dumps(h5py.File(sys.argv[1], "r")["x"][()].tolist()))`, file), [1, 2, 3]);
});
