// --schema files: validated by ajv against the shipped meta-schema (every problem names the file
// and the key's JSON path), rules routing entries by glob (first match wins) to templated
// targets, `records` JSON Schemas splitting records into kept and quarantined, and what a schema
// writes into the output (groups, attrs, its own text, the quarantine), read back by h5py.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { File } from "../../src/h5/file";
import { prepareCsv } from "../../src/processors/csv";
import { csvRecords, keptCsvRows } from "../../src/processors/csv-records";
import { jsonRecords, keptJsonText } from "../../src/processors/json-records";
import {
  QUARANTINE_PATH,
  SchemaError,
  compileRecords,
  loadSchema,
  parseSchema,
  splitRecords,
  writeQuarantine,
  writeSchemaAttrs,
  type QuarantineRow,
} from "../../src/schema";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-schema-");

function schemaFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}

const SAMPLE = {
  $schema: "urn:h5dat:schema",
  description: "photos and their metadata",
  groups: {
    "/": { attrs: { title: "sample" } },
    "/photos": { attrs: { description: "cats and dogs", license: "CC-BY-4.0", version: 2, scale: 0.5, tags: ["a", "b"], sizes: [64, 128], public: true } },
  },
  rules: [
    { match: "train/**/*.jpg", target: "/training/{dir}/{stem}", processor: "image", options: { animated: false, orientation: "apply" }, compression: "gzip:6", chunks: [1, 64, 64, 3], dtype: "uint8" },
    { match: "**/*.tmp", skip: true, reason: "scratch files" },
    { match: ["meta/*.json", "meta/*.jsonl"], records: { type: "object", required: ["id"], properties: { id: { type: "integer" } } } },
    { match: "*.csv", processor: "csv", options: { mode: "table", delimiter: ";" }, records: { $ref: "#/definitions/row" } },
    { match: "clips/*", processor: "video", options: { fps: 2, max_frames: 10, scale: 320, start: 1.5, duration: 3 } },
    { match: "sounds/*", processor: "audio", options: { sample_rate: 16000, start: 0, duration: 2 }, compression: "none" },
  ],
  definitions: { row: { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1 }, when: { type: "string", format: "date" } } } },
};

test("a valid schema loads: its text kept, its groups and rules compiled", async () => {
  const file = schemaFile("valid.json", SAMPLE);
  const schema = await loadSchema(file);
  assert.equal(schema.file, file);
  assert.equal(schema.text, fs.readFileSync(file, "utf8"));
  assert.deepEqual(Object.keys(schema.groups), ["/", "/photos"]);
  const route = schema.route("train/cats/a.jpg", { group: "photos", index: 3 });
  assert.deepEqual({ ...route }, {
    rule: 0,
    target: "/training/train/cats/a",
    processor: "image",
    options: { animated: false, orientation: "apply" },
    compression: { codec: "gzip", level: 6 },
    chunks: [1, 64, 64, 3],
    dtype: "uint8",
  });
  assert.equal(schema.route("sounds/x.wav", { group: "photos", index: 0 })?.compression, "none");
  // A schema's text may start with a BOM; an empty object is a valid schema that routes nothing.
  assert.equal(parseSchema("\ufeff{}", "empty.json").route("a", { group: "", index: 0 }), null);
});

