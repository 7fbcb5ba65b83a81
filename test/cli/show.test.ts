// `h5dat show`: attrs and a preview by kind — a table's first rows, a JSON value, an image's
// summary and --png (the pixels back as a PNG), a group's members; a missing path exits 1.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-show-");
const tree = path.join(dir, "d");
fs.mkdirSync(tree);
fs.writeFileSync(path.join(tree, "t.csv"), "a,b\n1,x\n2,y\n3,z\n");
fs.writeFileSync(path.join(tree, "v.json"), '{"k": [1, 12345678901234567890]}');
python(`import sys
import numpy as np
from PIL import Image
Image.fromarray((np.arange(12 * 10 * 3) % 256).astype("uint8").reshape(12, 10, 3)).save(sys.argv[1])
print("[]")`, path.join(tree, "i.png"));
const output = path.join(dir, "o.h5");
const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const show = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, "show", output, ...args], { encoding: "utf8" });

test("show previews tables, JSON, images (and writes --png), groups; --json has the same", async () => {
  await convert([tree], { output, workers: 0 });
  const table = show("/d/t.csv", "--rows", "2");
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /@processor = "csv"/);
  assert.match(table.stdout, /^a,b\n1,x\n2,y\n… 1 more row \(3 in all\)$/m);
  const json = show("/d/v.json");
  assert.match(json.stdout, /^\{"k":\[1,12345678901234567890\]\}$/m);
  const png = path.join(dir, "out.png");
  const image = show("/d/i.png", "--png", png);
  assert.match(image.stdout, /^image: 10×12, 3 channels, 8-bit, from png$/m);
  const same = python<{ equal: boolean }>(`import json, sys
import numpy as np
from PIL import Image
print(json.dumps({"equal": bool((np.asarray(Image.open(sys.argv[1])) == np.asarray(Image.open(sys.argv[2]))).all())}))`, png, path.join(tree, "i.png"));
  assert.equal(same.equal, true);
  const group = JSON.parse(show("/d", "--json").stdout);
  assert.deepEqual(group.preview.members, ["/d/i.png", "/d/t.csv", "/d/v.json"]);
  const asJson = JSON.parse(show("/d/t.csv", "--json").stdout);
  assert.deepEqual([asJson.preview.kind, asJson.preview.columns, asJson.preview.length], ["table", ["a", "b"], 3]);
  const missing = show("/nope");
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /'\/nope' is not in/);
});
