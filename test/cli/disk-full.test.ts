// A disk that fills up, or an output directory that cannot be written: the run stops with an
// error naming the file and the cause, exit 1, and no file appears under the output's name.
// The full disk is a 2 MiB tmpfs when this machine lets us mount one, else a file-size limit.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { tempDir } from "../helpers/h5py";

const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const dir = tempDir("h5dat-full-");
const inputs = path.join(dir, "inputs");
fs.mkdirSync(inputs);
// 40 incompressible files of 256 KiB: 10 MiB that cannot fit in 2 MiB however they are stored.
for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(inputs, `blob${String(i).padStart(2, "0")}.bin`), crypto.randomBytes(256 << 10));

/** A 2 MiB tmpfs, or null when mounting is not allowed here. */
function smallDisk(): string | null {
  const mountPoint = path.join(dir, "small");
  fs.mkdirSync(mountPoint);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint], { stdio: "ignore" });
    after(() => execFileSync("umount", [mountPoint], { stdio: "ignore" }));
    return mountPoint;
  } catch {
    return null;
  }
}

test("a full disk: exit 1, an error naming the .partial and the cause, no output file", () => {
  const disk = smallDisk();
  const output = path.join(disk ?? dir, "out.h5");
  const args = ["--import", "tsx", CLI, "convert", inputs, "-o", output, "--quiet", "--compression", "none"];
  // Without a mount, a 2 MiB limit on file size fails the writes the same way (EFBIG, not ENOSPC).
  const run = disk ? spawnSync(process.execPath, args, { encoding: "utf8" }) : spawnSync("prlimit", [`--fsize=${2 << 20}`, process.execPath, ...args], { encoding: "utf8" });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const cause = disk ? "no space left on device" : "file too large";
  assert.match(run.stderr, new RegExp(`cannot write '${output.replace(/[.]/g, "\\.")}\\.partial': ${cause}`));
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  assert.equal(fs.existsSync(output), false);
});

test("an output directory that does not exist or is not a directory: exit 1, naming the path", () => {
  for (const output of [path.join(dir, "missing", "out.h5"), path.join(inputs, "blob00.bin", "out.h5")]) {
    const run = spawnSync(process.execPath, ["--import", "tsx", CLI, "convert", inputs, "-o", output, "--quiet"], { encoding: "utf8" });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`^h5dat: .*'${path.dirname(output).replace(/[.]/g, "\\.")}`));
    assert.equal(fs.existsSync(output), false);
  }
});
