// The --config file: validated by ajv against the shipped schema (unknown keys and wrong types
// rejected with their key path), printed by `h5dat config --schema`, and obeyed by convert.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { CONFIG_SCHEMA } from "../../src/config/config-schema";
import { ConfigError, checkConfig, loadConfig } from "../../src/config/load-config";
import { PY_RAGGED, python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-config-");
const main = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", main, ...args], { encoding: "utf8" });

test("a config with every key passes as it is", () => {
  const config = { image_extensions: ["jpg", "png"], video_extensions: ["mp4"], allowed_types: ["image", "application/json", "video/*"], batch_chunk_size: 8, batch_process_limit: 64, compression: "gzip:6", csv: "kv", workers: 2, on_error: "fail", truncated_images: true };
  assert.deepEqual(checkConfig(structuredClone(config)), config);
});

test("unknown keys, wrong types and bad values are rejected with their key paths", () => {
  const cases: [unknown, RegExp][] = [
    [{ allowed_type: ["image"] }, /\/: unknown key 'allowed_type'/],
    [{ batch_chunk_size: "8" }, /\/batch_chunk_size: must be integer/],
    [{ batch_process_limit: 0 }, /\/batch_process_limit: must be >= 1/],
    [{ image_extensions: ["jpg", 3] }, /\/image_extensions\/1: must be string/],
    [{ compression: "brotli" }, /\/compression: must match pattern/],
    [{ csv: "rows" }, /\/csv: must be equal to one of the allowed values/],
    [{ on_error: "bytes" }, /\/on_error: must be equal to one of the allowed values/],
    [{ truncated_images: "yes" }, /\/truncated_images: must be boolean/],
    [{ allowed_types: ["imagery"] }, /\/allowed_types: .*imagery/],
    [[], /\/: must be object/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => checkConfig(value, "c.json"), (e: unknown) => e instanceof ConfigError && message.test(e.message) && e.message.includes("c.json"), JSON.stringify(value));
  }
});

test("a config file that is missing or not JSON fails naming the file", () => {
  assert.throws(() => loadConfig(path.join(dir, "none.json")), /cannot read config '.*none\.json': no such file/);
  const broken = path.join(dir, "broken.json");
  fs.writeFileSync(broken, "{ not json");
  assert.throws(() => loadConfig(broken), /config '.*broken\.json' is not valid JSON/);
});

test("`h5dat config --schema` prints the schema; convert --config obeys allowed_types and csv", () => {
  const printed = cli("config", "--schema");
  assert.equal(printed.status, 0, printed.stderr);
  assert.deepEqual(JSON.parse(printed.stdout), JSON.parse(JSON.stringify(CONFIG_SCHEMA)));

  const input = path.join(dir, "in");
  fs.mkdirSync(input);
  fs.writeFileSync(path.join(input, "a.json"), '{"x": 1}');
  fs.writeFileSync(path.join(input, "t.csv"), "a,b\n1,2\n");
  fs.writeFileSync(path.join(input, "notes.txt"), "text");
  const config = path.join(dir, "config.json");
  fs.writeFileSync(config, JSON.stringify({ allowed_types: ["json", "text/csv"], csv: "kv" }));
  const output = path.join(dir, "out.h5");
  const run = cli("convert", input, "-o", output, "--config", config, "--json");
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual([JSON.parse(run.stdout).written, JSON.parse(run.stdout).skipped], [2, 1]);
  const seen = python<{ rows: string[][]; csv: string[][] }>(`${PY_RAGGED}
import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
rows = [[r["source_path"].decode(), r["status"].decode(), r["message"].decode()] for r in f["_h5dat/manifest"][()]]
print(json.dumps({"rows": sorted(rows), "csv": ragged(f["in/t.csv"])}))`, output);
  assert.deepEqual(seen.rows.map(([p, s]) => [p, s]), [["a.json", "written"], ["notes.txt", "skipped"], ["t.csv", "written"]]);
  assert.match(seen.rows[1][2], /not in allowed_types/);
  assert.deepEqual(seen.csv, [["1", "2"]]);

  const bad = cli("convert", input, "-o", path.join(dir, "never.h5"), "--config", path.join(dir, "broken.json"));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /is not valid JSON/);
  assert.ok(!fs.existsSync(path.join(dir, "never.h5")));
});
