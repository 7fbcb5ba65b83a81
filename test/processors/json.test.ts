// JSON/JSONL → [N, 2] pointer/value strings (a ragged string array: h5/ragged-strings.ts, decoded
// in Python from its bytes and offsets). Written with h5dat, read with h5py, and compared
// with Python's own json parsing of the same source text; plus the in-process round trip.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { before, describe, test } from "node:test";
import { File } from "../../src";
import { jsonToPairs, JsonSyntaxError, pairsToJson, pairsToJsonText, readJsonPairs, writeJson } from "../../src/processors/json";
import { python, tempDir } from "../helpers/h5py";
import { seededRandom } from "../helpers/seeded-random";

interface Case {
  name: string;
  text: string;
  jsonl?: boolean;
  gzip?: boolean;
}

const deep = (depth: number) => {
  let text = "7";
  for (let i = 0; i < depth; i++) text = i % 2 ? `{"k${i}":${text}}` : `[${text}]`;
  return text;
};

const CASES: Case[] = [
  {
    name: "nested_unicode",
    text: JSON.stringify({
      name: "Zoë 🚀 日本語",
      tags: ["α", "β", { "k/ey": "v~1", "~0": "tilde" }],
      nested: { a: { b: { c: [1, 2.5, -3e-7, true, false, null] } } },
      "": "empty key",
      esc: 'quote" back\\ nl\n tab\t \u0001 \u2028',
    }, null, 2),
  },
  { name: "empty_containers", text: '{"a": [], "b": {}, "c": [[], {}], "d": [{}], "e": {"f": {"g": []}}}' },
  { name: "empty_root_array", text: " [ ] " },
  { name: "empty_root_object", text: "{}" },
  {
    name: "big_numbers",
    text: "[12345678901234567890123, 1e400, -0.0, 0.1, 1E+2, -9223372036854775809, 3.141592653589793238462643383279, 0, -1e-400]",
  },
  { name: "deep_nesting", text: deep(400) },
  { name: "index_like_keys", text: '{"0": "a", "1": "b", "x": [{"0": 1}, {"1": 2}], "y": {"0": {"0": []}}, "__proto__": {"0": null}}' },
  { name: "duplicate_keys", text: '{"a": 1, "a": [5], "b": [1, 2], "b": {"0": 3}, "c": {"x": 1}, "c": {"y": 2}, "d": [1, 2], "d": [3], "a": null}' },
  { name: "root_string", text: '"just a string"' },
  { name: "root_number", text: "  -12.5e3\n" },
  { name: "jsonl", text: '{"id": 1, "v": [1, 2]}\r\n\n  \n{"id": 2, "v": {}}\n[]\n"line"\n12345678901234567890123\n', jsonl: true },
  { name: "jsonl_gzip", text: '{"a": "ü"}\n{"a": null}\n', jsonl: true, gzip: true },
  { name: "json_gzip_bom", text: '\ufeff{"bom": true}', gzip: true },
];

