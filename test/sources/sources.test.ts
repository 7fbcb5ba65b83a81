// Every kind of input yields the same entries for the same content: a directory, zip, tar,
// tar.gz, tar.bz2, tar.xz and tar.zst of one tree give identical paths and bytes; a loose file and a lone .gz give
// one entry each; group names drop archive suffixes; links and special files are entries that are
// never followed or read.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { test } from "node:test";
import { groupNameOf, ownGroupNameOf, renamedNote } from "../../src/sources/source-entry";
import { openSource } from "../../src/sources/open-source";
import { makeTreeAndArchives } from "../helpers/archives";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-sources-");
const tree = path.join(dir, "photos");
const FILES: Record<string, Buffer> = {
  "train/cat_01.jpg": Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)]),
  "train/dog 02.json": Buffer.from('{"ü": [1, 2.5, null]}'),
  "test/notes.txt": Buffer.from("a\nb\n"),
  "empty.bin": Buffer.alloc(0),
  "z/deep/er/x.csv": Buffer.from("a,b\n1,2\n"),
};
makeTreeAndArchives(FILES, tree, dir, "photos", ["zip", "tar", "tar.gz", "tar.bz2", "tar.xz", "tar.zst"]);

async function listing(input: string): Promise<{ group: string; entries: [string, string, number | null][] }> {
  const source = await openSource(input);
  const entries: [string, string, number | null][] = [];
  for await (const entry of source.entries()) entries.push([entry.sourcePath, (await entry.readAll()).toString("base64"), entry.size]);
  await source.close();
  return { group: source.groupName, entries: entries.sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
}

test("a directory, zip, tar, tar.gz, tar.bz2, tar.xz and tar.zst of one tree yield the same entries and group name", async () => {
  const expected = Object.keys(FILES).sort().map((p) => [p, FILES[p].toString("base64"), FILES[p].length]);
  for (const input of [tree, `${tree}/`, ...["zip", "tar", "tar.gz", "tar.bz2", "tar.xz", "tar.zst"].map((ext) => path.join(dir, `photos.${ext}`))]) {
    const { group, entries } = await listing(input);
    assert.equal(group, "photos", input);
    assert.deepEqual(entries, expected, input);
  }
});

test("data is also readable in blocks, and only once per archive entry", async () => {
  const source = await openSource(path.join(dir, "photos.tar.gz"));
  for await (const entry of source.entries()) {
    const parts: Buffer[] = [];
    for await (const block of entry.blocks()) parts.push(block);
    assert.ok(Buffer.concat(parts).equals(FILES[entry.sourcePath]), entry.sourcePath);
    await assert.rejects(entry.readAll(), /already read/);
  }
  await source.close();
});

test("a loose file is one entry; a lone .gz is one entry named without .gz", async () => {
  const loose = await listing(path.join(tree, "train", "dog 02.json"));
  assert.deepEqual(loose, { group: "", entries: [["dog 02.json", FILES["train/dog 02.json"].toString("base64"), FILES["train/dog 02.json"].length]] });
  const gz = path.join(dir, "table.csv.gz");
  fs.writeFileSync(gz, zlib.gzipSync(FILES["z/deep/er/x.csv"]));
  const lone = await listing(gz);
  assert.equal(lone.group, "table.csv");
  assert.deepEqual(lone.entries.map(([p, b]) => [p, b]), [["table.csv", FILES["z/deep/er/x.csv"].toString("base64")]]);
});

test("a missing input fails with a message naming it", async () => {
  const missing = path.join(dir, "nope.zip");
  await assert.rejects(openSource(missing), new RegExp(`cannot read input '${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}': no such file or directory`));
});

test("group names drop archive suffixes only", () => {
  assert.equal(groupNameOf("photos.zip"), "photos");
  assert.equal(groupNameOf("data/"), "data");
  assert.equal(groupNameOf("/x/logs.tar.gz"), "logs");
  assert.equal(groupNameOf("a.tgz"), "a");
  assert.equal(groupNameOf("table.csv.gz"), "table.csv");
  assert.equal(groupNameOf("image.png"), "image.png");
  assert.equal(groupNameOf(".zip"), ".zip");
});

test("an input named like h5dat's own group takes /_h5dat_1, and says so; other names keep theirs", () => {
  for (const input of ["_h5dat.zip", "/x/_h5dat/", "_h5dat", "_h5dat.tar.gz", "_h5dat.gz"]) assert.equal(groupNameOf(input), "_h5dat_1", input);
  // HDF5 names are case-sensitive; a suffix left on is another name.
  for (const [input, group] of [["_H5DAT.zip", "_H5DAT"], ["_h5dat_1", "_h5dat_1"], ["_h5dat.csv.gz", "_h5dat.csv"], ["x_h5dat", "x_h5dat"]]) assert.equal(groupNameOf(input), group, input);
  assert.equal(renamedNote(ownGroupNameOf("/x/_h5dat.zip"), "group"), "renamed: '/_h5dat' is h5dat's own group, so this input's group is '/_h5dat_1'");
  assert.equal(renamedNote(ownGroupNameOf("photos.zip"), "group"), undefined);
});

test("a directory's symlinks and fifos are listed, never followed or read; a name that is not UTF-8 still opens", async () => {
  const root = path.join(dir, "odd");
  fs.mkdirSync(path.join(root, "sub"), { recursive: true });
  fs.writeFileSync(path.join(root, "good.txt"), "good");
  fs.symlinkSync("/etc/passwd", path.join(root, "passwd"));
  fs.symlinkSync("..", path.join(root, "sub", "loop"));
  fs.writeFileSync(Buffer.from(`${root}/caf\xe9.txt`, "latin1"), "latin-1 name");
  python(`import os, sys; os.mkfifo(sys.argv[1]); print("[]")`, path.join(root, "pipe"));
  const source = await openSource(root);
  const seen: [string, unknown, string | undefined, string][] = [];
  for await (const entry of source.entries()) {
    seen.push([entry.sourcePath, entry.notFile, entry.rawName && Buffer.from(entry.rawName).toString("latin1"), (await entry.readAll()).toString()]);
  }
  await source.close();
  assert.deepEqual(seen, [
    ["caf\uFFFD.txt", undefined, "caf\xe9.txt", "latin-1 name"],
    ["good.txt", undefined, undefined, "good"],
    ["passwd", { type: "symlink", link: "/etc/passwd" }, undefined, ""],
    ["pipe", { type: "fifo" }, undefined, ""],
    ["sub/loop", { type: "symlink", link: ".." }, undefined, ""],
  ]);
});

test("an archive's links and special files are entries marked notFile; names keep a leading '/' or '..'", async () => {
  const tar = path.join(dir, "odd.tar");
  python(`import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name, kind, link in [("/etc/x.txt", None, ""), ("../up.txt", None, ""), ("./plain.txt", None, ""), ("sym", tarfile.SYMTYPE, "/etc"), ("hard", tarfile.LNKTYPE, "plain.txt")]:
        info = tarfile.TarInfo(name)
        if kind is None:
            info.size = 1
            t.addfile(info, io.BytesIO(b"x"))
        else:
            info.type, info.linkname = kind, link
            t.addfile(info)
print("[]")`, tar);
  const source = await openSource(tar);
  const seen: [string, unknown, number][] = [];
  for await (const entry of source.entries()) seen.push([entry.sourcePath, entry.notFile, (await entry.readAll()).length]);
  await source.close();
  assert.deepEqual(seen, [
    ["/etc/x.txt", undefined, 1],
    ["../up.txt", undefined, 1],
    ["plain.txt", undefined, 1],
    ["sym", { type: "symlink", link: "/etc" }, 0],
    ["hard", { type: "hardlink", link: "plain.txt" }, 0],
  ]);
});
