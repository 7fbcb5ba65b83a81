// Label sources and class numbering for the stacked layout.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ClassNumbering, directoryLabel, parseLabelSource, stemOf } from "../../src/stacked/labels";
import { python } from "../helpers/h5py";

describe("parseLabelSource", () => {
  test("dir, none, FILE:KEY:COLUMN (a file name holding ':' kept whole)", () => {
    assert.deepEqual(parseLabelSource("dir"), { from: "dir" });
    assert.deepEqual(parseLabelSource("none"), { from: "none" });
    assert.deepEqual(parseLabelSource("styles.csv:id:articleType"), { from: "table", file: "styles.csv", key: "id", column: "articleType" });
    assert.deepEqual(parseLabelSource("C:/data/styles.csv:id:type"), { from: "table", file: "C:/data/styles.csv", key: "id", column: "type" });
  });

  test("anything else is a clear error", () => {
    assert.throws(() => parseLabelSource("styles.csv:id"), /not dir, none or FILE:KEY:COLUMN/);
    assert.throws(() => parseLabelSource("styles.csv::type"), /not dir, none or FILE:KEY:COLUMN/);
  });
});

test("directoryLabel and stemOf", () => {
  assert.equal(directoryLabel("train/cat/1.jpg"), "cat");
  assert.equal(directoryLabel("1.jpg"), null);
  assert.equal(stemOf("images/1163.jpg"), "1163");
  assert.equal(stemOf("a/b.tar.gz"), "b.tar");
  assert.equal(stemOf(".hidden"), ".hidden");
});

describe("ClassNumbering", () => {
  test("numbers are the sorted order, whatever order the images came in; Python's sorted() agrees", () => {
    const names = ["zebra", "Ant", "émeu", "cat", "ant", "東京", "Zoo"];
    const numbering = new ClassNumbering();
    const ids = ["zebra", "cat", "zebra", ...names].map((n) => numbering.idOf(n));
    const { classNames, numberOf } = numbering.finish();
    const sorted = python<string[]>("import json, sys; print(json.dumps(sorted(json.loads(sys.argv[1]))))", JSON.stringify(names));
    assert.deepEqual(classNames, sorted);
    assert.deepEqual(Array.from(ids, (id) => classNames[numberOf[id]]), ["zebra", "cat", "zebra", ...names]);
  });

  test("appending keeps the old numbers and adds new classes after them, sorted", () => {
    const numbering = new ClassNumbering(["cat", "dog"]);
    const ids = ["owl", "dog", "ant"].map((n) => numbering.idOf(n));
    const { classNames, numberOf } = numbering.finish();
    assert.deepEqual(classNames, ["cat", "dog", "ant", "owl"]);
    assert.deepEqual(Array.from(ids, (id) => numberOf[id]), [3, 1, 2]);
  });
});
