// What test/platforms/linux-arm64.test.ts and win32-x64.test.ts share: the inputs both probes
// get (h5py's fixture, a mixed zip), running platform-probe.ts as JavaScript, and the tests
// that compare a platform's probe.json with the x64 reference's (values, h5py's view of the
// written and converted files, the reader API).
import assert from "node:assert/strict";
import { execFileSync, spawn, type StdioOptions } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { IMPORT_FIXTURE } from "../helpers/canon";
import { WALK } from "../helpers/h5-walk";
import { PYTHON } from "../helpers/h5py";

/** The repository (both probes load its dist/ and prebuilds/). */
export const ROOT = path.join(__dirname, "..", "..");

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

/** The probe's inputs in `dir`: h5py's fixture file, the mixed zip, and the probe as JavaScript. */
export function prepareProbe(dir: string): { fixture: string; archive: string; script: string } {
  const fixture = path.join(dir, "written-by-h5py.h5");
  execFileSync(PYTHON, [path.join(ROOT, "test", "fixtures", "make_h5py_fixture.py"), fixture], { stdio: "ignore" });
  const archive = path.join(dir, "mixed.zip");
  execFileSync(PYTHON, ["-c", MIXED_ZIP, archive]);
  // Plain JavaScript: the other platform's Node has no tsx (esbuild is a native binary).
  const source = fs.readFileSync(path.join(__dirname, "platform-probe.ts"), "utf8");
  const script = path.join(dir, "platform-probe.js");
  fs.writeFileSync(script, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText);
  return { fixture, archive, script };
}

/**
 * Runs a command to its end; rejects with its stderr when it fails or takes over `timeoutMs`.
 * With `log`, its output goes to that file instead of a pipe (Windows' Node under wine cannot
 * write into a pipe: EBADF), and a failure quotes the file.
 */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, log?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const logFd = log === undefined ? null : fs.openSync(log, "w");
    const stdio: StdioOptions = logFd === null ? ["ignore", "ignore", "pipe"] : ["ignore", logFd, logFd];
    const child = spawn(command, args, { env, stdio, timeout: timeoutMs });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (logFd !== null) fs.closeSync(logFd);
      if (code === 0) return resolve();
      reject(new Error(`${command} exited ${code ?? signal}: ${log === undefined ? stderr : fs.readFileSync(log, "utf8")}`));
    });
  });
}

/** h5py's canonical dump of a file (make_h5py_fixture.dump), h5dat's x64 plugins loaded. */
function h5pyDump(file: string): unknown {
  const env = { ...process.env, HDF5_PLUGIN_PATH: path.join(ROOT, "prebuilds", "linux-x64", "hdf5-plugins") };
  return JSON.parse(execFileSync(PYTHON, ["-c", `${IMPORT_FIXTURE}print(json.dumps(fx.dump(sys.argv[1])))`, file], { encoding: "utf8", env, maxBuffer: 256 * 1024 * 1024 }));
}

/** What h5py sees of a converted file (test/helpers/h5-walk.ts), each [from, to] of `respell` replaced in its text. */
function walk(file: string, respell: [string, string][] = []): unknown {
  const seen = JSON.parse(execFileSync(PYTHON, ["-c", WALK, file], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }));
  const replace = (value: unknown): unknown => {
    if (typeof value === "string") return respell.reduce((text, [from, to]) => text.split(from).join(to), value);
    if (Array.isArray(value)) return value.map(replace);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  return replace(seen);
}

/** A probe.json: what one platform read, wrote and converted (platform-probe.ts). */
export type Probe = Record<"h5py" | "written" | "converted" | "converted-workers" | "reader", Record<string, unknown>> & {
  platform: string;
  hdf5: string;
  paths?: Record<string, unknown>;
};

/** The values h5py reads from a probe's written.h5 are the formulas the probe wrote. */
const WRITTEN_VALUES = `
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
print(json.dumps(ok))`;

/**
 * The tests comparing `platform`'s probe with x64's, inside the caller's describe (after its
 * `before` filled `probes` and wrote each side's files into `out`). `respell` maps how the
 * platform spelled an input path (its `source` attrs hold it as given) to x64's spelling.
 */
export function compareWithX64(platform: string, probes: Partial<Record<string, Probe>>, out: Record<string, string>, respell: [string, string][] = []): void {
  const other = () => probes[platform]!;
  const x64 = () => probes.x64!;

  test(`each side ran its own build: ${platform} and x64, HDF5 1.14.5`, () => {
    assert.equal(other().platform, platform);
    assert.equal(x64().platform, "linux-x64");
    assert.equal(other().hdf5, x64().hdf5);
  });

  test(`every dataset and attribute h5py wrote reads the same on ${platform} (values, dtypes, shapes, filters)`, () => {
    assert.ok(Object.keys(other().h5py).length >= 55, "the fixture's objects");
    assert.deepEqual(other().h5py, x64().h5py);
  });

  test(`a file written on ${platform} reads back there as x64's does, and h5py reads the same from both`, () => {
    assert.deepEqual(other().written, x64().written);
    const written = path.join(out[platform], "written.h5");
    assert.deepEqual(h5pyDump(written), h5pyDump(path.join(out.x64, "written.h5")));
    // And the values are the formulas the probe wrote (not just equal on both sides).
    const env = { ...process.env, HDF5_PLUGIN_PATH: path.join(ROOT, "prebuilds", "linux-x64", "hdf5-plugins") };
    const check = execFileSync(PYTHON, ["-c", WRITTEN_VALUES, written], { encoding: "utf8", env });
    assert.deepEqual(JSON.parse(check), { gzip_shuffle: true, int64: true, uint64: true, specials: true, vlen: true, big_attr: true });
  });

  test(`converting the mixed zip on ${platform} gives the x64 conversion's datasets, values and attrs (h5py)`, () => {
    const reference = walk(path.join(out.x64, "converted.h5"));
    for (const name of ["converted", "converted-workers"] as const) {
      assert.deepEqual(other()[name], { entries: 6, written: 6, failed: 0, skipped: 0, failures: [] }, name);
      assert.deepEqual(walk(path.join(out[platform], `${name}.h5`), respell), reference, `${name}.h5`);
    }
    assert.deepEqual(walk(path.join(out.x64, "converted-workers.h5")), reference, "x64 with workers");
  });

  test(`the reader API reads the converted file on ${platform} as on x64 (tree, images, PNG, JSON, table, bytes)`, () => {
    assert.deepEqual(other().reader, x64().reader);
  });
}
