// A top-level input that does not exist is a usage error: the CLI exits 1 and convert() throws,
// naming the path, before any output (out.h5 or out.h5.partial) is created.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-missing-");
const present = path.join(dir, "present");
fs.mkdirSync(present);
fs.writeFileSync(path.join(present, "a.json"), "{\"a\": 1}");
const missing = path.join(dir, "no-such.zip");
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("the CLI exits 1 naming a missing input, and creates no output", () => {
  const output = path.join(dir, "cli.h5");
  const run = spawnSync(process.execPath, ["--import", "tsx", CLI, "convert", present, missing, "-o", output], { encoding: "utf8" });
  assert.equal(run.status, 1, run.stderr);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, new RegExp(`^h5dat: cannot read input '${escaped(missing)}': no such file or directory \\(nothing was written\\)\\n$`));
  assert.deepEqual(fs.readdirSync(dir).filter((name) => name.startsWith("cli.h5")), []);
});

test("convert() throws naming every missing input, before creating the file", async () => {
  const output = path.join(dir, "api.h5");
  const other = path.join(present, "a.json", "inside");
  await assert.rejects(convert([missing, present, other], { output, workers: 0 }), (error: Error) => {
    assert.match(error.message, new RegExp(`^cannot read inputs '${escaped(missing)}': no such file or directory; `));
    assert.match(error.message, new RegExp(`; '${escaped(other)}': a part of the path is not a directory \\(nothing was written\\)$`));
    return true;
  });
  assert.equal(fs.existsSync(output), false);
  assert.equal(fs.existsSync(`${output}.partial`), false);
  // The same call with the inputs that exist makes the file.
  const summary = await convert([present], { output, workers: 0 });
  assert.equal(summary.written, 1);
  assert.equal(fs.existsSync(output), true);
});
