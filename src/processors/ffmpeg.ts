// ffmpeg as a child process, for the video and audio processors: finding the binary, feeding it a
// file path or a stream of blocks (through stdin, or a temporary file when the container cannot
// be read from a pipe), reading its raw output from stdout with backpressure, and what it tells
// on stderr (ffmpeg-log.ts): the dump gives codec, size, frame rate, sample rate and channels in
// the same pass that decodes, and its error lines give the cause of a failure. An ffmpeg process
// is never left running: it is killed when anything goes wrong.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BannerParser, isErrorLevel, parseLogLine, type Banner, type LogLevel, type LogLine } from "./ffmpeg-log";

/**
 * What ffmpeg reads. `{ path }`: a file on disk (a loose file or a directory entry), read by
 * ffmpeg itself, no copy. `{ blocks, name }`: the content of an entry (of an archive), where
 * `blocks` yields the WHOLE content from its first byte; `name` (the entry's name) is used in
 * messages and for the temporary file's extension. `head`, optional, is a copy of the first bytes
 * (the caller's classification read them; ≥ 4 KiB, or all when shorter) and only serves to decide
 * between pipe and temporary file; without it the first blocks are looked at (up to 64 KiB).
 */
export type MediaInput = { path: string } | { blocks: AsyncIterable<Uint8Array>; name: string; head?: Uint8Array };

