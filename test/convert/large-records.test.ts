// A JSONL entry too large to hold (over 8 MiB) converts as it streams in, loose or inside a
// tar.gz: its columns widen mid-file (the rows written so far rewritten), and it reads back
// deep-equal; --json-layout kv (API json: "kv") keeps the pairs.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert, File, readBytes, readJSON } from "../../src";
import { tarOf } from "../helpers/archives";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-large-records-");
const ROWS = 90000;
const records = Array.from({ length: ROWS }, (_, i) => ({
  id: i,
  // int64 up to row 30,000, then floats: the column widens after blocks were written.
  v: i < 30000 ? i : i + 0.5,
  // One long outlier late in the file lengthens the field.
  s: i === 50000 ? "é".repeat(1500) : `event ${i} ${"lorem ipsum ".repeat(i % 13)}`,
  ...(i % 7 === 0 ? { n: null } : { n: { deep: i % 3 === 0 } }),
  tags: i % 5 === 0 ? [] : [i % 3, "t"],
}));
const text = records.map((r) => JSON.stringify(r)).join("\n") + "\n";
const loose = path.join(dir, "events.jsonl");
fs.writeFileSync(loose, text);
const tar = path.join(dir, "logs.tar.gz");
tarOf(tar, { "logs/events.jsonl": loose });

test("a JSONL over 8 MiB streams into a record table, widening mid-file, loose and from a tar.gz", async () => {
  assert.ok(text.length > 8 << 20, `${text.length} bytes`);
  const output = path.join(dir, "large.h5");
  const summary = await convert([loose, tar], { output });
  assert.deepEqual([summary.written, summary.failed], [2, 0]);
  const f = await File.open(output, "r");
  for (const target of ["/events.jsonl", "/logs/logs/events.jsonl"]) {
    const ds = await f.dataset(target);
    assert.equal(await ds.attrs.get("layout"), "records");
    assert.deepStrictEqual(await ds.attrs.get("column_kinds"), ["int64", "float64", "string", "null", "json", "bool"]);
    assert.deepStrictEqual(await readJSON(ds), records, target);
    assert.deepStrictEqual(await readJSON(ds, { rows: [29990, 30010] }), records.slice(29990, 30010));
    await ds.close();
  }
  assert.equal(await f.has("/events.jsonl.widening"), false);
  await f.close();
  const seen = python<{ dtype: string[]; row: unknown[] }>(
    "import h5py, json, sys; d = h5py.File(sys.argv[1])['events.jsonl']; r = d[50000]; print(json.dumps({'dtype': [d.dtype[i].str for i in range(len(d.dtype))], 'row': [int(r['id']), float(r['v']), r['s'].decode(), r['tags'].decode()]}))",
    output,
  );
  assert.deepEqual(seen, { dtype: ["<i8", "<f8", "|S4096", "|u1", "|S8", "|b1", "|V6"], row: [50000, 50000.5, "é".repeat(1500), "[]"] });
});

test("json: kv keeps a large JSONL as pairs", async () => {
  const output = path.join(dir, "kv.h5");
  await convert([loose], { output, json: "kv" });
  const f = await File.open(output, "r");
  // Pairs are a ragged string array: a group.
  const pairs = await f.group("/events.jsonl");
  assert.equal(await pairs.attrs.get("format"), "json-pointer-pairs");
  assert.equal(await pairs.attrs.get("layout"), "ragged-utf8");
  assert.deepStrictEqual(((await readJSON(pairs)) as unknown[]).slice(0, 100), records.slice(0, 100));
  await f.close();
});

test("a JSONL over 8 MiB with a bad line late is kept as its bytes, loose and from a tar.gz (read again from the file, or the copy made as it streamed)", async () => {
  const broken = path.join(dir, "broken.jsonl");
  const lines = text.split("\n");
  lines[80000] = '{"id": 80000, "v": ';
  fs.writeFileSync(broken, lines.join("\n"));
  const brokenTar = path.join(dir, "broken.tar.gz");
  tarOf(brokenTar, { "broken.jsonl": broken });
  const output = path.join(dir, "broken.h5");
  const summary = await convert([broken, brokenTar], { output });
  assert.deepEqual([summary.written, summary.failed, summary.kept.length], [0, 0, 2]);
  const f = await File.open(output, "r");
  for (const target of ["/broken.jsonl", "/broken/broken.jsonl"]) {
    const ds = await f.dataset(target);
    assert.equal(await ds.attrs.get("processor"), "bytes");
    assert.match(String(await ds.attrs.get("fallback_reason")), /line 80001/);
    assert.ok(Buffer.from(await readBytes(ds)).equals(fs.readFileSync(broken)), `${target} keeps the file's bytes`);
    await ds.close();
  }
  await f.close();
});
