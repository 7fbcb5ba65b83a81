// JSONL and JSON arrays of objects → one compound record table (processors/record-table.ts):
// written whole (as a worker prepares it) and block by block (as a large entry streams), read back
// deep-equal with readJSON, by row range, in blocks, and by h5py, which rebuilds each record from
// the fields, the mask and the attrs and compares it with json.loads of the source.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { File, readJSON, readJSONText, readRecordBlocks, readTable } from "../../src";
import type { Dataset } from "../../src/h5/dataset";
import type { Group } from "../../src/h5/group";
import { writeJson } from "../../src/processors/json";
import { prepareJsonEntry, writeJsonBlocks, writePreparedJsonEntry } from "../../src/processors/record-json";
import { jsonRecordsKind, RecordTableWriter } from "../../src/processors/record-writer";
import { python, tempDir } from "../helpers/h5py";

/** Each case: its source text, whether JSON Lines, and the layout it must get. */
const CASES: { name: string; text: string; jsonl: boolean; layout: "records" | "kv" }[] = [
  {
    name: "events",
    jsonl: true,
    layout: "records",
    text: [
      '{"ts":"2026-12-06T10:00:00Z","level":"INFO","user":{"id":1,"name":"Zoë 🚀"},"msg":"日本語","lat":1.5,"tags":["a","b"],"ok":true}',
      "",
      '{"ts":"2026-12-06T10:00:01Z","level":"WARN","user":{"id":2,"name":null},"msg":"quote\\" back\\\\ nl\\n","lat":2,"tags":[],"ok":false}',
      "   ",
      '{"ts":"2026-12-06T10:00:02Z","user":{"id":9007199254740993},"lat":null,"extra":{"deep":{"x":1}},"ok":true}\r',
    ].join("\n"),
  },
  {
    name: "big_numbers",
    jsonl: true,
    layout: "records",
    text: ['{"n":1,"f":0.5}', '{"n":12345678901234567890123,"f":1e400}', '{"n":-9223372036854775808,"f":0.1000000000000000055511151231257827}', '{"n":9223372036854775807,"f":-0.0}'].join("\n"),
  },
  {
    name: "type_changes",
    jsonl: true,
    layout: "records",
    text: ['{"a":1,"b":1,"c":"x","d":true}', '{"a":2.5,"b":"1","c":5,"d":1}', '{"a":3,"b":{"n":1},"c":[1],"d":null}', '{"b":{}}'].join("\n"),
  },
  {
    name: "misfits",
    jsonl: true,
    layout: "records",
    text: ['{"a":1}', "5", '"text"', "[1,{\"x\":2}]", "null", '{"a":2,"__proto__":{"p":1},"a.b":3,"a\\u0000":"\\u0000"}', "{}"].join("\n"),
  },
  {
    name: "ragged",
    jsonl: true,
    layout: "records",
    // One 1 MB outlier among short texts, a long JSON cell, absent and null cells around them.
    text: Array.from({ length: 40 }, (_, i) => JSON.stringify(i === 17 ? { m: "ü".repeat(500000), j: [1, "x".repeat(5000)] } : i % 9 === 0 ? { m: null } : { m: `short ${i}`, j: i })).join("\n"),
  },
  { name: "array", jsonl: false, layout: "records", text: JSON.stringify([{ id: 1, v: [1, 2] }, { id: 2, name: "two" }, { id: 3, v: { x: 1 } }], null, 2) },
  { name: "one_column", jsonl: false, layout: "records", text: JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ only: i * 3 }))) },
  { name: "wide_10000", jsonl: true, layout: "kv", text: [0, 1].map((r) => JSON.stringify(Object.fromEntries(Array.from({ length: 10000 }, (_, c) => [`c${c}`, r * c])))).join("\n") },
  { name: "not_records", jsonl: false, layout: "kv", text: '{"a": [1, 2, 3], "b": {"c": null}}' },
  { name: "scalars_only", jsonl: true, layout: "kv", text: "1\n2\n[3]\n" },
];

/** What readJSON must give: JSON.parse's records, integers beyond 2^53 as BigInt (as the kv reader does). */
function expected(text: string, jsonl: boolean): unknown {
  const big = (value: unknown): unknown => value;
  const parse = (t: string) => JSON.parse(t.replace(/(?<=[:,[]\s*)(-?[0-9]{16,})(?=\s*[,}\]])/g, '"BIG$1"'), (_, v: unknown) => (typeof v === "string" && v.startsWith("BIG") ? BigInt(v.slice(3)) : big(v)));
  if (!jsonl) return parse(text);
  return text.split("\n").filter((line) => line.trim() !== "").map(parse);
}

