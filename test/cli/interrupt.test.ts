// Stopping a conversion: through the API's signal, and with SIGINT / SIGTERM on the CLI. Nothing
// new is read, the entries in flight and the manifest are written, the file stays as .partial
// (h5py opens it, every manifest row's dataset is there), the exit code is 130 / 143.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-interrupt-");
const tree = path.join(dir, "many");
fs.mkdirSync(tree);
for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(tree, `r${String(i).padStart(4, "0")}.json`), JSON.stringify({ i, text: "x".repeat(200) }));

/** What h5py finds in a .partial: manifest rows, and whether each written row's dataset exists. */
function inspect(file: string): { rows: number; written: number; allThere: boolean } {
  return python(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
m = f["_h5dat/manifest"][()]
written = [r["target"].decode() for r in m if r["status"] == b"written"]
print(json.dumps({"rows": len(m), "written": len(written), "allThere": all(t in f for t in written)}))`, file);
}

test("an aborted run writes what is in flight and its manifest, and keeps the .partial", async () => {
  const output = path.join(dir, "api.h5");
  const controller = new AbortController();
  const events = new EventEmitter();
  let seen = 0;
  events.on("entry", () => {
    if (++seen === 50) controller.abort();
  });
  const summary = await convert([tree], { output, workers: 0, signal: controller.signal }, events);
  assert.equal(summary.interrupted, true);
  assert.equal(summary.output, `${output}.partial`);
  assert.ok(summary.entries >= 50 && summary.entries < 3000, String(summary.entries));
  assert.equal(fs.existsSync(output), false);
  const found = inspect(summary.output);
  assert.deepEqual(found, { rows: summary.entries, written: summary.written, allThere: true });
});

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  test(`${signal} on the CLI: exit ${code}, a readable .partial, no output`, async () => {
    const output = path.join(dir, `${signal}.h5`);
    const cli = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
    const child = spawn(process.execPath, ["--import", "tsx", cli, "convert", tree, "-o", output, "--workers", "0", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // Signal once the run is under way: its .partial exists.
    while (!fs.existsSync(`${output}.partial`)) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    child.kill(signal);
    const exit = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    assert.equal(exit, code, stderr);
    assert.match(stderr, new RegExp(`${signal}: finishing the entries in flight`));
    const summary = JSON.parse(stdout);
    assert.equal(summary.interrupted, true);
    assert.ok(summary.entries < 3000);
    assert.equal(fs.existsSync(output), false);
    assert.deepEqual(inspect(`${output}.partial`), { rows: summary.entries, written: summary.written, allThere: true });
  });
}

test("Ctrl-C in a terminal (SIGINT to the whole process group) stops the writer, not its workers; --resume completes", async () => {
  const output = path.join(dir, "group.h5");
  const cli = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
  const args = ["--import", "tsx", cli, "convert", tree, "-o", output, "--workers", "2", "--json"];
  // detached: the CLI leads its own process group, as a shell's foreground job does.
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  // Signal once both workers run (they start with the first entry) and have entries in hand.
  const children = () => fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  while (!fs.existsSync(`${output}.partial`) || children().length < 2) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 500));
  process.kill(-child.pid!, "SIGINT");
  const exit = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  assert.equal(exit, 130, stderr);
  const summary = JSON.parse(stdout);
  assert.equal(summary.interrupted, true);
  assert.ok(summary.entries < 3000, String(summary.entries));
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  assert.doesNotMatch(stderr, /worker/);
  assert.deepEqual(inspect(`${output}.partial`), { rows: summary.entries, written: summary.written, allThere: true });

  const resumed = spawnSync(process.execPath, [...args.slice(0, -1), "--resume", "--json"], { encoding: "utf8" });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.equal(JSON.parse(resumed.stdout).resumed, summary.entries);
  const rows = python<{ rows: number; sources: number; written: number; targets: number }>(`import h5py, json, sys
m = h5py.File(sys.argv[1], "r")["_h5dat/manifest"][()]
print(json.dumps({"rows": len(m), "sources": len({r["source_path"] for r in m}), "written": int((m["status"] == b"written").sum()), "targets": len({r["target"] for r in m})}))`, output);
  assert.deepEqual(rows, { rows: 3000, sources: 3000, written: 3000, targets: 3000 });
});
