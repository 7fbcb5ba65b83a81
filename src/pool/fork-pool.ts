// A pool of forked worker processes that prepare entries (decode images, parse JSON and CSV), so
// that work uses every core while the parent alone writes HDF5. A worker that crashes or exceeds
// the timeout is replaced; the task it was running fails with the cause, and the tasks sent to it
// with that one go back to the queue. The pool goes on, unless workers die one after another
// without finishing anything (they cannot start, say): then it stops, and every task fails with
// the cause instead of the pool respawning workers forever.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fs from "node:fs";
import type { Prepared, PrepareTask } from "../processors/prepare";
import type { WorkReply, WorkRequest } from "./messages";
import { workerEnvironment } from "./memory";
import { SHARED_DIR_ENV } from "./pixel-files";
import { makeSharedDir, removeSharedDir, takePixels } from "./shared-pixels";
import { messageOf } from "../error-message";

/** How many workers, and how long one task may take. */
export interface ForkPoolOptions {
  /** Worker processes (default 2). */
  size?: number;
  /** A task running longer than this kills its worker (default 120 s). */
  timeoutMs?: number;
  /** Tasks sent to a worker in one message at most (batch_chunk_size; default 1). */
  batchSize?: number;
}

interface Task {
  id: number;
  task: PrepareTask;
  resolve: (result: Prepared) => void;
  reject: (error: Error) => void;
}

interface Worker {
  process: ChildProcess;
  /** Tasks sent to it and not answered yet, in the order it runs them. */
  running: Task[];
  /** Timer of its current (first) task. */
  timer: NodeJS.Timeout | null;
  /** Why the pool killed it, when it did. */
  killedFor: string | null;
  /** Its pixel files this process has unmapped, to tell it with the next tasks. */
  reusable: string[];
}

/** For sends to a worker: without a callback, a failed send is an 'error' event that nobody handles. */
function ignoreSendError(): void {}

/** Workers dying one after another, with no task finished in between, before the pool gives up. */
const MAX_DEATHS_IN_A_ROW = 5;

// Compiled, the worker is worker.js beside this file; run from source (tests, tsx) it is
// worker.ts and needs tsx in the child too.
const WORKER_SCRIPT = path.join(__dirname, path.extname(__filename) === ".ts" ? "worker.ts" : "worker.js");
// Run from source, workers load TypeScript through tsx, named by its path: `--import tsx` would
// resolve from the working directory, which may be anywhere (a Slurm job's, a pod's).
const WORKER_EXEC_ARGV = path.extname(__filename) === ".ts" ? ["--import", pathToFileURL(require.resolve("tsx")).href] : [];

/** The workers' peak RSS in MB: summed (as if they had all peaked at once: an upper bound of what they held together), and the largest one's. */
export interface WorkerPeaks {
  summedMb: number;
  largestMb: number;
}

