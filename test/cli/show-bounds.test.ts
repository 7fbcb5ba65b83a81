// `show` previews fit the terminal: every line is cut to its width (100 columns when stdout is
// no terminal) and a preview to a fixed number of lines, saying what was cut. What is shown is
// the data's start, as h5py reads it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { cutLine, firstLines, previewBounds, wrapItems, wrapText, DEFAULT_WIDTH, PREVIEW_LINES } from "../../src/cli/preview-bounds";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-show-bounds-");
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const show = (file: string, ...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, "show", file, ...args], { encoding: "utf8" });
const width = (line: string) => [...line].length;

const arrays = path.join(dir, "arrays.h5");
python(`import h5py, sys, numpy as np
with h5py.File(sys.argv[1], "w") as f:
    f["cube"] = np.random.default_rng(1).random((50, 60, 70))
    f.attrs["long"] = "z" * 5000
    g = f.create_group("many")
    for i in range(100): g[f"m{i:03}"] = [i]
print("[]")`, arrays);

test("an array's preview: lines within 100 columns, at most 20 of them plus what was not shown; the values h5py reads", () => {
  const run = show(arrays, "/cube");
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  assert.ok(lines.every((line) => width(line) <= DEFAULT_WIDTH), lines.find((line) => width(line) > DEFAULT_WIDTH));
  const preview = lines.slice(1);
  assert.equal(preview.length, PREVIEW_LINES + 1);
  const shown = preview.slice(0, -1).join(" ").replace(/[[\]]/g, "").split(",").map((v) => v.trim()).filter((v) => v !== "").map(Number);
  const [read, rest] = preview.at(-1)!.match(/^… ([\d,]+) more of the ([\d,]+) values read \(50 along the first axis\)$/)!.slice(1).map((n) => Number(n.replace(/,/g, "")));
  assert.equal(shown.length + read, rest);
  const h5py = python<number[]>(`import h5py, sys, json; print(json.dumps(h5py.File(sys.argv[1], "r")["cube"][()].ravel()[:${shown.length}].tolist()))`, arrays);
  assert.deepEqual(shown, h5py);
});

test("a long attribute is cut to the width, saying how much; a group lists 20 members and how many more", () => {
  const run = show(arrays, "/");
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  const long = lines.find((line) => line.startsWith("  @long = "))!;
  assert.match(long, /^ {2}@long = "z+ … \(([\d,]+) more characters\)$/);
  assert.equal(width(long), DEFAULT_WIDTH);
  const members = show(arrays, "/many").stdout.trimEnd().split("\n").slice(1);
  assert.equal(members.length, PREVIEW_LINES + 1);
  members.slice(0, -1).forEach((line, i) => assert.match(line, new RegExp(`^/many/m${String(i).padStart(3, "0")} +dataset int64 \\[1\\]`)));
  assert.equal(members.at(-1), "… 80 more members");
});

test("--rows 7 of a JSON Lines dataset: seven documents, a line each within the width, and how many more", async () => {
  const jsonl = path.join(dir, "events.jsonl");
  fs.writeFileSync(jsonl, Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: i, text: "x".repeat(300), values: Array.from({ length: 50 }, (_, k) => k) })).join("\n") + "\n");
  const output = path.join(dir, "events.h5");
  await convert([jsonl], { output, workers: 0 });
  const run = show(output, "/events.jsonl", "--rows", "7");
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.stdout.length < 2500, `${run.stdout.length} characters`);
  const preview = run.stdout.trimEnd().split("\n").filter((line) => !line.startsWith("  @")).slice(1);
  assert.equal(preview.length, 8);
  preview.slice(0, 7).forEach((line, i) => assert.match(line, new RegExp(`^\\{"id":${i},"text":"x+ … \\([\\d,]+ more characters\\)$`)));
  assert.ok(preview.every((line) => width(line) <= DEFAULT_WIDTH));
  assert.equal(preview[7], "… 1,993 more documents (2,000 in all)");
  const json = JSON.parse(show(output, "/events.jsonl", "--rows", "2", "--json").stdout).preview;
  assert.deepEqual([json.documents.map((d: string) => JSON.parse(d).id), json.length], [[0, 1], 2000]);
});

test("a table shows --rows rows, each cut to the width, and how many more", async () => {
  const csv = path.join(dir, "wide.csv");
  fs.writeFileSync(csv, `a,b\n${Array.from({ length: 100 }, (_, i) => `${i},${"w".repeat(200)}`).join("\n")}\n`);
  const output = path.join(dir, "wide.h5");
  await convert([csv], { output, workers: 0 });
  const preview = show(output, "/wide.csv", "--rows", "3").stdout.trimEnd().split("\n").filter((line) => !line.startsWith("  @")).slice(1);
  assert.equal(preview.length, 5);
  assert.equal(preview[0], "a,b");
  preview.slice(1, 4).forEach((line, i) => assert.match(line, new RegExp(`^${i},w+ … \\(1[\\d,]+ more characters\\)$`)));
  assert.equal(preview[4], "… 97 more rows (100 in all)");
});

test("the bounds: the terminal's columns on a TTY, 100 otherwise; cuts say what they cut", () => {
  assert.deepEqual(previewBounds({ isTTY: true, columns: 60 }), { width: 60, lines: PREVIEW_LINES });
  assert.deepEqual(previewBounds({ isTTY: false, columns: 60 }), { width: 100, lines: PREVIEW_LINES });
  assert.equal(cutLine("short", 10), "short");
  assert.equal(cutLine("a".repeat(2000), 40), `${"a".repeat(20)} … (1,980 more characters)`);
  assert.deepEqual(wrapText("abcdefghij", { width: 3, lines: 2 }), ["abc", "def", "… (4 more characters)"]);
  assert.deepEqual(wrapItems(["1", "22", "333", "4444"], { width: 8, lines: 2 }), { lines: ["1, 22,", "333"], shown: 3 });
  assert.deepEqual(firstLines(["a", "b", "c"], 2, "rows"), ["a", "b", "… 1 more row"]);
});
