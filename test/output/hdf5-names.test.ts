// Names HDF5 cannot hold are escaped reversibly, and the escaped names really work as HDF5 links
// (h5py lists them back); names that would leave their group ('..', '/x', 'C:\x') are made safe.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { File } from "../../src";
import { datasetPathOf, escapeName, safePathOf, sourcePathOf, unescapeName } from "../../src/output/hdf5-names";
import { python, tempDir } from "../helpers/h5py";

const AWKWARD = [".", "..", "%", "100%", "a%2Fb", "with space", "ünïcödé 日本", "nul\u0000byte", "tab\tand\nnewline", "", "%25", "emoji 😀"];

test("escapeName is undone by unescapeName, and never yields '/', NUL, '.' or ''", () => {
  for (const name of AWKWARD) {
    const escaped = escapeName(name);
    assert.equal(unescapeName(escaped), name);
    assert.ok(!escaped.includes("/") && !escaped.includes("\u0000") && escaped !== "." && escaped !== "", escaped);
  }
  assert.equal(escapeName("cat_01.jpg"), "cat_01.jpg");
});

test("dataset paths mirror source paths and map back", () => {
  assert.equal(datasetPathOf("photos", "train/cat_01.jpg"), "/photos/train/cat_01.jpg");
  assert.equal(datasetPathOf("p", "./a//b/."), "/p/a/b");
  for (const sourcePath of ["train/cat_01.jpg", "100%/x", "ünï/日本.json", "a b/c"]) {
    assert.deepEqual(sourcePathOf(datasetPathOf("g 1", sourcePath)), ["g 1", sourcePath]);
  }
});

test("escaped names are valid HDF5 links that h5py lists back", async () => {
  const file = path.join(tempDir(), "names.h5");
  const f = await File.open(file, "w");
  for (const [i, name] of AWKWARD.entries()) await f.createDataset(`g/${escapeName(name)}`, { data: [i] });
  await f.close();
  const names = python<string[]>(`import h5py, json, sys; print(json.dumps(sorted(h5py.File(sys.argv[1], "r")["g"].keys())))`, file);
  assert.deepEqual(names.map(unescapeName).sort(), [...AWKWARD].sort());
});

test("names that would leave their group are made safe, and each change is said", () => {
  const cases: [string, string[], string[]][] = [
    ["train/cat.jpg", ["train", "cat.jpg"], []],
    ["./a//b/.", ["a", "b"], []],
    ["../../x", ["x"], ["dropped '..'"]],
    ["a/../../b", ["a", "b"], ["dropped '..'"]],
    ["/etc/passwd", ["etc", "passwd"], ["dropped the leading '/'"]],
    ["C:/x.txt", ["x.txt"], ["dropped the drive 'C:'"]],
    ["C:\\dir\\x.txt", ["dir", "x.txt"], ["read '\\' as '/'", "dropped the drive 'C:'"]],
    ["\\\\server\\share\\x", ["server", "share", "x"], ["dropped the leading '\\'", "read '\\' as '/'"]],
    ["C:x.txt", ["C:x.txt"], []],
    ["c:", [], ["dropped the drive 'c:'"]],
    ["..", [], ["dropped '..'"]],
    [".", [], []],
    ["", [], []],
    ["a\u2215b", ["a\u2215b"], []],
  ];
  for (const [sourcePath, parts, changes] of cases) assert.deepEqual(safePathOf(sourcePath), { parts, changes }, sourcePath);
  assert.equal(datasetPathOf("g", "../../etc/passwd"), "/g/etc/passwd");
  assert.equal(datasetPathOf("", "/abs.txt"), "/abs.txt");
});
