// ExportNames: the names export gives files — distinct without case, numbered before the
// extension in the order asked, directories kept apart from files, dot names kept as names.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ExportNames } from "../../src/export/export-names";
import { entryPathProblem, safeEntryPath } from "../../src/archive-writer/entry-path";

test("a name taken, in any case, gets ' (n)' before its extension, in the order asked", () => {
  const names = new ExportNames();
  assert.deepEqual(["X.PNG", "x.png", "x.png", "x (1).png", "a/b.csv", "A/B.CSV"].map((p) => names.claim(p)), ["X.PNG", "x (1).png", "x (2).png", "x (1) (1).png", "a/b.csv", "a/B (1).CSV"]);
});

test("a file where a directory is, and a directory where a file is, get other names; a directory keeps its name for all its files", () => {
  const names = new ExportNames();
  assert.equal(names.claim("d.csv"), "d.csv");
  assert.equal(names.claim("D.csv/e.png"), "D (1).csv/e.png");
  assert.equal(names.claim("d.csv/f.png"), "D (1).csv/f.png");
  assert.equal(names.claim("g/h.txt"), "g/h.txt");
  assert.equal(names.claim("G"), "G (1)");
});

test("names made only of or starting with dots: '..hidden' and '...' are names, '..' and '.' components are made safe", () => {
  const names = new ExportNames();
  assert.equal(names.claim("..hidden"), "..hidden");
  assert.equal(names.claim("..."), "...");
  assert.equal(names.claim(".hidden"), ".hidden");
  assert.equal(names.claim(".hidden"), ".hidden (1)");
  assert.equal(names.claim("../x"), "_../x");
  assert.equal(names.claim("a/./b"), "a/_./b");
  assert.equal(names.claim("a\\..\\b"), "a\\_..\\b");
  for (const p of ["..hidden", "...", "_../x", "a\\_..\\b"]) assert.equal(entryPathProblem(p), null, p);
  assert.equal(safeEntryPath(".."), "_..");
  assert.equal(safeEntryPath("//a//"), "a");
});