const dir = tempDir("h5dat-records-");
const h5path = path.join(dir, "records.h5");

describe("record tables", () => {
  before(async () => {
    const f = await File.open(h5path, "w");
    for (const c of CASES) {
      fs.writeFileSync(path.join(dir, `${c.name}.src`), c.text);
      const whole = await writePreparedJsonEntry(f, `${c.name}.whole`, prepareJsonEntry(Buffer.from(c.text), { jsonl: c.jsonl, mode: "table" }), { compression: "gzip" });
      await whole.close();
      // Streamed in 5-byte blocks, as a large entry is.
      const bytes = Buffer.from(c.text);
      async function* blocks() {
        for (let i = 0; i < bytes.length; i += 5) yield bytes.subarray(i, i + 5);
      }
      await (await writeJsonBlocks(f, `${c.name}.stream`, blocks(), { compression: "gzip" }, { jsonl: c.jsonl, mode: "table" })).close();
    }
    await f.close();
  });

  for (const c of CASES) {
    test(`${c.name}: read back deep-equal, ${c.layout} layout`, async () => {
      const f = await File.open(h5path, "r");
      for (const how of ["whole", "stream"]) {
        // A record table is a dataset; pairs (the kv layout) are a ragged string array's group.
        const ds = (await f.get(`${c.name}.${how}`)) as Dataset | Group;
        assert.equal(await ds.attrs.get("layout"), c.layout === "records" ? "records" : "ragged-utf8", `${how}: layout`);
        assert.deepStrictEqual(await readJSON(ds), expected(c.text, c.jsonl), how);
        await ds.close();
      }
      await f.close();
    });
  }

  test("misfits: each kind of record survives, keys with dots, NULs and __proto__ included", async () => {
    const f = await File.open(h5path, "r");
    const records = (await readJSON(await f.dataset("misfits.whole"))) as unknown[];
    assert.deepStrictEqual(records.slice(1, 5), [5, "text", [1, { x: 2 }], null]);
    const sixth = records[5] as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(sixth), ["a", "__proto__", "a.b", "a\u0000"]);
    assert.deepStrictEqual(Object.getPrototypeOf(sixth), Object.prototype);
    await f.close();
  });

  test("a row range reads the slice; blocks read the whole; readTable keys rows by dotted names", async () => {
    const f = await File.open(h5path, "r");
    const ds = await f.dataset("events.stream");
    const all = expected(CASES[0].text, true) as unknown[];
    assert.deepStrictEqual(await readJSON(ds, { rows: [1, 3] }), all.slice(1, 3));
    assert.deepStrictEqual(await readJSON(ds, { rows: [-1, null] }), all.slice(-1));
    const blocks: unknown[][] = [];
    for await (const block of readRecordBlocks(ds, { blockRows: 2 })) blocks.push(block);
    assert.deepStrictEqual(blocks.map((b) => b.length), [2, 1]);
    assert.deepStrictEqual(blocks.flat(), all);
    const table = await readTable(ds, [0, 1]);
    assert.equal(table.byName["user.name"][0], "Zoë 🚀");
    assert.equal(JSON.parse(await readJSONText(ds)).length, 3);
    await f.close();
  });

  test("the kv layout still reads, and rows apply to record tables only", async () => {
    const file = path.join(dir, "kv.h5");
    const f = await File.open(file, "w");
    const kv = await writeJson(f, "old", CASES[0].text, { jsonl: true });
    assert.deepStrictEqual(await readJSON(kv), expected(CASES[0].text, true));
    await assert.rejects(readJSON(kv, { rows: [0, 1] }), /record table/);
    await f.close();
  });

  test("h5py reads every table as a compound, strings decoded, and rebuilds the source's records", () => {
    const names = CASES.filter((c) => c.layout === "records").flatMap((c) => [`${c.name}.whole`, `${c.name}.stream`]);
    const result = python<Record<string, string>>(H5PY_REBUILD, h5path, dir, JSON.stringify(names));
    for (const name of names) assert.equal(result[name], "equal", `${name}: ${result[name]}`);
  });
});

test("records nested too deep for the table's flattening stay pairs, whole and streamed", async () => {
  const deep = `${'{"k":'.repeat(20000)}1${"}".repeat(20000)}`;
  const text = `${deep}\n{"a":1}\n`;
  const f = await File.open(path.join(dir, "deep.h5"), "w");
  const whole = await writePreparedJsonEntry(f, "whole", prepareJsonEntry(Buffer.from(text), { jsonl: true, mode: "table" }), { compression: "gzip" });
  async function* blocks() {
    yield Buffer.from(text);
  }
  const streamed = await writeJsonBlocks(f, "stream", blocks(), { compression: "gzip" }, { jsonl: true, mode: "table" });
  for (const ds of [whole, streamed]) {
    assert.equal(await ds.attrs.get("format"), "json-pointer-pairs");
    assert.equal(await readJSONText(ds), `[${deep},{"a":1}]`);
  }
  assert.deepEqual((await f.keys()).sort(), ["stream", "whole"]);
  await f.close();
});

