// The rule of issue 16: every entry read ends up in the file. An entry its processor fails on is
// kept as its original bytes (attrs processor "bytes", media_type, fallback_reason; manifest
// "kept as bytes: <error>"), counted apart; `on_error: "fail"` fails it instead; limits fail
// either way; a resumed run keeps it as done; media streamed from an archive beyond what is held
// whole cannot be kept and fail saying so. Checked with h5py.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { convert, type ConvertSummary } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-fallback-");

/** What h5py sees at `target`: its bytes' sha256 and attrs. */
function keptDataset(output: string, target: string): { sha: string; dtype: string; attrs: Record<string, string | number> } {
  return python(`import h5py, hashlib, json, sys
d = h5py.File(sys.argv[1], "r")[sys.argv[2]]
attrs = {k: (v.decode() if isinstance(v, bytes) else v.item() if hasattr(v, "item") else v) for k, v in d.attrs.items()}
print(json.dumps({"sha": hashlib.sha256(d[()].tobytes()).hexdigest(), "dtype": str(d.dtype), "attrs": attrs}))`, output, target);
}

const sha = (bytes: Buffer) => crypto.createHash("sha256").update(bytes).digest("hex");

test("a failed processor keeps the bytes; on_error fail fails; a pixel limit fails either way", async () => {
  const tree = path.join(dir, "tree");
  fs.mkdirSync(tree);
  const broken = Buffer.from('{"a": [1, 2');
  fs.writeFileSync(path.join(tree, "broken.json"), broken);
  fs.writeFileSync(path.join(tree, "ok.json"), '{"a": 1}');
  // A valid 8 × 6 PNG, over the --max-pixels given below: a limit, so never kept.
  execFileSync("/usr/bin/python3", ["-c", "import sys; from PIL import Image; Image.new('RGB', (8, 6)).save(sys.argv[1])", path.join(tree, "big.png")]);

  const output = path.join(dir, "keep.h5");
  const kept = await convert([tree], { output, workers: 0, maxPixels: 40 });
  assert.deepEqual([kept.written, kept.keptAsBytes, kept.failed], [1, 1, 1]);
  assert.deepEqual(kept.kept.map((row) => [row.source_path, row.status, row.processor]), [["broken.json", "written", "json"]]);
  assert.match(kept.kept[0].message, /^kept as bytes: invalid JSON/);
  assert.match(kept.failures[0].message, /^too many pixels: .*over --max-pixels/);
  const dataset = keptDataset(output, "/tree/broken.json");
  assert.equal(dataset.sha, sha(broken));
  assert.equal(dataset.dtype, "uint8");
  assert.deepEqual(
    { ...dataset.attrs, fallback_reason: undefined },
    { source: tree, source_path: "broken.json", source_size: broken.length, media_type: "application/json", processor: "bytes", fallback_reason: undefined },
  );
  assert.equal(`kept as bytes: ${dataset.attrs.fallback_reason}`, kept.kept[0].message);

  const failing = await convert([tree], { output: path.join(dir, "fail.h5"), workers: 0, onError: "fail", maxPixels: 40 });
  assert.deepEqual([failing.written, failing.keptAsBytes, failing.failed], [1, 0, 2]);
  assert.match(failing.failures.find((row) => row.source_path === "broken.json")!.message, /^invalid JSON/);
  assert.deepEqual(python(`import h5py, json, sys
print(json.dumps("broken.json" in h5py.File(sys.argv[1], "r")["tree"]))`, path.join(dir, "fail.h5")), false);
});

test("--resume counts a kept-as-bytes entry as done", async () => {
  const tree = path.join(dir, "resume");
  fs.mkdirSync(tree);
  // Entries come in name order: the bad one first, then enough good ones to stop among.
  fs.writeFileSync(path.join(tree, "a-bad.csv"), "a,b\n1\n2,3,4\n5,6,7,8\n");
  for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(tree, `n${String(i).padStart(2, "0")}.txt`), `entry ${i}`);
  const output = path.join(dir, "resume.h5");
  const controller = new AbortController();
  const { EventEmitter } = await import("node:events");
  const events = new EventEmitter();
  events.on("entry", () => controller.abort());
  const first = await convert([tree], { output, workers: 0, batchProcessLimit: 1, signal: controller.signal }, events);
  assert.equal(first.interrupted, true);
  assert.equal(first.keptAsBytes, 1);

  const resumed: ConvertSummary = await convert([tree], { output, workers: 0, resume: true });
  assert.equal(resumed.interrupted, false);
  assert.ok(resumed.resumed >= 1, `${resumed.resumed} entries carried over`);
  assert.deepEqual([resumed.entries, resumed.written, resumed.keptAsBytes, resumed.failed], [21, 20, 1, 0]);
  assert.equal(keptDataset(output, "/resume/a-bad.csv").sha, sha(fs.readFileSync(path.join(tree, "a-bad.csv"))));
});

test("media: a loose file is read again; one streamed from an archive past 8 MiB fails saying why", async () => {
  const tree = path.join(dir, "media");
  fs.mkdirSync(tree);
  // Not a video at all, but named as one: ffmpeg fails on it.
  const noise = crypto.randomBytes(9 << 20);
  fs.writeFileSync(path.join(tree, "noise.mp4"), noise);
  const loose = await convert([tree], { output: path.join(dir, "media-loose.h5"), workers: 0 });
  assert.deepEqual([loose.keptAsBytes, loose.failed], [1, 0]);
  assert.equal(keptDataset(path.join(dir, "media-loose.h5"), "/media/noise.mp4").sha, sha(noise));

  const archive = path.join(dir, "media.tar");
  execFileSync("tar", ["-cf", archive, "-C", dir, "media"]);
  const archived = await convert([archive], { output: path.join(dir, "media-archived.h5"), workers: 0 });
  assert.deepEqual([archived.keptAsBytes, archived.failed], [0, 1]);
  assert.match(archived.failures[0].message, /; not kept as bytes: it was streamed from the archive, too large to hold whole$/);
});
