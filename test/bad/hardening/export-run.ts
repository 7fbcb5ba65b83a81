// Runs h5dat's reading commands for the export cases of issue 17 as the user does (a child
// process) and measures its peak resident memory (VmHWM, read from /proc while it runs: the
// high-water mark only grows, so the last reading is the peak up to then).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { compiledCli } from "../../helpers/compiled-cli";

const ROOT = path.join(__dirname, "..", "..", "..");
/** Every command here takes seconds; this much is a hang (the 2^40-row table did not end). */
const TIMEOUT_MS = 120_000;
/** Far above what any case allows: a run past this is killed rather than swap the machine. */
const KILL_MB = 3000;

export interface MeasuredRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  peakMb: number;
  seconds: number;
}

/** `h5dat <args>` in a child process; its peak RSS in MB. */
export function runMeasured(args: string[]): Promise<MeasuredRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, compiledCli(...args), { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let peakMb = 0;
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const watch = setInterval(() => {
      peakMb = Math.max(peakMb, highWaterMb(child.pid));
      if (peakMb > KILL_MB) child.kill("SIGKILL");
    }, 25);
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearInterval(watch);
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, peakMb: Math.round(peakMb), seconds: (performance.now() - started) / 1000 });
    });
  });
}

function highWaterMb(pid: number | undefined): number {
  try {
    return Number(/^VmHWM:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Throws with the run's output unless it exited with `status`. */
export function expectStatus(run: MeasuredRun, status: number, what: string): void {
  if (run.status !== status) throw new Error(`${what}: exit ${run.status ?? run.signal}, expected ${status}: ${run.stderr.slice(0, 600)}`);
}

/** Throws unless the run stayed under `mb` of peak RSS. */
export function expectPeak(run: MeasuredRun, mb: number, what: string): void {
  if (run.peakMb > mb) throw new Error(`${what}: peak RSS ${run.peakMb} MB, more than ${mb} MB`);
}

/** Every file under `dir`, '/'-separated and sorted. */
export function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(dir, p)).isFile()).map((p) => p.split(path.sep).join("/")).sort();
}

export interface ExportRow {
  dataset: string;
  status: "written" | "skipped";
  file?: string;
  format?: string;
  bytes?: number;
  renamedFrom?: string;
  reason?: string;
}
