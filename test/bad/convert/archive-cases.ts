// Broken and hostile archives: cut short, a wrong CRC, an encrypted member, decompression bombs
// (stopped by the default --max-ratio), entries over --max-entry-bytes. Good entries beside the
// bad ones must come out whole.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { convertCase } from "../convert-case";
import { writeGzipBomb, writeZipBomb } from "../inputs/bombs";
import { writeTar } from "../inputs/tar";
import { textLines, writeTree } from "../inputs/tree";
import { writeZip, type ZipMember } from "../inputs/zip";

/** ~500 KB of text (~110 KB deflated): an entry large enough to be cut in the middle of. */
const BIG = textLines(20000);
const THREE: ZipMember[] = [{ name: "a.txt", data: "aaa" }, { name: "big.txt", data: BIG }, { name: "c.txt", data: "ccc" }];

/** `file` cut to `fraction` of its bytes. */
function cut(file: string, fraction: number): string {
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return file;
}

/** A bomb is stopped cheaply: in seconds, and with its bytes gone from the file. */
function stoppedCheaply(run: { seconds: number; output: string }): void {
  assert.ok(run.seconds < 30, `the bomb took ${run.seconds.toFixed(1)} s`);
  const size = fs.statSync(run.output).size;
  assert.ok(size < 8 << 20, `the output is ${size} bytes: the bomb's data stayed in it`);
}

