// One ffmpeg child process, its state in one place: feeding it its input (through stdin, with
// backpressure), reading its raw output from stdout (with backpressure), and what it tells on
// stderr (ffmpeg-log.ts): the dump gives codec, size, frame rate, sample rate and channels in the
// same pass that decodes, and its error lines give the cause of a failure. It is never left
// running: it is killed when anything goes wrong, and when its consumer is done.
import { spawn, type ChildProcess } from "node:child_process";
import type { Writable } from "node:stream";
import { ffmpegError } from "./ffmpeg-error";
import type { FfmpegInput, MediaInput } from "./ffmpeg-input";
import { BannerParser, isErrorLevel, parseLogLine, type Banner, type LogLevel, type LogLine } from "./ffmpeg-log";

/** What to run ffmpeg on, and how. */
export interface FfmpegRun {
  input: MediaInput;
  /**
   * Start decoding at this time (seconds): `-ss` before `-i` for a file (a fast seek, then frames
   * up to the time decoded and dropped), after it for a pipe (decoded and dropped from the start:
   * an input seek on a pipe loses the frames of some containers, e.g. mkv). Both give the same
   * frames.
   */
  start?: number;
  /** Arguments after `-i <input>`, ending with the output ("pipe:1"). */
  outputArgs: string[];
  strict?: boolean;
  signal?: AbortSignal;
}

/** A running ffmpeg, as its consumer sees it. */
export interface FfmpegJob {
  /**
   * ffmpeg's stdout, chunk by chunk; ffmpeg waits while the consumer does (backpressure). When
   * ffmpeg fails, iterating throws its error (FfmpegError, or the error of the input's blocks, or
   * the abort reason) once stdout is done — so a consumer that writes what it reads throws before
   * it finishes anything.
   */
  readonly stdout: AsyncIterable<Buffer>;
  /** The dump parsed so far. */
  readonly banner: Banner;
  /** Resolves when the output streams are known (their dump line was read), or ffmpeg is done. */
  outputReady(): Promise<void>;
  /** The input's name for messages. */
  readonly name: string;
  /** Warning and error lines so far (newest last, at most 50). */
  readonly notes: LogLine[];
}

/** How long ffmpeg may go on after logging an error (strict mode) before it is killed: its next lines often say more. */
const ERROR_GRACE_MS = 250;
/** stderr kept for messages. */
const LOG_TAIL_BYTES = 64 * 1024;
/** Warning and error lines kept. */
const KEPT_LINES = 50;

/** ffmpeg's number syntax for an option value (no exponent). */
export const ffNumber = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(6).replace(/0+$/, ""));

/** ffmpeg's command line for `run` on `input`. */
function ffmpegArgs(input: FfmpegInput, run: FfmpegRun): string[] {
  return [
    "-hide_banner", // the version and build lines only: the Input/Output dump stays
    "-nostats",
    "-loglevel", "level+info",
    ...(input.stdin ? [] : ["-nostdin"]),
    ...(run.start && !input.stdin ? ["-ss", ffNumber(run.start)] : []),
    "-i", input.arg,
    ...(run.start && input.stdin ? ["-ss", ffNumber(run.start)] : []),
    ...run.outputArgs,
  ];
}

/** ffmpeg running on one input, started by the constructor; `consume` reads it and ends it. */
export class FfmpegProcess {
  private readonly child: ChildProcess;
  private readonly strict: boolean;
  private readonly exited: Promise<void>;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private killedByUs = false;
  /** An error that is not ffmpeg's (the input's blocks, an abort, spawning): it wins. */
  private fatal: unknown = null;
  /** strict: ffmpeg logged an error. */
  private errorLogged = false;
  private graceTimer: NodeJS.Timeout | null = null;
  private readonly parser = new BannerParser();
  /** Warning and error lines (newest last). */
  private readonly notes: LogLine[] = [];
  /** Error lines (newest last). */
  private readonly causes: LogLine[] = [];
  /** The end of stderr. */
  private tail = "";
  /** stderr's last line, until its end comes. */
  private partial = "";
  /** The level of the line before (a continued line has none of its own). */
  private level: LogLevel = "info";
  private outputKnown = false;
  private readonly readyWaiters: (() => void)[] = [];
  private readonly stderrDone: Promise<void>;
  private feeding: Promise<void> = Promise.resolve();
  private readonly onAbort = () => this.fail(this.run.signal?.reason ?? new Error("aborted"));

  constructor(binary: string, private readonly input: FfmpegInput, private readonly run: FfmpegRun) {
    this.strict = run.strict !== false;
    this.child = spawn(binary, ffmpegArgs(input, run), { stdio: [input.stdin ? "pipe" : "ignore", "pipe", "pipe"], windowsHide: true });
    this.exited = this.watchExit(binary);
    this.stderrDone = this.readStderr();
    void this.stderrDone.then(() => this.signalReady());
    void this.exited.then(() => this.signalReady());
    run.signal?.addEventListener("abort", this.onAbort, { once: true });
    if (input.stdin && this.child.stdin) this.feeding = this.feed(input.stdin, this.child.stdin);
  }