// Python's side: rebuild each dataset by applying its rows in order (the documented rule), compare
// with json.loads of the source, and compare the rows with Python's own walk of the source.
const CHECK = `
import h5py, json, sys, gzip
sys.setrecursionlimit(20000)
h5path, srcdir = sys.argv[1], sys.argv[2]
cases = json.loads(sys.argv[3])

def tokens(p):
    return [] if p == "" else [t.replace("~1", "/").replace("~0", "~") for t in p[1:].split("/")]

def escape(t):
    return t.replace("~", "~0").replace("/", "~1")

def rebuild(rows):
    root = None
    for p, text in rows:
        ts = tokens(p)
        value = json.loads(text)
        if not ts:
            root = value
            continue
        if root is None:
            root = [] if ts[0] == "0" else {}
        node = root
        for i, t in enumerate(ts):
            last = i == len(ts) - 1
            if isinstance(node, list):
                k = int(t)
                if last:
                    child = value
                elif k < len(node):
                    child = node[k]
                else:
                    child = [] if ts[i + 1] == "0" else {}
                if k == len(node):
                    node.append(child)
                else:
                    node[k] = child
            else:
                child = value if last else node.get(t)
                if child is None and not last:
                    child = [] if ts[i + 1] == "0" else {}
                node[t] = child
            node = child
    return [] if root is None else root

def walk(value, p, out):
    # object_pairs_hook gives lists of pairs: keeps duplicate keys and order
    if isinstance(value, tuple) and value[0] == "obj":
        pairs = value[1]
        if not pairs:
            out.append([p, "{}"])
            return
        if pairs[0][0] == "0":
            out.append([p, "{}"])
        seen = set()
        for k, v in pairs:
            # a repeated key's non-empty container is preceded by an empty one (a reset)
            if k in seen and isinstance(v, list) and v:
                out.append([p + "/" + escape(k), "[]"])
            elif k in seen and isinstance(v, tuple) and v[1] and v[1][0][0] != "0":
                out.append([p + "/" + escape(k), "{}"])
            seen.add(k)
            walk(v, p + "/" + escape(k), out)
    elif isinstance(value, list):
        if not value:
            out.append([p, "[]"])
        for i, v in enumerate(value):
            walk(v, p + "/" + str(i), out)
    else:
        out.append([p, value])

def same(a, b):
    if type(a) != type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and a == 0:
        return str(a) == str(b)
    return a == b

result = {}
with h5py.File(h5path, "r") as f:
    for c in cases:
        src = srcdir + "/" + c["name"] + (".gz" if c.get("gzip") else "")
        opener = gzip.open if c.get("gzip") else open
        with opener(src, "rt", encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
        docs = [line for line in text.split("\\n") if line.strip()] if c.get("jsonl") else [text]
        expected = [json.loads(d) for d in docs]
        hook = lambda pairs: ("obj", pairs)
        walked = []
        for i, d in enumerate(docs):
            walk(json.loads(d, object_pairs_hook=hook), "/" + str(i) if c.get("jsonl") else "", walked)
        ds = f[c["name"]]
        o = ds["offsets"][:]
        b = ds["bytes"][:].tobytes()
        strings = [b[o[i]:o[i + 1]].decode("utf-8") for i in range(len(o) - 1)]
        rows = [strings[i:i + 2] for i in range(0, len(strings), 2)]
        value_ok = all(same(json.loads(r[1]), w[1]) if w[1] not in ("{}", "[]") else r[1] == w[1] for r, w in zip(rows, walked))
        rebuilt = rebuild(rows)
        result[c["name"]] = {
            "equal": same(rebuilt, expected if c.get("jsonl") else expected[0]),
            "pointers_equal": [r[0] for r in rows] == [w[0] for w in walked],
            "values_equal": value_ok and len(rows) == len(walked),
            "rows": rows,
            "shape": [int(n) for n in ds.attrs["shape"]],
            "string": str(ds["bytes"].dtype) + " " + str(ds["offsets"].dtype),
            "compression": ds["bytes"].compression,
            "chunks": list(ds["bytes"].chunks) if ds["bytes"].chunks else None,
            "attrs": {k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in ds.attrs.items()},
        }
print(json.dumps(result, default=lambda o: o.decode("utf-8") if isinstance(o, bytes) else str(o)))
`;

interface PyResult {
  equal: boolean;
  pointers_equal: boolean;
  values_equal: boolean;
  rows: [string, string][];
  shape: number[];
  string: string;
  compression: string | null;
  chunks: number[] | null;
  attrs: Record<string, unknown>;
}

