#!/usr/bin/env node
// A first check of a freshly built prebuild on its own runner (.github/workflows/prebuild.yml):
// the compiled package (dist/) loads prebuilds/<platform>-<arch>/ through node-gyp-build, writes a
// compressed dataset and reads it back value for value. Run after `npm run build`.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { File } = require("..");

async function main() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "h5dat-smoke-")), "smoke.h5");
  const values = Float64Array.from({ length: 600 }, (_, i) => Math.sin(i / 10));
  const written = await File.open(file, "w");
  await written.createDataset("a/x", { data: values, shape: [20, 30], chunks: [5, 30], compression: "gzip", shuffle: true });
  await written.close();
  const read = await File.open(file, "r");
  const { data } = await (await read.dataset("a/x")).read();
  await read.close();
  const same = data.length === values.length && values.every((v, i) => data[i] === v);
  if (!same) throw new Error(`smoke: ${file} read back different values`);
  console.log(`smoke: ${process.platform}-${process.arch} wrote and read back ${values.length} values (${file})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
