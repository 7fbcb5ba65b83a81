// A child process's exit and its whole output, without blocking this process (as spawnSync
// does) so that two can run at a time (in-pairs.ts).
import { spawn } from "node:child_process";

/** How a process ended and what it printed. */
export interface SpawnedText {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `command args` to its end; stdout and stderr decoded as UTF-8. */
export function spawnText(command: string, args: readonly string[]): Promise<SpawnedText> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}
