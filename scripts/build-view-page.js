#!/usr/bin/env node
// Builds the page of `h5dat view` into dist/view/page/: type-checks src/view/page/ (its own
// tsconfig: the DOM's types, which the Node sources must not see), bundles main.ts with esbuild
// into app.js, and copies index.html and style.css beside it. The server reads them from there;
// run from the sources it bundles the same way in memory (src/view/page-assets.ts).
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.join(__dirname, "..");
const source = path.join(root, "src", "view", "page");
const out = path.join(root, "dist", "view", "page");

execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(source, "tsconfig.json")], { stdio: "inherit" });
fs.mkdirSync(out, { recursive: true });
esbuild.buildSync({ entryPoints: [path.join(source, "main.ts")], bundle: true, outfile: path.join(out, "app.js"), format: "iife", target: "es2022", minify: true, logLevel: "error" });
for (const name of ["index.html", "style.css"]) fs.copyFileSync(path.join(source, name), path.join(out, name));
