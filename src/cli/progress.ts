// Progress while converting. On a terminal, a live bar: share of the input read, entries/s, MB,
// failures so far and an ETA. Elsewhere (logs, CI), a status line every STATUS_EVERY_MS. Skipped
// and failed entries are printed as lines in both cases, so a log says what happened to them.
// The bar is one line redrawn in place; anything else written to the terminal while it shows
// (entry lines, a warning, the Ctrl-C notice, the summary) first erases it, so every message
// starts on a clean line and the bar is drawn again below it.
import type { EventEmitter } from "node:events";
import type { ConvertProgress } from "../convert/results";
import type { ManifestRow } from "../output/manifest";
import { InputRate } from "./input-rate";
import { terminalText } from "./terminal-text";

/** How often a non-interactive run prints its status line. */
const STATUS_EVERY_MS = 10_000;
/** How often the bar is redrawn: often enough to look live, rarely enough to cost nothing. */
const REDRAW_EVERY_MS = 200;
/** Erases the current line and returns to its start (CR, then ECMA-48 "erase in line", all). */
export const ERASE_LINE = "\r\x1b[2K";
const BAR_WIDTH = 20;

/** A manifest row as one line: `failed: photos.zip: train/x.jpg: cause`, safe to print (terminalText). */
export function entryLine(row: ManifestRow): string {
  return terminalText(`${row.status}: ${row.source}${row.source_path ? `: ${row.source_path}` : ""}: ${row.message}`);
}

/** Seconds as `42s`, `3m05s` or `1h02m`. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

const nowSeconds = () => performance.now() / 1000;

/** Running totals of a conversion, and the numbers a progress display shows. */
class Tally {
  private readonly started = nowSeconds();
  private readonly rate = new InputRate(this.started);
  entries = 0;
  bytes = 0;
  failed = 0;
  current = "";
  progress: ConvertProgress = { inputBytesRead: 0, inputBytesTotal: 0 };

  add(row: ManifestRow, progress: ConvertProgress): void {
    this.entries++;
    this.bytes += row.bytes;
    if (row.status === "failed") this.failed++;
    this.progress = progress;
    this.current = terminalText(row.source_path);
    this.rate.add(progress.inputBytesRead, nowSeconds());
  }

  /** The share of the input read, 0 to 1. */
  share(): number {
    const { inputBytesRead, inputBytesTotal } = this.progress;
    return inputBytesTotal > 0 ? Math.min(1, inputBytesRead / inputBytesTotal) : 0;
  }

  fields(): { rate: string; mb: string; percent: string; left: string } {
    const now = nowSeconds();
    return {
      rate: (this.entries / Math.max(now - this.started, 1e-3)).toFixed(1),
      mb: (this.bytes / 1e6).toFixed(1),
      percent: (this.share() * 100).toFixed(0),
      // Input bytes are read at about the pace entries are converted (a bounded number of
      // entries are in flight), so the time left follows from the input's pace.
      left: formatDuration(this.rate.secondsLeft(this.progress.inputBytesTotal, now)),
    };
  }

  line(): string {
    const f = this.fields();
    return `${this.entries} entries, ${f.rate}/s, ${f.mb} MB, ${this.failed} failed, ${f.percent}% of input read, ETA ${f.left}`;
  }

  bar(columns: number): string {
    const f = this.fields();
    const filled = Math.round(this.share() * BAR_WIDTH);
    // Most wanted first: a narrow terminal cuts the end of the line.
    const line = `${"=".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)} ${f.percent}% ETA ${f.left} | ${this.entries} entries | ${this.failed} failed | ${f.rate}/s | ${f.mb} MB | `;
    // One line never wraps: a wrapped bar could not be erased with one line's erase.
    const room = Math.max(0, columns - 1 - line.length);
    return (line + (this.current.length > room ? this.current.slice(this.current.length - room) : this.current)).slice(0, Math.max(1, columns - 1));
  }
}

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
type Write = Stream["write"];

/** The live bar on a terminal, and the erasing of it before anything else is written. */
class TerminalBar {
  /** The line on screen, null when none is. */
  private drawn: string | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly restores: (() => void)[] = [];
  private readonly write: (text: string) => boolean;

  /** `shared`: streams writing to the same terminal (stdout, stderr) whose writes erase the bar first. */
  constructor(private readonly stream: Stream, private readonly tally: Tally, shared: Stream[]) {
    const own = stream.write;
    this.write = (text) => own.call(stream, text);
    for (const other of new Set([stream, ...shared])) {
      const original = other.write;
      other.write = ((...args: Parameters<Write>) => {
        this.erase();
        return (original as (...a: Parameters<Write>) => boolean).apply(other, args);
      }) as Write;
      this.restores.push(() => (other.write = original));
    }
    this.timer = setInterval(() => this.draw(), REDRAW_EVERY_MS);
    this.timer.unref();
    this.draw();
  }

  draw(): void {
    const line = this.tally.bar(this.stream.columns ?? 80);
    if (this.drawn === line) return;
    this.write(`${ERASE_LINE}${line}`);
    this.drawn = line;
  }

  erase(): void {
    if (this.drawn === null) return;
    this.drawn = null;
    this.write(ERASE_LINE);
  }

  stop(): void {
    clearInterval(this.timer);
    this.erase();
    for (const restore of this.restores.splice(0)) restore();
  }
}

/**
 * Shows progress for `events` on `stream` (stderr); returns a function that ends the display.
 * `statusEveryMs`: how often a non-terminal stream gets a status line. `shared`: other streams on
 * the same terminal, whose writes erase the bar first (default stdout and stderr).
 */
export function showProgress(events: EventEmitter, stream: Stream = process.stderr, statusEveryMs = STATUS_EVERY_MS, shared: Stream[] = [process.stdout, process.stderr]): () => void {
  const tally = new Tally();
  const bar = stream.isTTY ? new TerminalBar(stream, tally, shared.filter((s) => s.isTTY)) : null;
  const status = bar ? null : setInterval(() => stream.write(tally.line() + "\n"), statusEveryMs);
  status?.unref();
  events.on("entry", (row: ManifestRow, progress: ConvertProgress) => {
    tally.add(row, progress);
    // Written through the stream: on a terminal, the bar is erased first and redrawn below.
    if (row.status !== "written") stream.write(entryLine(row) + "\n");
  });
  return () => {
    if (status) clearInterval(status);
    bar?.stop();
  };
}
