// What the CLI says about a run, in its own language: the flags to pass (not the API's option
// names), a missing file in plain words (not HDF5's C-call text), a finished file resumed (nothing
// to do), an --append run's own counts (apart from the file's), and every run of a file in info.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-run-messages-");
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const h5dat = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], { encoding: "utf8" });

const first = path.join(dir, "first");
const second = path.join(dir, "second");
for (const [folder, names] of [[first, ["a.txt", "b.txt", "c.txt"]], [second, ["d.txt", "e.txt"]]] as const) {
  fs.mkdirSync(folder);
  for (const name of names) fs.writeFileSync(path.join(folder, name), name);
}

test("an output that exists: the CLI names --overwrite and --append, the API its options", async () => {
  const output = path.join(dir, "exists.h5");
  assert.equal(h5dat("convert", "--quiet", "--workers", "0", first, "-o", output).status, 0);
  const run = h5dat("convert", "--quiet", "--workers", "0", first, "-o", output);
  assert.equal(run.status, 1);
  assert.equal(run.stderr, `h5dat: output '${output}' exists: pass --overwrite to replace it, or --append to add to it\n`);
  await assert.rejects(convert([first], { output, workers: 0 }), { message: `output '${output}' exists: pass overwrite: true to replace it, or append: true to add to it` });
  fs.writeFileSync(`${output}.partial`, "left by a run");
  assert.match(h5dat("convert", "--quiet", first, "-o", output).stderr, /is left from an interrupted run: pass --resume to continue it, or --overwrite to start again\n$/);
});

test("ls, show, info and export of a file that is not there say so, exit 1", () => {
  for (const args of [["ls", "nofile.h5"], ["show", "nofile.h5", "/"], ["info", "nofile.h5"], ["export", "nofile.h5", "-o", path.join(dir, "out")]]) {
    const run = h5dat(...args);
    assert.equal(run.status, 1, args.join(" "));
    assert.equal(run.stderr, "h5dat: no such file: nofile.h5\n", args.join(" "));
  }
  const folder = h5dat("ls", first);
  assert.equal(folder.status, 1);
  assert.equal(folder.stderr, `h5dat: ${first} is a directory, not an HDF5 file\n`);
});

test("--resume on a finished output says it is already complete, changes nothing, exits 0", () => {
  const output = path.join(dir, "done.h5");
  assert.equal(h5dat("convert", "--quiet", "--workers", "0", first, "-o", output).status, 0);
  const before = fs.readFileSync(output);
  const run = h5dat("convert", "--workers", "0", first, "-o", output, "--resume");
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, `${output} is already complete: nothing to resume (3 entries: 3 written, 0 kept as bytes, 0 skipped, 0 failed)\n`);
  assert.ok(fs.readFileSync(output).equals(before));
  assert.equal(JSON.parse(h5dat("convert", first, "-o", output, "--resume", "--json").stdout).alreadyComplete, true);
});

test("--append reports this run's counts, and the file's apart; info lists every run", () => {
  const output = path.join(dir, "appended.h5");
  assert.equal(h5dat("convert", "--quiet", "--workers", "0", first, "-o", output).status, 0);
  const run = h5dat("convert", "--quiet", "--workers", "0", second, "-o", output, "--append");
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^this run: 2 entries: 2 written, 0 kept as bytes, 0 skipped, 0 failed\nin the file: 5 entries: 5 written, 0 kept as bytes, 0 skipped, 0 failed\n/);
  const third = h5dat("convert", "--json", "--workers", "0", first, "-o", output, "--append");
  assert.equal(third.status, 2, third.stderr); // first's names are taken: its entries fail
  const summary = JSON.parse(third.stdout);
  assert.deepEqual([summary.entries, summary.failed, summary.failures.length, summary.inFile], [3, 3, 3, { entries: 8, written: 5, keptAsBytes: 0, skipped: 0, failed: 3 }]);
  // h5py reads the same 8 manifest rows the file's counts came from.
  assert.equal(python<number>(`import h5py, sys; print(len(h5py.File(sys.argv[1], "r")["_h5dat/manifest"]))`, output), 8);

  const report = JSON.parse(h5dat("info", "--json", output).stdout);
  assert.deepEqual(report.runs.map((r: { command: string }) => r.command), [
    `h5dat convert --quiet --workers 0 ${first} -o ${output}`,
    `h5dat convert --quiet --workers 0 ${second} -o ${output} --append`,
    `h5dat convert --json --workers 0 ${first} -o ${output} --append`,
  ]);
  assert.ok(report.runs.every((r: { started: string }) => !Number.isNaN(Date.parse(r.started))));
  const text = h5dat("info", output).stdout;
  assert.match(text, new RegExp(`^runs: 3\\n {2}\\S+ {2}h5dat convert --quiet --workers 0 \\S+first -o \\S+\\n {2}\\S+ {2}h5dat convert .*second .*--append\\n {2}\\S+ {2}h5dat convert --json .*--append$`, "m"));
});
