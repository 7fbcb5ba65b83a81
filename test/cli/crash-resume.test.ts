// Crash safety: a conversion killed with SIGKILL at 20 random moments leaves a .partial that h5py
// opens and that holds (with the clean run's values) every entry its manifest says is written;
// `--resume` then ends with the same datasets, values, attrs and manifest as an uninterrupted run.
// Also --append, and a .partial that a new run refuses to overwrite without --resume/--overwrite.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import sharp from "sharp";
import { convert, File } from "../../src";
import { makeTreeAndArchives } from "../helpers/archives";
import { compiledCli } from "../helpers/compiled-cli";
import { tempDir } from "../helpers/h5py";
import { PythonSession } from "../helpers/python-session";
import { seededRandom } from "../helpers/seeded-random";

const dir = tempDir("h5dat-crash-");

/** A mixed archive and a mixed directory: images, JSON, JSONL, CSV, text, and one bad image (kept as bytes). */
async function makeInputs(): Promise<string[]> {
  const files: Record<string, string | Buffer> = {};
  const next = seededRandom(7);
  for (let i = 0; i < 60; i++) {
    const pixels = Buffer.from(Array.from({ length: 48 * 32 * 3 }, () => Math.floor(next() * 256)));
    const image = sharp(pixels, { raw: { width: 48, height: 32, channels: 3 } });
    files[`img/${i}.${i % 2 ? "png" : "jpg"}`] = await (i % 2 ? image.png() : image.jpeg()).toBuffer();
  }
  for (let i = 0; i < 150; i++) files[`json/${i}.json`] = JSON.stringify({ i, values: Array.from({ length: 20 }, () => next()), name: `n${i}` });
  for (let i = 0; i < 80; i++) files[`csv/${i}.csv`] = "a,b,c\n" + Array.from({ length: 30 }, (_, r) => `${r},${(next() * 100).toFixed(3)},x${r}`).join("\n") + "\n";
  for (let i = 0; i < 80; i++) files[`text/${i}.txt`] = `line ${i}\n`.repeat(1 + (i % 50));
  files["logs/events.jsonl"] = Array.from({ length: 500 }, (_, i) => JSON.stringify({ t: i, ok: i % 3 === 0 })).join("\n") + "\n";
  files["img/broken.jpg"] = "this is not a JPEG";
  makeTreeAndArchives(files, path.join(dir, "tree"), dir, "mixed", ["tar.gz"]);
  const loose = path.join(dir, "loose");
  fs.mkdirSync(loose);
  for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(loose, `r${String(i).padStart(3, "0")}.json`), JSON.stringify({ r: i }));
  return [path.join(dir, "mixed.tar.gz"), loose];
}

/**
 * What a file holds, as h5py reads it: every dataset's shape, dtype, a digest of its values and
 * its attrs; the manifest rows; the quarantine. Root and /_h5dat attrs (times, commands, run
 * state) are left out: they say how the file was made, not what it holds. One Python process
 * reads all ~40 files of this suite.
 */
const reader = new PythonSession(`import h5py, hashlib, json
import numpy as np
def handle(path):
    with h5py.File(path, "r") as f:
        datasets = {}
        def visit(name, obj):
            if not isinstance(obj, h5py.Dataset) or name == "_h5dat/manifest":
                return
            data = obj[()]
            raw = data.tobytes() if isinstance(data, np.ndarray) and data.dtype.kind not in "OV" else repr(data.tolist() if hasattr(data, "tolist") else data).encode()
            attrs = {k: repr(v.tolist() if hasattr(v, "tolist") else v) for k, v in sorted(obj.attrs.items())}
            datasets["/" + name] = json.dumps([obj.shape, str(obj.dtype), hashlib.sha256(raw).hexdigest(), attrs])
        f.visititems(visit)
        m = f["_h5dat/manifest"][()] if "_h5dat/manifest" in f else []
        manifest = [json.dumps([r[k].decode() if isinstance(r[k], bytes) else int(r[k]) for k in ("source", "source_path", "target", "status", "bytes", "processor", "message", "entry")]) for r in m]
        written = sorted(r["target"].decode() for r in m if r["status"] == b"written")
        inputs = [s.decode() if isinstance(s, bytes) else s for s in f.attrs.get("inputs", [])]
        return {"datasets": datasets, "manifest": manifest, "written": written, "inputs": inputs}`);
