// Hostile and odd names: path traversal (never written outside the input's group; the manifest
// keeps the name as given and says it was sanitized), links and special files (recorded, never
// followed), duplicates, a file named like a directory, slash look-alikes, '.', '', a 4 KB name,
// names that are not UTF-8.
import fs from "node:fs";
import path from "node:path";
import { convertCase } from "../convert-case";
import { writeTar, type TarMember } from "../inputs/tar";
import { writeTree } from "../inputs/tree";
import { writeZip } from "../inputs/zip";

const TRAVERSAL = ["../../evil.txt", "/etc/passwd", "C:\\win.txt", "C:/drive.txt", "a/../../b.txt", "ok.txt"];
const LONG = "n".repeat(4096);

export const nameCases = [
  convertCase({
    name: "zip-path-traversal",
    expected: "exit 0; ../../x, /etc/x, C:\\x, C:/x written inside the group, rows say sanitized",
    build: (dir) => {
      writeZip(path.join(dir, "trav.zip"), TRAVERSAL.map((name) => ({ name, data: `data of ${name}` })));
      return [path.join(dir, "trav.zip")];
    },
    exit: 0,
    rows: [
      { path: "../../evil.txt", status: "written", target: "/trav/evil.txt", message: /^name sanitized: dropped '\.\.'$/ },
      { path: "/etc/passwd", status: "written", target: "/trav/etc/passwd", message: /^name sanitized: dropped the leading '\/'$/ },
      // libarchive reads '\' in a zip name as '/' (zip names use '/', by the format's spec).
      { path: "C:/win.txt", status: "written", target: "/trav/win.txt", message: /^name sanitized: dropped the drive 'C:'$/ },
      { path: "C:/drive.txt", status: "written", target: "/trav/drive.txt", message: /^name sanitized: dropped the drive 'C:'$/ },
      { path: "a/../../b.txt", status: "written", target: "/trav/a/b.txt", message: /^name sanitized: dropped '\.\.'$/ },
      { path: "ok.txt", status: "written", target: "/trav/ok.txt" },
    ],
    values: { "/trav/evil.txt": "data of ../../evil.txt", "/trav/etc/passwd": "data of /etc/passwd", "/trav/win.txt": "data of C:\\win.txt" },
  }),
  convertCase({
    name: "tar-path-traversal",
    expected: "exit 0; the same names in a tar: inside the group, sanitized (C:\\x's '\\' too)",
    build: (dir) => {
      writeTar(path.join(dir, "trav.tar"), TRAVERSAL.map((name) => ({ name, data: `data of ${name}` })));
      return [path.join(dir, "trav.tar")];
    },
    exit: 0,
    rows: [
      { path: "../../evil.txt", status: "written", target: "/trav/evil.txt", message: /dropped '\.\.'/ },
      { path: "/etc/passwd", status: "written", target: "/trav/etc/passwd", message: /dropped the leading '\/'/ },
      { path: "C:\\win.txt", status: "written", target: "/trav/win.txt", message: /^name sanitized: read '\\' as '\/', dropped the drive 'C:'$/ },
      { path: "C:/drive.txt", status: "written", target: "/trav/drive.txt", message: /dropped the drive 'C:'/ },
      { path: "a/../../b.txt", status: "written", target: "/trav/a/b.txt", message: /dropped '\.\.'/ },
      { path: "ok.txt", status: "written", target: "/trav/ok.txt" },
    ],
    values: { "/trav/evil.txt": "data of ../../evil.txt", "/trav/win.txt": "data of C:\\win.txt" },
  }),
  convertCase({
    name: "tar-symlink-hardlink",
    expected: "exit 0; symlinks and hardlink skipped: 'to <target>, not followed'; good.txt written",
    build: (dir) => {
      const members: TarMember[] = [
        { name: "good.txt", data: "good" },
        { name: "passwd", type: "symlink", link: "/etc/passwd" },
        { name: "up", type: "symlink", link: "../.." },
        { name: "again.txt", type: "hardlink", link: "good.txt" },
      ];
      writeTar(path.join(dir, "links.tar"), members);
      return [path.join(dir, "links.tar")];
    },
    exit: 0,
    rows: [
      { path: "good.txt", status: "written" },
      { path: "passwd", status: "skipped", message: /^symlink to '\/etc\/passwd', not followed$/ },
      { path: "up", status: "skipped", message: /^symlink to '\.\.\/\.\.', not followed$/ },
      { path: "again.txt", status: "skipped", message: /^hardlink to 'good\.txt', not followed$/ },
    ],
    values: { "/links/good.txt": "good" },
  }),
  convertCase({
    name: "zip-symlink",
    expected: "exit 0; a zip's symlink member skipped, not followed; ok.txt written",
    build: (dir) => {
      writeZip(path.join(dir, "links.zip"), [{ name: "passwd", data: "/etc/passwd", symlink: true, store: true }, { name: "ok.txt", data: "ok" }]);
      return [path.join(dir, "links.zip")];
    },
    exit: 0,
    rows: [
      { path: "passwd", status: "skipped", message: /^symlink to '\/etc\/passwd', not followed$/ },
      { path: "ok.txt", status: "written" },
    ],
    values: { "/links/ok.txt": "ok" },
  }),
  convertCase({
    name: "dir-symlinks",
    expected: "exit 0; a directory's symlinks (file, loop, dangling) skipped, not followed",
    build: (dir) => {
      const root = writeTree(path.join(dir, "tree"), { "good.txt": "good", "sub/inner.txt": "inner" });
      fs.symlinkSync("/etc/passwd", path.join(root, "passwd"));
      fs.symlinkSync("..", path.join(root, "sub", "loop"));
      fs.symlinkSync("nowhere", path.join(root, "dangling"));
      return [root];
    },
    exit: 0,
    rows: [
      { path: "dangling", status: "skipped", message: /^symlink to 'nowhere', not followed$/ },
      { path: "good.txt", status: "written" },
      { path: "passwd", status: "skipped", message: /^symlink to '\/etc\/passwd', not followed$/ },
      { path: "sub/inner.txt", status: "written" },
      { path: "sub/loop", status: "skipped", message: /^symlink to '\.\.', not followed$/ },
    ],
    values: { "/tree/good.txt": "good", "/tree/sub/inner.txt": "inner" },
  }),
  convertCase({
    name: "tar-special-files",
    expected: "exit 0; a fifo and a device in a tar skipped: not a regular file",
    build: (dir) => {
      writeTar(path.join(dir, "special.tar"), [{ name: "pipe", type: "fifo" }, { name: "null", type: "character device" }, { name: "ok.txt", data: "ok" }]);
      return [path.join(dir, "special.tar")];
    },
    exit: 0,
    rows: [
      { path: "pipe", status: "skipped", message: /^not a regular file \(fifo\), not read$/ },
      { path: "null", status: "skipped", message: /^not a regular file \(character device\), not read$/ },
      { path: "ok.txt", status: "written" },
    ],
    values: { "/special/ok.txt": "ok" },
  }),
  convertCase({
    name: "zip-duplicate-names",
    expected: "exit 2; the first a.txt written, the second failed: already written",
    build: (dir) => {
      writeZip(path.join(dir, "dup.zip"), [{ name: "a.txt", data: "first" }, { name: "a.txt", data: "second" }, { name: "b.txt", data: "b" }]);
      return [path.join(dir, "dup.zip")];
    },
    exit: 2,
    rows: [
      { path: "a.txt", status: "written" },
      { path: "a.txt", status: "failed", message: /'\/dup\/a\.txt' was already written by an earlier entry of the same name/ },
      { path: "b.txt", status: "written" },
    ],
    values: { "/dup/a.txt": "first", "/dup/b.txt": "b" },
  }),
  convertCase({
    name: "tar-duplicate-names",
    expected: "exit 2; a.txt, ./a.txt and ../a.txt: the first written, the others failed",
    build: (dir) => {
      writeTar(path.join(dir, "dup.tar"), [{ name: "a.txt", data: "first" }, { name: "./a.txt", data: "second" }, { name: "../a.txt", data: "third" }]);
      return [path.join(dir, "dup.tar")];
    },
    exit: 2,
    rows: [
      { path: "a.txt", status: "written" },
      { path: "a.txt", status: "failed", message: /already written by an earlier entry of the same name/ },
      { path: "../a.txt", status: "failed", message: /already written by an earlier entry .*; name sanitized: dropped '\.\.'/ },
    ],
    values: { "/dup/a.txt": "first" },
  }),
  convertCase({
    name: "file-and-directory-same-name",
    expected: "exit 2; file a after a/b.txt, and c/d.txt after file c, fail; a/b.txt and c intact",
    build: (dir) => {
      writeTar(path.join(dir, "clash.tar"), [{ name: "a/b.txt", data: "inner" }, { name: "a", data: "file a" }, { name: "c", data: "file c" }, { name: "c/d.txt", data: "under c" }]);
      return [path.join(dir, "clash.tar")];
    },
    exit: 2,
    rows: [
      { path: "a/b.txt", status: "written" },
      // It once claimed the group, failed to write there, and removed it with a/b.txt in it.
      { path: "a", status: "failed", message: /^'\/clash\/a' is already a group, the directory of earlier entries$/ },
      { path: "c", status: "written" },
      { path: "c/d.txt", status: "failed", message: /^'\/clash\/c' is a dataset, expected a group$/ },
    ],
    values: { "/clash/a/b.txt": "inner", "/clash/c": "file c" },
  }),
  convertCase({
    name: "unicode-slash-names",
    expected: "exit 0; a∕b (U+2215), a／b (U+FF0F) and a/b: three datasets, no nesting",
    build: (dir) => {
      writeZip(path.join(dir, "slash.zip"), [{ name: "a\u2215b.txt", data: "division slash" }, { name: "a\uff0fb.txt", data: "fullwidth" }, { name: "a/b.txt", data: "real" }]);
      return [path.join(dir, "slash.zip")];
    },
    exit: 0,
    rows: [
      { path: "a\u2215b.txt", status: "written", target: "/slash/a\u2215b.txt" },
      { path: "a\uff0fb.txt", status: "written", target: "/slash/a\uff0fb.txt" },
      { path: "a/b.txt", status: "written", target: "/slash/a/b.txt" },
    ],
    values: { "/slash/a\u2215b.txt": "division slash", "/slash/a\uff0fb.txt": "fullwidth", "/slash/a/b.txt": "real" },
  }),
  convertCase({
    name: "dot-and-empty-names",
    expected: "exit 2; '.', '', '..' failed: no name left; the group and good.txt intact",
    build: (dir) => {
      writeZip(path.join(dir, "dots.zip"), [{ name: "good.txt", data: "good" }, { name: ".", data: "dot" }, { name: "", data: "empty" }, { name: "..", data: "up" }]);
      return [path.join(dir, "dots.zip")];
    },
    exit: 2,
    rows: [
      { path: "good.txt", status: "written" },
      { path: ".", status: "failed", message: /^no name left to write it under: '\.'/ },
      { path: "", status: "failed", message: /^no name left to write it under: ''/ },
      { path: "..", status: "failed", message: /^no name left to write it under: '\.\.'/ },
    ],
    // An entry named '.' once claimed the group itself, failed, and removed it with good.txt.
    values: { "/dots/good.txt": "good" },
  }),
  convertCase({
    name: "name-4kb",
    expected: "exit 0; a 4096-character name in a zip and in a tar written as is",
    build: (dir) => {
      writeZip(path.join(dir, "long.zip"), [{ name: LONG, data: "zip" }]);
      writeTar(path.join(dir, "long.tar"), [{ name: `d/${LONG}`, data: "tar" }]);
      return [path.join(dir, "long.zip"), path.join(dir, "long.tar")];
    },
    // Both inputs are "long": the tar's entries join the zip's group.
    exit: 0,
    rows: [
      { path: LONG, status: "written", target: `/long/${LONG}` },
      { path: `d/${LONG}`, status: "written", target: `/long/d/${LONG}`, input: 1 },
    ],
    values: { [`/long/${LONG}`]: "zip", [`/long/d/${LONG}`]: "tar" },
  }),
  convertCase({
    name: "tar-name-not-utf8",
    expected: "exit 0; bad\\xff\\xfe.txt written as bad\uFFFD\uFFFD.txt, the row gives the bytes",
    build: (dir) => {
      writeTar(path.join(dir, "names.tar"), [{ name: Buffer.from("bad\xff\xfe.txt", "latin1"), data: "bad" }, { name: "good.txt", data: "good" }]);
      return [path.join(dir, "names.tar")];
    },
    exit: 0,
    rows: [
      { path: "bad\uFFFD\uFFFD.txt", status: "written", message: /^name is not valid UTF-8 \(bytes "bad\\xff\\xfe\.txt"\)/ },
      { path: "good.txt", status: "written" },
    ],
    values: { "/names/bad\uFFFD\uFFFD.txt": "bad", "/names/good.txt": "good" },
  }),
  convertCase({
    name: "dir-name-not-utf8",
    expected: "exit 0; a file named caf\\xe9.txt on disk is read and written; the row gives the bytes",
    build: (dir) => {
      const root = writeTree(path.join(dir, "files"), { "good.txt": "good" });
      fs.writeFileSync(Buffer.from(`${root}/caf\xe9.txt`, "latin1"), "latin-1 name");
      return [root];
    },
    exit: 0,
    rows: [
      { path: "caf\uFFFD.txt", status: "written", message: /^name is not valid UTF-8 \(bytes "caf\\xe9\.txt"\)/ },
      { path: "good.txt", status: "written" },
    ],
    values: { "/files/caf\uFFFD.txt": "latin-1 name", "/files/good.txt": "good" },
  }),
  convertCase({
    name: "zip-name-not-utf8",
    expected: "exit 2; unflagged caf\\xe9 written with its bytes noted; a flagged bad name failed",
    build: (dir) => {
      writeZip(path.join(dir, "names.zip"), [
        { name: Buffer.from("caf\xe9.txt", "latin1"), data: "unflagged" },
        { name: Buffer.from("bad\xff.txt", "latin1"), data: "flagged", utf8Flag: true },
        { name: "good.txt", data: "good" },
      ]);
      return [path.join(dir, "names.zip")];
    },
    exit: 2,
    rows: [
      { path: "caf\uFFFD.txt", status: "written", message: /^name is not valid UTF-8 \(bytes "caf\\xe9\.txt"\)/ },
      // Flagged UTF-8 but not: libarchive gives no name at all, only its warning.
      { path: "", status: "failed", message: /^no name left .*; archive warning: Pathname cannot be converted from UTF-8/ },
      { path: "good.txt", status: "written" },
    ],
    values: { "/names/caf\uFFFD.txt": "unflagged", "/names/good.txt": "good" },
  }),
];