describe("writeJson, read by h5py", () => {
  const dir = tempDir();
  const h5path = path.join(dir, "json.h5");
  let results: Record<string, PyResult>;

  before(async () => {
    const f = await File.open(h5path, "w");
    for (const c of CASES) {
      const bytes = Buffer.from(c.text, "utf8");
      const file = path.join(dir, c.name + (c.gzip ? ".gz" : ""));
      fs.writeFileSync(file, c.gzip ? zlib.gzipSync(bytes) : bytes);
      await writeJson(f, c.name, fs.readFileSync(file), { jsonl: c.jsonl });
    }
    await f.close();
    results = python<Record<string, PyResult>>(CHECK, h5path, dir, JSON.stringify(CASES.map(({ name, jsonl, gzip }) => ({ name, jsonl, gzip }))));
  });

  for (const c of CASES) {
    test(c.name, () => {
      const r = results[c.name];
      assert.ok(r.equal, `h5py's rebuild differs from json.loads: ${JSON.stringify(r.rows).slice(0, 500)}`);
      assert.ok(r.pointers_equal, "pointers differ from Python's walk");
      assert.ok(r.values_equal, "leaf values differ from Python's walk");
      assert.deepEqual(r.shape, [r.rows.length, 2]);
      assert.equal(r.string, "uint8 uint64");
      assert.equal(r.compression, "gzip");
      assert.deepEqual(r.attrs, { columns: ["pointer", "value"], format: "json-pointer-pairs", jsonl: !!c.jsonl, layout: "ragged-utf8", layout_version: 1, shape: r.shape });
      // h5dat reads back what it wrote, and the text keeps every number as written.
      assert.deepEqual(r.rows, jsonToPairs(c.text.replace(/^\ufeff/, ""), { jsonl: c.jsonl }));
    });
  }

  test("numbers keep their source text in the file", () => {
    const values = results.big_numbers.rows.map(([, v]) => v);
    assert.deepEqual(values, ["12345678901234567890123", "1e400", "-0.0", "0.1", "1E+2", "-9223372036854775809", "3.141592653589793238462643383279", "0", "-1e-400"]);
  });

  test("deep nesting gives one row 400 tokens deep", () => {
    const [[pointer, value]] = results.deep_nesting.rows;
    assert.equal(pointer.split("/").length - 1, 400);
    assert.equal(value, "7");
  });

  test("JSONL documents are numbered by non-empty line", () => {
    assert.deepEqual(results.jsonl.rows.map(([p]) => p), ["/0/id", "/0/v/0", "/0/v/1", "/1/id", "/1/v", "/2", "/3", "/4"]);
  });

  test("readJsonPairs and pairsToJson read the file back with h5dat", async () => {
    const f = await File.open(h5path, "r");
    try {
      const pairs = await readJsonPairs(await f.group("big_numbers"));
      assert.deepEqual(pairsToJson(pairs), [12345678901234567890123n, Infinity, -0, 0.1, 100, -9223372036854775809n, 3.141592653589793, 0, -0]);
      assert.equal(pairsToJsonText(pairs), "[12345678901234567890123,1e400,-0.0,0.1,1E+2,-9223372036854775809,3.141592653589793238462643383279,0,-1e-400]");
      const jsonl = pairsToJson(await readJsonPairs(await f.group("jsonl")));
      assert.deepEqual(jsonl, [{ id: 1, v: [1, 2] }, { id: 2, v: {} }, [], "line", 12345678901234567890123n]);
    } finally {
      await f.close();
    }
  });

  test("an empty JSONL file is a [0, 2] array: no bytes, the one offset 0", async () => {
    const file = path.join(dir, "empty.h5");
    const f = await File.open(file, "w");
    await (await writeJson(f, "empty", "\n\n", { jsonl: true })).close();
    await f.close();
    const r = python<{ shape: number[]; offsets: number[]; bytes: number }>(
      "import h5py, json, sys; g = h5py.File(sys.argv[1])['empty']; print(json.dumps({'shape': [int(n) for n in g.attrs['shape']], 'offsets': g['offsets'][:].tolist(), 'bytes': len(g['bytes'])}))",
      file,
    );
    assert.deepEqual(r, { shape: [0, 2], offsets: [0], bytes: 0 });
  });
});

// ------------------------------------------------------------------------------ in-process round trip

const KEYS = ["a", "0", "1", "", "/", "~", "~1", "a/b~c", "__proto__", "constructor", "é", "🚀", "10", "-"];
const STRINGS = ["", "x", "é ü 日本", "🚀", '"q"', "back\\slash", "\n\t\r\b\f", "\u0000\u001f", "\u2028\u2029", "~0/~1"];

