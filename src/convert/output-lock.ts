// The lock that makes one run at a time write an output: <output>.lock, made with O_EXCL, holds
// the pid (and, on Linux, the start time) of the run writing <output>.partial. Any run that
// writes the output (new, --overwrite, --resume, --append) takes it first, before it looks at or
// touches the .partial, so a second run refuses, naming the first one's pid, instead of replacing
// the file the first one is writing. A lock whose process is gone (kill -9, a crash) is stale
// and taken over; the pid's start time tells a reused pid from the run that made the lock.
import fs from "node:fs";

/** What a lock file holds. */
interface LockHolder {
  pid: number;
  /** The process's start time (/proc/<pid>/stat, clock ticks since boot); "" where unknown. */
  started: string;
}

/** One run's hold on an output (<output>.lock names its pid): a second run refuses while it is held. */
export class OutputLock {
  private constructor(readonly path: string, private readonly holder: LockHolder) {}

  /** Takes the lock of `output`, or throws naming the live run that holds it. */
  static take(output: string): OutputLock {
    const lockPath = lockPathOf(output);
    const holder: LockHolder = { pid: process.pid, started: startTimeOf(process.pid) };
    // Twice at most: a stale lock is removed once, and the second try takes it or finds the run
    // that was quicker.
    for (let attempt = 0; ; attempt++) {
      try {
        fs.writeFileSync(lockPath, JSON.stringify(holder), { flag: "wx" });
        return new OutputLock(lockPath, holder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw lockFailure(output, lockPath, error);
      }
      const other = readHolder(lockPath);
      if (other && isAlive(other)) {
        throw new Error(`'${output}' is being written by another run (pid ${other.pid}): wait for it to end or stop it first (its lock is '${lockPath}')`);
      }
      fs.rmSync(lockPath, { force: true });
    }
  }

  /** Whether the lock file is still this run's (no other run took it as stale meanwhile). */
  isHeld(): boolean {
    const now = readHolder(this.path);
    return now !== null && now.pid === this.holder.pid && now.started === this.holder.started;
  }

  /** Gives the lock up (only when it is still this run's). */
  release(): void {
    if (this.isHeld()) fs.rmSync(this.path, { force: true });
  }
}

/** The lock file of an output. */
export function lockPathOf(output: string): string {
  return `${output}.lock`;
}

function readHolder(lockPath: string): LockHolder | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath, "utf8")) as Partial<LockHolder>;
    return typeof parsed.pid === "number" ? { pid: parsed.pid, started: String(parsed.started ?? "") } : null;
  } catch {
    // Unreadable or half-written (a run killed while writing it): not a live run's.
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: a process of another user has that pid; it is alive.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const started = startTimeOf(holder.pid);
  return holder.started === "" || started === "" || started === holder.started;
}

/** Field 22 of /proc/<pid>/stat (after the command's closing parenthesis, which may hold spaces). */
function startTimeOf(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
  } catch {
    return "";
  }
}

function lockFailure(output: string, lockPath: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EEXIST") return new Error(`'${output}' is being written by another run that just started (its lock is '${lockPath}')`);
  return new Error(`cannot lock '${output}': cannot create '${lockPath}' (${(error as Error).message})`);
}
