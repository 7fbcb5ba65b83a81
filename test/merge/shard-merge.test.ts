// convert --shard i/N and `h5dat merge` (issue 21), files layout: the shards of a run over a
// directory and a zip (images, a corrupt image, JSON, CSV, a schema's quarantine), merged, read
// by h5py through the master's external links (and from a copy of the directory elsewhere, run
// from another working directory) and from a --materialize'd master, equal a one-process run:
// the same datasets with the same values and attrs, the same manifest rows as a set. Merge
// refuses a missing shard, one twice, a shard of another run, a .partial, a file not a shard,
// writing nothing.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { convert, merge, parseShard, parseSchema } from "../../src";
import { makeTreeAndArchives } from "../helpers/archives";
import { PYTHON, python, tempDir } from "../helpers/h5py";
import { WALK, walkSession, type Walked } from "../helpers/h5-walk";
import { compiledCli } from "../helpers/compiled-cli";

const dir = tempDir("h5dat-shard-merge-");
const tree = path.join(dir, "photos");
const zip = path.join(dir, "docs.zip");
/** h5py walks every file of this suite in one Python process. */
const walks = walkSession();
after(() => walks.close());

const SCHEMA_FILE = path.join(dir, "records.json");
fs.writeFileSync(SCHEMA_FILE, JSON.stringify({ rules: [{ match: "**/*.jsonl", records: { type: "object", required: ["id"] } }] }));
const SCHEMA = parseSchema(fs.readFileSync(SCHEMA_FILE, "utf8"), SCHEMA_FILE);

before(() => {
  python(`import sys, os, numpy as np
from PIL import Image
rng = np.random.default_rng(21)
root = sys.argv[1]
for d in ("a", "b", "c/deep"):
    os.makedirs(f"{root}/{d}", exist_ok=True)
    for i in range(5):
        h, w = (int(x) for x in rng.integers(4, 12, 2))
        Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(f"{root}/{d}/img_{i}.png")
open(f"{root}/b/broken.png", "wb").write(b"\\x89PNG\\r\\n\\x1a\\nbroken")
open(f"{root}/notes.json", "w").write('{"title": "shards", "n": [1, 2, 3]}')
print("{}")`, tree);
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) files[`t/table_${i}.csv`] = `id,value\n${i},${i * 1.5}\n${i + 1},x${i}\n`;
  files["events.jsonl"] = '{"id": 1}\n{"no_id": 2}\n{"id": 3}\n';
  files["more.jsonl"] = '{"nope": 1}\n{"id": 4}\n';
  makeTreeAndArchives(files, path.join(dir, "docs"), dir, "docs", ["zip"]);
});

/** Converts the inputs as `count` shards into `into`; the shard files. */
async function shards(count: number, into: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  fs.mkdirSync(into, { recursive: true });
  const made: string[] = [];
  for (let index = 0; index < count; index++) {
    const summary = await convert([tree, zip], { output: path.join(into, "part-{i}-of-{N}.h5"), shard: { index, count }, schema: SCHEMA, ...extra });
    made.push(summary.output);
  }
  return made;
}

