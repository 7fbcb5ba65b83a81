#!/usr/bin/env node
// Records (write) or verifies (check) a hash of every input of the native build, so that a
// committed prebuild can never silently lag behind binding/, cmake/ or CMakeLists.txt.
// prebuilds/STAMP holds one line per platform ("<hash> linux-arm64"): each prebuild is built on its
// own (linux-arm64 cross-compiled), so rebuilding one must not vouch for the others. `write` stamps
// the platform just built (H5DAT_TARGET, else this machine's); `check` wants a current line for
// every folder in prebuilds/.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const stampFile = path.join(root, "prebuilds", "STAMP");
const inputs = ["binding", "cmake", "CMakeLists.txt"];

function listFiles(entry) {
  const full = path.join(root, entry);
  if (fs.statSync(full).isFile()) return [entry];
  return fs.readdirSync(full).sort().flatMap((name) => listFiles(path.join(entry, name)));
}

function sourceHash() {
  const hash = crypto.createHash("sha256");
  for (const file of inputs.flatMap(listFiles)) {
    hash.update(file.split(path.sep).join("/") + "\0");
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

// CMakeLists.txt names every source (folder/file.cc, one folder a concern) instead of globbing:
// a source it does not name would silently be left out of the addon.
function unlistedSources() {
  const named = new Set(fs.readFileSync(path.join(root, "CMakeLists.txt"), "utf8").split(/[\s()]+/));
  return listFiles("binding")
    .map((file) => path.relative("binding", file).split(path.sep).join("/"))
    .filter((file) => file.endsWith(".cc") && !named.has(file));
}

const unlisted = unlistedSources();
if (unlisted.length > 0) {
  console.error(`CMakeLists.txt does not list ${unlisted.join(", ")}: add each to its folder's H5DAT_*_SOURCES.`);
  process.exit(1);
}

/** The recorded hash of each platform, from prebuilds/STAMP. */
function readStamps() {
  const stamps = new Map();
  if (!fs.existsSync(stampFile)) return stamps;
  for (const line of fs.readFileSync(stampFile, "utf8").split("\n")) {
    const [hash, platform] = line.trim().split(/\s+/);
    if (hash && platform) stamps.set(platform, hash);
  }
  return stamps;
}

/** The npm script that rebuilds a platform's prebuild. */
const crossCommands = { "linux-arm64": "npm run build:prebuild:arm64", "win32-x64": "npm run build:prebuild:win32" };
const rebuildCommand = (platform) => crossCommands[platform] ?? "npm run build:prebuild";

const command = process.argv[2];
if (command === "write") {
  const platform = process.env.H5DAT_TARGET && process.env.H5DAT_TARGET !== "native"
    ? process.env.H5DAT_TARGET
    : `${process.platform}-${process.arch}`;
  const stamps = readStamps();
  stamps.set(platform, sourceHash());
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  const lines = [...stamps].sort(([a], [b]) => a.localeCompare(b)).map(([name, hash]) => `${hash} ${name}\n`);
  fs.writeFileSync(stampFile, lines.join(""));
  console.log(`prebuild stamp written for ${platform}: ${stampFile}`);
} else if (command === "check") {
  const expected = sourceHash();
  const stamps = readStamps();
  const platforms = fs.readdirSync(path.dirname(stampFile), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const stale = platforms.filter((platform) => stamps.get(platform) !== expected);
  if (stale.length > 0) {
    console.error(
      `The committed prebuild is stale: binding/, cmake/ or CMakeLists.txt changed since it was built.\n` +
        stale.map((platform) => `  ${platform}: recorded ${stamps.get(platform) ?? "(none)"}\n`).join("") +
        `  current  ${expected}\n` +
        stale.map((platform) => `  fix: ${rebuildCommand(platform)}, then commit prebuilds/.\n`).join(""),
    );
    process.exit(1);
  }
  console.log(`prebuild stamp matches the native sources (${platforms.join(", ")})`);
} else {
  console.error("usage: prebuild-stamp.js write|check");
  process.exit(2);
}
