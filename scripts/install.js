#!/usr/bin/env node
// npm install hook: use the prebuild for this platform when one loads; otherwise build the
// addon from source with cmake-js (the static libraries are built first by cmake/build-deps.sh,
// from Debian's source packages where apt exists, else from the upstream tarballs pinned in
// cmake/fetch-sources.sh).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const platform = `${process.platform}-${process.arch}`;
const fromSource = process.env.npm_config_build_from_source === "true";
const needs = `cmake, make, a C++17 compiler${process.arch === "x64" ? ", nasm" : ""} and curl or wget (see cmake/fetch-sources.sh)`;

/** Why this install builds from source, or null when the prebuild loads. */
function reasonToBuild() {
  if (fromSource) return "--build-from-source was asked for";
  try {
    require("node-gyp-build")(root);
    return null;
  } catch (error) {
    if (!fs.existsSync(path.join(root, "prebuilds", platform))) return `this package has no prebuilt addon for ${platform}`;
    return `the prebuilt addon for ${platform} does not load here (${error.message.split("\n")[0]})`;
  }
}

const reason = reasonToBuild();
if (reason === null) process.exit(0);
console.error(`h5dat: ${reason}; building it from source, which needs ${needs}.`);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", shell: false });
  if (result.status !== 0) {
    console.error(`h5dat: '${command} ${args.join(" ")}' failed. Building needs ${needs}; ` +
      `the messages above say which step failed.`);
    process.exit(result.status || 1);
  }
}

run("bash", [path.join("cmake", "build-deps.sh")]);
run("npx", ["--yes", "cmake-js@8", "compile", "--CDNAPI_VERSION=8"]);
