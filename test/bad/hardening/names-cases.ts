// Issue 17, points 4, 8 and 10: inputs named like h5dat's own group (/_h5dat: renamed /_h5dat_1,
// every row says so), entries that once got no row (a zip directory member or a tar file named
// 'x/' that carries data), names with control characters and ANSI escapes (printed escaped by
// convert and ls, kept as given in the manifest and the file), and a 2^60-element dataset whose
// shape ls and show print exactly.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { BadCase } from "../case";
import { convertCase } from "../convert-case";
import { writeTar } from "../inputs/tar";
import { writeTree } from "../inputs/tree";
import { writeZip } from "../inputs/zip";
import { runCli } from "../reader-runs";
import { python } from "../../helpers/h5py";

const RENAMED = /renamed: '\/_h5dat' is h5dat's own group, so this input's group is '\/_h5dat_1'$/;

/** What h5py finds in /_h5dat: its members, and the manifest's row count and dtype fields. */
function ownGroup(output: string): { members: string[]; rows: number; fields: string[] } {
  return python(
    `import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
m = f["_h5dat/manifest"]
print(json.dumps({"members": sorted(f["_h5dat"].keys()), "rows": m.shape[0], "fields": list(m.dtype.names)}))`,
    output,
  );
}

/** /_h5dat holds only h5dat's manifest, a compound of `rows` rows: no input's entry reached it. */
function checkOwnGroup(output: string, rows: number): void {
  const own = ownGroup(output);
  assert.deepEqual(own.members, ["manifest"], `/_h5dat holds ${JSON.stringify(own.members)}`);
  assert.equal(own.rows, rows, "manifest rows");
  assert.deepEqual(own.fields.slice(0, 4), ["source", "source_path", "target", "status"]);
}

