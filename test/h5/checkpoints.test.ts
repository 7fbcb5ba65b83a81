// Files opened with { checkpoints: true }: a process killed between flushes leaves the file as
// the last flush made it (h5py reads exactly that state), including when the kill comes in the
// middle of a flush; an interrupted flush's complete journal is finished by the next open, an
// incomplete one dropped.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { File } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-checkpoints-");
const ROOT = path.join(__dirname, "..", "..");

/**
 * Runs, in a child process: checkpoint 1 (datasets a, b, c, attr v=1), then changes (a
 * rewritten, b deleted, d..z added, v=2, enough to make HDF5 write metadata), then checkpoint
 * 2 unless `flushes` is 1, then more changes, then SIGKILL.
 */
function killedWriter(file: string, flushes: 1 | 2, env: NodeJS.ProcessEnv = {}): number | null {
  const script = `
const { File } = require(${JSON.stringify(path.join(ROOT, "src"))});
(async () => {
  const f = await File.open(${JSON.stringify(file)}, "w", { checkpoints: true });
  for (const name of ["a", "b", "c"]) await (await f.createDataset(name, { data: new Int32Array(1000).fill(name.charCodeAt(0)), chunks: [100], compression: "gzip", maxshape: [null] })).close();
  await f.attrs.set("v", 1);
  await f.flush();
  const a = await f.dataset("a");
  await a.write(new Int32Array(1000).fill(7));
  await a.close();
  await f.delete("b");
  for (let i = 0; i < 200; i++) await (await f.createDataset("g/d" + i, { data: new Float64Array(50).fill(i) })).close();
  await f.attrs.set("v", 2);
  if (${flushes} === 2) {
    await f.flush();
    await f.attrs.set("v", 3);
    await (await f.createDataset("after", { data: new Int8Array(10) })).close();
  }
  process.kill(process.pid, "SIGKILL");
})();`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8", env: { ...process.env, ...env } });
  return run.status ?? (run.signal === "SIGKILL" ? 137 : null);
}

/** What h5py sees: the attr v, the datasets (first value of each), the number under g. */
function state(file: string): { v: number; values: Record<string, number>; g: number } {
  return python(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
values = {k: int(f[k][0]) for k in f if isinstance(f[k], h5py.Dataset)}
print(json.dumps({"v": int(f.attrs["v"]), "values": values, "g": len(f["g"]) if "g" in f else 0}))`, file);
}

const CHECKPOINT_1 = { v: 1, values: { a: 97, b: 98, c: 99 }, g: 0 };
const CHECKPOINT_2 = { v: 2, values: { a: 7, c: 99 }, g: 200 };

test("killed after one flush: h5py reads exactly the flushed state", () => {
  const file = path.join(dir, "one.h5");
  assert.equal(killedWriter(file, 1), 137);
  assert.deepEqual(state(file), CHECKPOINT_1);
});

test("killed after a second flush: the second flush's state", () => {
  const file = path.join(dir, "two.h5");
  assert.equal(killedWriter(file, 2), 137);
  assert.deepEqual(state(file), CHECKPOINT_2);
});

test("killed between a flush's journal and its writes: the file is still the first flush's; the next open finishes the second", async () => {
  const file = path.join(dir, "journal.h5");
  assert.equal(killedWriter(file, 2, { H5DAT_TEST_CRASH_AFTER_JOURNAL: "2" }), 86);
  assert.ok(fs.existsSync(`${file}.journal`));
  assert.deepEqual(state(file), CHECKPOINT_1);
  const copy = path.join(dir, "journal-copy.h5");
  fs.copyFileSync(file, copy);
  fs.copyFileSync(`${file}.journal`, `${copy}.journal`);

  await (await File.open(file, "r")).close();
  assert.equal(fs.existsSync(`${file}.journal`), false);
  assert.deepEqual(state(file), CHECKPOINT_2);

  // A journal cut short (the crash came while it was written) is dropped: the file stays.
  const journal = fs.readFileSync(`${copy}.journal`);
  fs.writeFileSync(`${copy}.journal`, journal.subarray(0, journal.length - 3));
  await (await File.open(copy, "r+")).close();
  assert.equal(fs.existsSync(`${copy}.journal`), false);
  assert.deepEqual(state(copy), CHECKPOINT_1);
});

test("a checkpointed file closed normally is complete, with no journal left", async () => {
  const file = path.join(dir, "closed.h5");
  const f = await File.open(file, "w", { checkpoints: true });
  await (await f.createDataset("x", { data: new Int32Array(100).fill(5) })).close();
  await f.attrs.set("v", 1);
  await f.flush();
  const x = await f.dataset("x");
  await x.write(new Int32Array(100).fill(6));
  await x.close();
  await f.close();
  assert.equal(fs.existsSync(`${file}.journal`), false);
  assert.deepEqual(state(file).values, { x: 6 });
});