/** Worker processes that prepare entries (decode, parse) off the writer's thread. */
export class ForkPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers that died since a task last finished; at MAX_DEATHS_IN_A_ROW the pool gives up. */
  private deathsInARow = 0;
  /** Why the pool gave up, once it has. */
  private broken: Error | null = null;
  readonly size: number;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  /** Where workers leave decoded pixels for this process to map (null: through the pipe). */
  private readonly sharedDir = makeSharedDir();

  constructor(options: ForkPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? 2);
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.batchSize = Math.max(1, options.batchSize ?? 1);
    for (let i = 0; i < this.size; i++) this.workers.push(this.spawn());
  }

  /** Runs `task` in a worker. */
  run(task: PrepareTask): Promise<Prepared> {
    if (this.closed) return Promise.reject(new Error("the worker pool is closed"));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  /** Process ids of the workers (for diagnostics). */
  pids(): number[] {
    return this.workers.map((w) => w.process.pid ?? -1);
  }

  /** Ends the workers; queued tasks fail. Returns their peak RSS. */
  async close(): Promise<WorkerPeaks> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error("the worker pool closed"));
    const peaks = await Promise.all(this.workers.map((worker) => this.peakRssKb(worker)));
    await Promise.all(
      this.workers.map((worker) => new Promise<void>((done) => {
        if (worker.process.exitCode !== null || worker.process.signalCode !== null) return done();
        worker.process.once("exit", () => done());
        worker.process.kill();
      })),
    );
    removeSharedDir(this.sharedDir);
    return { summedMb: peaks.reduce((sum, kb) => sum + kb, 0) / 1024, largestMb: Math.max(0, ...peaks) / 1024 };
  }

  /** A live, idle worker's peak RSS (0 when it cannot say within a second). */
  private peakRssKb(worker: Worker): Promise<number> {
    if (!worker.process.connected || worker.running.length > 0) return Promise.resolve(0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(0), 1000);
      const onMessage = (reply: WorkReply) => {
        if ("peakRssKb" in reply) finish(reply.peakRssKb);
      };
      const finish = (kb: number) => {
        clearTimeout(timer);
        worker.process.off("message", onMessage);
        resolve(kb);
      };
      worker.process.on("message", onMessage);
      worker.process.send({ peakRss: true } satisfies WorkRequest, ignoreSendError);
    });
  }

  private spawn(): Worker {
    const env = { ...workerEnvironment(), ...(this.sharedDir ? { [SHARED_DIR_ENV]: this.sharedDir } : {}) };
    // detached: each worker leads its own session, so a terminal's Ctrl-C (sent to the whole
    // foreground process group) reaches only this process, which decides: it stops taking entries
    // and lets the workers finish the ones in flight. A worker exits when this process's IPC
    // channel closes (worker.ts), so it never outlives the writer, even one killed with SIGKILL.
    const child = fork(WORKER_SCRIPT, [], { serialization: "advanced", execArgv: WORKER_EXEC_ARGV, env, stdio: ["ignore", "ignore", "inherit", "ipc"], detached: true });
    const worker: Worker = { process: child, running: [], timer: null, killedFor: null, reusable: [] };
    child.on("message", (reply: WorkReply) => {
      const task = worker.running[0];
      if (!("id" in reply) || !task || task.id !== reply.id) return;
      worker.running.shift();
      this.deathsInARow = 0;
      this.startTimer(worker);
      if (!reply.ok) task.reject(new Error(reply.message));
      else if (!reply.shared) task.resolve(reply.result);
      else {
        try {
          takePixels(reply.result, reply.shared, (file) => this.giveBack(worker, file));
          task.resolve(reply.result);
        } catch (error) {
          task.reject(new Error(`cannot take the decoded pixels from the worker: ${messageOf(error)}`));
        }
      }
      this.dispatch();
    });
    child.on("exit", (code, signal) => {
      this.stopTimer(worker);
      const [current, ...unstarted] = worker.running.splice(0);
      if (this.closed) return;
      if (this.broken) {
        for (const task of [current, ...unstarted]) task?.reject(this.broken);
        return;
      }
      const cause = worker.killedFor ?? `the worker preparing it died (${signal ? `signal ${signal}` : `exit code ${code}`})`;
      current?.reject(new Error(cause));
      // The others never ran: they go first in line again.
      this.queue.unshift(...unstarted);
      if (!worker.killedFor && ++this.deathsInARow >= MAX_DEATHS_IN_A_ROW) {
        this.broken = new Error(`the worker processes keep dying (${this.deathsInARow} in a row, the last: ${cause.replace(/^the worker preparing it died /, "")})`);
        for (const task of this.queue.splice(0)) task.reject(this.broken);
        return;
      }
      this.workers[this.workers.indexOf(worker)] = this.spawn();
      this.dispatch();
    });
    return worker;
  }

  /** Times the worker's current task, if any. */
  private startTimer(worker: Worker): void {
    this.stopTimer(worker);
    if (worker.running.length === 0) return;
    worker.timer = setTimeout(() => {
      worker.killedFor = `timed out after ${this.timeoutMs} ms`;
      worker.process.kill("SIGKILL");
    }, this.timeoutMs);
  }

  private stopTimer(worker: Worker): void {
    if (worker.timer) clearTimeout(worker.timer);
    worker.timer = null;
  }

  /** A pixel file back to the worker that wrote it; removed when that worker is gone. */
  private giveBack(worker: Worker, file: string): void {
    if (!this.closed && this.workers.includes(worker) && worker.process.connected) worker.reusable.push(file);
    else fs.rmSync(file, { force: true });
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      if (this.queue.length === 0) return;
      // A worker holds one task more than a batch: it starts the next as soon as it replies,
      // instead of idling while its reply reaches this process and the next task comes back.
      const room = this.batchSize + 1 - worker.running.length;
      if (room <= 0 || !worker.process.connected) continue;
      const tasks = this.queue.splice(0, Math.min(room, this.batchSize));
      worker.running.push(...tasks);
      if (worker.running.length === tasks.length) this.startTimer(worker);
      const reusable = worker.reusable.splice(0);
      // A worker dying just now cannot take them (EPIPE): its exit puts them back in the queue.
      worker.process.send({ tasks: tasks.map(({ id, task }) => ({ id, task })), ...(reusable.length > 0 && { reusable }) } satisfies WorkRequest, ignoreSendError);
    }
  }
}
