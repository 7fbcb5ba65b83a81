// convert --shard passes over other shards' archive entries inside the addon (issue 21): for a
// tar, tar.gz and zip with tricky names (unicode in NFC and NFD, 4-byte characters, spaces,
// "./" prefixes, deep nesting, a name twice, a name not UTF-8, a directory and a symlink), each
// shard's entries are exactly those src/convert/shard.ts's shardOf assigns it, shards 0..N-1
// cover each entry once, every entry keeps its index in the input (counting those passed over),
// and a schema target's {index} is the same as in an unsharded run; a long pass stops to tell
// progress without losing count.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { convert, File, parseSchema } from "../../src";
import { shardOf } from "../../src/convert/shard";
import { ArchiveSource } from "../../src/sources/archive-source";
import { readStoredRows } from "../../src/output/manifest";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-shard-skip-");

// Names as stored (Python strings; "\udcff" is the byte 0xff, written by tarfile's surrogateescape).
const NAMES = [
  "./dot prefixed.txt",
  ".//./dots and slashes.txt",
  "spaces in name/file one.txt",
  "nested/deep/er/still/leaf.json",
  "Zürich/café.txt",
  "Zürich/cafe\u0301.txt",
  "emoji/😀 smile.txt",
  "日本語/ファイル.txt",
  "twice.txt",
  "twice.txt",
  ".hidden",
  ...Array.from({ length: 40 }, (_, i) => `fill/file_${String(i).padStart(2, "0")}.txt`),
];
const TAR_ONLY = ["raw-\udcff-name.txt"];

python(`import io, json, sys, tarfile, zipfile, warnings
out, names, tar_only = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
def tar(target, mode):
    with tarfile.open(target, mode, format=tarfile.PAX_FORMAT, encoding="utf-8", errors="surrogateescape") as t:
        def add(name, data=None, kind=tarfile.REGTYPE, link=""):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, link
            data = data if data is not None else (name + "\\n").encode("utf-8", "surrogateescape")
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            t.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
        add("a dir/", kind=tarfile.DIRTYPE)
        for i, name in enumerate(names): add(name, ("%d %s\\n" % (i, name)).encode())
        for name in tar_only: add(name)
        add("a link", kind=tarfile.SYMTYPE, link="twice.txt")
tar(out + "/tricky.tar", "w")
tar(out + "/tricky.tar.gz", "w:gz")
warnings.simplefilter("ignore")  # zipfile warns of the duplicate name, which is the point
with zipfile.ZipFile(out + "/tricky.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("a dir/", b"")
    for i, name in enumerate(names): z.writestr(name, ("%d %s\\n" % (i, name)).encode())
print("[]")`, dir, JSON.stringify(NAMES), JSON.stringify(TAR_ONLY));

const ARCHIVES = ["tricky.tar", "tricky.tar.gz", "tricky.zip"].map((name) => path.join(dir, name));

interface Listed {
  index: number;
  sourcePath: string;
}

/** The entries the source yields (reading each one's data), with their index in the input. */
async function listed(archive: string, shard?: { index: number; count: number }): Promise<{ entries: Listed[]; passedOver: number }> {
  const source = new ArchiveSource(archive, 0);
  const entries: Listed[] = [];
  let next = 0;
  let passedOver = 0;
  try {
    for await (const entry of source.entries(shard)) {
      passedOver += entry.passedOver ?? 0;
      next += entry.passedOver ?? 0;
      entries.push({ index: next++, sourcePath: entry.sourcePath });
      await entry.readAll().catch(() => undefined);
    }
  } finally {
    await source.close();
  }
  return { entries, passedOver };
}

