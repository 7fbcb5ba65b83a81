// The second reader for tests: Debian's h5py, run as /usr/bin/python3 (another python3 on PATH
// may lack it). Scripts print one JSON document on stdout.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const PYTHON = "/usr/bin/python3";

/** Runs a Python script (h5py and numpy importable) with `args`; returns its JSON output. */
export function python<T = unknown>(script: string, ...args: string[]): T {
  const out = execFileSync(PYTHON, ["-c", script, ...args], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  return JSON.parse(out) as T;
}

/** Runs h5dump with `args` and returns its text output. */
export function h5dump(...args: string[]): string {
  return execFileSync("h5dump", args, { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
}

/** A fresh temporary directory, removed at process exit. */
export function tempDir(prefix = "h5dat-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // A daemon a test started (Slurm) may still be writing inside: retry, and never fail the
  // test file at exit for a temp dir left behind.
  process.on("exit", () => {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (error) {
      process.stderr.write(`left ${dir}: ${(error as Error).message}\n`);
    }
  });
  return dir;
}

/**
 * Python source of `ragged(g)`: a ragged string array's group (src/h5/ragged-strings.ts) as its
 * strings decoded from bytes and offsets, a list of rows for a 2-D shape. Put before a script.
 */
export const PY_RAGGED = `
def ragged(g):
    o = g["offsets"][:]
    b = g["bytes"][:].tobytes()
    s = [b[o[i]:o[i + 1]].decode("utf-8") for i in range(len(o) - 1)]
    shape = [int(n) for n in g.attrs["shape"]]
    if len(shape) == 1:
        return s
    return [s[r * shape[1]:(r + 1) * shape[1]] for r in range(shape[0])]
`;
