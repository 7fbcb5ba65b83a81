// CSV dialects (issue 19): the delimiter and quote sniffed from the first rows (, ; tab |), the
// --csv-delimiter override, yes/no and TRUE/FALSE booleans, --decimal-comma, and a ragged file
// kept as its bytes with a hint at the delimiter. Values are compared with pandas' read_csv, sniffing
// (sep=None, engine="python") and with the separator given.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { convert } from "../../src";
import { outcomeOptions } from "../../src/convert/option-table";
import { dialectOf } from "../../src/processors/csv-dialect";
import { parseCsv } from "../../src/processors/csv";
import { python, tempDir } from "../helpers/h5py";

const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");

/** A file, and pandas' read_csv arguments that read it as h5dat should (sep=None: pandas sniffs too). */
interface DialectCase {
  text: string;
  sep: string;
  quotechar?: string;
  /** pandas sniffs from the first line only; false where that line cannot tell. */
  pandasSniffs: boolean;
}

const CASES: Record<string, DialectCase> = {
  "semicolon.csv": { text: 'id;name;price;in_stock\n1;"Smith; J.";2.5;true\n2;"say ""hi""";-1e3;FALSE\n3;Zürich;0.125;True\n', sep: ";", pandasSniffs: true },
  "pipe.csv": { text: 'a|b|c\n1|"x|y"|3.5\n2|z|4\n3|"two\nlines"|nan\n', sep: "|", pandasSniffs: true },
  "tabs.tsv": { text: 'city\tpop\tnote\nZürich\t421878\t"see\tthis"\nKöln\t1086000\ta, b; c\n', sep: "\t", pandasSniffs: true },
  // Tabs in a file named .csv: the content decides.
  "tabbed.csv": { text: "x\ty\n1\t2\n3\t4\n", sep: "\t", pandasSniffs: true },
  "comma.csv": { text: 'k,v,w\n"a,b",1,x;y\nc,2,"y, z"\n', sep: ",", pandasSniffs: true },
  "quoted-single.csv": { text: "name;note\n'O''Brien; P.';x\n'b';'y;z'\n", sep: ";", quotechar: "'", pandasSniffs: false },
};

const COMPARE = `
import h5py, json, sys, pandas as pd
f = h5py.File(sys.argv[1], "r")
out = {}
for name, c in json.loads(sys.argv[2]).items():
    ours = pd.DataFrame(f["tree/" + name][()])
    for column in ours.columns:
        if ours[column].dtype == object: ours[column] = ours[column].map(lambda v: v.decode() if isinstance(v, bytes) else v)
    quote = {"quotechar": c["quotechar"]} if c.get("quotechar") else {}
    readings = {"sep": pd.read_csv(sys.argv[3] + "/" + name, sep=c["sep"], **quote)}
    if c["pandasSniffs"]: readings["sniffed"] = pd.read_csv(sys.argv[3] + "/" + name, sep=None, engine="python", **quote)
    for how, theirs in readings.items():
        try:
            pd.testing.assert_frame_equal(ours, theirs)
            out[name + " " + how] = "equal"
        except AssertionError as e:
            out[name + " " + how] = str(e) + "\\n" + repr(ours) + "\\n" + repr(theirs)
print(json.dumps(out))
`;

/** Converts `files` (name → text) as one directory `tree` into `output`, with `options` on top. */
async function convertTree(dir: string, output: string, files: Record<string, string>, options: Parameters<typeof convert>[1] | object = {}) {
  const tree = path.join(dir, "tree");
  fs.rmSync(tree, { recursive: true, force: true });
  fs.mkdirSync(tree);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(tree, name), text);
  return { tree, summary: await convert([tree], { output, workers: 0, overwrite: true, ...options }) };
}