/** Options both media processors take. */
export interface FfmpegOptions {
  /**
   * Fail when ffmpeg logs an error, even if it exits with 0 — a truncated or corrupt file then
   * fails instead of giving the frames before the damage (default true). With false only a
   * failing exit (or no output) fails.
   */
  strict?: boolean;
  /** Aborting kills ffmpeg; the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

// ---------------------------------------------------------------------------------------------
// The binary

let located: string | null = null;

/**
 * The ffmpeg executable: $H5DAT_FFMPEG when set, else @ffmpeg-installer/ffmpeg's static build.
 * Throws a clear error (with the path) when it is missing or not executable.
 */
export function ffmpegPath(): string {
  if (located) return located;
  let candidate = process.env.H5DAT_FFMPEG;
  if (!candidate) {
    try {
      candidate = (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
    } catch (error) {
      throw new Error(`ffmpeg not found: the package @ffmpeg-installer/ffmpeg is not installed for this platform (${process.platform}-${process.arch}): ${(error as Error).message}`);
    }
  }
  try {
    if (!fs.statSync(candidate).isFile()) throw new Error("not a file");
    fs.accessSync(candidate, fs.constants.X_OK);
  } catch (error) {
    throw new Error(`ffmpeg at '${candidate}' is missing or not executable: ${(error as Error).message}`);
  }
  located = candidate;
  return candidate;
}

// ---------------------------------------------------------------------------------------------
// Errors

export interface FfmpegFailure {
  /** The input's name (a path, or the entry's name). */
  input: string;
  /** The error-level lines, file names replaced by the input's name (newest last). */
  causes: string[];
  /** The end of stderr (up to 64 KiB), as ffmpeg wrote it. */
  log: string;
  /** What the dump told before the failure (the input's streams, when it got that far). */
  banner: Banner;
  /** ffmpeg's exit code (null when it was killed). */
  exitCode: number | null;
}

/** ffmpeg failed: the message carries its own words (its error lines). */
export class FfmpegError extends Error {
  constructor(message: string, readonly failure: FfmpegFailure) {
    super(message);
    this.name = "FfmpegError";
  }
}

// ---------------------------------------------------------------------------------------------
// Pipe or temporary file?

const BOX_TYPES = new Set(["ftyp", "moov", "mdat", "free", "skip", "wide", "pnot", "uuid", "pdin", "styp", "sidx", "junk", "prfl", "meta"]);

/** MP3: an ID3v2 tag, or an MPEG audio layer III frame header, at the start. */
function isMp3(head: Uint8Array): boolean {
  if (head.length >= 3 && head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33) return true; // "ID3"
  return head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) === 0x02;
}

/**
 * True when ffmpeg must be given a file rather than a pipe, from the first bytes of the content:
 *
 * - ISO BMFF / QuickTime (mp4, mov, m4a, 3gp) whose `moov` atom is not known to come before
 *   `mdat`: ffmpeg cannot read those from a pipe at all (it would have to seek back). The
 *   top-level atoms (32-bit size + type, 64-bit sizes too) are walked as far as `head` goes;
 *   when it ends before `moov` or `mdat` is seen, the answer is true (the safe side).
 * - MP3 (ID3 tag or frame header first): from a pipe ffmpeg does not trim the encoder's padding
 *   at the end (the LAME tag's gapless info), so the samples would differ from the same file's.
 *
 * Anything else (faststart mp4, mkv, webm, avi, gif, mpeg-ts, wav, flac, ogg, or not media at
 * all) gives false: it is piped.
 */
export function needsSeekableInput(head: Uint8Array): boolean {
  if (isMp3(head)) return true;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const typeAt = (offset: number) => String.fromCharCode(...head.subarray(offset + 4, offset + 8));
  if (head.length < 8 || !BOX_TYPES.has(typeAt(0))) return false;
  let offset = 0;
  while (offset + 8 <= head.length) {
    const type = typeAt(offset);
    if (type === "moov") return false;
    if (type === "mdat") return true;
    let size = view.getUint32(offset);
    if (size === 1) {
      if (offset + 16 > head.length) return true;
      const large = view.getBigUint64(offset + 8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) return true;
      size = Number(large);
    }
    if (size < 8) return true; // 0: to the end of the file (no moov after it), or damaged
    offset += size;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Running ffmpeg

/** How long ffmpeg may go on after logging an error (strict mode) before it is killed: its next lines often say more. */
const ERROR_GRACE_MS = 250;
/** stderr kept for messages. */
const LOG_TAIL_BYTES = 64 * 1024;
/** Bytes of the first blocks looked at for the moov check when no `head` is given. */
const PEEK_BYTES = 64 * 1024;

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

interface PreparedInput {
  /** The argument after -i. */
  arg: string;
  /** What to write to stdin, when the input is a pipe. */
  stdin: AsyncIterable<Uint8Array> | null;
  name: string;
  /** File names to replace with `name` in messages. */
  aliases: string[];
  cleanup(): Promise<void>;
}

/** Temporary input files (mp4 with moov at the end, mp3) are made under this directory (os.tmpdir() at the time), in h5dat-media-*. */
export const tempRoot = () => os.tmpdir();

async function prepareInput(input: MediaInput, signal: AbortSignal | undefined): Promise<PreparedInput> {
  if ("path" in input) {
    const absolute = path.resolve(input.path);
    // "file:" keeps names with a colon ("a:b.mp4") or a protocol-like start from being a URL.
    return { arg: `file:${absolute}`, stdin: null, name: input.path, aliases: [`file:${absolute}`, absolute], cleanup: async () => undefined };
  }
  const iterator = input.blocks[Symbol.asyncIterator]();
  let finished = false;
  const peeked: Uint8Array[] = [];
  let head = input.head;
  try {
    if (!head) {
      let size = 0;
      while (size < PEEK_BYTES) {
        const next = await iterator.next();
        if (next.done) {
          finished = true;
          break;
        }
        peeked.push(next.value);
        size += next.value.length;
      }
      head = peeked.length === 1 ? peeked[0] : Buffer.concat(peeked);
    }
  } catch (error) {
    finished = true;
    throw error;
  }
  // The peeked blocks and then the rest; abandoning it gives the source's iterator back.
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      for (const block of peeked.splice(0)) yield block;
      while (!finished) {
        const next = await iterator.next();
        if (next.done) {
          finished = true;
          break;
        }
        yield next.value;
      }
    } finally {
      if (!finished) {
        finished = true;
        await iterator.return?.();
      }
    }
  }
  const release = async () => {
    if (!finished) {
      finished = true;
      await iterator.return?.();
    }
  };
  if (!needsSeekableInput(head)) {
    return { arg: "pipe:0", stdin: replay(), name: input.name, aliases: ["pipe:0"], cleanup: release };
  }
  // moov after mdat (or not seen): ffmpeg must seek, so the content goes to a temporary file.
  const dir = await fs.promises.mkdtemp(path.join(tempRoot(), "h5dat-media-"));
  const remove = async () => {
    await release().catch(() => undefined);
    await fs.promises.rm(dir, { recursive: true, force: true });
  };
  try {
    const extension = /\.[A-Za-z0-9]{1,8}$/.exec(input.name)?.[0].toLowerCase() ?? "";
    const file = path.join(dir, `input${extension}`);
    const handle = await fs.promises.open(file, "w");
    try {
      for await (const block of replay()) {
        signal?.throwIfAborted();
        await handle.write(block);
      }
    } finally {
      await handle.close();
    }
    return { arg: `file:${file}`, stdin: null, name: input.name, aliases: [`file:${file}`, file], cleanup: remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * Runs ffmpeg on `run.input` and hands the running job to `consume`, which reads its stdout.
 * Returns what `consume` returns. Whatever happens — `consume` throwing, ffmpeg failing, the
 * input's blocks failing, an abort — ffmpeg is killed if still running and any temporary file is
 * removed before this returns or throws.
 */
export async function runFfmpeg<T>(run: FfmpegRun, consume: (job: FfmpegJob) => Promise<T>): Promise<T> {
  const binary = ffmpegPath();
  run.signal?.throwIfAborted();
  const input = await prepareInput(run.input, run.signal);
  try {
    run.signal?.throwIfAborted();
    return await runPrepared(binary, input, run, consume);
  } finally {
    await input.cleanup();
  }
}

async function runPrepared<T>(binary: string, input: PreparedInput, run: FfmpegRun, consume: (job: FfmpegJob) => Promise<T>): Promise<T> {
  const strict = run.strict !== false;
  const args = [
    "-hide_banner", // the version and build lines only: the Input/Output dump stays
    "-nostats",
    "-loglevel", "level+info",
    ...(input.stdin ? [] : ["-nostdin"]),
    ...(run.start && !input.stdin ? ["-ss", ffNumber(run.start)] : []),
    "-i", input.arg,
    ...(run.start && input.stdin ? ["-ss", ffNumber(run.start)] : []),
    ...run.outputArgs,
  ];
  const child = spawn(binary, args, { stdio: [input.stdin ? "pipe" : "ignore", "pipe", "pipe"], windowsHide: true });
  const stdout = child.stdout!;
  const stderr = child.stderr!;

  // Process state.
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let killedByUs = false;
  /** An error that is not ffmpeg's (the input's blocks, an abort, spawning): it wins. */
  let fatal: unknown = null;
  /** strict: ffmpeg logged an error. */
  let errorLogged = false;
  let graceTimer: NodeJS.Timeout | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.once("error", (error) => {
      fatal ??= new Error(`cannot run ffmpeg at '${binary}': ${error.message}`);
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) {
        exit = { code: null, signal: null };
        resolve();
      }
    });
  });
  const kill = () => {
    if (exit === null && child.exitCode === null && child.signalCode === null) {
      killedByUs = true;
      child.kill("SIGKILL");
    }
  };

  // stderr: parsed line by line, its tail kept.
  const parser = new BannerParser();
  const notes: LogLine[] = [];
  const causes: LogLine[] = [];
  let tail = "";
  let partial = "";
  let level: LogLevel = "info";
  let outputKnown = false;
  const readyWaiters: (() => void)[] = [];
  const signalReady = () => {
    for (const waiter of readyWaiters.splice(0)) waiter();
  };
  const onLine = (raw: string) => {
    if (raw === "") return;
    const line = parseLogLine(raw, level);
    level = line.level;
    if (line.level === "info") {
      parser.line(line.text);
      if (!outputKnown && parser.banner.output.streams.length > 0) {
        outputKnown = true;
        signalReady();
      }
      return;
    }
    if (line.level !== "warning" && !isErrorLevel(line.level)) return;
    notes.push(line);
    if (notes.length > 50) notes.shift();
    if (isErrorLevel(line.level) && !killedByUs) {
      causes.push(line);
      if (causes.length > 50) causes.shift();
      if (strict && !errorLogged) {
        errorLogged = true;
        // Its next lines often say more ("moov atom not found", then "Invalid data found..."):
        // a moment to write them, then it stops.
        graceTimer = setTimeout(kill, ERROR_GRACE_MS);
      }
    }
  };
  const stderrDone = new Promise<void>((resolve) => {
    stderr.setEncoding("utf8");
    stderr.on("data", (text: string) => {
      tail = (tail + text).slice(-LOG_TAIL_BYTES);
      const lines = (partial + text).split(/\r?\n|\r/);
      partial = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
    stderr.once("close", () => {
      onLine(partial);
      partial = "";
      resolve();
    });
  });
  void stderrDone.then(signalReady);
  void exited.then(signalReady);

  const fail = (error: unknown) => {
    fatal ??= error;
    kill();
    signalReady();
  };
  const onAbort = () => fail(run.signal?.reason ?? new Error("aborted"));
  run.signal?.addEventListener("abort", onAbort, { once: true });

  // stdin: the input's blocks, with backpressure; ffmpeg may stop reading early (EPIPE).
  let feeding: Promise<void> = Promise.resolve();
  if (input.stdin && child.stdin) {
    const stdin = child.stdin;
    let closed = false;
    let wake: (() => void) | null = null;
    const onClosed = () => {
      closed = true;
      wake?.();
    };
    stdin.on("error", onClosed); // EPIPE: ffmpeg has what it wants, or failed (its exit says)
    stdin.on("close", onClosed);
    stdin.on("drain", () => wake?.());
    const blocks = input.stdin;
    feeding = (async () => {
      try {
        for await (const block of blocks) {
          if (closed || fatal) break;
          if (!stdin.write(block)) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              if (closed) resolve();
            });
            wake = null;
          }
          if (closed || fatal) break;
        }
      } catch (error) {
        fail(error); // the source broke: that is the cause, not what ffmpeg says of the cut input
      } finally {
        if (!closed) stdin.end();
      }
    })();
  }