function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth > 5 || r < 0.4) {
    const s = rand();
    if (s < 0.2) return STRINGS[Math.floor(rand() * STRINGS.length)];
    if (s < 0.4) return Math.floor((rand() - 0.5) * 2 ** 53);
    // (Integer-valued doubles beyond 2^53 written without an exponent come back as BigInt.)
    if (s < 0.55) return (rand() - 0.5) * 10 ** Math.floor(rand() * 30 - 20);
    if (s < 0.7) return rand() < 0.5;
    if (s < 0.8) return null;
    return [-0, 0, 1, -1, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 1.7976931348623157e308][Math.floor(rand() * 7)];
  }
  const n = Math.floor(rand() * 4);
  if (r < 0.7) return Array.from({ length: n }, () => randomValue(rand, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    Object.defineProperty(object, KEYS[Math.floor(rand() * KEYS.length)], { value: randomValue(rand, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

describe("jsonToPairs / pairsToJson", () => {
  test("round trip of 500 random values deep-equals JSON.parse", () => {
    const rand = seededRandom(20240611);
    for (let i = 0; i < 500; i++) {
      const text = JSON.stringify(randomValue(rand, 0));
      const expected = JSON.parse(text);
      const pairs = jsonToPairs(text);
      assert.deepEqual(pairsToJson(pairs), expected, text);
      assert.equal(pairsToJsonText(pairs), text, "compact text comes back unchanged");
    }
  });

  test("hand-picked values", () => {
    const values: unknown[] = [
      null, true, false, 0, -0, 1.5, "", "s", [], {}, [[]], [{}], { a: [] }, { "0": 1 }, [{ "0": [] }], { "0": { "0": { "1": 2 } } },
      { "1": 1, "0": 0 }, { "": { "": "" } }, JSON.parse('{"__proto__": {"polluted": 1}}'), [[[[[[1]]]]]], ["a", ["b", ["c"]]],
    ];
    for (const value of values) {
      const text = JSON.stringify(value);
      assert.deepEqual(pairsToJson(jsonToPairs(text)), JSON.parse(text), text);
      assert.equal(pairsToJsonText(jsonToPairs(text)), text);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, "no prototype pollution");
  });

  test("pointers and leaf texts follow RFC 6901", () => {
    assert.deepEqual(jsonToPairs('{"a/b": {"m~n": [10, "x"]}, "": {}}'), [
      ["/a~1b/m~0n/0", "10"],
      ["/a~1b/m~0n/1", '"x"'],
      ["/", "{}"],
    ]);
    assert.deepEqual(jsonToPairs("42"), [["", "42"]]);
    assert.deepEqual(jsonToPairs('{"0": 1}'), [["", "{}"], ["/0", "1"]]);
    assert.deepEqual(jsonToPairs('"\\u00e9\\/"'), [["", '"é/"']], "strings are re-encoded");
  });

  test("big numbers: BigInt beyond 2^53, text kept by pairsToJsonText", () => {
    const text = "[9007199254740991,9007199254740993,-12345678901234567890123,1e400,-0.0,2.50]";
    const pairs = jsonToPairs(text);
    assert.deepEqual(pairsToJson(pairs), [9007199254740991, 9007199254740993n, -12345678901234567890123n, Infinity, -0, 2.5]);
    assert.ok(Object.is((pairsToJson(pairs) as number[])[4], -0));
    assert.equal(pairsToJsonText(pairs), text);
  });

  test("deep nesting does not overflow the stack", () => {
    const depth = 100_000;
    const text = "[".repeat(depth) + "]".repeat(depth);
    const pairs = jsonToPairs(text);
    assert.equal(pairs.length, 1);
    assert.equal(pairs[0][1], "[]");
    assert.equal(pairsToJsonText(pairs), text);
  });

  test("invalid JSON names line and column", () => {
    const cases: [string, RegExp][] = [
      ['{"a": 1,}', /line 1, column 9: expected a string key/],
      ["[1 2]", /line 1, column 4: expected ',' or '\]'/],
      ['{\n  "a":\n    tru\n}', /line 3, column 5: expected a JSON value/],
      ["01", /line 1, column 2: invalid number/],
      ['"abc', /line 1, column 5: unterminated string/],
      ["[1]x", /line 1, column 4: unexpected text after the JSON value/],
      ["", /line 1, column 1: unexpected end of input/],
      ['"a\tb"', /line 1, column 3: control character/],
      ['"\\x"', /line 1, column 3: invalid escape/],
      ["[NaN]", /line 1, column 2: expected a JSON value/],
      ['{"a" 1}', /line 1, column 6: expected ':'/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => jsonToPairs(text), (e: unknown) => e instanceof JsonSyntaxError && message.test(e.message), text);
    }
    assert.throws(() => jsonToPairs('{"ok": 1}\n\n{"bad": }\n', { jsonl: true }), (e: unknown) => e instanceof JsonSyntaxError && e.line === 3 && e.column === 9);
  });

  test("pairsToJson rejects pairs that describe no value", () => {
    assert.throws(() => pairsToJson([["/a", "1"], ["/a/b", "2"]]), /'\/a' is a leaf/);
    assert.throws(() => pairsToJson([["/0", "1"], ["/2", "2"]]), /skips past the array's end/);
    assert.throws(() => pairsToJson([["", "nope"]]), /invalid leaf value/);
    assert.throws(() => pairsToJson([["a", "1"]]), /invalid JSON pointer/);
  });
});
