// Runs h5dat's reading commands (ls, info, show, export) on one bad HDF5 file, each in its own
// process with a timeout and a memory watch, and judges every run by the rule of issue 6: exit 0,
// or exit 1 with one line on stderr naming the file and the cause; never a signal, another code,
// a stack trace, a hang, absurd memory, or HDF5's own error stack printed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compiledCli } from "../helpers/compiled-cli";
import { inPairs } from "../helpers/in-pairs";

/** A reading command takes under a second on these small files; this much is a hang. */
export const RUN_TIMEOUT_MS = 30_000;
/** ... and well under 300 MB: a run past this is killed (a corrupt size can ask for 20 GB). */
export const RUN_MEMORY_MB = 1024;

export interface CliRun {
  args: string[];
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Killed past RUN_MEMORY_MB of resident memory. */
  overMemory: boolean;
  stdout: string;
  stderr: string;
}

/** `h5dat <args>` in a fresh process, killed after `RUN_TIMEOUT_MS`. */
export function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, compiledCli(...args), { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let overMemory = false;
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, RUN_TIMEOUT_MS);
    const watch = setInterval(() => {
      if (residentMb(child.pid) > RUN_MEMORY_MB) {
        overMemory = true;
        child.kill("SIGKILL");
      }
    }, 100);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      resolve({ args, status, signal, timedOut, overMemory, stdout, stderr });
    });
  });
}

/** Resident memory of a process in MB (0 once it is gone). */
function residentMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** What is wrong with a run on `file`, or null when it went by the rule. */
export function problemOf(run: CliRun, file: string): string | null {
  if (run.overMemory) return `used more than ${RUN_MEMORY_MB} MB (killed)`;
  if (run.timedOut) return `hung (killed after ${RUN_TIMEOUT_MS / 1000} s)`;
  if (run.signal) return `killed by ${run.signal}`;
  if (/HDF5-DIAG|^\s+at /m.test(run.stderr)) return `stack on stderr: ${firstLines(run.stderr)}`;
  if (run.status === 0) return null;
  if (run.status !== 1) return `exit ${run.status}: ${firstLines(run.stderr)}`;
  const lines = run.stderr.trimEnd().split("\n");
  if (lines.length !== 1) return `${lines.length} lines on stderr: ${firstLines(run.stderr)}`;
  if (!lines[0].startsWith("h5dat: ") || !lines[0].includes(file)) return `stderr does not name ${path.basename(file)}: ${lines[0]}`;
  if (lines[0].replace(file, "").replace(/[^a-z]/gi, "").length < 12) return `no cause given: ${lines[0]}`;
  return null;
}

const firstLines = (text: string) => text.trim().split("\n").slice(0, 3).join(" ⏎ ").slice(0, 300);

/** Outcomes of many runs: exit codes, problems, and the distinct causes seen. */
export class RunTally {
  runs = 0;
  exit0 = 0;
  exit1 = 0;
  problems: string[] = [];
  readonly causes = new Map<string, number>();

  add(run: CliRun, file: string, label: string): void {
    this.runs++;
    const problem = problemOf(run, file);
    if (problem) {
      this.problems.push(`${label}: h5dat ${run.args.map((a) => (a === file ? path.basename(file) : a)).join(" ")}: ${problem}`);
      return;
    }
    if (run.status === 0) {
      this.exit0++;
      return;
    }
    this.exit1++;
    // The cause without the file and object names: "cannot open file: bad object header version number".
    const cause = run.stderr.trim().replace(file, "<file>").replace(/'[^']*'/g, "'…'");
    this.causes.set(cause, (this.causes.get(cause) ?? 0) + 1);
  }

  /** "250 runs: 180 exit 0, 70 exit 1, 0 crashes". */
  summary(): string {
    return `${this.runs} runs: ${this.exit0} exit 0, ${this.exit1} exit 1, ${this.problems.length} crashes`;
  }

  /** Throws with the first problems when there are any. */
  check(): void {
    if (this.problems.length === 0) return;
    throw new Error(`${this.summary()}:\n  ${this.problems.slice(0, 8).join("\n  ")}${this.problems.length > 8 ? `\n  … ${this.problems.length - 8} more` : ""}`);
  }
}

/** Dataset paths of `h5dat ls -r --json` output, or [] when it is not a listing. */
export function listedDatasets(stdout: string): string[] {
  try {
    const listed = JSON.parse(stdout) as { path?: unknown; kind?: unknown }[];
    return Array.isArray(listed) ? listed.filter((o) => o.kind === "dataset" && typeof o.path === "string").map((o) => o.path as string) : [];
  } catch {
    return [];
  }
}

/** Show targets: at most this many per file (a corrupt listing may be long or strange). */
const MAX_SHOWN = 8;

/**
 * Every reading command on `file`: `ls -r`, `ls -r --json`, `info`, `show` of each dataset (the
 * ones in `datasets`, plus any other the file's own listing names), `export -o`. Two at a time.
 */
export async function readEverything(file: string, datasets: readonly string[], label: string, tally: RunTally): Promise<void> {
  const listing = await runCli(["ls", "-r", "--json", file]);
  tally.add(listing, file, label);
  const shown = [...new Set([...datasets, ...listedDatasets(listing.stdout)])].slice(0, MAX_SHOWN);
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), "h5dat-bad-export-"));
  const commands = [["ls", "-r", file], ["info", file], ...shown.map((p) => ["show", file, p]), ["export", file, "-o", exportDir]];
  try {
    await inPairs(commands, async (args) => tally.add(await runCli(args), file, label));
  } finally {
    fs.rmSync(exportDir, { recursive: true, force: true });
  }
}
