// sharp and ajv are loaded when first used, not at every start (src/lazily.ts): they were ~0.18 s
// of each CLI and worker start, which every shard task of a cluster run and every `h5dat ls`
// paid. Each run here reports, as it exits, which of them its process loaded; the runs that do
// decode a PNG or validate a config show that the report sees them when they are loaded.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, test } from "node:test";
import sharp from "sharp";
import { compiledCli } from "../helpers/compiled-cli";
import { tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-lazy-");
const REPORT = path.join(dir, "report-loaded.js");
const photos = path.join(dir, "photos");
const records = path.join(dir, "records");

interface Loaded {
  sharp: boolean;
  ajv: boolean;
}

/** Runs `h5dat <args>` with the report preloaded; returns what it loaded (and fails on a failed run). */
function loadedBy(...args: string[]): Loaded {
  const run = spawnSync(process.execPath, ["--require", REPORT, ...compiledCli(...args)], { encoding: "utf8" });
  assert.equal(run.status, 0, `h5dat ${args.join(" ")}: ${run.stderr}`);
  const line = run.stderr.split("\n").find((l) => l.startsWith("LOADED "));
  assert.ok(line, `no report from h5dat ${args.join(" ")}: ${run.stderr}`);
  return JSON.parse(line.slice("LOADED ".length)) as Loaded;
}

before(async () => {
  fs.writeFileSync(REPORT, `process.on("exit", () => {
  const ids = Object.keys(require.cache);
  const has = (name) => ids.some((id) => id.includes("/node_modules/" + name + "/"));
  process.stderr.write("LOADED " + JSON.stringify({ sharp: has("sharp"), ajv: has("ajv") }) + "\\n");
});
`);
  fs.mkdirSync(photos);
  await sharp({ create: { width: 8, height: 6, channels: 3, background: { r: 10, g: 20, b: 30 } } }).png().toFile(path.join(photos, "a.png"));
  fs.mkdirSync(records);
  fs.writeFileSync(path.join(records, "rows.csv"), "id,name\n1,a\n2,b\n");
});

test("a JSON/CSV conversion, ls and --version load neither sharp nor ajv", () => {
  const out = path.join(dir, "records.h5");
  assert.deepEqual(loadedBy("--version"), { sharp: false, ajv: false });
  assert.deepEqual(loadedBy("convert", records, "-o", out, "--workers", "0"), { sharp: false, ajv: false });
  assert.deepEqual(loadedBy("ls", "-r", out), { sharp: false, ajv: false });
});

test("decoding a PNG loads sharp; a config file loads ajv", () => {
  assert.deepEqual(loadedBy("convert", photos, "-o", path.join(dir, "photos.h5"), "--workers", "0"), { sharp: true, ajv: false });
  const config = path.join(dir, "config.json");
  fs.writeFileSync(config, JSON.stringify({ workers: 0 }));
  assert.equal(loadedBy("convert", records, "-o", path.join(dir, "config.h5"), "--config", config).ajv, true);
});
