#!/usr/bin/env node
// npm install hook: use the prebuild for this platform when one loads; otherwise build the
// addon from source with cmake-js (the static libraries are built first by cmake/build-deps.sh).
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.join(__dirname, "..");
const fromSource = process.env.npm_config_build_from_source === "true";

if (!fromSource) {
  try {
    require("node-gyp-build")(root);
    process.exit(0);
  } catch (error) {
    console.error(`h5dat: no prebuilt addon loads here (${error.message.split("\n")[0]}); building from source.`);
  }
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", shell: false });
  if (result.status !== 0) {
    console.error(`h5dat: '${command} ${args.join(" ")}' failed. Building needs cmake, nasm, a C++17 compiler, ` +
      `and Debian source packages of the static libraries (see cmake/build-deps.sh).`);
    process.exit(result.status || 1);
  }
}

run("bash", [path.join("cmake", "build-deps.sh")]);
run("npx", ["--yes", "cmake-js@8", "compile", "--CDNAPI_VERSION=8"]);
