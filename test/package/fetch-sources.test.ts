// cmake/fetch-sources.sh's upstream table, checked without a network: every dependency
// cmake/build-deps.sh unpacks has a pinned URL and SHA-256, for the version of the Debian source the
// prebuilds were built from (deps/src, when this machine has it); the hashes said to be Debian's
// .orig file are recomputed from it; and a machine without the build tools is told all of them.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

const root = path.join(__dirname, "..", "..");
const script = path.join(root, "cmake", "fetch-sources.sh");
const debianSources = path.join(root, "deps", "src");

type Pin = { name: string; version: string; sha256: string; url: string };
const pins: Pin[] = execFileSync("bash", [script, "--print-upstream"], { encoding: "utf8" })
  .trim()
  .split("\n")
  .map((line) => {
    const [name, version, sha256, url] = line.split(" ");
    return { name, version, sha256, url };
  });
const pin = (name: string) => pins.find((p) => p.name === name);

/** The names build-deps.sh unpacks (`$src/<name>_*.orig.tar.*`), plus libaec's source tarball. */
function builtDependencies(): string[] {
  const text = fs.readFileSync(path.join(root, "cmake", "build-deps.sh"), "utf8");
  const names = [...text.matchAll(/\$src"?\/([a-z0-9-]+)_\*\.orig\.tar/g)].map((m) => m[1]);
  return [...new Set(names)].sort();
}

/** Debian's version of an upstream release: 1.14.5+repack → 1.14.5, 1.3.dfsg+really1.3.1 → 1.3.1. */
function upstreamVersion(debian: string): string {
  const really = debian.match(/really(.+)$/);
  return (really ? really[1] : debian).replace(/\+(repack|ds|dfsg)\d*$/, "");
}

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

test("every dependency the build unpacks has a pinned upstream tarball", () => {
  const built = builtDependencies();
  assert.ok(built.length >= 11, `build-deps.sh unpacks ${built.join(", ")}`);
  assert.ok(built.includes("libaec"), "libaec is built from its tarball where apt is missing");
  for (const name of built) assert.ok(pin(name), `${name} has an upstream pin`);
  assert.deepEqual(pins.map((p) => p.name).sort(), built, "no pin for something the build does not use");
});

test("each pin is an https URL of the project for its version, with a SHA-256", () => {
  for (const { name, version, sha256: hash, url } of pins) {
    assert.match(hash, /^[0-9a-f]{64}$/, `${name}: SHA-256`);
    assert.match(url, /^https:\/\/(github\.com|sourceware\.org)\//, `${name}: ${url}`);
    assert.ok(url.includes(version), `${name}: ${url} is version ${version}`);
    assert.match(url, /\.tar\.(gz|xz)$/, `${name}: a tarball build-deps.sh can unpack`);
  }
  assert.equal(new Set(pins.map((p) => p.sha256)).size, pins.length, "no hash pasted twice");
});

test("no Debian mirror host is written in the fetch script or the workflow", () => {
  for (const file of [script, path.join(root, ".github", "workflows", "prebuild.yml")]) {
    assert.doesNotMatch(fs.readFileSync(file, "utf8"), /https?:\/\/[\w.-]*(debian|ubuntu)\.(org|net|com)/i, file);
  }
});

const haveDebianSources = fs.existsSync(debianSources);

test("the pinned versions are those of the Debian sources the prebuilds use", { skip: haveDebianSources ? false : "no deps/src here" }, () => {
  const files = fs.readdirSync(debianSources);
  for (const { name, version } of pins) {
    const orig = files.find((f) => f.startsWith(`${name}_`) && /\.orig\.tar\.(gz|xz|bz2)$/.test(f));
    if (!orig) {
      // libaec: Debian's binary libaec-dev, whose version is in its file name.
      const deb = fs.existsSync(path.join(root, "deps", "work", "libaec")) ? fs.readdirSync(path.join(root, "deps", "work", "libaec")).find((f) => /^libaec-dev_.*\.deb$/.test(f)) : undefined;
      assert.equal(name, "libaec", `${name}: a Debian source in deps/src`);
      if (deb) assert.equal(deb.split("_")[1].split("-")[0], version, `libaec: ${deb}`);
      continue;
    }
    const debianVersion = orig.slice(name.length + 1).replace(/\.orig\.tar\..*$/, "");
    assert.equal(upstreamVersion(debianVersion), version, `${name}: Debian has ${debianVersion}`);
  }
});

test("hashes marked [deb] are those of Debian's unchanged .orig tarballs", { skip: haveDebianSources ? false : "no deps/src here" }, () => {
  const marked = fs.readFileSync(script, "utf8").split("\n").filter((line) => /^\s*"[^"]+"\s*#\s*\[deb\]/.test(line));
  assert.ok(marked.length >= 6, "several hashes come from deps/src");
  for (const line of marked) {
    const [name, version, hash] = line.trim().slice(1).split("|");
    const orig = fs.readdirSync(debianSources).find((f) => f.startsWith(`${name}_${version}.orig.tar.`) && !f.endsWith(".asc"));
    assert.ok(orig, `${name}: ${name}_${version}.orig.tar.* in deps/src`);
    assert.equal(sha256(path.join(debianSources, orig!)), hash, `${name}: the [deb] hash is deps/src/${orig}'s`);
  }
});

// A PATH holding a shell and the basic utilities only: no cmake, make, compiler, nasm or curl.
test("without build tools it names every missing one and downloads nothing", { skip: process.platform === "win32" ? "POSIX shell utilities" : false }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h5dat-fetch-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  for (const tool of ["bash", "uname", "mkdir", "ls", "head", "cat", "rm", "mktemp", "awk", "sed", "cut", "dirname"]) {
    const found = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
    if (found) fs.symlinkSync(found, path.join(bin, tool));
  }
  const dest = path.join(dir, "src");
  const result = spawnSync(path.join(bin, "bash"), [script, dest], { encoding: "utf8", env: { PATH: bin, H5DAT_SOURCES: "upstream" } });
  assert.equal(result.status, 1, result.stderr);
  const message = result.stderr;
  for (const need of ["cmake", "make", "C++17 compiler", "curl or wget"]) assert.ok(message.includes(need), `names ${need}: ${message}`);
  if (["x64", "ia32"].includes(process.arch)) assert.ok(message.includes("nasm"), `names nasm: ${message}`);
  assert.deepEqual(fs.readdirSync(dest), [], "nothing downloaded");
});

test("an unknown H5DAT_SOURCES is refused", () => {
  const result = spawnSync("bash", [script, fs.mkdtempSync(path.join(os.tmpdir(), "h5dat-fetch-"))], {
    encoding: "utf8",
    env: { ...process.env, H5DAT_SOURCES: "mirror" },
  });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /H5DAT_SOURCES must be debian or upstream/);
});