  /**
   * Hands the running job to `consume` and returns what it returns. Whatever happens — `consume`
   * throwing, ffmpeg failing, the input's blocks failing, an abort — ffmpeg is killed if still
   * running before this returns or throws.
   */
  async consume<T>(consume: (job: FfmpegJob) => Promise<T>): Promise<T> {
    try {
      const result = await consume(this.job());
      // The consumer is done, normally after the whole of stdout (which ends when ffmpeg exits).
      // One that stopped early has what it wanted: ffmpeg is stopped, and its complaints ignored.
      const stoppedEarly = this.exit === null;
      if (stoppedEarly) {
        this.child.stdout!.destroy();
        this.kill();
      }
      await this.settled();
      if (this.fatal) throw this.fatal;
      const error = this.failure();
      if (error && !stoppedEarly) throw error;
      return result;
    } catch (error) {
      if (this.fatal) throw this.fatal;
      throw error;
    } finally {
      await this.close();
    }
  }

  private job(): FfmpegJob {
    return {
      stdout: this.stdoutChunks(),
      banner: this.parser.banner,
      name: this.input.name,
      notes: this.notes,
      outputReady: () =>
        new Promise<void>((resolve) => {
          if (this.outputKnown || this.exit !== null || this.fatal) resolve();
          else this.readyWaiters.push(resolve);
        }),
    };
  }

  /** Stops everything this run started, and waits for it. */
  private async close(): Promise<void> {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.run.signal?.removeEventListener("abort", this.onAbort);
    this.child.stdout!.destroy();
    this.child.stdin?.destroy();
    this.kill();
    await this.exited;
    await this.feeding;
  }

  private watchExit(binary: string): Promise<void> {
    return new Promise<void>((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
      this.child.once("error", (error) => {
        this.fatal ??= new Error(`cannot run ffmpeg at '${binary}': ${error.message}`);
        if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid === undefined) {
          this.exit = { code: null, signal: null };
          resolve();
        }
      });
    });
  }

  private kill(): void {
    if (this.exit === null && this.child.exitCode === null && this.child.signalCode === null) {
      this.killedByUs = true;
      this.child.kill("SIGKILL");
    }
  }

  /** A failure that is not ffmpeg's: it is the run's error, and ffmpeg is stopped. */
  private fail(error: unknown): void {
    this.fatal ??= error;
    this.kill();
    this.signalReady();
  }

  private signalReady(): void {
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }

  /** stderr, parsed line by line, its tail kept; resolves at its end. */
  private readStderr(): Promise<void> {
    const stderr = this.child.stderr!;
    return new Promise<void>((resolve) => {
      stderr.setEncoding("utf8");
      stderr.on("data", (text: string) => {
        this.tail = (this.tail + text).slice(-LOG_TAIL_BYTES);
        const lines = (this.partial + text).split(/\r?\n|\r/);
        this.partial = lines.pop() ?? "";
        for (const line of lines) this.onLine(line);
      });
      stderr.once("close", () => {
        this.onLine(this.partial);
        this.partial = "";
        resolve();
      });
    });
  }

  private onLine(raw: string): void {
    if (raw === "") return;
    const line = parseLogLine(raw, this.level);
    this.level = line.level;
    if (line.level === "info") {
      this.parser.line(line.text);
      if (!this.outputKnown && this.parser.banner.output.streams.length > 0) {
        this.outputKnown = true;
        this.signalReady();
      }
      return;
    }
    if (line.level !== "warning" && !isErrorLevel(line.level)) return;
    keep(this.notes, line);
    if (!isErrorLevel(line.level) || this.killedByUs) return;
    keep(this.causes, line);
    if (this.strict && !this.errorLogged) {
      this.errorLogged = true;
      // Its next lines often say more ("moov atom not found", then "Invalid data found..."):
      // a moment to write them, then it stops.
      this.graceTimer = setTimeout(() => this.kill(), ERROR_GRACE_MS);
    }
  }

  /** The input's blocks to stdin, with backpressure; ffmpeg may stop reading early (EPIPE). */
  private async feed(blocks: AsyncIterable<Uint8Array>, stdin: Writable): Promise<void> {
    let closed = false;
    let wake: (() => void) | null = null;
    const onClosed = () => {
      closed = true;
      wake?.();
    };
    stdin.on("error", onClosed); // EPIPE: ffmpeg has what it wants, or failed (its exit says)
    stdin.on("close", onClosed);
    stdin.on("drain", () => wake?.());
    try {
      for await (const block of blocks) {
        if (closed || this.fatal) break;
        if (!stdin.write(block)) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (closed) resolve();
          });
          wake = null;
        }
        if (closed || this.fatal) break;
      }
    } catch (error) {
      this.fail(error); // the source broke: that is the cause, not what ffmpeg says of the cut input
    } finally {
      if (!closed) stdin.end();
    }
  }

  private async settled(): Promise<void> {
    await this.exited;
    await this.stderrDone;
  }

  /** Why the run failed, once ffmpeg is done; null when it did not. */
  private failure(): unknown {
    if (this.fatal) return this.fatal;
    const code = this.exit?.code ?? null;
    const failed = (code !== null && code !== 0) || (this.exit?.signal && !this.killedByUs) || (this.strict && this.errorLogged);
    if (!failed) return null;
    return ffmpegError(this.input, { causes: this.causes, notes: this.notes, tail: this.tail, banner: this.parser.banner, code, signal: this.exit?.signal ?? null });
  }

  private async *stdoutChunks(): AsyncGenerator<Buffer> {
    for await (const chunk of this.child.stdout!) {
      // After a failure ffmpeg's output is drained (so it can write its last lines) and dropped.
      if (this.fatal || this.errorLogged) continue;
      yield chunk as Buffer;
    }
    await this.settled();
    const error = this.failure();
    if (error) throw error;
  }
}

/** Adds `line` to `lines`, keeping the newest KEPT_LINES. */
function keep(lines: LogLine[], line: LogLine): void {
  lines.push(line);
  if (lines.length > KEPT_LINES) lines.shift();
}
