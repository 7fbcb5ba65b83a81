// examples/python/read_records.py (issue 19): a CSV converted by h5dat, read back into pandas by the
// example, equals pandas' own read_csv of the source, whole and as a row range; strings stored
// fixed-length ("S") or variable-length both come back decoded.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { PYTHON, python, tempDir } from "../helpers/h5py";

const EXAMPLE = path.join(__dirname, "..", "..", "examples", "python", "read_records.py");

const CSV = [
  "id,city,score,ok,note",
  '1,Zürich,2.5,true,"Smith, J."',
  "2,東京,,false,plain",
  '3,Köln,-1e-3,TRUE,"say ""hi"""',
  "4,Lagos,7,False,x",
  "5,Lima,0.125,true,y",
].join("\n") + "\n";

const COMPARE = `
import importlib.util, json, sys
import h5py, numpy as np, pandas as pd
spec = importlib.util.spec_from_file_location("read_records", sys.argv[1])
example = importlib.util.module_from_spec(spec); spec.loader.exec_module(example)
h5, source, fixed = sys.argv[2], sys.argv[3], sys.argv[4]
out = {}
def compare(name, ours, theirs):
    try:
        pd.testing.assert_frame_equal(ours.reset_index(drop=True), theirs.reset_index(drop=True))
        out[name] = "equal"
    except AssertionError as e:
        out[name] = str(e) + "\\n" + repr(ours) + "\\n" + repr(theirs)
theirs = pd.read_csv(source)
compare("whole", example.read_records(h5, "/data.csv"), theirs)
compare("rows 1..3", example.read_records(h5, "/data.csv", 1, 3), theirs.iloc[1:3])
# The same table with its strings fixed-length ("S") and variable-length, written by h5py.
with h5py.File(fixed, "w") as f:
    kinds = np.dtype([("name", "S8"), ("text", h5py.string_dtype()), ("n", "<i8")])
    f["t"] = np.array([("ab".encode(), "ü".encode(), 1), ("cde".encode(), "x,y".encode(), 2)], dtype=kinds)
compare("fixed and vlen", example.read_records(fixed, "t"), pd.DataFrame({"name": ["ab", "cde"], "text": ["ü", "x,y"], "n": [1, 2]}))
print(json.dumps(out))
`;

test("read_records.py reads h5dat's CSV table into pandas equal to read_csv, whole and by rows", async () => {
  const dir = tempDir("h5dat-read-records-");
  const source = path.join(dir, "data.csv");
  fs.writeFileSync(source, CSV);
  const output = path.join(dir, "out.h5");
  const summary = await convert([source], { output, workers: 0 });
  assert.equal(summary.written, 1);
  const seen = python<Record<string, string>>(COMPARE, EXAMPLE, output, source, path.join(dir, "fixed.h5"));
  assert.deepEqual(Object.keys(seen), ["whole", "rows 1..3", "fixed and vlen"]);
  for (const [what, verdict] of Object.entries(seen)) assert.equal(verdict, "equal", what);
  // As a script: the head of rows 1..3, decoded.
  const printed = execFileSync(PYTHON, [EXAMPLE, output, "/data.csv", "1", "3"], { encoding: "utf8" });
  assert.match(printed, /東京/);
  assert.match(printed, /say "hi"/);
  assert.doesNotMatch(printed, /Zürich|b'/);
});

const JSONL_COMPARE = `
import importlib.util, json, sys
import pandas as pd
spec = importlib.util.spec_from_file_location("read_records", sys.argv[1])
example = importlib.util.module_from_spec(spec); spec.loader.exec_module(example)
frame = example.read_records(sys.argv[2], "/events.jsonl", 1, 4)
print(json.dumps({"columns": list(frame.columns), "rows": frame.astype(object).where(frame.notna(), None).values.tolist()}))
`;

test("read_records.py reads a JSONL table: nulls and absent keys as None, a ragged text column as its texts", async () => {
  const dir = tempDir("h5dat-read-records-jsonl-");
  const source = path.join(dir, "events.jsonl");
  const long = "ü".repeat(3000);
  const records = [
    { id: 0, msg: "a", user: { name: "x" } },
    { id: 1, msg: long, user: { name: null } },
    { id: 2, msg: "b" },
    { id: 3, msg: 'é,"q', user: { name: "z" } },
  ];
  fs.writeFileSync(source, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const output = path.join(dir, "out.h5");
  await convert([source], { output, workers: 0 });
  const seen = python<{ columns: string[]; rows: unknown[][] }>(JSONL_COMPARE, EXAMPLE, output);
  assert.deepEqual(seen.columns, ["id", "msg", "user.name"]);
  assert.deepEqual(seen.rows, [[1, long, null], [2, "b", null], [3, 'é,"q', "z"]]);
});