describe("CSV dialects", () => {
  const dir = tempDir("h5dat-csv-dialect-");

  test("; | tab and comma files, quoted cells holding the delimiter: sniffed, equal to pandas' read_csv", async () => {
    const output = path.join(dir, "dialects.h5");
    const { tree, summary } = await convertTree(dir, output, Object.fromEntries(Object.entries(CASES).map(([name, c]) => [name, c.text])));
    assert.equal(summary.written, Object.keys(CASES).length, JSON.stringify(summary.kept));
    const seen = python<Record<string, string>>(COMPARE, output, JSON.stringify(CASES), tree);
    for (const [reading, verdict] of Object.entries(seen)) assert.equal(verdict, "equal", reading);
    assert.equal(Object.keys(seen).length, Object.values(CASES).reduce((n, c) => n + (c.pandasSniffs ? 2 : 1), 0));
  });

  test("the sniffer: consistent cell counts win, the name breaks ties, the quote seen around cells", () => {
    assert.deepEqual(dialectOf("a;b\n1,5;2\n3;4,25\n", undefined), { delimiter: ";", quote: '"', sniffed: true });
    // Splitting as well at ';' and '|': the name's separator would win, else the list's order.
    assert.equal(dialectOf("a|b;c\n1|2;3\n", undefined).delimiter, ";");
    assert.equal(dialectOf("a\tb,c\n1\t2,3\n", undefined, "\t").delimiter, "\t");
    assert.equal(dialectOf("a\tb,c\n1\t2,3\n", undefined, ",").delimiter, ",");
    // A .tsv without a tab whose rows all split at ';' is read at ';'.
    assert.equal(dialectOf("a;b\n1;2\n", undefined, "\t").delimiter, ";");
    // One column: nothing to sniff, the name's separator.
    assert.equal(dialectOf("a\n1\n2\n", undefined, "\t").delimiter, "\t");
    assert.deepEqual(dialectOf("a;b\n1;2\n", "|"), { delimiter: "|", quote: '"', sniffed: false });
    assert.equal(dialectOf("a,b\n'x, y',it's\n", undefined).quote, "'");
    assert.equal(dialectOf("a,b\n\"x, y\",it's\n", undefined).quote, '"');
  });

  test("--csv-delimiter overrides the sniffer for the run, and is stored as a shaping option", async () => {
    const output = path.join(dir, "flag.h5");
    const files = { "t.csv": "a|b;c\n1|2;3\n4|5;6\n" };
    await convertTree(dir, output, files);
    const read = `import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(json.dumps([list(f["tree/t.csv"].dtype.names), json.loads(f.attrs["options"]).get("csv_delimiter")]))`;
    assert.deepEqual(python(read, output), [["a|b", "c"], null]);
    await convertTree(dir, output, files, { csvDelimiter: "|" });
    assert.deepEqual(python(read, output), [["a", "b;c"], "|"]);
  });

  test("the CLI: --csv-delimiter '\\t', config csv_delimiter and decimal_comma; both options a resume must keep", () => {
    const tree = path.join(dir, "cli");
    fs.mkdirSync(tree, { recursive: true });
    fs.writeFileSync(path.join(tree, "t.csv"), "a\tb|c\n1,5\t2|3\n");
    const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, "convert", path.join(tree, "t.csv"), "--workers", "0", "--overwrite", ...args], { encoding: "utf8" });
    const fields = (output: string) => python<[string, string][]>(`import h5py, json, sys
d = h5py.File(sys.argv[1], "r")["t.csv"]
print(json.dumps([[n, d.dtype[n].kind] for n in d.dtype.names]))`, output);
    const byFlag = path.join(tree, "flag.h5");
    assert.equal(cli("-o", byFlag, "--csv-delimiter", "\\t").status, 0);
    assert.deepEqual(fields(byFlag), [["a", "S"], ["b|c", "S"]]);
    const config = path.join(tree, "config.json");
    fs.writeFileSync(config, JSON.stringify({ csv_delimiter: "\t", decimal_comma: true }));
    const byConfig = path.join(tree, "config.h5");
    assert.equal(cli("-o", byConfig, "--config", config).status, 0);
    assert.deepEqual(fields(byConfig), [["a", "f"], ["b|c", "S"]]);
    assert.match(cli("-o", byFlag, "--csv-delimiter", "ab").stderr, /--csv-delimiter must be one character \(a tab as \\t\), not 'ab'/);
    // Shaping options: a --resume compares them; off and absent compare equal (runs from before them resume).
    const output = "out.h5";
    assert.deepEqual(outcomeOptions({ output, csvDelimiter: ";", decimalComma: true }), { ...outcomeOptions({ output }), csv_delimiter: ";", decimal_comma: true });
    assert.deepEqual(outcomeOptions({ output, decimalComma: false }), outcomeOptions({ output }));
  });

  test("booleans: true/false and yes/no in any case, only when the whole column is one pair's words", async () => {
    const table = await parseCsv("tf;yn;mixed;blank;word\nTRUE;yes;yes;true;no\nfalse;No;false;;nope\nTrue;YES;no;false;no\n");
    assert.deepEqual(table.types, ["bool", "bool", "string", "string", "string"]);
    assert.deepEqual(table.values.slice(0, 2), [
      [true, false, true],
      [true, false, true],
    ]);
  });

  test("--decimal-comma: 12,5 is 12.5 where the delimiter is not a comma; equal to pandas' decimal=','", async () => {
    const text = "item;price;code;grouped\na;12,5;1.5;1.234,5\nb;-0,25;2;2.000,0\nc;3;x;3,0\n";
    const plain = await parseCsv(text);
    assert.deepEqual(plain.types, ["string", "string", "string", "string"]);
    const comma = await parseCsv(text, { decimalComma: true });
    // "1.5" is not a number with a decimal comma, nor "1.234,5" (no thousands separator is read).
    assert.deepEqual(comma.types, ["string", "float64", "string", "string"]);
    assert.deepEqual([...(comma.values[1] as Float64Array)], [12.5, -0.25, 3]);
    const pandas = python<number[]>(`import io, json, sys, pandas as pd
print(json.dumps(pd.read_csv(io.StringIO(sys.argv[1]), sep=";", decimal=",")["price"].tolist()))`, text);
    assert.deepEqual([...(comma.values[1] as Float64Array)], pandas);
    // In a comma-separated file a decimal comma cannot be told from a separator: the flag does nothing.
    const quoted = await parseCsv('a,b\n"12,5",1\n', { decimalComma: true });
    assert.deepEqual(quoted.types, ["string", "int64"]);
  });

  test("a ragged ';' file is kept as its bytes, the reason naming the delimiter and the flag", async () => {
    const output = path.join(dir, "ragged.h5");
    const text = "a;b\n1;2\n3;4;5\n6;7\n";
    const { summary } = await convertTree(dir, output, { "ragged.csv": text });
    assert.equal(summary.keptAsBytes, 1);
    const kept = python<{ bytes: string; reason: string }>(`import h5py, json, sys
d = h5py.File(sys.argv[1], "r")["tree/ragged.csv"]
print(json.dumps({"bytes": d[()].tobytes().decode(), "reason": d.attrs["fallback_reason"]}))`, output);
    assert.equal(kept.bytes, text);
    assert.equal(kept.reason, `CSV row 3 has 3 cells, the header (row 1) has 2 (cells split at ';', sniffed from the first rows; give another with --csv-delimiter or a schema rule's "delimiter")`);
  });
});
