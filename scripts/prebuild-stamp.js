#!/usr/bin/env node
// Records (write) or verifies (check) a hash of every input of the native build, so that a
// committed prebuild can never silently lag behind binding/, cmake/ or CMakeLists.txt.
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

const command = process.argv[2];
if (command === "write") {
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, sourceHash() + "\n");
  console.log(`prebuild stamp written: ${stampFile}`);
} else if (command === "check") {
  const expected = sourceHash();
  const recorded = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, "utf8").trim() : "(none)";
  if (recorded !== expected) {
    console.error(
      `The committed prebuild is stale: binding/, cmake/ or CMakeLists.txt changed since it was built.\n` +
        `  recorded ${recorded}\n  current  ${expected}\n  fix: npm run build:prebuild, then commit prebuilds/.`,
    );
    process.exit(1);
  }
  console.log("prebuild stamp matches the native sources");
} else {
  console.error("usage: prebuild-stamp.js write|check");
  process.exit(2);
}
