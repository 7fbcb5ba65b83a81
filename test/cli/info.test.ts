// `h5dat info`: the manifest's counts by status and processor (entries kept as bytes apart), the
// kept entries and the failures with their messages,
// how the file was made; a file not made by convert says it has no manifest; a missing file exits 1.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-info-");
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const info = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, "info", ...args], { encoding: "utf8" });

test("info --json counts the manifest by status and processor and lists failures", async () => {
  const tree = path.join(dir, "tree");
  fs.mkdirSync(tree);
  fs.writeFileSync(path.join(tree, "a.json"), '{"a": 1}');
  fs.writeFileSync(path.join(tree, "b.json"), "{broken");
  fs.writeFileSync(path.join(tree, "c.csv"), "x\n1\n");
  fs.writeFileSync(path.join(tree, "d.bin"), Buffer.from([1, 2, 3]));
  const output = path.join(dir, "out.h5");
  await convert([tree], { output, workers: 0, images: "encoded", command: "h5dat convert tree" });
  const run = info("--json", output);
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  // b.json is kept as its bytes (its processor failed): counted apart from clean writes.
  assert.deepEqual(report.entries, { total: 4, written: 3, keptAsBytes: 1, skipped: 0, failed: 0, byProcessor: { json: { written: 1, "kept as bytes": 1 }, csv: { written: 1 }, bytes: { written: 1 } } });
  assert.deepEqual(report.kept.map((row: { source_path: string }) => row.source_path), ["b.json"]);
  assert.match(report.kept[0].message, /^kept as bytes: .*line 1, column/);
  assert.equal(report.madeBy.command, "h5dat convert tree");
  assert.equal(report.madeBy.options.images, "encoded");
  assert.equal(report.size, fs.statSync(output).size);
  const text = info(output);
  assert.match(text.stdout, /^entries: 4 \(3 written, 1 kept as bytes, 0 skipped, 0 failed\)$/m);
  assert.match(text.stdout, /^kept as bytes:\n {2}written: .*tree: b\.json: kept as bytes: .*line 1, column/m);

  // With on_error "fail", b.json fails and is listed as a failure.
  const failing = path.join(dir, "failing.h5");
  await convert([tree], { output: failing, workers: 0, onError: "fail" });
  const failed = JSON.parse(info("--json", failing).stdout);
  assert.deepEqual([failed.entries.written, failed.entries.keptAsBytes, failed.entries.failed], [3, 0, 1]);
  assert.equal(failed.failures[0].source_path, "b.json");
  assert.match(failed.failures[0].message, /line 1, column/);
  assert.match(info(failing).stdout, /^entries: 4 \(3 written, 0 kept as bytes, 0 skipped, 1 failed\)$/m);
  assert.match(info(failing).stdout, /^  failed: .*tree: b\.json: .*line 1, column/m);
});

test("a file not made by convert has no manifest; a missing file exits 1", () => {
  const plain = path.join(dir, "plain.h5");
  python(`import h5py, sys
h5py.File(sys.argv[1], "w").create_dataset("x", data=[1, 2])
print("[]")`, plain);
  const run = info("--json", plain);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).entries, null);
  assert.match(info(plain).stdout, /no \/_h5dat\/manifest/);
  const missing = info(path.join(dir, "nope.h5"));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.h5/);
});