  const settled = async () => {
    await exited;
    await stderrDone;
  };
  const failure = (): unknown => {
    if (fatal) return fatal;
    const code = exit?.code ?? null;
    const failed = (code !== null && code !== 0) || (exit?.signal && !killedByUs) || (strict && errorLogged);
    if (!failed) return null;
    return ffmpegError(input, causes, notes, tail, parser.banner, code, exit?.signal ?? null);
  };

  async function* stdoutChunks(): AsyncGenerator<Buffer> {
    for await (const chunk of stdout) {
      // After a failure ffmpeg's output is drained (so it can write its last lines) and dropped.
      if (fatal || errorLogged) continue;
      yield chunk as Buffer;
    }
    await settled();
    const error = failure();
    if (error) throw error;
  }

  const job: FfmpegJob = {
    stdout: stdoutChunks(),
    banner: parser.banner,
    name: input.name,
    notes,
    outputReady: () =>
      new Promise<void>((resolve) => {
        if (outputKnown || exit !== null || fatal) resolve();
        else readyWaiters.push(resolve);
      }),
  };
  try {
    const result = await consume(job);
    // The consumer is done, normally after the whole of stdout (which ends when ffmpeg exits).
    // One that stopped early has what it wanted: ffmpeg is stopped, and its complaints ignored.
    const stoppedEarly = exit === null;
    if (stoppedEarly) {
      stdout.destroy();
      kill();
    }
    await settled();
    if (fatal) throw fatal;
    const error = failure();
    if (error && !stoppedEarly) throw error;
    return result;
  } catch (error) {
    if (fatal) throw fatal;
    throw error;
  } finally {
    if (graceTimer) clearTimeout(graceTimer);
    run.signal?.removeEventListener("abort", onAbort);
    stdout.destroy();
    child.stdin?.destroy();
    kill();
    await exited;
    await feeding;
  }
}

