// Split assignment for the stacked layout: the rule's parsing, the hash's stability and fairness,
// and split directories.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { parseSplitRule, splitByHash, splitFromDirectories, splitPoint } from "../../src/stacked/split-rule";

describe("parseSplitRule", () => {
  test("names and shares in order", () => {
    assert.deepEqual(parseSplitRule("train=0.8,val=0.1,test=0.1"), [
      { name: "train", share: 0.8 },
      { name: "val", share: 0.1 },
      { name: "test", share: 0.1 },
    ]);
    assert.deepEqual(parseSplitRule(" a = .5 , b=0.5"), [{ name: "a", share: 0.5 }, { name: "b", share: 0.5 }]);
  });

  test("clear errors: a part that is not NAME=SHARE, a name twice, a zero share, shares not summing to 1", () => {
    assert.throws(() => parseSplitRule("train:0.8"), /'train:0.8' is not NAME=SHARE/);
    assert.throws(() => parseSplitRule("a=0.5,a=0.5"), /'a' is named twice/);
    assert.throws(() => parseSplitRule("a=1,b=0"), /'b' has a share of 0/);
    assert.throws(() => parseSplitRule("a=0.5,b=0.4"), /sum to 0.9, not 1/);
  });
});

describe("splitByHash", () => {
  const rule = parseSplitRule("train=0.8,val=0.1,test=0.1");
  const paths = Array.from({ length: 20000 }, (_, i) => `photos/class_${i % 7}/img_${i}.jpg`);

  test("is SHA-256 of seed and path as documented, stable across calls and seeds apart", () => {
    const digest = createHash("sha256").update("1\nphotos/a.jpg").digest();
    assert.equal(splitPoint("photos/a.jpg", 1), Number(digest.readBigUInt64BE(0) >> 11n) / 2 ** 53);
    assert.equal(splitByHash("photos/a.jpg", rule, 1), splitByHash("photos/a.jpg", rule, 1));
    const moved = paths.filter((p) => splitByHash(p, rule, 1) !== splitByHash(p, rule, 2)).length;
    assert.ok(moved > 2000, `${moved} of 20,000 files change split with the seed`);
  });

  test("gives each split its share, within 2 % of 20,000 files", () => {
    const counts: Record<string, number> = { train: 0, val: 0, test: 0 };
    for (const p of paths) counts[splitByHash(p, rule, 7)]++;
    assert.ok(Math.abs(counts.train - 16000) < 400 && Math.abs(counts.val - 2000) < 400 && Math.abs(counts.test - 2000) < 400, JSON.stringify(counts));
  });

  test("a file keeps its split when others join", () => {
    const before = paths.slice(0, 1000).map((p) => splitByHash(p, rule, 3));
    const after = paths.map((p) => splitByHash(p, rule, 3)).slice(0, 1000);
    assert.deepEqual(after, before);
  });
});

describe("splitFromDirectories", () => {
  test("train, val/valid/validation and test directories, any case, at any depth; none elsewhere", () => {
    assert.equal(splitFromDirectories("train/cat/1.jpg"), "train");
    assert.equal(splitFromDirectories("data/Valid/dog/2.jpg"), "val");
    assert.equal(splitFromDirectories("validation/2.jpg"), "val");
    assert.equal(splitFromDirectories("x/test/3.png"), "test");
    assert.equal(splitFromDirectories("cats/train.jpg"), null);
    assert.equal(splitFromDirectories("1.jpg"), null);
  });
});
