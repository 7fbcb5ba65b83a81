// ffmpeg as a child process, for the video and audio processors: runFfmpeg finds the binary
// (ffmpeg-binary.ts), makes the input ready for it (a file path, a pipe, or a temporary file:
// ffmpeg-input.ts), runs it (ffmpeg-process.ts) and cleans up, whatever happens.
import { ffmpegPath } from "./ffmpeg-binary";
import { openInput } from "./ffmpeg-input";
import { FfmpegProcess, type FfmpegJob, type FfmpegRun } from "./ffmpeg-process";

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

/**
 * Runs ffmpeg on `run.input` and hands the running job to `consume`, which reads its stdout.
 * Returns what `consume` returns. Whatever happens — `consume` throwing, ffmpeg failing, the
 * input's blocks failing, an abort — ffmpeg is killed if still running and any temporary file is
 * removed before this returns or throws.
 */
export async function runFfmpeg<T>(run: FfmpegRun, consume: (job: FfmpegJob) => Promise<T>): Promise<T> {
  const binary = ffmpegPath();
  run.signal?.throwIfAborted();
  const input = await openInput(run.input, run.signal);
  try {
    run.signal?.throwIfAborted();
    return await new FfmpegProcess(binary, input, run).consume(consume);
  } finally {
    await input.cleanup();
  }
}

/** Checks a numeric option: finite, and positive (or ≥ 0 with `zero`), integer when asked. */
export function checkOption(name: string, value: number | undefined, kind: { integer?: boolean; zero?: boolean } = {}): void {
  if (value === undefined) return;
  const ok = typeof value === "number" && Number.isFinite(value) && (kind.zero ? value >= 0 : value > 0) && (!kind.integer || Number.isInteger(value));
  if (!ok) throw new Error(`option ${name} must be a ${kind.integer ? "whole" : "finite"} number ${kind.zero ? "≥ 0" : "> 0"}, got ${String(value)}`);
}