describe("convert --shard and merge, files layout", () => {
  let single: Walked;
  before(async () => {
    await convert([tree, zip], { output: path.join(dir, "single.h5"), schema: SCHEMA });
    single = await walks.call<Walked>(path.join(dir, "single.h5"));
    assert.deepEqual([single.quarantine.length, Object.keys(single.objects).length > 30], [2, true], JSON.stringify(single).slice(0, 3000));
  });

  for (const count of [1, 3, 8]) {
    test(`${count} shard${count > 1 ? "s" : ""} merged equal one process, linked and materialized`, async () => {
      const into = path.join(dir, `n${count}`);
      const made = await shards(count, into);
      assert.deepEqual(made.map((p) => path.basename(p)), Array.from({ length: count }, (_, i) => `part-${String(i).padStart(String(count).length, "0")}-of-${count}.h5`));
      // Every entry is in one shard: the shards' manifests add up to the single run's.
      const perShard = await Promise.all(made.map(async (p) => (await walks.call<Walked>(p)).rows.length));
      assert.equal(perShard.reduce((a, b) => a + b, 0), single.rows.length);
      const summary = await merge(made, { output: path.join(into, "master.h5") });
      assert.deepEqual([summary.shards, summary.mode, summary.written + summary.skipped + summary.failed], [count, "virtual", single.rows.length]);
      const linked = await walks.call<Walked>(path.join(into, "master.h5"));
      assert.deepEqual(linked.objects, single.objects);
      assert.deepEqual(linked.rows, single.rows);
      assert.deepEqual(linked.quarantine, single.quarantine);
      assert.deepEqual(linked.counts, { written: summary.written, skipped: summary.skipped, failed: summary.failed });
      assert.ok(linked.links > 0);
      const root = python<Record<string, unknown>>(`import h5py, json, sys
a = h5py.File(sys.argv[1]).attrs
print(json.dumps({"mode": a["merge_mode"], "shards": list(a["merged_shards"]), "count": int(a["shard_count"]), "index": "shard_index" in a, "output": json.loads(a["options"])["output"]}))`, path.join(into, "master.h5"));
      assert.deepEqual(root, { mode: "virtual", shards: made.map((p) => path.basename(p)), count, index: false, output: path.join(into, "master.h5") });
      await merge(made, { output: path.join(into, "copy.h5"), materialize: true });
      const copied = await walks.call<Walked>(path.join(into, "copy.h5"));
      assert.deepEqual({ ...copied, links: 0 }, { ...linked, links: 0 });
      assert.equal(copied.links, 0);
    });
  }

  test("the master's links are relative: the directory moved, read from another working directory", async () => {
    const moved = path.join(dir, "moved");
    fs.cpSync(path.join(dir, "n3"), moved, { recursive: true });
    fs.rmSync(path.join(dir, "n3"), { recursive: true });
    const run = spawnSync(PYTHON, ["-c", WALK, path.join(moved, "master.h5")], { cwd: "/", encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as Walked).objects, single.objects);
  });

  test("a shard killed mid-run and run again (--resume, as a scheduler's retry) merges equal to one process", async () => {
    const into = path.join(dir, "killed");
    const made = await shards(3, into);
    fs.rmSync(made[1]);
    const node = process.execPath;
    const args = compiledCli("convert", tree, zip, "--shard", "1/3", "-o", path.join(into, "part-{i}-of-{N}.h5"), "--schema", SCHEMA_FILE, "--workers", "0", "--checkpoint-entries", "1", "--resume");
    // Killed once its .partial holds a checkpoint or two.
    const child = spawn(node, args, { stdio: "ignore" });
    const closed = new Promise((resolve) => child.on("close", resolve));
    const partial = `${made[1]}.partial`;
    while (!fs.existsSync(partial) && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill("SIGKILL");
    await closed;
    // A .partial or (a kill after the end) the shard itself: merging refuses the first, the retry finishes either.
    if (fs.existsSync(partial)) await assert.rejects(merge([made[0], partial, made[2]], { output: path.join(into, "master.h5") }), /an unfinished shard/);
    const retry = spawnSync(node, args, { encoding: "utf8" });
    assert.ok(retry.status === 0 || retry.status === 2, retry.stderr);
    await merge(made, { output: path.join(into, "master.h5") });
    const merged = await walks.call<Walked>(path.join(into, "master.h5"));
    assert.deepEqual(merged.objects, single.objects);
    assert.deepEqual(merged.rows, single.rows);
    assert.deepEqual(merged.quarantine, single.quarantine);
  });

  test("merge refuses a missing shard, one twice, one of another run, a .partial and a file no shard, writing nothing", async () => {
    const into = path.join(dir, "refused");
    const made = await shards(3, into);
    const other = await shards(3, path.join(into, "other"), { compression: "none" });
    fs.copyFileSync(made[1], path.join(into, "again.h5"));
    fs.writeFileSync(path.join(into, "part-2-of-3.h5.partial"), "");
    const output = path.join(into, "master.h5");
    const refused = async (paths: string[], pattern: RegExp) => {
      await assert.rejects(merge(paths, { output }), pattern);
      assert.equal(fs.existsSync(output) || fs.existsSync(`${output}.partial`), false);
    };
    await refused(made.slice(0, 2), /shard 2 of 3 missing: give every shard of the run\nnothing was written/);
    await refused([...made, path.join(into, "again.h5")], /again\.h5: shard 1 of 3 again \(.*part-1-of-3\.h5 is too\)/);
    await refused([made[0], made[1], other[2]], /other\/part-2-of-3\.h5: of another run than .*part-0-of-3\.h5/);
    await refused([made[0], made[1], path.join(into, "part-2-of-3.h5.partial")], /part-2-of-3\.h5\.partial: an unfinished shard/);
    await refused([...made, path.join(dir, "single.h5")], /single\.h5: not a shard/);
    // The CLI: exit 1, each problem on its line.
    const run = spawnSync(process.execPath, compiledCli("merge", made[0], "-o", output), { encoding: "utf8" });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cannot merge: shards 1, 2 of 3 missing/);
  });

  test("--shard: auto from the scheduler's environment, checked; {i} {N} need it; no --append", async () => {
    assert.deepEqual(parseShard("auto/16", "--shard", { SLURM_ARRAY_TASK_ID: "7", SLURM_ARRAY_TASK_MIN: "1" }), { index: 6, count: 16 });
    assert.deepEqual(parseShard("auto/4", "--shard", { JOB_COMPLETION_INDEX: "3" }), { index: 3, count: 4 });
    assert.deepEqual(parseShard("auto/4", "--shard", { H5DAT_SHARD_INDEX: "0" }), { index: 0, count: 4 });
    assert.throws(() => parseShard("auto/4", "--shard", {}), /no shard index in the environment: set one of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, H5DAT_SHARD_INDEX/);
    assert.throws(() => parseShard("4/4", "--shard", {}), /the shard index 4 is not below N = 4/);
    assert.throws(() => parseShard("1/0", "--shard", {}), /N must be at least 1/);
    assert.throws(() => parseShard("x", "--shard", {}), /must be i\/N or auto\/N/);
    await assert.rejects(convert([tree], { output: path.join(dir, "x-{i}.h5") }), /names \{i\} or \{N\}, which only --shard i\/N fills in/);
    await assert.rejects(convert([tree], { output: path.join(dir, "x.h5"), shard: { index: 0, count: 2 }, append: true }), /cannot --append/);
    const run = spawnSync(process.execPath, compiledCli("convert", tree, "-o", path.join(dir, "env-{i}-of-{N}.h5"), "--shard", "auto/12", "--workers", "0"), { encoding: "utf8", env: { ...process.env, JOB_COMPLETION_INDEX: "5" } });
    assert.ok(run.status === 0 || run.status === 2, run.stderr);
    const attrs = python<number[]>("import h5py, json, sys; f = h5py.File(sys.argv[1]); print(json.dumps([int(f.attrs['shard_index']), int(f.attrs['shard_count']), len(f.attrs['shard_fingerprint'])]))", path.join(dir, "env-05-of-12.h5"));
    assert.deepEqual(attrs, [5, 12, 64]);
  });
});
