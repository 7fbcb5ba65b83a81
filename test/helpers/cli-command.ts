// The h5dat CLI from source as one shell word list, runnable from any working directory (a Slurm
// job's, a pod's): node with tsx's loader named by its path, and src/cli/main.ts.
import path from "node:path";
import { pathToFileURL } from "node:url";

/** `node --import <tsx loader> <repo>/src/cli/main.ts`, each part an argument. */
export function cliCommand(): string[] {
  return [process.execPath, "--import", pathToFileURL(require.resolve("tsx")).href, path.join(__dirname, "..", "..", "src", "cli", "main.ts")];
}