test("schemas that are not valid fail naming the file and the JSON path of each problem", () => {
  const cases: [unknown, RegExp][] = [
    [{ rules: [{ match: "a", compresion: "gzip" }] }, /rules\/0: unknown key 'compresion'/],
    [{ rule: [] }, /\(root\): unknown key 'rule'/],
    [{ rules: [{ match: "a" }, { match: "b" }, { match: "c", compression: "brotli" }] }, /rules\/2\/compression: must match pattern/],
    [{ rules: [{ match: "a", chunks: [1, 0] }] }, /rules\/0\/chunks\/1: must be >= 1/],
    [{ rules: [{ match: "a", chunks: "auto" }] }, /rules\/0\/chunks: must be array/],
    [{ rules: [{ match: 3 }] }, /rules\/0\/match: must be string or array/],
    [{ rules: [{ match: ["a", 3] }] }, /rules\/0\/match\/1: must be string/],
    [{ rules: [{ target: "x" }] }, /rules\/0: must have required property 'match'/],
    [{ rules: [{ match: "a", processor: "jpeg" }] }, /rules\/0\/processor: must be one of "image", "json"/],
    [{ rules: [{ match: "a", dtype: "uint7" }] }, /rules\/0\/dtype: must be one of/],
    [{ rules: [{ match: "a", processor: "video", options: { fsp: 2 } }] }, /rules\/0\/options: unknown key 'fsp'/],
    [{ rules: [{ match: "a", processor: "csv", options: { mode: "rows" } }] }, /rules\/0\/options\/mode: must be one of "table", "kv"/],
    [{ rules: [{ match: "a", processor: "json", options: { x: 1 } }] }, /rules\/0\/options: unknown key 'x'/],
    [{ rules: [{ match: "a", options: { fps: 1 } }] }, /rules\/0: 'options' needs 'processor'/],
    [{ rules: [{ match: "a", reason: "why" }] }, /rules\/0: 'reason' needs 'skip'/],
    [{ rules: [{ match: "a", skip: true, target: "x" }] }, /rules\/0: a skip rule takes only .* not 'target'/],
    [{ groups: { photos: {} } }, /groups: key 'photos' must match pattern "\^\/"/],
    [{ groups: { "/photos": { attrs: { x: { y: 1 } } } } }, /groups\/"\/photos"\/attrs\/x: must be string, number, boolean or array/],
    [{ groups: { "/p": { atrs: {} } } }, /groups\/"\/p": unknown key 'atrs'/],
    [{ groups: { "/_h5dat/x": {} } }, /groups\/"\/_h5dat\/x": \/_h5dat is h5dat's own group/],
    // The root attrs that say how the file was made are h5dat's; other root attrs are the schema's.
    [{ groups: { "/": { attrs: { title: "ok", inputs: "forged" } } } }, /groups\/"\/"\/attrs\/inputs: 'inputs' is a root attr h5dat writes about the run/],
    [{ groups: { "/": { attrs: { command: "x", h5dat_version: "0" } } } }, /attrs\/command: 'command' is a root attr h5dat writes.*\n.*attrs\/h5dat_version:/],
    [{ rules: [{ match: "[abc" }] }, /rules\/0\/match: invalid glob '\[abc': Missing closing/],
    [{ rules: [{ match: ["ok/*", "a/{b,c"] }] }, /rules\/0\/match\/1: invalid glob 'a\/\{b,c'/],
    [{ rules: [{ match: "/abs/*.jpg" }] }, /rules\/0\/match: '\/abs\/\*\.jpg' never matches: source paths are relative/],
    [{ rules: [{ match: "a", records: { type: "nope" } }] }, /rules\/0\/records: not a valid JSON Schema: type must be equal to one of the allowed values/],
    [{ rules: [{ match: "a", records: { type: "object", requried: ["id"] } }] }, /rules\/0\/records: not a valid JSON Schema: strict mode: unknown keyword: "requried"/],
    [{ rules: [{ match: "a", records: { $ref: "#/definitions/none" } }] }, /rules\/0\/records: not a valid JSON Schema: can't resolve reference #\/definitions\/none/],
    [{ rules: [{ match: "a", records: { type: "string", format: "colour" } }] }, /rules\/0\/records: .*unknown format "colour"/],
    [{ rules: [{ match: "a", records: 3 }] }, /rules\/0\/records: must be object or boolean/],
    [{ rules: [{ match: "a", processor: "image", records: {} }] }, /rules\/0\/records: records are checked for json, jsonl and csv entries only/],
    [{ definitions: { row: { minLength: -1 } } }, /definitions\/row: not a valid JSON Schema: minLength must be >= 0/],
    [{ rules: [{ match: "a", target: "../{stem}" }] }, /rules\/0\/target: '\.\.' is not allowed/],
    [{ rules: [{ match: "a", target: "{dir}/{basename}" }] }, /rules\/0\/target: unknown variable '\{basename\}'/],
    [{ rules: [{ match: "a", target: "{stem:3}" }] }, /rules\/0\/target: only \{index\} takes a width/],
    [{ rules: [{ match: "a", target: "x/{stem" }] }, /rules\/0\/target: unbalanced/],
    [{ rules: [{ match: "a", target: "/" }] }, /rules\/0\/target: '\/' names no dataset/],
    [{ rules: [{ match: "a", target: "/_h5dat/{stem}" }] }, /rules\/0\/target: \/_h5dat is h5dat's own group/],
    [[], /\(root\): must be object/],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => parseSchema(JSON.stringify(value), "bad.json"),
      (e: unknown) => e instanceof SchemaError && e.file === "bad.json" && /^invalid schema 'bad\.json':\n {2}/.test(e.message) && message.test(e.message),
      JSON.stringify(value),
    );
  }
  // Every problem is listed, not only the first.
  assert.throws(
    () => parseSchema(JSON.stringify({ rules: [{ match: "[x", target: "{nope}" }, { match: "b", records: { type: "nope" } }] }), "bad.json"),
    (e: unknown) => e instanceof SchemaError && e.problems.length === 3 && /rules\/0\/match/.test(e.problems[0]) && /rules\/0\/target/.test(e.problems[1]) && /rules\/1\/records/.test(e.problems[2]),
  );
});

test("a schema file that is missing or not JSON fails naming the file, line and column", async () => {
  await assert.rejects(loadSchema(path.join(dir, "none.json")), /cannot read schema '.*none\.json': no such file/);
  const broken = schemaFile("broken.json", '{\n  "rules": [\n    { "match": "a", }\n  ]\n}');
  await assert.rejects(loadSchema(broken), (e: unknown) => e instanceof SchemaError && e.file === broken && /^schema '.*broken\.json' is not valid JSON: line 3, column \d+: /.test(e.message));
  await assert.rejects(loadSchema(schemaFile("empty.json", "")), /schema '.*empty\.json' is not valid JSON: line 1, column 1/);
});

test("routing: the first matching rule wins; skips carry their reason; no match is null", () => {
  const schema = parseSchema(
    JSON.stringify({
      rules: [
        { match: "**/*.tmp", skip: true, reason: "scratch files" },
        { match: "**/.*", skip: true },
        { match: "data/*.csv", input: "photos", target: "tables/{stem}" },
        { match: "data/*.csv", target: "csv/{stem}" },
        { match: "**", processor: "bytes" },
      ],
    }),
    "route.json",
  );
  const at = (sourcePath: string, group = "photos", index = 0) => schema.route(sourcePath, { group, index });
  assert.deepEqual(at("a/b/c.tmp"), { rule: 0, skip: "scratch files" });
  assert.deepEqual(at("x.tmp"), { rule: 0, skip: "scratch files" });
  assert.deepEqual(at("a/.hidden"), { rule: 1, skip: "skipped by schema rule 1 (**/.*)" });
  assert.deepEqual(at("data/t.csv"), { rule: 2, target: "/photos/tables/t" });
  assert.deepEqual(at("data/t.csv", "other"), { rule: 3, target: "/other/csv/t" });
  // Tar paths may start with "./" or hold empty components: they match as the plain path.
  assert.deepEqual(at("./data//t.csv", "other"), { rule: 3, target: "/other/csv/t" });
  // A rule without a target keeps convert's default path.
  assert.deepEqual(at("deep/er/x.bin"), { rule: 4, target: "/photos/deep/er/x.bin", processor: "bytes" });
  assert.deepEqual(at("x.bin", ""), { rule: 4, target: "/x.bin", processor: "bytes" });
  assert.equal(parseSchema('{"rules": [{"match": "*.jpg"}]}', "s.json").route("sub/a.jpg", { group: "g", index: 0 }), null);
});

test("target templates: {dir} {stem} {ext} {name} {path} {index} {group}, relative and absolute", () => {
  const target = (template: string, sourcePath: string, group = "photos", index = 7) =>
    parseSchema(JSON.stringify({ rules: [{ match: ["**", "../*"], target: template }] }), "t.json").route(sourcePath, { group, index })!.target;
  assert.equal(target("/train/{dir}/{stem}", "cats/small/a.jpg"), "/train/cats/small/a");
  assert.equal(target("/train/{dir}/{stem}", "a.jpg"), "/train/a"); // top level: no double slash
  assert.equal(target("{dir}/{stem}_{ext}", "cats/a.tar.gz"), "/photos/cats/a.tar_gz");
  assert.equal(target("by-ext/{ext}/{name}", "x/.bashrc"), "/photos/by-ext/.bashrc"); // no extension: {ext} is ""
  assert.equal(target("{stem}/{index}", "a.jpg"), "/photos/a/7");
  assert.equal(target("item_{index:4}", "a.jpg"), "/photos/item_0007");
  assert.equal(target("/all/{group}/{path}", "x/y.txt"), "/all/photos/x/y.txt");
  assert.equal(target("./out/./{stem}//", "a.jpg"), "/photos/out/a");
  // A loose file (group "") is at the top level: a relative target is relative to the root.
  assert.equal(target("{stem}", "table.csv", ""), "/table");
  assert.equal(target("/loose/{group}{stem}", "table.csv", ""), "/loose/table");
  // Names are escaped as datasetPathOf does ('%' reversibly; '.' as a name).
  assert.equal(target("{stem}", "100%.txt"), "/photos/100%25");
  // Templates that give an entry no name, a '..' or a path under /_h5dat fail naming the rule.
  const fails = (template: string, sourcePath: string, group: string, why: RegExp) =>
    assert.throws(() => target(template, sourcePath, group), (e: unknown) => e instanceof SchemaError && /^schema 't\.json': rules\/0\/target '/.test(e.message) && why.test(e.message), template);
  fails("{dir}", "a.jpg", "photos", /gives 'a\.jpg' no valid HDF5 path: the name is empty/);
  // ("**" never matches a '..' component; a glob naming '..' does.)
  fails("{dir}/{stem}", "../passwd", "photos", /gives '\.\.\/passwd' no valid HDF5 path: '\.\.' in '\.\.\/passwd'/);
  fails("{stem}", "x/_h5dat.bin", "", /\/_h5dat is h5dat's own group/);
});

test("records: a rule's JSON Schema validates records and returns ajv's error text", () => {
  const schema = parseSchema(JSON.stringify(SAMPLE), "s.json");
  const meta = schema.route("meta/a.json", { group: "p", index: 0 })!.records!;
  assert.equal(meta({ id: 1, extra: true }), null);
  assert.equal(meta({ id: "x" }), "record/id must be integer");
  assert.equal(meta([1]), "record must be object");
  assert.equal(meta({}), "record must have required property 'id'");
  // $ref into the file's definitions; the date format is known.
  const row = schema.route("t.csv", { group: "p", index: 0 })!.records!;
  assert.equal(row({ name: "a", when: "2024-02-29" }), null);
  assert.equal(row({ name: "", when: "yesterday" }), 'record/name must NOT have fewer than 1 characters, record/when must match format "date"');
  assert.equal(compileRecords(false)(1), "record boolean schema is false");
});

test("splitRecords keeps the valid records and quarantines the others with their error", () => {
  const validate = compileRecords({ type: "object", required: ["id"] });
  const split = splitRecords([{ id: 1 }, { x: 2n }, { id: 3 }, 4], validate);
  assert.deepEqual(split.kept, [{ id: 1 }, { id: 3 }]);
  assert.deepEqual(split.keptIndexes, [0, 2]);
  assert.deepEqual(split.quarantined, [
    { index: 1, record: { x: 2n }, json: '{"x":2}', error: "record must have required property 'id'" },
    { index: 3, record: 4, json: "4", error: "record must be object" },
  ]);
  // With a RecordSet's texts, the quarantined JSON is the source's own text.
  assert.equal(splitRecords([{ id: "a" }], compileRecords({ properties: { id: { type: "integer" } } }), ['{ "id" : "a" }']).quarantined[0].json, '{ "id" : "a" }');
});

test("jsonRecords: an array's elements, a lone document, or JSONL lines, with their exact text", () => {
  const array = jsonRecords(Buffer.from('\ufeff[ {"id": 1, "s": "a,]}\\""}, {"id": 12345678901234567890},\n  [1, [2]], "x" ]'));
  assert.equal(array.layout, "array");
  assert.deepEqual(array.texts, ['{"id": 1, "s": "a,]}\\""}', '{"id": 12345678901234567890}', "[1, [2]]", '"x"']);
  assert.equal(array.values.length, 4);
  assert.equal(keptJsonText(array, [1, 3]), '[{"id": 12345678901234567890},"x"]');
  assert.deepEqual(jsonRecords("[ ]").texts, []);

  const doc = jsonRecords(' {"a": [1, 2]}\n');
  assert.deepEqual([doc.layout, doc.values, doc.texts], ["document", [{ a: [1, 2] }], ['{"a": [1, 2]}']]);
  assert.equal(keptJsonText(doc, [0]), '{"a": [1, 2]}');
  assert.equal(keptJsonText(doc, []), null);

  const lines = jsonRecords('{"id": 1}\r\n\n  \n{"id": 2}\n[3]', { jsonl: true });
  assert.deepEqual([lines.layout, lines.values, lines.texts], ["lines", [{ id: 1 }, { id: 2 }, [3]], ['{"id": 1}', '{"id": 2}', "[3]"]]);
  assert.equal(keptJsonText(lines, [0, 2]), '{"id": 1}\n[3]\n');
  assert.throws(() => jsonRecords('{"a": 1}\n{oops}', { jsonl: true }), /invalid JSON on line 2/);
});

test("csvRecords: rows keyed by field name with the table's types; keptCsvRows filters rows", async () => {
  const csv = "id,name,score,ok,\n1,a,1.5,true,x\n2,b,,false,y\n9223372036854775807,c,nan,TRUE,z\n";
  const table = await prepareCsv(csv);
  const set = csvRecords(table);
  assert.equal(set.layout, "rows");
  assert.deepEqual(set.values[0], { id: 1, name: "a", score: 1.5, ok: true, column_4: "x" });
  assert.deepEqual(set.values[1], { id: 2, name: "b", score: null, ok: false, column_4: "y" });
  assert.equal(set.texts[2], '{"id":9223372036854775807,"name":"c","score":null,"ok":true,"column_4":"z"}');
  const split = splitRecords(set.values, compileRecords({ properties: { score: { type: "number" } } }), set.texts);
  assert.deepEqual(split.keptIndexes, [0]);
  assert.equal(split.quarantined[0].error, "record/score must be number");
  const kept = keptCsvRows(table, [0, 2]);
  assert.equal(kept.mode, "table");
  if (kept.mode === "table") {
    assert.equal(kept.table.rows, 2);
    assert.deepEqual([...(kept.table.values[0] as BigInt64Array)], [1n, 9223372036854775807n]);
    assert.deepEqual(kept.table.values[1], ["a", "c"]);
    assert.deepEqual(kept.table.types, ["int64", "string", "float64", "bool", "string"]);
  }

  const kv = await prepareCsv("a,a\n1,2\n3,4\n", { mode: "kv" });
  assert.deepEqual(csvRecords(kv).values, [{ a: "1", a_1: "2" }, { a: "3", a_1: "4" }]);
  assert.deepEqual(keptCsvRows(kv, [1]), { mode: "kv", header: ["a", "a"], cells: ["3", "4"], rows: 1 });
});

test("writeSchemaAttrs and writeQuarantine: groups, attrs, the schema's text and quarantined rows, as h5py reads them", async () => {
  const file = schemaFile("write.json", SAMPLE);
  const schema = await loadSchema(file);
  const output = path.join(dir, "out.h5");
  const h5 = await File.open(output, "w");
  await h5.requireGroup("/_h5dat"); // it may exist already (convert's manifest)
  await writeSchemaAttrs(h5, schema);
  const rows = (n: number, from: number): QuarantineRow[] =>
    Array.from({ length: n }, (_, i) => ({ source: "in.zip", source_path: `meta/${from + i}.json`, target: `/in/meta/${from + i}.json`, index: from + i, record: `{"n":${from + i},"é":"ü"}`, error: "record must have required property 'id'" }));
  await writeQuarantine(h5, []); // nothing to write: no dataset
  assert.equal(await h5.has(QUARANTINE_PATH), false);
  // Concurrent calls take turns: the first creates, the others append.
  await Promise.all([writeQuarantine(h5, rows(2, 0)), writeQuarantine(h5, rows(300, 2)), writeQuarantine(h5, rows(1, 302))]);
  await h5.close();

  const seen = python<{ root: Record<string, unknown>; photos: Record<string, unknown>; dtypes: Record<string, string>; own: Record<string, string>; rows: unknown[][]; n: number; maxshape: unknown[] }>(
    `import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
def val(v):
    if isinstance(v, bytes): return v.decode()
    if hasattr(v, "tolist"): v = v.tolist()
    if isinstance(v, list): return [x.decode() if isinstance(x, bytes) else x for x in v]
    return v
q = f["_h5dat/quarantine"]
print(json.dumps({
  "root": {k: val(v) for k, v in f.attrs.items()},
  "photos": {k: val(v) for k, v in f["photos"].attrs.items()},
  "dtypes": {k: str(f["photos"].attrs[k].dtype) for k in ("version", "scale", "sizes")},
  "own": {k: val(v) for k, v in f["_h5dat"].attrs.items()},
  "rows": [[val(r[k]) for k in ("source", "source_path", "target", "index", "record", "error")] for r in q[[0, 1, 2, 302]]],
  "n": len(q), "maxshape": list(q.maxshape),
}))`,
    output,
  );
  assert.deepEqual(seen.root, { title: "sample" });
  assert.deepEqual(seen.photos, { description: "cats and dogs", license: "CC-BY-4.0", version: 2, scale: 0.5, tags: ["a", "b"], sizes: [64, 128], public: true });
  assert.deepEqual(seen.dtypes, { version: "int64", scale: "float64", sizes: "int64" });
  assert.deepEqual(seen.own, { schema: fs.readFileSync(file, "utf8"), schema_file: file });
  assert.equal(seen.n, 303);
  assert.deepEqual(seen.maxshape, [null]);
  assert.deepEqual(seen.rows[0], ["in.zip", "meta/0.json", "/in/meta/0.json", 0, '{"n":0,"é":"ü"}', "record must have required property 'id'"]);
  assert.deepEqual(seen.rows.map((r) => r[3]), [0, 1, 2, 302]);
});
