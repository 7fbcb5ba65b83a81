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
