// Progress: convert reports how much of its input it has read (an archive's compressed bytes,
// a directory's file sizes), and the display turns that into a share and an ETA; a log (not a
// terminal) gets failed/skipped lines and periodic status lines.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { convert, type ConvertProgress } from "../../src/convert/convert";
import { formatDuration, showProgress } from "../../src/cli/progress";
import type { ManifestRow } from "../../src/writer/manifest";
import { makeTreeAndArchives } from "../helpers/archives";
import { tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-progress-");
const FILES: Record<string, string> = Object.fromEntries(
  Array.from({ length: 40 }, (_, i) => [`d${i % 3}/f${String(i).padStart(2, "0")}.json`, JSON.stringify({ i, text: "x".repeat(i * 500) })]),
);
makeTreeAndArchives(FILES, path.join(dir, "tree"), dir, "tree", ["tar.gz"]);

async function progressOf(input: string): Promise<ConvertProgress[]> {
  const events = new EventEmitter();
  const seen: ConvertProgress[] = [];
  events.on("entry", (_row: ManifestRow, progress: ConvertProgress) => seen.push(progress));
  await convert([input], { output: path.join(dir, "out.h5"), overwrite: true, workers: 0 }, events);
  return seen;
}

test("progress counts input bytes: an archive's compressed size, a directory's file sizes", async () => {
  const archive = path.join(dir, "tree.tar.gz");
  const directory = path.join(dir, "tree");
  const expectTotals: [string, number][] = [
    [archive, fs.statSync(archive).size],
    [directory, Object.values(FILES).reduce((sum, text) => sum + Buffer.byteLength(text), 0)],
  ];
  for (const [input, total] of expectTotals) {
    const seen = await progressOf(input);
    assert.equal(seen.length, Object.keys(FILES).length, input);
    assert.ok(seen.every((p) => p.inputBytesTotal === total), input);
    const read = seen.map((p) => p.inputBytesRead);
    assert.ok(read.every((r, i) => r > 0 && r <= total && (i === 0 || r >= read[i - 1])), `${input}: ${read.join(",")}`);
    assert.ok(read.at(-1)! > total / 2, input);
  }
});

test("a log gets a line per failed or skipped entry and status lines with the share read and an ETA", async () => {
  const events = new EventEmitter();
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const stop = showProgress(events, stream, 20);
  const row = (status: ManifestRow["status"], message = ""): ManifestRow => ({ source: "in.zip", source_path: "a/b.json", target: "", status, bytes: 1000, processor: "json", message });
  events.emit("entry", row("written"), { inputBytesRead: 250, inputBytesTotal: 1000 });
  events.emit("entry", row("failed", "unexpected token"), { inputBytesRead: 500, inputBytesTotal: 1000 });
  await sleep(80);
  stop();
  assert.match(text, /^failed: in\.zip: a\/b\.json: unexpected token$/m);
  assert.match(text, /^2 entries, [\d.]+\/s, 0\.0 MB, 1 failed, 50% of input read, ETA \d+s$/m);
});

test("durations read as seconds, minutes or hours", () => {
  assert.equal(formatDuration(42.4), "42s");
  assert.equal(formatDuration(185), "3m05s");
  assert.equal(formatDuration(3725), "1h02m");
  assert.equal(formatDuration(Infinity), "?");
});
