// Progress: convert reports how much of its input it has read (an archive's compressed bytes,
// a directory's file sizes), and the display turns that into a share and an ETA; a log (not a
// terminal) gets failed/skipped lines and periodic status lines.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { convert } from "../../src/convert/convert";
import type { ConvertProgress } from "../../src/convert/results";
import { formatDuration, showProgress } from "../../src/cli/progress";
import type { ManifestRow } from "../../src/output/manifest";
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
  // No ETA yet: the run is younger than the warm-up (input-rate.ts).
  assert.match(text, /^2 entries, [\d.]+\/s, 0\.0 MB, 1 failed, 50% of input read, ETA \?$/m);
});

test("durations read as seconds, minutes or hours", () => {
  assert.equal(formatDuration(42.4), "42s");
  assert.equal(formatDuration(185), "3m05s");
  assert.equal(formatDuration(3725), "1h02m");
  assert.equal(formatDuration(Infinity), "?");
  assert.equal(formatDuration(undefined), "?");
});

/**
 * The lines a terminal shows after `raw`: CR returns to column 0, ESC[2K erases the line, ESC[K
 * erases to its end, LF starts the next line, other escapes change nothing on screen.
 */
function screenOf(raw: string): string[] {
  const lines: string[][] = [[]];
  let column = 0;
  for (let i = 0; i < raw.length; i++) {
    const line = lines[lines.length - 1];
    const c = raw[i];
    if (c === "\r") column = 0;
    else if (c === "\n") {
      lines.push([]);
      column = 0;
    } else if (c === "\x1b") {
      const escape = /^\x1b(\[[?0-9;]*[A-Za-z]|[78])/.exec(raw.slice(i))![0];
      if (escape === "\x1b[2K") line.length = 0;
      else if (escape === "\x1b[K" || escape === "\x1b[0K") line.length = column;
      i += escape.length - 1;
    } else line[column++] = c;
  }
  return lines.map((line) => Array.from(line, (c) => c ?? " ").join("").trimEnd());
}

const BAR_LINE = /\d+% ETA \S+ \| \d+ entries \|/;

test("on a terminal the bar is erased before any line is written, on its stream or another one", async () => {
  const events = new EventEmitter();
  const tty = (columns: number) => Object.assign(new PassThrough(), { isTTY: true, columns });
  const stderr = tty(60);
  const stdout = tty(60);
  let raw = "";
  stderr.on("data", (chunk: Buffer) => (raw += chunk.toString()));
  stdout.on("data", (chunk: Buffer) => (raw += chunk.toString()));
  const stop = showProgress(events, stderr, 20, [stdout, stderr]);
  const row = (status: ManifestRow["status"], message = ""): ManifestRow => ({ source: "in.zip", source_path: "a/".repeat(60) + "b.json", target: "", status, bytes: 1000, processor: "json", message });
  events.emit("entry", row("written"), { inputBytesRead: 250, inputBytesTotal: 1000 });
  await sleep(250);
  events.emit("entry", row("failed", "unexpected token"), { inputBytesRead: 500, inputBytesTotal: 1000 });
  await sleep(250);
  stdout.write("a warning from elsewhere\n");
  await sleep(250);
  stop();
  stdout.write("the summary\n");
  const bars = raw.split("\x1b[2K").filter((part) => BAR_LINE.test(part));
  assert.ok(bars.length >= 2, JSON.stringify(raw));
  // The bar never wraps: it fits the 60 columns, the path cut from the left.
  assert.ok(bars.every((bar) => bar.replace(/^\r/, "").replace(/\r$/, "").length <= 59), JSON.stringify(bars));
  for (const message of ["failed: in.zip", "a warning from elsewhere", "the summary"]) {
    const at = raw.indexOf(message);
    assert.ok(raw.slice(0, at).endsWith("\r\x1b[2K"), `${message}: ${JSON.stringify(raw.slice(Math.max(0, at - 80), at))}`);
  }
  assert.deepEqual(screenOf(raw), [`failed: in.zip: ${"a/".repeat(60)}b.json: unexpected token`, "a warning from elsewhere", "the summary", ""]);
});

const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const many = path.join(dir, "many");
fs.mkdirSync(many);
for (let i = 0; i < 4000; i++) fs.writeFileSync(path.join(many, `r${String(i).padStart(4, "0")}.json`), JSON.stringify({ i, text: "x".repeat(300) }));
fs.writeFileSync(path.join(many, "r2000-broken.json"), "{broken");

/** Runs `command` in a pseudo-terminal of 80 columns (util-linux `script`); returns what it showed. */
function inTerminal(command: string): string {
  const log = path.join(dir, `typescript-${Date.now()}`);
  // script runs the command with $SHELL; pin bash so job control and kill behave the same everywhere.
  const run = spawnSync("script", ["-qfec", `stty cols 80; ${command}`, log], { encoding: "utf8", env: { ...process.env, SHELL: "/bin/bash" } });
  assert.ok(run.status === 0 || run.status === 2 || run.status === 130, `${run.status}: ${run.stderr}`);
  const raw = fs.readFileSync(log, "utf8");
  // script's own first and last lines (Script started/done) are not the command's.
  return raw.slice(raw.indexOf("\n") + 1, raw.lastIndexOf("\nScript done") + 1).replace(/\r\n/g, "\n");
}

test("in a terminal the CLI's bar is erased before each entry line and the summary", () => {
  const output = path.join(dir, "tty.h5");
  // (--on-error fail: the broken entry fails, so a line is printed while the bar is shown.)
  const raw = inTerminal(`${process.execPath} --import tsx ${CLI} convert ${many} -o ${output} --workers 0 --on-error fail`);
  assert.match(raw, BAR_LINE);
  const screen = screenOf(raw).filter((line) => line !== "");
  assert.deepEqual(screen.slice(0, 2), [`failed: ${many}: r2000-broken.json: invalid JSON at line 1, column 2: expected a string key (found "b")`, "4001 entries: 4000 written, 0 kept as bytes, 0 skipped, 1 failed"]);
  assert.match(screen[2], /^[\d.]+ s, [\d.]+ files\/s/);
  assert.equal(screen.length, 4, screen.join("\n"));
  // Each starts on a line the bar was erased from, or on a new line (the bar not redrawn since).
  for (const message of ["failed: ", "4001 entries:"]) assert.match(raw.slice(0, raw.indexOf(message)), /(\r\x1b\[2K|\n)$/, message);
});

test("in a terminal, Ctrl-C's notice and the summary of the interrupted run start on clean lines", () => {
  const output = path.join(dir, "tty-int.h5");
  // With job control (set -m) the CLI is a job of its own process group; once the bar shows (the
  // run's .partial exists) the shell sends SIGINT to that whole group, as Ctrl-C does.
  const raw = inTerminal(`set -m; ${process.execPath} --import tsx ${CLI} convert ${many} -o ${output} --workers 2 & while [ ! -e ${output}.partial ]; do sleep 0.05; done; sleep 1; kill -INT -$!; wait $!`);
  const screen = screenOf(raw).filter((line) => line !== "");
  assert.ok(screen.every((line) => !BAR_LINE.test(line)), screen.join("\n"));
  assert.match(screen[0], /^SIGINT: finishing the entries in flight and the manifest \(again to quit at once\)$/);
  assert.match(screen.join("\n"), new RegExp(`^interrupted: the file is left as ${output}\\.partial \\(continue with --resume\\)$`, "m"));
  // The workers kept working: nothing failed.
  assert.match(screen.join("\n"), /^\d+ entries: \d+ written, \d+ kept as bytes, 0 skipped, 0 failed$/m);
});
