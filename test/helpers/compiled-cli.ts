// The h5dat CLI from source, compiled once per test process, for tests that start it many times.
// `node --import tsx src/cli/main.ts` pays tsx's loader and a transform lookup for each of ~200
// modules in every process (and again in each pool worker): 1.5 s of CPU a run against 0.7 s for
// the same code as JavaScript, and the bad-input corpus alone starts the CLI ~700 times.
// esbuild is what tsx transforms with, so the code run is the code tsx would run.
import fs from "node:fs";
import path from "node:path";
import { buildSync } from "esbuild";
import { tempDir } from "./h5py";

const ROOT = path.join(__dirname, "..", "..");

let compiledMain: string | undefined;

/** `src/` as CommonJS in a fresh directory laid out like the repository, and its cli/main.js. */
function compileSource(): string {
  const root = tempDir("h5dat-compiled-cli-");
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".ts")) sources.push(file);
    }
  };
  walk(path.join(ROOT, "src"));
  buildSync({ entryPoints: sources, outbase: ROOT, outdir: root, format: "cjs", platform: "node", target: "node20", logLevel: "error" });
  // The addon and its plugins are found from the package root (src/native), package.json read
  // for the version, and packages resolved from the compiled files' own directory upward.
  for (const name of ["build", "prebuilds", "node_modules", "package.json"]) {
    if (fs.existsSync(path.join(ROOT, name))) fs.symlinkSync(path.join(ROOT, name), path.join(root, name));
  }
  return path.join(root, "src", "cli", "main.js");
}

/** node's arguments for `h5dat <args>` compiled: `<compiled>/src/cli/main.js <args>` (compiled on first use). */
export function compiledCli(...args: string[]): string[] {
  compiledMain ??= compileSource();
  return [compiledMain, ...args];
}
