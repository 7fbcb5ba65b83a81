// The output lock: a live run's lock refuses another run (naming its pid); the lock of a run
// that is gone (kill -9), or whose pid now belongs to another process, is taken over.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { lockPathOf, OutputLock } from "../../src/convert/output-lock";
import { tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-lock-");

test("a live process's lock refuses, naming its pid; released, it is gone", async () => {
  const output = path.join(dir, "live.h5");
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  try {
    const started = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ")[19];
    fs.writeFileSync(lockPathOf(output), JSON.stringify({ pid: child.pid, started }));
    assert.throws(() => OutputLock.take(output), new RegExp(`is being written by another run \\(pid ${child.pid}\\)`));
    assert.ok(fs.existsSync(lockPathOf(output)), "a refused run removed the live run's lock");
  } finally {
    child.kill("SIGKILL");
  }
  await new Promise((resolve) => child.once("exit", resolve));
  // Now the process is gone: its lock is stale.
  const lock = OutputLock.take(output);
  assert.equal(JSON.parse(fs.readFileSync(lockPathOf(output), "utf8")).pid, process.pid);
  assert.ok(lock.isHeld());
  lock.release();
  assert.ok(!fs.existsSync(lockPathOf(output)));
});

test("a lock whose pid is alive but started at another time (a reused pid) is stale", () => {
  const output = path.join(dir, "reused.h5");
  fs.writeFileSync(lockPathOf(output), JSON.stringify({ pid: process.pid, started: "1" }));
  const lock = OutputLock.take(output);
  assert.ok(lock.isHeld());
  // A second take in the same process finds a live holder: itself.
  assert.throws(() => OutputLock.take(output), /is being written by another run/);
  lock.release();
});

test("a lock taken over by another run is not released by the first", () => {
  const output = path.join(dir, "taken.h5");
  const lock = OutputLock.take(output);
  const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
  fs.writeFileSync(lockPathOf(output), JSON.stringify({ pid: dead, started: "" }));
  assert.ok(!lock.isHeld());
  lock.release();
  assert.ok(fs.existsSync(lockPathOf(output)), "release() removed a lock that was not its own");
});
