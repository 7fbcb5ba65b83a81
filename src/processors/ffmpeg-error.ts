// ffmpeg's failures as errors that carry its own words: its error lines (each kind once, file
// names replaced by the input's name), the end of its log, and what it told of the input.
import type { Banner, LogLine } from "./ffmpeg-log";

/** What a failed ffmpeg run told. */
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

/** What ffmpeg said and how it ended: the makings of its error. */
export interface FfmpegOutcome {
  /** Its error-level lines (newest last). */
  causes: LogLine[];
  /** Its warning and error lines (newest last). */
  notes: LogLine[];
  /** The end of its stderr. */
  tail: string;
  banner: Banner;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The error of a failed run on `input` (named by `name`, or by any of `aliases` in ffmpeg's lines). */
export function ffmpegError(input: { name: string; aliases: readonly string[] }, { causes, notes, tail, banner, code, signal }: FfmpegOutcome): FfmpegError {
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