export const archiveCases = [
  convertCase({
    name: "zip-truncated",
    expected: "exit 2; a.txt written, big.txt and the rest failed: truncated",
    build: (dir) => {
      writeZip(path.join(dir, "cut.zip"), THREE);
      return [cut(path.join(dir, "cut.zip"), 0.5)];
    },
    exit: 2,
    rows: [
      { path: "a.txt", status: "written" },
      { path: "big.txt", status: "failed", message: /truncated/ },
      { path: "", status: "failed", message: /cannot read the next entry .*truncated/ },
    ],
    values: { "/cut/a.txt": "aaa" },
  }),
  convertCase({
    name: "tar-truncated",
    expected: "exit 2; a.txt written, big.txt failed: truncated",
    build: (dir) => {
      writeTar(path.join(dir, "cut.tar"), THREE.map(({ name, data }) => ({ name: name as string, data })));
      return [cut(path.join(dir, "cut.tar"), 0.5)];
    },
    exit: 2,
    rows: [
      { path: "a.txt", status: "written" },
      { path: "big.txt", status: "failed", message: /Truncated tar archive/ },
    ],
    values: { "/cut/a.txt": "aaa" },
  }),
  convertCase({
    name: "tar.gz-truncated",
    expected: "exit 2; a.txt written, big.txt and the rest failed: truncated",
    build: (dir) => {
      writeTar(path.join(dir, "cut.tar.gz"), THREE.map(({ name, data }) => ({ name: name as string, data })), "gz");
      return [cut(path.join(dir, "cut.tar.gz"), 0.5)];
    },
    exit: 2,
    rows: [
      { path: "a.txt", status: "written" },
      { path: "big.txt", status: "failed", message: /truncated gzip input/ },
      { path: "", status: "failed", message: /cannot read the next entry .*Truncated/ },
    ],
    values: { "/cut/a.txt": "aaa" },
  }),
  convertCase({
    name: "gz-truncated",
    expected: "exit 2; data.txt failed: truncated gzip input; good.txt beside written",
    build: (dir) => {
      // Over 64 KiB compressed, so that the cut is met while reading data, not when opening.
      fs.writeFileSync(path.join(dir, "data.txt.gz"), zlib.gzipSync(textLines(100000)));
      return [cut(path.join(dir, "data.txt.gz"), 0.5), writeTree(path.join(dir, "good"), { "good.txt": "good" })];
    },
    exit: 2,
    rows: [
      { path: "data.txt", status: "failed", message: /truncated gzip input/ },
      { path: "good.txt", status: "written", input: 1 },
    ],
    values: { "/good/good.txt": "good" },
  }),
  convertCase({
    name: "zip-bad-crc",
    expected: "exit 2; bad.txt failed: bad CRC; a.txt, c.txt written",
    build: (dir) => {
      writeZip(path.join(dir, "crc.zip"), [THREE[0], { name: "bad.txt", data: BIG, badCrc: true }, THREE[2]]);
      return [path.join(dir, "crc.zip")];
    },
    exit: 2,
    rows: [
      { path: "a.txt", status: "written" },
      { path: "bad.txt", status: "failed", message: /bad CRC/ },
      { path: "c.txt", status: "written" },
    ],
    values: { "/crc/a.txt": "aaa", "/crc/c.txt": "ccc" },
  }),
  convertCase({
    name: "zip-encrypted-entry",
    expected: "exit 2; secret.txt failed: encrypted, not read; plain.txt written",
    build: (dir) => {
      writeZip(path.join(dir, "enc.zip"), [{ name: "secret.txt", data: "top secret", password: "pw" }, { name: "plain.txt", data: "plain" }]);
      return [path.join(dir, "enc.zip")];
    },
    exit: 2,
    rows: [
      { path: "secret.txt", status: "failed", message: /^encrypted/ },
      { path: "plain.txt", status: "written" },
    ],
    values: { "/enc/plain.txt": "plain" },
  }),
  convertCase({
    name: "zip-bomb",
    expected: "exit 2; 1 GiB member failed: --max-ratio (default), in ~1 s; small.txt written",
    build: (dir) => {
      writeZipBomb(path.join(dir, "bomb.zip"), "bomb.txt", 1024, [{ name: "small.txt", data: "small" }]);
      return [path.join(dir, "bomb.zip")];
    },
    exit: 2,
    rows: [
      { path: "bomb.txt", status: "failed", message: /decompression bomb\? stopped after 32 MiB .*over --max-ratio 200/ },
      { path: "small.txt", status: "written" },
    ],
    values: { "/bomb/small.txt": "small" },
    check: (_, run) => stoppedCheaply(run),
  }),
  convertCase({
    name: "gzip-bomb",
    expected: "exit 2; 1 GiB .gz failed: --max-ratio (default), in ~1 s; good.txt written",
    build: (dir) => {
      writeGzipBomb(path.join(dir, "bomb.txt.gz"), 1024);
      return [path.join(dir, "bomb.txt.gz"), writeTree(path.join(dir, "good"), { "good.txt": "good" })];
    },
    exit: 2,
    rows: [
      { path: "bomb.txt", status: "failed", message: /decompression bomb\? .*over --max-ratio 200/ },
      { path: "good.txt", status: "written", input: 1 },
    ],
    values: { "/good/good.txt": "good" },
    check: (_, run) => stoppedCheaply(run),
  }),
  convertCase({
    name: "compressible-under-ratio-floor",
    expected: "exit 0; 24 MiB of one line (ratio ~1000) in a tar.gz written: under 32 MiB",
    build: (dir) => {
      writeTar(path.join(dir, "logs.tar.gz"), [{ name: "same.log", data: "the same line, again\n".repeat((24 << 20) / 21) }], "gz");
      return [path.join(dir, "logs.tar.gz")];
    },
    exit: 0,
    rows: [{ path: "same.log", status: "written" }],
    check: (view) => assert.deepEqual(view.datasets["/logs/same.log"].shape, [21 * Math.floor((24 << 20) / 21)]),
  }),
  convertCase({
    name: "max-entry-bytes-declared",
    expected: "exit 2; --max-entry-bytes 1M: 2 MiB zip member and file failed unread; small ones written",
    args: ["--max-entry-bytes", "1M"],
    build: (dir) => {
      const large = Buffer.alloc(2 << 20, 7);
      writeZip(path.join(dir, "sizes.zip"), [{ name: "large.bin", data: large }, { name: "small.txt", data: "small" }]);
      return [path.join(dir, "sizes.zip"), writeTree(path.join(dir, "files"), { "large.bin": large, "small.txt": "small" })];
    },
    exit: 2,
    rows: [
      { path: "large.bin", status: "failed", message: /too large: 2 MiB, over --max-entry-bytes 1 MiB \(not read\)/ },
      { path: "small.txt", status: "written" },
      { path: "large.bin", status: "failed", message: /over --max-entry-bytes 1 MiB \(not read\)/, input: 1 },
      { path: "small.txt", status: "written", input: 1 },
    ],
    values: { "/sizes/small.txt": "small", "/files/small.txt": "small" },
  }),
  convertCase({
    name: "max-entry-bytes-streamed",
    expected: "exit 2; --max-entry-bytes 1M: a .gz of 3 MiB (size unknown) stopped once past 1 MiB",
    args: ["--max-entry-bytes", "1M"],
    build: (dir) => {
      fs.writeFileSync(path.join(dir, "data.txt.gz"), zlib.gzipSync(textLines(150000)));
      return [path.join(dir, "data.txt.gz"), writeTree(path.join(dir, "good"), { "good.txt": "good" })];
    },
    exit: 2,
    rows: [
      { path: "data.txt", status: "failed", message: /too large: stopped after .*, over --max-entry-bytes 1 MiB/ },
      { path: "good.txt", status: "written", input: 1 },
    ],
    values: { "/good/good.txt": "good" },
  }),
];
