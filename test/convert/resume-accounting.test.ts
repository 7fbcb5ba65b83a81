// The pieces of an entry-by-entry resume without a run: fingerprints compared (what changed in
// a directory, a changed archive refused), done entries found by name (two of one name in
// order), and the final count that turns an entry without a row into a failure.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { accountForEntries } from "../../src/convert/entry-accounting";
import { compareFingerprints, entryKey, fingerprintInputs } from "../../src/convert/input-fingerprint";
import { EntryOrder, ResumedEntries } from "../../src/convert/resumed-entries";
import type { Run } from "../../src/convert/run";
import { Manifest, type ManifestRow } from "../../src/output/manifest";
import { tempDir } from "../helpers/h5py";
import { writeTar } from "../bad/inputs/tar";

const dir = tempDir("h5dat-resume-");

const row = (source_path: string, status: ManifestRow["status"] = "written"): ManifestRow => ({ source: "in", source_path, target: `/in/${source_path}`, status, bytes: 1, processor: "bytes", message: "" });

test("a directory's fingerprint tells changed entries; added and removed ones are not 'changed'", async () => {
  const root = path.join(dir, "tree");
  fs.mkdirSync(path.join(root, "sub"), { recursive: true });
  for (const name of ["a.txt", "b.txt", "sub/c.txt"]) fs.writeFileSync(path.join(root, name), name);
  const [before] = await fingerprintInputs([root]);
  fs.writeFileSync(path.join(root, "b.txt"), "longer now");
  fs.rmSync(path.join(root, "a.txt"));
  fs.writeFileSync(path.join(root, "0.txt"), "new");
  const [now] = await fingerprintInputs([root]);
  const changes = compareFingerprints([root], [before], [now]);
  assert.deepEqual([...changes.changedEntries], [entryKey(root, "b.txt")]);
  assert.deepEqual(changes.refused, []);
  assert.ok(changes.any);
  assert.equal(compareFingerprints([root], [now], [now]).any, false);
});

test("an archive whose content changed under the same name and size is refused, naming it", async () => {
  const tar = path.join(dir, "a.tar");
  writeTar(tar, [{ name: "x.txt", data: "one" }]);
  const [before] = await fingerprintInputs([tar]);
  writeTar(tar, [{ name: "x.txt", data: "two" }]);
  fs.utimesSync(tar, fs.statSync(tar).atime, new Date(before.kind === "archive" ? before.mtime : 0));
  const [now] = await fingerprintInputs([tar]);
  const changes = compareFingerprints([tar], [before], [now]);
  assert.equal(changes.refused.length, 1);
  assert.match(changes.refused[0], /archive '.*a\.tar' changed since the interrupted run \(.*content\)/);
});

test("done entries are found by input and path, two of one name in their order; the rest are left over", () => {
  const resumed = new ResumedEntries([
    { entry: 4, row: row("dup") },
    { entry: 1, row: row("a") },
    { entry: 2, row: { ...row("dup"), status: "failed" } },
    { entry: 7, row: row("gone") },
  ]);
  assert.equal(resumed.take("in", "dup")?.entry, 2);
  assert.equal(resumed.take("in", "dup")?.entry, 4);
  assert.equal(resumed.take("in", "dup"), undefined);
  assert.equal(resumed.take("other", "a"), undefined);
  assert.equal(resumed.take("in", "a")?.entry, 1);
  assert.deepEqual(resumed.leftovers().map(({ entry }) => entry), [7]);
});

test("an entry listed without a row fails the run; one row each passes, and numbers become places", () => {
  const manifest = new Manifest();
  const order = new EntryOrder(0);
  for (const [entry, name] of [[10, "b"], [3, "a"], [11, "c"]] as const) {
    order.add(entry);
    if (name !== "c") manifest.add(row(name), entry);
  }
  const run = { manifest, order } as unknown as Run;
  assert.throws(() => accountForEntries(run, 0), /1 of the 3 entries the inputs listed have no manifest row: the run is not complete/);
  manifest.add(row("c"), 11);
  accountForEntries(run, 0);
  assert.equal(order.isFinal(), false);
  manifest.renumber(order.finalNumbers());
  assert.deepEqual(manifest.all.map((r) => r.source_path), ["b", "a", "c"]);
  assert.equal(manifest.get(0)?.source_path, "b");
});