after(() => reader.close());

function contents(file: string): Promise<{ datasets: Record<string, string>; manifest: string[]; written: string[]; inputs: string[] }> {
  return reader.call(file);
}

/** Waits until `file` has grown past its first checkpoint's size (entries are being written). */
async function writingStarted(file: string, child: ChildProcess): Promise<void> {
  const size = () => (fs.existsSync(file) ? fs.statSync(file).size : 0);
  while (size() < 64 << 10 && child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
}

function convertArgs(inputs: string[], output: string, ...more: string[]): string[] {
  return compiledCli("convert", ...inputs, "-o", output, "--quiet", "--checkpoint-entries", "40", "--checkpoint-seconds", "0.2", ...more);
}

test("kill -9 at 20 random moments: the .partial opens and holds its written entries; --resume equals a clean run", { timeout: 900_000 }, async () => {
  const inputs = await makeInputs();
  const cleanFile = path.join(dir, "clean.h5");
  // When a clean run writes entries: from its .partial's first growth (the workers are up and
  // entries arrive) to its end. Kills are spread over that span.
  const cleanRun = spawn(process.execPath, convertArgs(inputs, cleanFile), { stdio: "ignore" });
  const cleanExit = new Promise<number | null>((r) => cleanRun.on("close", r));
  await writingStarted(`${cleanFile}.partial`, cleanRun);
  const writingFrom = performance.now();
  assert.equal(await cleanExit, 0); // broken.jpg is kept as its bytes
  const cleanMs = performance.now() - writingFrom;
  const clean = await contents(cleanFile);
  assert.equal(clean.written.length, 471 + 1);

  const next = seededRandom(42);
  const outcomes: [number, number][] = [];
  for (let i = 0; i < 20; i++) {
    const output = path.join(dir, `killed-${i}.h5`);
    const child = spawn(process.execPath, convertArgs(inputs, output), { stdio: "ignore" });
    const closed = new Promise((r) => child.on("close", r));
    // A moment while entries are written (the first kill: as soon as the .partial exists). It
    // may come after the end: then --resume has nothing to do.
    if (i === 0) while (!fs.existsSync(`${output}.partial`) && child.exitCode === null) await new Promise((r) => setTimeout(r, 1));
    else {
      await writingStarted(`${output}.partial`, child);
      await new Promise((r) => setTimeout(r, next() * cleanMs));
    }
    child.kill("SIGKILL");
    await closed;

    let kept = 0;
    if (fs.existsSync(`${output}.partial.journal`)) {
      // The kill came while a checkpoint was being applied: the next h5dat open finishes it.
      await (await File.open(`${output}.partial`, "r")).close();
      assert.equal(fs.existsSync(`${output}.partial.journal`), false);
    }
    if (fs.existsSync(`${output}.partial`)) {
      // What the kill left: h5py opens it, and every entry its manifest calls written is there,
      // with the values of the clean run.
      const partial = await contents(`${output}.partial`);
      for (const target of partial.written) assert.equal(partial.datasets[target], clean.datasets[target], `kill ${i}: ${target}`);
      kept = partial.written.length;
    }
    const resumed = spawnSync(process.execPath, convertArgs(inputs, output, "--resume", "--json"), { encoding: "utf8" });
    assert.equal(resumed.status, 0, `kill ${i}: ${resumed.stderr}`);
    const resumedContents = await contents(output);
    assert.deepEqual(Object.keys(resumedContents.datasets).sort(), Object.keys(clean.datasets).sort(), `kill ${i}: datasets`);
    for (const [name, digest] of Object.entries(clean.datasets)) assert.equal(resumedContents.datasets[name], digest, `kill ${i}: ${name}`);
    assert.deepEqual(resumedContents.manifest, clean.manifest, `kill ${i}: manifest`);
    assert.deepEqual(resumedContents.inputs, inputs, `kill ${i}: root attrs`);
    assert.equal(fs.existsSync(`${output}.partial`), false);
    outcomes.push([kept, JSON.parse(resumed.stdout).resumed as number]);
  }
  // Most kills landed mid-run: after a checkpoint had kept entries, before the end.
  const midRun = outcomes.filter(([kept]) => kept > 0 && kept < clean.manifest.length).length;
  assert.ok(midRun >= 8, outcomes.map(([kept, resumed]) => `${kept} kept, ${resumed} resumed`).join("; "));
});

test("a .partial left behind is not overwritten without --resume or --overwrite", () => {
  const output = path.join(dir, "left.h5");
  fs.writeFileSync(`${output}.partial`, "left by a run");
  const run = spawnSync(process.execPath, convertArgs([path.join(dir, "loose")], output), { encoding: "utf8" });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /left\.h5\.partial' is left from an interrupted run: pass --resume/);
  assert.equal(fs.readFileSync(`${output}.partial`, "utf8"), "left by a run");
});

test("--resume with other inputs or options refuses, naming the difference", async () => {
  const output = path.join(dir, "changed.h5");
  const loose = path.join(dir, "loose");
  const controller = new AbortController();
  const events = new EventEmitter();
  events.on("entry", () => controller.abort());
  const aborted = await convert([loose], { output, workers: 0, signal: controller.signal }, events);
  assert.ok(fs.existsSync(`${output}.partial`));
  const otherInputs = spawnSync(process.execPath, convertArgs([loose, path.join(dir, "mixed.tar.gz")], output, "--resume"), { encoding: "utf8" });
  assert.equal(otherInputs.status, 1);
  assert.match(otherInputs.stderr, /cannot resume '.*changed\.h5\.partial': it was made from/);
  const otherOptions = spawnSync(process.execPath, convertArgs([loose], output, "--resume", "--compression", "none"), { encoding: "utf8" });
  assert.equal(otherOptions.status, 1);
  assert.match(otherOptions.stderr, /options changed since it was started \(compression\)/);
  const same = spawnSync(process.execPath, convertArgs([loose], output, "--resume", "--json"), { encoding: "utf8" });
  assert.equal(same.status, 0, same.stderr);
  assert.deepEqual([JSON.parse(same.stdout).resumed, JSON.parse(same.stdout).written], [aborted.written, 100]);
});

test("--append adds inputs and leaves what the file held untouched", async () => {
  const output = path.join(dir, "appended.h5");
  const loose = path.join(dir, "loose");
  const text = path.join(dir, "tree", "text");
  assert.equal(spawnSync(process.execPath, convertArgs([loose], output)).status, 0);
  const before = await contents(output);
  const run = spawnSync(process.execPath, convertArgs([text, loose], output, "--append", "--json"), { encoding: "utf8" });
  assert.equal(run.status, 2, run.stderr); // loose again: its targets exist already
  const appended = await contents(output);
  for (const [name, digest] of Object.entries(before.datasets)) assert.equal(appended.datasets[name], digest, name);
  assert.deepEqual(appended.manifest.slice(0, before.manifest.length), before.manifest);
  const added = appended.manifest.slice(before.manifest.length).map((row) => JSON.parse(row) as unknown[]);
  assert.equal(added.filter((row) => row[3] === "written").length, 80);
  assert.ok(added.filter((row) => row[3] === "failed").every((row) => /already (written by an earlier entry|exists in the file)/.test(String(row[6]))));
  assert.equal(added.filter((row) => row[3] === "failed").length, 100);
  assert.deepEqual(appended.inputs, [loose, text, loose]);
});
