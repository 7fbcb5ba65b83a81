// convert --schema: rules route (templated targets), rename, change processor options, dtype,
// chunks and compression, skip with a reason, and quarantine records that fail their JSON
// Schema; declared groups get their attrs and the schema's text is kept in /_h5dat. Every case
// is checked with h5py.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import sharp from "sharp";
import { convert } from "../../src";
import { loadSchema } from "../../src/schema";
import { PY_RAGGED, python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-convert-schema-");
const data = path.join(dir, "data");
const SCHEMA = {
  description: "sample rules",
  groups: { "/": { attrs: { title: "a sample" } }, "/data": { attrs: { license: "CC0", version: 3 } } },
  rules: [
    { match: "**/*.tmp", skip: true, reason: "scratch files are not data" },
    { match: "train/**/*.png", target: "/training/{dir}/{stem}_{index:3}", dtype: "float32", compression: "gzip:6", chunks: [4, 8, 3] },
    { match: "meta/*.json", records: { type: "object", required: ["id"], properties: { id: { type: "integer" } } } },
    { match: "events.jsonl", records: { $ref: "#/definitions/event" } },
    { match: "table.txt", processor: "csv", options: { delimiter: ";" }, records: { type: "object", properties: { name: { type: "string", minLength: 1 } } } },
  ],
  definitions: { event: { type: "object", required: ["kind"] } },
};

async function setUp(): Promise<string> {
  fs.mkdirSync(path.join(data, "train", "cats"), { recursive: true });
  fs.mkdirSync(path.join(data, "meta"), { recursive: true });
  const pixels = Buffer.from(Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 7) % 256));
  await sharp(pixels, { raw: { width: 8, height: 8, channels: 3 } }).png().toFile(path.join(data, "train", "cats", "c1.png"));
  fs.writeFileSync(path.join(data, "meta", "ok.json"), '{"id": 1, "n": 12345678901234567890}');
  fs.writeFileSync(path.join(data, "meta", "bad.json"), '{"name": "no id"}');
  fs.writeFileSync(path.join(data, "meta", "list.json"), '[{"id": 1}, {"id": "two"}, {"id": 3}]');
  fs.writeFileSync(path.join(data, "events.jsonl"), '{"kind": "a"}\n{"nokind": 1}\n\n{"kind": "c"}\n');
  fs.writeFileSync(path.join(data, "table.txt"), "name;score\nann;1.5\n;2\nbob;3\n");
  fs.writeFileSync(path.join(data, "scratch.tmp"), "x");
  fs.writeFileSync(path.join(data, "other.json"), '{"free": true}');
  const file = path.join(dir, "schema.json");
  fs.writeFileSync(file, JSON.stringify(SCHEMA, null, 2));
  return file;
}

