// Progress while converting. On a terminal, a live bar: share of the input read, entries/s, MB,
// failures so far and an ETA. Elsewhere (logs, CI), a status line every STATUS_EVERY_MS. Skipped
// and failed entries are printed as lines in both cases, so a log says what happened to them.
import { SingleBar } from "cli-progress";
import type { EventEmitter } from "node:events";
import type { ConvertProgress } from "../convert/convert";
import type { ManifestRow } from "../writer/manifest";

/** How often a non-interactive run prints its status line. */
const STATUS_EVERY_MS = 10_000;

/** A manifest row as one line: `failed: photos.zip: train/x.jpg: cause`. */
export function entryLine(row: ManifestRow): string {
  return `${row.status}: ${row.source}${row.source_path ? `: ${row.source_path}` : ""}: ${row.message}`;
}

/** Seconds as `42s`, `3m05s` or `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Running totals of a conversion, and the numbers a progress display shows. */
class Tally {
  private readonly started = performance.now();
  entries = 0;
  bytes = 0;
  failed = 0;
  progress: ConvertProgress = { inputBytesRead: 0, inputBytesTotal: 0 };

  add(row: ManifestRow, progress: ConvertProgress): void {
    this.entries++;
    this.bytes += row.bytes;
    if (row.status === "failed") this.failed++;
    this.progress = progress;
  }

  /** The share of the input read, 0 to 100. */
  percent(): number {
    const { inputBytesRead, inputBytesTotal } = this.progress;
    return inputBytesTotal > 0 ? Math.min(100, (100 * inputBytesRead) / inputBytesTotal) : 0;
  }

  fields(): { rate: string; mb: string; failed: number; percent: string; left: string } {
    const seconds = (performance.now() - this.started) / 1000;
    const share = this.percent() / 100;
    return {
      rate: (this.entries / Math.max(seconds, 1e-3)).toFixed(1),
      mb: (this.bytes / 1e6).toFixed(1),
      failed: this.failed,
      percent: (share * 100).toFixed(0),
      // Input bytes are read at about the pace entries are converted (a bounded number of
      // entries are in flight), so the time left follows from the share read so far.
      left: share > 0 ? formatDuration((seconds * (1 - share)) / share) : "?",
    };
  }

  line(): string {
    const f = this.fields();
    return `${this.entries} entries, ${f.rate}/s, ${f.mb} MB, ${f.failed} failed, ${f.percent}% of input read, ETA ${f.left}`;
  }
}

/**
 * Shows progress for `events` on `stream` (stderr); returns a function that ends the display.
 * `statusEveryMs`: how often a non-terminal stream gets a status line.
 */
export function showProgress(events: EventEmitter, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr, statusEveryMs = STATUS_EVERY_MS): () => void {
  const tally = new Tally();
  const bar = stream.isTTY
    ? new SingleBar({ stream, format: "{bar} {percent}% | {entries} entries | {rate}/s | {mb} MB | {failed} failed | ETA {left} | {current}", hideCursor: true, clearOnComplete: true, fps: 5 }, undefined)
    : null;
  // The bar fills with input bytes read; entries are counted in the payload. (Payload names must
  // differ from cli-progress's own placeholders: its {eta} would replace ours.)
  const show = (current: string) => {
    const { inputBytesRead, inputBytesTotal } = tally.progress;
    const payload = { ...tally.fields(), entries: tally.entries, current };
    bar?.setTotal(Math.max(inputBytesTotal, 1));
    bar?.update(inputBytesRead, payload);
  };
  bar?.start(1, 0, { ...tally.fields(), entries: 0, current: "" });
  const status = bar ? null : setInterval(() => stream.write(tally.line() + "\n"), statusEveryMs);
  status?.unref();
  events.on("entry", (row: ManifestRow, progress: ConvertProgress) => {
    tally.add(row, progress);
    if (row.status !== "written") {
      // The line goes above the bar: stop it, write, start it again where it was.
      bar?.stop();
      stream.write(entryLine(row) + "\n");
      bar?.start(Math.max(progress.inputBytesTotal, 1), progress.inputBytesRead, { ...tally.fields(), entries: tally.entries, current: "" });
    }
    show(row.source_path.slice(-40));
  });
  return () => {
    if (status) clearInterval(status);
    bar?.stop();
  };
}