const reservedCases = [
  convertCase({
    name: "reserved-h5dat-zip",
    expected: "exit 0; _h5dat.zip's manifest, quarantine, encoded/x under /_h5dat_1, rows say renamed; /_h5dat is h5dat's",
    build: (dir) => {
      // Its 'manifest' first made the run fatal; other entries first landed in /_h5dat.
      writeZip(path.join(dir, "_h5dat.zip"), [
        { name: "manifest", data: "not a manifest" },
        { name: "quarantine", data: "q" },
        { name: "encoded/x.txt", data: "x" },
      ]);
      return [path.join(dir, "_h5dat.zip")];
    },
    exit: 0,
    rows: [
      { path: "manifest", status: "written", target: "/_h5dat_1/manifest", message: RENAMED },
      { path: "quarantine", status: "written", target: "/_h5dat_1/quarantine", message: RENAMED },
      { path: "encoded/x.txt", status: "written", target: "/_h5dat_1/encoded/x.txt", message: RENAMED },
    ],
    values: { "/_h5dat_1/manifest": "not a manifest", "/_h5dat_1/encoded/x.txt": "x" },
    check: (view, run) => checkOwnGroup(run.output, 3),
  }),
  convertCase({
    name: "reserved-h5dat-zip-others-first",
    expected: "exit 2; _h5dat.tar.gz with a.txt before manifest: all under /_h5dat_1, a failure row says renamed too",
    build: (dir) => {
      writeTar(path.join(dir, "_h5dat.tar.gz"), [{ name: "a.txt", data: "a" }, { name: "manifest", data: "m" }, { name: "bad.json", data: "{" }], "gz");
      return [path.join(dir, "_h5dat.tar.gz")];
    },
    args: ["--on-error", "fail"],
    exit: 2,
    rows: [
      { path: "a.txt", status: "written", target: "/_h5dat_1/a.txt", message: RENAMED },
      { path: "manifest", status: "written", target: "/_h5dat_1/manifest", message: RENAMED },
      { path: "bad.json", status: "failed", message: /^invalid JSON.*; renamed: '\/_h5dat' is h5dat's own group/ },
    ],
    values: { "/_h5dat_1/a.txt": "a", "/_h5dat_1/manifest": "m" },
    check: (view, run) => checkOwnGroup(run.output, 3),
  }),
  convertCase({
    name: "reserved-h5dat-directory",
    expected: "exit 0; a directory _h5dat (manifest, sub/quarantine) under /_h5dat_1; _H5DAT keeps its name",
    build: (dir) => [
      writeTree(path.join(dir, "_h5dat"), { manifest: "dir manifest", "sub/quarantine": "q" }),
      // HDF5 names are case-sensitive: not h5dat's group, not renamed.
      writeTree(path.join(dir, "_H5DAT"), { "b.txt": "b" }),
    ],
    exit: 0,
    rows: [
      { path: "manifest", status: "written", target: "/_h5dat_1/manifest", message: RENAMED },
      { path: "sub/quarantine", status: "written", target: "/_h5dat_1/sub/quarantine", message: RENAMED },
      { path: "b.txt", status: "written", target: "/_H5DAT/b.txt", input: 1 },
    ],
    values: { "/_h5dat_1/manifest": "dir manifest", "/_h5dat_1/sub/quarantine": "q", "/_H5DAT/b.txt": "b" },
    check: (view, run) => checkOwnGroup(run.output, 3),
  }),
  convertCase({
    name: "reserved-h5dat-loose-file",
    expected: "exit 0; a loose file named _h5dat is the dataset /_h5dat_1, its row says renamed",
    build: (dir) => {
      fs.mkdirSync(path.join(dir, "in"));
      fs.writeFileSync(path.join(dir, "in", "_h5dat"), "loose");
      return [path.join(dir, "in", "_h5dat")];
    },
    exit: 0,
    rows: [{ path: "_h5dat", status: "written", target: "/_h5dat_1", message: /^renamed: '\/_h5dat' is h5dat's own group, so this input's dataset is '\/_h5dat_1'$/ }],
    values: { "/_h5dat_1": "loose" },
    check: (view, run) => checkOwnGroup(run.output, 1),
  }),
];

const DIRECTORY_WITH_DATA = /^not a regular file \(directory, yet it declares (\d+) bytes of data\), not read$/;

const rowlessCases = [
  convertCase({
    name: "zip-directory-member-with-data",
    expected: "exit 0; dir/ (19 bytes, stored) and d2/ (deflated) skipped, names as given; dir/a.txt written; empty e/ no row",
    build: (dir) => {
      writeZip(path.join(dir, "dirs.zip"), [
        // Once no row at all: the 19 bytes vanished without a word.
        { name: "dir/", data: "nineteen bytes here", store: true },
        { name: "dir/a.txt", data: "a" },
        { name: "d2/", data: "deflated directory data" },
        // An empty directory member is implied by its files' paths, as before: no row.
        { name: "e/", data: "" },
        { name: "b.txt", data: "b" },
      ]);
      return [path.join(dir, "dirs.zip")];
    },
    exit: 0,
    rows: [
      { path: "dir/", status: "skipped", message: /^not a regular file \(directory, yet it declares 19 bytes of data\), not read$/ },
      // Not made a dataset: a directory's name is the group its files need.
      { path: "dir/a.txt", status: "written", target: "/dirs/dir/a.txt" },
      { path: "d2/", status: "skipped", message: /^not a regular file \(directory, yet it declares 23 bytes of data\), not read$/ },
      { path: "b.txt", status: "written", target: "/dirs/b.txt" },
    ],
    values: { "/dirs/dir/a.txt": "a", "/dirs/b.txt": "b" },
  }),
  convertCase({
    name: "tar-file-named-like-directory",
    expected: "exit 0; regular files x/ (10 B) and y/ (1500 B) skipped with their names; no nameless rows; ok.txt written",
    build: (dir) => {
      // libarchive takes them for directories and reads their data blocks as (damaged) headers:
      // once a skipped row with an empty source_path.
      writeTar(path.join(dir, "slash.tar"), [
        { name: "x/", data: "data of x/" },
        { name: "y/", data: "y".repeat(1500) },
        { name: "ok.txt", data: "ok" },
      ]);
      return [path.join(dir, "slash.tar")];
    },
    exit: 0,
    rows: [
      { path: "x/", status: "skipped", message: DIRECTORY_WITH_DATA },
      { path: "y/", status: "skipped", message: /declares 1500 bytes of data/ },
      { path: "ok.txt", status: "written", target: "/slash/ok.txt" },
    ],
    values: { "/slash/ok.txt": "ok" },
  }),
  convertCase({
    name: "tar-directory-data-of-zeros",
    expected: "exit 0; x/ carrying 2048 zero bytes skipped; after.txt behind it written (libarchive took the zeros for the end)",
    build: (dir) => {
      writeTar(path.join(dir, "zeros.tar"), [{ name: "x/", data: Buffer.alloc(2048) }, { name: "after.txt", data: "after" }]);
      return [path.join(dir, "zeros.tar")];
    },
    exit: 0,
    rows: [
      { path: "x/", status: "skipped", message: /declares 2048 bytes of data/ },
      // Once lost without a row: the zero blocks ended the archive for libarchive.
      { path: "after.txt", status: "written", target: "/zeros/after.txt" },
    ],
    values: { "/zeros/after.txt": "after" },
  }),
  convertCase({
    name: "tar-concatenated",
    expected: "exit 0; cat a.tar b.tar: a.txt and b.txt written (b's entries once had no rows)",
    build: (dir) => {
      writeTar(path.join(dir, "a.tar"), [{ name: "a.txt", data: "a" }]);
      writeTar(path.join(dir, "b.tar"), [{ name: "b.txt", data: "b" }]);
      fs.writeFileSync(path.join(dir, "both.tar"), Buffer.concat([fs.readFileSync(path.join(dir, "a.tar")), fs.readFileSync(path.join(dir, "b.tar"))]));
      return [path.join(dir, "both.tar")];
    },
    exit: 0,
    rows: [
      { path: "a.txt", status: "written", target: "/both/a.txt" },
      { path: "b.txt", status: "written", target: "/both/b.txt" },
    ],
    values: { "/both/a.txt": "a", "/both/b.txt": "b" },
  }),
  convertCase({
    name: "tar-garbage-after-end",
    expected: "exit 2; a.txt written; 512 bytes of garbage after the end: a failed row naming the damaged header's byte",
    build: (dir) => {
      writeTar(path.join(dir, "a.tar"), [{ name: "a.txt", data: "a" }]);
      fs.writeFileSync(path.join(dir, "tail.tar"), Buffer.concat([fs.readFileSync(path.join(dir, "a.tar")), Buffer.from("garbage!".repeat(64))]));
      return [path.join(dir, "tail.tar")];
    },
    exit: 2,
    rows: [
      { path: "a.txt", status: "written", target: "/tail/a.txt" },
      { path: "", status: "failed", message: /^a damaged header: no entry could be read at byte 10752 of the archive/ },
    ],
    values: { "/tail/a.txt": "a" },
  }),
];

/** Names an attacker would give entries: SGR colour, a carriage return, a bell, an OSC window title. */
const HOSTILE = {
  red: "red\x1b[31m.txt",
  cr: "fake\rok.txt",
  bell: "bell\x07.txt",
  title: "t\x1b]0;pwned\x07.json",
};

/** Any control character but a newline (the escaped forms are printable). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function assertNoRawControls(what: string, text: string): void {
  const found = RAW_CONTROL.exec(text);
  assert.equal(found, null, `${what} prints a raw control character ${JSON.stringify(found?.[0])}: ${JSON.stringify(text.slice(0, 300))}`);
}

const hostileNamesBase = convertCase({
  name: "control-character-names",
  expected: "exit 2; names with ESC[31m, \\r, BEL, ESC]0;…BEL kept as given in manifest and h5py; convert/ls/show print them escaped",
  build: (dir) => {
    writeZip(path.join(dir, "ansi.zip"), [
      { name: HOSTILE.red, data: "red" },
      { name: HOSTILE.cr, data: "cr" },
      { name: HOSTILE.bell, data: "bell" },
      // Invalid JSON: a failed row, so convert prints a `failed:` line quoting the name.
      { name: HOSTILE.title, data: "{" },
    ]);
    return [path.join(dir, "ansi.zip")];
  },
  args: ["--on-error", "fail"],
  exit: 2,
  rows: [
    { path: HOSTILE.red, status: "written", target: `/ansi/${HOSTILE.red}` },
    { path: HOSTILE.cr, status: "written", target: `/ansi/${HOSTILE.cr}` },
    { path: HOSTILE.bell, status: "written", target: `/ansi/${HOSTILE.bell}` },
    { path: HOSTILE.title, status: "failed", message: /^invalid JSON/ },
  ],
  values: { [`/ansi/${HOSTILE.red}`]: "red", [`/ansi/${HOSTILE.cr}`]: "cr", [`/ansi/${HOSTILE.bell}`]: "bell" },
});

const hostileNames: BadCase = {
  name: hostileNamesBase.name,
  expected: hostileNamesBase.expected,
  async run(dir: string): Promise<string> {
    const got = await hostileNamesBase.run(dir);
    const input = path.join(dir, "ansi.zip");
    // Without --json: the progress's failed line (stderr) and the summary (stdout).
    const converted = await runCli(["convert", input, "-o", path.join(dir, "shown.h5"), "--workers", "0", "--on-error", "fail"]);
    assert.equal(converted.status, 2, converted.stderr);
    assertNoRawControls("convert", converted.stdout + converted.stderr);
    assert.ok(converted.stderr.includes("failed: "), `no failed line: ${converted.stderr}`);
    assert.ok(converted.stderr.includes("t\\x1b]0;pwned\\x07.json"), `the failed line does not show the name escaped: ${converted.stderr}`);
    const listed = await runCli(["ls", "-r", path.join(dir, "out.h5")]);
    assert.equal(listed.status, 0, listed.stderr);
    assertNoRawControls("ls", listed.stdout);
    for (const shown of ["red\\x1b[31m.txt", "fake\\rok.txt", "bell\\x07.txt"]) assert.ok(listed.stdout.includes(`/ansi/${shown}`), `ls does not show /ansi/${shown}: ${listed.stdout}`);
    const shown = await runCli(["show", path.join(dir, "out.h5"), `/ansi/${HOSTILE.red}`]);
    assert.equal(shown.status, 0, shown.stderr);
    assertNoRawControls("show", shown.stdout);
    const info = await runCli(["info", path.join(dir, "out.h5")]);
    assert.equal(info.status, 0, info.stderr);
    assertNoRawControls("info", info.stdout);
    assert.ok(info.stdout.includes("t\\x1b]0;pwned\\x07.json"), `info's failure line does not show the name escaped: ${info.stdout}`);
    return `${got}; printed escaped by convert, ls, show, info`;
  },
};

/** 2^60 and 2^53 + 1: the first dims a JS number cannot hold exactly. */
const HUGE = 2n ** 60n;
const PAST_DOUBLE = 2n ** 53n + 1n;

const hugeShape: BadCase = {
  name: "huge-shape-exact",
  expected: "ls, ls --json and show print 2^60 and 2^53+1 dims exactly (h5py made them: chunked, unallocated)",
  async run(dir: string): Promise<string> {
    const file = path.join(dir, "huge.h5");
    const made = python<{ shapes: string[][] }>(
      `import h5py, json, sys
with h5py.File(sys.argv[1], "w") as f:
    f.create_dataset("huge", shape=(2**60,), maxshape=(None,), chunks=(1024,), dtype="u1")
    f.create_dataset("two", shape=(2**53 + 1, 3), chunks=(16, 3), dtype="f4")
    f.create_dataset("small", data=[1, 2, 3])
with h5py.File(sys.argv[1], "r") as f:
    print(json.dumps({"shapes": [[str(n) for n in f[k].shape] for k in ("huge", "two")]}))`,
      file,
    );
    assert.deepEqual(made.shapes, [[String(HUGE)], [String(PAST_DOUBLE), "3"]], "h5py's shapes");
    const listed = await runCli(["ls", file]);
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^/huge +dataset uint8 \\[${HUGE}\\] \\(extensible\\)`, "m"));
    assert.match(listed.stdout, new RegExp(`^/two +dataset float32 \\[${PAST_DOUBLE}, 3\\] `, "m"));
    assert.match(listed.stdout, /^\/small +dataset int64 \[3\] /m);
    const json = await runCli(["ls", "--json", file]);
    assert.equal(json.status, 0, json.stderr);
    const objects = JSON.parse(json.stdout) as { path: string; shape: unknown[] }[];
    assert.deepEqual(objects.map((o) => [o.path, o.shape]), [["/huge", [String(HUGE)]], ["/small", [3]], ["/two", [String(PAST_DOUBLE), 3]]]);
    const shown = await runCli(["show", file, "/huge"]);
    assert.equal(shown.status, 0, shown.stderr);
    assert.ok(shown.stdout.includes(`[${HUGE}]`) && shown.stdout.includes(`(${HUGE} along the first axis)`), shown.stdout);
    assert.ok(!/1152921504606847000/.test(listed.stdout + shown.stdout), "a rounded 2^60 was printed");
    return `ls/show: [${HUGE}], [${PAST_DOUBLE}, 3]`;
  },
};

export const namesCases: BadCase[] = [...reservedCases, ...rowlessCases, hostileNames, hugeShape];
