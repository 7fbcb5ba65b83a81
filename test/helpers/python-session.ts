// One Python process (h5py's, as python() in h5py.ts runs) answering many calls of one function,
// for tests that read files with h5py again and again: each python3 start imports h5py and numpy
// anew (~0.3 s of CPU, seconds of wall time on a loaded machine). The function must close every
// file it opens (`with h5py.File(...)`): HDF5 locks an open file, and the next h5dat run on it
// would be refused.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { PYTHON } from "./h5py";

const SERVE = `
import json, sys, traceback
for line in sys.stdin:
    try:
        reply = {"value": handle(*json.loads(line))}
    except Exception:
        reply = {"error": traceback.format_exc()}
    sys.stdout.write(json.dumps(reply) + "\\n")
    sys.stdout.flush()
`;

/** A Python process defining `handle(*args)`, called with string arguments, returning JSON. */
export class PythonSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve(value: unknown): void; reject(error: Error): void }[] = [];
  private pending = "";
  private stderr = "";

  /** `script` defines `handle`; it may import what it needs at its top. */
  constructor(script: string) {
    this.child = spawn(PYTHON, ["-c", `${script}\n${SERVE}`], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.setEncoding("utf8").on("data", (text: string) => this.received(text));
    this.child.stderr.setEncoding("utf8").on("data", (text: string) => (this.stderr += text));
    this.child.on("close", (code) => {
      for (const call of this.waiting.splice(0)) call.reject(new Error(`python exited (${code}): ${this.stderr}`));
    });
  }

  /** handle(*args)'s value; rejects with Python's traceback when it raised. */
  call<T = unknown>(...args: string[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ resolve: resolve as (value: unknown) => void, reject });
      this.child.stdin.write(`${JSON.stringify(args)}\n`);
    });
  }

  /** Ends the process (its calls answered first). */
  close(): void {
    this.child.stdin.end();
  }

  private received(text: string): void {
    this.pending += text;
    for (let end = this.pending.indexOf("\n"); end !== -1; end = this.pending.indexOf("\n")) {
      const reply = JSON.parse(this.pending.slice(0, end)) as { value?: unknown; error?: string };
      this.pending = this.pending.slice(end + 1);
      const call = this.waiting.shift()!;
      if (reply.error !== undefined) call.reject(new Error(reply.error));
      else call.resolve(reply.value);
    }
  }
}