for (const archive of ARCHIVES) {
  const name = path.basename(archive);
  test(`${name}: the native pass-over gives each shard exactly what shardOf assigns it, with unchanged indexes`, async () => {
    const source = new ArchiveSource(archive, 0);
    const group = source.groupName;
    const all = (await listed(archive)).entries;
    assert.ok(all.some((e) => e.sourcePath === "dot prefixed.txt") && all.some((e) => e.sourcePath === "dots and slashes.txt"), "./ prefixes are stripped");
    assert.equal(all.filter((e) => e.sourcePath === "twice.txt").length, 2);
    if (name.includes("tar")) assert.ok(all.some((e) => e.sourcePath.includes("\ufffd")), "the name that is not UTF-8 is listed");
    for (const count of [1, 3, 7]) {
      const covered = new Map<number, number>();
      let passedTotal = 0;
      for (let index = 0; index < count; index++) {
        const { entries, passedOver } = await listed(archive, { index, count });
        passedTotal += passedOver;
        // What convert keeps: the entries the source yields whose shard is this one (JS checks again).
        const kept = entries.filter((e) => shardOf(group, e.sourcePath, count) === index);
        assert.deepEqual(kept, all.filter((e) => shardOf(group, e.sourcePath, count) === index), `${name} shard ${index}/${count}`);
        // Only what the addon leaves to JS may be another shard's: the name not UTF-8, the symlink.
        const leftToJs = entries.filter((e) => shardOf(group, e.sourcePath, count) !== index).map((e) => e.sourcePath);
        for (const sourcePath of leftToJs) assert.ok(sourcePath.includes("\ufffd") || sourcePath === "a link", `${name} ${index}/${count}: '${sourcePath}' came to JS`);
        for (const e of kept) covered.set(e.index, (covered.get(e.index) ?? 0) + 1);
      }
      assert.deepEqual([...covered.keys()].sort((a, b) => a - b), all.map((e) => e.index), `${name} /${count}: every entry in one shard`);
      assert.ok([...covered.values()].every((times) => times === 1), `${name} /${count}: no entry twice`);
      // (Entries passed over after the last one yielded are not counted: nothing follows them.)
      if (count > 1) assert.ok(passedTotal >= ((count - 1) * all.length) / 2, `${name} /${count}: other shards' files were passed over natively (${passedTotal})`);
    }
  });
}

/** The manifest rows of `output` as "source_path → target (status)", sorted. */
async function rowsOf(output: string): Promise<string[]> {
  const file = await File.open(output, "r");
  try {
    return ((await readStoredRows(file)) ?? []).map(({ row }) => `${row.source_path} → ${row.target} (${row.status})`).sort();
  } finally {
    await file.close();
  }
}

test("a schema target's {index} is the same in shards as in an unsharded run (tar.gz and zip)", async () => {
  const schemaFile = path.join(dir, "schema.json");
  const schema = parseSchema(JSON.stringify({ rules: [{ match: "**", target: "by-index/{index:3}" }] }), schemaFile);
  for (const archive of [ARCHIVES[1], ARCHIVES[2]]) {
    const whole = await rowsOf((await convert([archive], { output: path.join(dir, "whole.h5"), overwrite: true, schema, workers: 1 })).output);
    assert.ok(whole.some((row) => row.includes("by-index/050")), `targets use {index}: ${whole.slice(0, 3).join("; ")}`);
    const sharded: string[] = [];
    for (let index = 0; index < 4; index++) {
      const summary = await convert([archive], { output: path.join(dir, "part-{i}-of-{N}.h5"), overwrite: true, schema, workers: 1, shard: { index, count: 4 } });
      sharded.push(...(await rowsOf(summary.output)));
    }
    assert.deepEqual(sharded.sort(), whole, path.basename(archive));
  }
});

test("a long pass over other shards' entries stops to tell progress, and the entry after it keeps its index", async () => {
  const archive = path.join(dir, "large.tar");
  python(`import io, os, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for i in range(300):
        data = os.urandom(128 * 1024)
        info = tarfile.TarInfo("f/%04d.bin" % i)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
print("[]")`, archive);
  const group = new ArchiveSource(archive, 0).groupName;
  // A shard of 10^12 that owns entry 290 (and, by the odds, nothing else): 36 MiB passed over first.
  const count = 1e12;
  const index = shardOf(group, "f/0290.bin", count);
  const positions: number[] = [];
  const source = new ArchiveSource(archive, 0);
  const yielded: Listed[] = [];
  let next = 0;
  try {
    for await (const entry of source.entries({ index, count, onPassing: (position) => positions.push(position) })) {
      next += entry.passedOver ?? 0;
      yielded.push({ index: next++, sourcePath: entry.sourcePath });
      await entry.readAll();
    }
  } finally {
    await source.close();
  }
  assert.deepEqual(yielded, [{ index: 290, sourcePath: "f/0290.bin" }]);
  assert.ok(positions.length >= 2, `progress told ${positions.length} times`);
  assert.ok(positions.every((p, i) => i === 0 || p > positions[i - 1]) && positions.at(-1)! >= 32 << 20, positions.join(", "));
});