describe("widening while writing blocks", () => {
  test("ints → floats → JSON text, strings lengthening, new columns and nulls, all rewritten in place", async () => {
    const file = path.join(dir, "widen.h5");
    const f = await File.open(file, "w");
    const writer = new RecordTableWriter(f, "t", { compression: "gzip" }, jsonRecordsKind(true));
    const blocks: unknown[][] = [
      Array.from({ length: 40000 }, (_, i) => ({ n: i, s: "ab" })),
      [{ n: 0.5, s: "x".repeat(300) }],
      // 6,000 bytes: past RAGGED_BYTES, the column's texts move beside the table.
      [{ n: "now text", s: "é".repeat(3000) }, { s: null, new: { deep: true } }],
      [{ n: 1e300, s: "" }],
    ];
    for (const records of blocks) {
      const block = writer.block();
      for (const r of records) block.add(r);
      await writer.add(block);
    }
    const ds: Dataset = await writer.finish();
    assert.deepStrictEqual(await ds.attrs.get("column_kinds"), ["json", "string", "bool"]);
    assert.equal(await f.has("t.widening"), false);
    const back = (await readJSON(ds)) as unknown[];
    assert.deepStrictEqual(back, blocks.flat());
    await f.close();
    const r = python<{ kinds: string[]; rows: number; s: string; texts: string[] }>(
      "import h5py, json, sys; f = h5py.File(sys.argv[1]); d = f['t']; texts = list(d.attrs['ragged_datasets']); t = f[texts[1]][:]; print(json.dumps({'kinds': [d.dtype[i].kind for i in range(len(d.dtype))], 'rows': len(d), 's': bytes(t[int(d[39999]['s']):int(d[40000]['s'])]).decode(), 'texts': texts}))",
      file,
    );
    assert.deepStrictEqual(r, { kinds: ["S", "u", "b", "V"], rows: 40004, s: "x".repeat(300), texts: ["", "t.ragged.1", ""] });
    assert.deepStrictEqual((await (async () => { const g = await File.open(file, "r"); const keys = await g.keys(); await g.close(); return keys; })()).sort(), ["t", "t.ragged.1"]);
  });
});

// Python's side: each record rebuilt from the table (the mask's states, the kinds, the key paths)
// and compared with json.loads of the source's records.
const H5PY_REBUILD = `
import h5py, json, sys, math
h5path, srcdir, names = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
out = {}
def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isinf(a) and math.isinf(b): return a == b
    if isinstance(a, dict) and isinstance(b, dict): return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list): return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) == type(b) and a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool) and a == b)
with h5py.File(h5path, "r") as f:
    for name in names:
        ds = f[name]
        case = name.rsplit(".", 1)[0]
        text = open(f"{srcdir}/{case}.src", encoding="utf-8").read()
        jsonl = bool(ds.attrs["jsonl"])
        source = [json.loads(l) for l in text.split("\\n") if l.strip()] if jsonl else json.loads(text)
        assert ds.dtype.names is not None, "not a compound"
        paths = [json.loads(p) for p in ds.attrs["column_paths"]]
        kinds = list(ds.attrs["column_kinds"])
        mask_field = ds.attrs["mask_field"]
        rows = ds[:]
        parent = ds.parent
        texts = [bytes(parent[t][:]) if t else None for t in ds.attrs.get("ragged_datasets", [""] * len(kinds))]
        records = []
        for i, row in enumerate(rows):
            whole, record = None, {}
            for c, (p, kind) in enumerate(zip(paths, kinds)):
                state = row[mask_field][c] if mask_field else 0
                raw = row[ds.dtype.names[c]]
                if texts[c] is not None: raw = texts[c][(int(rows[i - 1][ds.dtype.names[c]]) if i else 0):int(raw)]
                if state == 2: continue
                value = None if state == 1 or kind == "null" else raw.decode("utf-8") if kind == "string" else json.loads(raw.decode("utf-8")) if kind == "json" else bool(raw) if kind == "bool" else int(raw) if kind == "int64" else float(raw)
                if p is None: whole = [value]; continue
                node = record
                for k in p[:-1]: node = node.setdefault(k, {})
                node[p[-1]] = value
            records.append(whole[0] if whole else record)
        out[name] = "equal" if same(records, source) else json.dumps(records, default=str)[:400]
print(json.dumps(out))
`;