test("a schema routes, renames, retypes, skips and quarantines; h5py sees each case", async () => {
  const schemaFile = await setUp();
  const output = path.join(dir, "out.h5");
  // json "kv": the records are checked as pairs here (record tables: test/processors/record-table.test.ts).
  const summary = await convert([data], { output, workers: 0, json: "kv", schema: await loadSchema(schemaFile) });
  assert.deepEqual([summary.entries, summary.written, summary.skipped, summary.failed], [8, 6, 2, 0]);
  const seen = python<{
    root: string; data: Record<string, unknown>; schema: string;
    image: { path: string; dtype: string; chunks: number[]; level: number; first: number[] };
    json: Record<string, string[][]>; table: { name: string; score: number }[];
    quarantine: { source_path: string; index: number; record: string; error: string }[];
    manifest: Record<string, { status: string; target: string; message: string }>;
  }>(`${PY_RAGGED}
import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
def s(v): return v.decode() if isinstance(v, bytes) else v
img_path = [p for p in ("training/train/cats/c1_007",) if p in f][0]
img = f[img_path]
q = f["_h5dat/quarantine"][()]
m = f["_h5dat/manifest"][()]
print(json.dumps({
  "root": s(f.attrs["title"]),
  "data": {k: (v.item() if hasattr(v, "item") else s(v)) for k, v in f["data"].attrs.items()},
  "schema": s(f["_h5dat"].attrs["schema"]),
  "image": {"path": img_path, "dtype": str(img.dtype), "chunks": list(img.chunks), "level": img.compression_opts, "first": img[0, 0].tolist()},
  "json": {k: ragged(f["data/" + k]) for k in ("meta/ok.json", "meta/list.json", "events.jsonl", "other.json")},
  "table": [{"name": s(r["name"]), "score": float(r["score"])} for r in f["data/table.txt"][()]],
  "quarantine": [{"source_path": s(r["source_path"]), "index": int(r["index"]), "record": s(r["record"]), "error": s(r["error"])} for r in q],
  "manifest": {s(r["source_path"]): {"status": s(r["status"]), "target": s(r["target"]), "message": s(r["message"])} for r in m},
}))`, output);
  assert.equal(seen.root, "a sample");
  assert.deepEqual(seen.data, { license: "CC0", version: 3, source: data });
  assert.equal(seen.schema, fs.readFileSync(schemaFile, "utf8"));
  // Routed and retyped: float32 values of the PNG's pixels, the rule's chunks and gzip level.
  assert.deepEqual(seen.image, { path: "training/train/cats/c1_007", dtype: "float32", chunks: [4, 8, 3], level: 6, first: [0, 7, 14] });
  // Records: the failing ones are out of the datasets and in the quarantine, with ajv's error.
  assert.deepEqual(seen.json["meta/ok.json"], [["/id", "1"], ["/n", "12345678901234567890"]]);
  assert.deepEqual(seen.json["meta/list.json"], [["/0/id", "1"], ["/1/id", "3"]]);
  assert.deepEqual(seen.json["events.jsonl"], [["/0/kind", '"a"'], ["/1/kind", '"c"']]);
  assert.deepEqual(seen.json["other.json"], [["/free", "true"]]);
  assert.deepEqual(seen.table, [{ name: "ann", score: 1.5 }, { name: "bob", score: 3 }]);
  const q = seen.quarantine.map((r) => [r.source_path, r.index, JSON.parse(r.record)]);
  assert.deepEqual(q.sort(), [
    ["events.jsonl", 1, { nokind: 1 }],
    ["meta/bad.json", 0, { name: "no id" }],
    ["meta/list.json", 1, { id: "two" }],
    ["table.txt", 1, { name: "", score: 2 }],
  ].sort());
  assert.ok(seen.quarantine.every((r) => r.error.length > 0));
  assert.match(seen.quarantine.find((r) => r.source_path === "meta/list.json")!.error, /id must be integer/);
  // The manifest: skipped with the rule's reason, the quarantine counted in messages.
  assert.deepEqual(seen.manifest["scratch.tmp"], { status: "skipped", target: "", message: "scratch files are not data" });
  assert.equal(seen.manifest["meta/bad.json"].status, "skipped");
  assert.match(seen.manifest["meta/bad.json"].message, /^1 of 1 records quarantined \(\/_h5dat\/quarantine\): record 0: .*id/);
  assert.match(seen.manifest["meta/list.json"].message, /^1 of 3 records quarantined/);
  assert.equal(seen.manifest["train/cats/c1.png"].target, "/training/train/cats/c1_007");
  assert.equal(seen.manifest["other.json"].message, "");
});

test("the CLI rejects a schema that is not valid: exit 1, naming the file and the bad key", () => {
  const bad = path.join(dir, "bad-schema.json");
  fs.writeFileSync(bad, JSON.stringify({ rules: [{ match: "*.json", records: { type: "nope" } }] }));
  const cli = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
  const run = spawnSync(process.execPath, ["--import", "tsx", cli, "convert", data, "-o", path.join(dir, "x.h5"), "--schema", bad], { encoding: "utf8" });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /bad-schema\.json/);
  assert.match(run.stderr, /rules\/0\/records/);
  assert.equal(fs.existsSync(path.join(dir, "x.h5")), false);
});
