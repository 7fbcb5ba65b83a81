// Two convert() calls at once in one process, with HDF5 calls on the JS thread meanwhile: every
// HDF5 call holds the one lock, so nothing races. (hdf5Version() once called H5get_libversion
// without it; with two conversions running that corrupted HDF5's free lists: double frees and
// segfaults within about 100 runs.) In a child process, so a crash fails the test, not the run.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import sharp from "sharp";
import { tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-concurrent-");
const CHILD = path.join(__dirname, "..", "fixtures", "concurrent-converts.ts");

test("two conversions at a time and HDF5 calls on the JS thread: 2 × 60 runs end, no crash", { timeout: 180_000 }, async () => {
  const input = path.join(dir, "photos");
  fs.mkdirSync(input);
  for (let i = 0; i < 40; i++) {
    const background = { r: (i * 5) % 256, g: 100, b: 200 };
    await sharp({ create: { width: 32 + i, height: 24, channels: 3, background } }).jpeg().toFile(path.join(input, `p${i}.jpg`));
  }
  const run = spawnSync(process.execPath, ["--import", "tsx", CHILD, input, dir, "60"], { encoding: "utf8", timeout: 170_000 });
  assert.equal(run.signal, null, `killed by ${run.signal}: ${run.stderr}`);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /done/);
});
