// A pool of forked worker processes that decode images, so decoding uses every core while the
// parent alone writes HDF5. A worker that crashes or exceeds the timeout is replaced, and its
// task fails with the cause; the pool goes on.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { DecodedImage, ImageOptions } from "../processors/image";
import type { DecodeReply, DecodeRequest } from "./messages";

export interface ForkPoolOptions {
  /** Worker processes (default 2). */
  size?: number;
  /** A task running longer than this kills its worker (default 120 s). */
  timeoutMs?: number;
}

interface Task {
  request: DecodeRequest;
  resolve: (image: DecodedImage) => void;
  reject: (error: Error) => void;
}

interface Worker {
  process: ChildProcess;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

// Compiled, the worker is worker.js beside this file; run from source (tests, tsx) it is
// worker.ts and needs tsx in the child too.
const WORKER_SCRIPT = path.join(__dirname, path.extname(__filename) === ".ts" ? "worker.ts" : "worker.js");
const WORKER_EXEC_ARGV = path.extname(__filename) === ".ts" ? ["--import", "tsx"] : [];

export class ForkPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  private readonly timeoutMs: number;

  constructor(options: ForkPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? 2);
    this.timeoutMs = options.timeoutMs ?? 120_000;
    for (let i = 0; i < this.size; i++) this.workers.push(this.spawn());
  }

  /** Decodes an image in a worker. */
  decodeImage(bytes: Uint8Array, options: ImageOptions = {}): Promise<DecodedImage> {
    if (this.closed) return Promise.reject(new Error("the worker pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, bytes, options }, resolve, reject });
      this.dispatch();
    });
  }

  /** Process ids of the workers (for diagnostics). */
  pids(): number[] {
    return this.workers.map((w) => w.process.pid ?? -1);
  }

  /** Ends the workers; queued tasks fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error("the worker pool closed"));
    await Promise.all(
      this.workers.map((worker) => new Promise<void>((done) => {
        if (worker.process.exitCode !== null || worker.process.signalCode !== null) return done();
        worker.process.once("exit", () => done());
        worker.process.kill();
      })),
    );
  }

  private spawn(): Worker {
    const child = fork(WORKER_SCRIPT, [], { serialization: "advanced", execArgv: WORKER_EXEC_ARGV, stdio: ["ignore", "ignore", "inherit", "ipc"] });
    const worker: Worker = { process: child, task: null, timer: null };
    child.on("message", (reply: DecodeReply) => {
      const task = worker.task;
      if (!task || task.request.id !== reply.id) return;
      this.finish(worker);
      if (reply.ok) task.resolve(reply.image);
      else task.reject(new Error(reply.message));
      this.dispatch();
    });
    child.on("exit", (code, signal) => {
      const task = worker.task;
      this.finish(worker);
      if (this.closed) return;
      task?.reject(new Error(`the worker decoding it died (${signal ? `signal ${signal}` : `exit code ${code}`})`));
      this.workers[this.workers.indexOf(worker)] = this.spawn();
      this.dispatch();
    });
    return worker;
  }

  private finish(worker: Worker): void {
    if (worker.timer) clearTimeout(worker.timer);
    worker.timer = null;
    worker.task = null;
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      if (this.queue.length === 0) return;
      if (worker.task || !worker.process.connected) continue;
      const task = this.queue.shift()!;
      worker.task = task;
      worker.timer = setTimeout(() => {
        const running = worker.task;
        this.finish(worker);
        running?.reject(new Error(`decoding timed out after ${this.timeoutMs} ms`));
        worker.process.kill("SIGKILL");
      }, this.timeoutMs);
      worker.process.send(task.request);
    }
  }
}