function ffmpegError(input: PreparedInput, causes: LogLine[], notes: LogLine[], tail: string, banner: Banner, code: number | null, signal: NodeJS.Signals | null): FfmpegError {
  const clean = (text: string) => {
    let out = text.trim();
    for (const alias of input.aliases) out = out.split(`${alias}: `).join("").split(alias).join(input.name);
    return out;
  };
  // Each kind of line once (repeats differ only in offsets and counts), in the order they came:
  // the first ones tell the cause, the later ones what it led to. ffmpeg's hints on how to call
  // it are left out.
  const texts: string[] = [];
  const seen = new Set<string>();
  for (const line of causes) {
    const text = clean(line.text).replace(/\.$/, "");
    const key = text.replace(/0x[0-9a-fA-F]+|\d+/g, "#");
    if (text === "" || seen.has(key) || /^To ignore this, add a trailing/.test(text) || text === "Conversion failed!") continue;
    seen.add(key);
    texts.push(text);
  }
  let reasons = texts.slice(0, 5);
  if (reasons.length === 0) reasons = notes.slice(-3).map((n) => clean(n.text));
  if (reasons.length === 0) reasons = tail.trim().split(/\r?\n/).slice(-3).map(clean);
  const how = signal ? `was killed by ${signal}` : code !== null && code !== 0 ? `exited with code ${code}` : "reported errors";
  const message = `ffmpeg could not decode '${input.name}': ${reasons.join("; ") || how}${reasons.length > 0 && (code || signal) ? ` (ffmpeg ${how})` : ""}`;
  return new FfmpegError(message, { input: input.name, causes: texts, log: tail, banner, exitCode: code });
}

/** Checks a numeric option: finite, and positive (or ≥ 0 with `zero`), integer when asked. */
export function checkOption(name: string, value: number | undefined, kind: { integer?: boolean; zero?: boolean } = {}): void {
  if (value === undefined) return;
  const ok = typeof value === "number" && Number.isFinite(value) && (kind.zero ? value >= 0 : value > 0) && (!kind.integer || Number.isInteger(value));
  if (!ok) throw new Error(`option ${name} must be a ${kind.integer ? "whole" : "finite"} number ${kind.zero ? "≥ 0" : "> 0"}, got ${String(value)}`);
}

/** ffmpeg's number syntax for an option value (no exponent). */
export const ffNumber = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(6).replace(/0+$/, ""));
