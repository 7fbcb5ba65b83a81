// Progress while converting: a live bar on a terminal (entries/s, bytes, failures so far), plain
// lines for skipped and failed entries everywhere, so logs of non-interactive runs stay readable.
import { SingleBar } from "cli-progress";
import type { EventEmitter } from "node:events";
import type { ManifestRow } from "../writer/manifest";

/** A manifest row as one line: `failed: photos.zip: train/x.jpg: cause`. */
export function entryLine(row: ManifestRow): string {
  return `${row.status}: ${row.source}${row.source_path ? `: ${row.source_path}` : ""}: ${row.message}`;
}

/** Shows progress for `events` on stderr; returns a function that ends the display. */
export function showProgress(events: EventEmitter, stream: NodeJS.WriteStream = process.stderr): () => void {
  const bar = stream.isTTY
    ? new SingleBar({ stream, format: "{value} entries | {rate}/s | {mb} MB | {failed} failed | {current}", hideCursor: true, clearOnComplete: true, fps: 5 }, undefined)
    : null;
  const started = performance.now();
  let entries = 0;
  let bytes = 0;
  let failed = 0;
  let payload = { rate: "0", mb: "0.0", failed: 0, current: "" };
  bar?.start(0, 0, payload);
  events.on("entry", (row: ManifestRow) => {
    entries++;
    bytes += row.bytes;
    if (row.status === "failed") failed++;
    const seconds = (performance.now() - started) / 1000;
    payload = { rate: (entries / seconds).toFixed(1), mb: (bytes / 1e6).toFixed(1), failed, current: row.source_path.slice(-40) };
    if (row.status !== "written") {
      // The line goes above the bar: stop it, write, start it again where it was.
      bar?.stop();
      stream.write(entryLine(row) + "\n");
      bar?.start(entries, entries, payload);
    }
    bar?.setTotal(entries);
    bar?.update(entries, payload);
  });
  return () => bar?.stop();
}
