// Crash safety of the stacked layout: a conversion into stacks, killed with SIGKILL at random
// moments, leaves a .partial whose stacks hold the rows of the entries its manifest says are
// written (each as the clean run's, by path); `--resume` then ends with the same arrays, labels,
// splits, meta and manifest as an uninterrupted run, row for row. Two inputs: one fixed-shape
// stack (--resize) and one that turns ragged mid-run (an image of another size).
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { File } from "../../src";
import { python, tempDir } from "../helpers/h5py";
import { seededRandom } from "../helpers/seeded-random";

const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
const dir = tempDir("h5dat-crash-stacked-");
const KILLS = 6;

/** Two image trees with a few JSON files each; the second's images differ in size from its 40th on. */
function makeInputs(): string[] {
  python(`import sys, os, json, numpy as np
from PIL import Image
rng = np.random.default_rng(11)
for tree, count in (("pets", 160), ("mixed", 90)):
    for i in range(count):
        cls = ("cat", "dog", "owl")[i % 3]
        split = "train/" if i % 4 == 0 and tree == "pets" else ""
        os.makedirs(f"{sys.argv[1]}/{tree}/{split}{cls}", exist_ok=True)
        h = 12 if tree == "pets" or i < 40 or i % 2 else 14
        Image.fromarray(rng.integers(0, 256, (h, 10, 3), dtype=np.uint8)).save(f"{sys.argv[1]}/{tree}/{split}{cls}/{i:03d}.{'png' if i % 2 else 'jpg'}")
    os.makedirs(f"{sys.argv[1]}/{tree}/notes", exist_ok=True)
    for i in range(20): open(f"{sys.argv[1]}/{tree}/notes/{i}.json", "w").write(json.dumps({"i": i}))
print("{}")`, dir);
  return [path.join(dir, "pets"), path.join(dir, "mixed")];
}

/** Every dataset's shape, dtype and digest (vlen rows digested element by element), and the manifest rows. */
function contents(file: string): { datasets: Record<string, string>; manifest: string[]; written: string[]; rows: Record<string, { path: string; pixels: string }[]> } {
  return python(`import h5py, hashlib, json, sys
import numpy as np
f = h5py.File(sys.argv[1], "r")
datasets = {}
def digest(data):
    if isinstance(data, np.ndarray) and data.dtype.kind == "O":
        return hashlib.sha256(b"".join(np.asarray(x).tobytes() + b"|" for x in data)).hexdigest()
    return hashlib.sha256(data.tobytes() if isinstance(data, np.ndarray) else repr(data).encode()).hexdigest()
def visit(name, obj):
    if isinstance(obj, h5py.Dataset) and name != "_h5dat/manifest":
        datasets["/" + name] = json.dumps([obj.shape, str(obj.dtype), digest(obj[()])])
f.visititems(visit)
rows = {}
for g in ("pets", "mixed"):
    if g not in f or "paths" not in f[g] or "offsets" not in f[g]["paths"]: continue
    o = f[g]["paths/offsets"][:]; b = f[g]["paths/bytes"][:].tobytes()
    # Killed while the stack turned ragged, its rows are still in the fixed array (images.fixed).
    images = f[g]["images.fixed"] if "images.fixed" in f[g] else f[g]["images"]
    n = min(len(o) - 1, len(images))
    rows[g] = [{"path": b[o[i]:o[i + 1]].decode(), "pixels": hashlib.sha256(np.asarray(images[i]).tobytes()).hexdigest()} for i in range(n)]
m = f["_h5dat/manifest"][()] if "_h5dat/manifest" in f else []
manifest = [json.dumps([r[k].decode() if isinstance(r[k], bytes) else int(r[k]) for k in ("source", "source_path", "target", "status", "bytes", "processor", "message", "entry")]) for r in m]
written = [json.dumps([r["target"].decode(), r["source_path"].decode()]) for r in m if r["status"] == b"written"]
print(json.dumps({"datasets": datasets, "manifest": manifest, "written": written, "rows": rows}))`, file);
}

function convertArgs(inputs: string[], output: string, ...more: string[]): string[] {
  return ["--import", "tsx", CLI, "convert", ...inputs, "-o", output, "--quiet", "--layout", "stacked", "--split", "train=0.5,val=0.5", "--checkpoint-entries", "15", "--checkpoint-seconds", "0.1", ...more];
}

async function writingStarted(file: string, child: ChildProcess): Promise<void> {
  const size = () => (fs.existsSync(file) ? fs.statSync(file).size : 0);
  while (size() < 32 << 10 && child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
}

test(`kill -9 at ${KILLS} random moments of a stacked conversion: the .partial's stacks hold their recorded rows; --resume equals a clean run`, { timeout: 600_000 }, async () => {
  const inputs = makeInputs();
  const cleanFile = path.join(dir, "clean.h5");
  const cleanRun = spawn(process.execPath, convertArgs(inputs, cleanFile), { stdio: "ignore" });
  const cleanExit = new Promise<number | null>((r) => cleanRun.on("close", r));
  await writingStarted(`${cleanFile}.partial`, cleanRun);
  const writingFrom = performance.now();
  assert.equal(await cleanExit, 0);
  const cleanMs = performance.now() - writingFrom;
  const clean = contents(cleanFile);
  const pixelsOf = new Map(Object.entries(clean.rows).flatMap(([group, rows]) => rows.map(({ path: p, pixels }) => [`/${group}/${p}`, pixels])));
  assert.equal(python<string>("import h5py, sys, json; print(json.dumps(h5py.File(sys.argv[1])['mixed'].attrs['image_storage']))", cleanFile), "ragged");

  const next = seededRandom(5);
  const kept: number[] = [];
  for (let i = 0; i < KILLS; i++) {
    const output = path.join(dir, `killed-${i}.h5`);
    const child = spawn(process.execPath, convertArgs(inputs, output), { stdio: "ignore" });
    const closed = new Promise((r) => child.on("close", r));
    await writingStarted(`${output}.partial`, child);
    await new Promise((r) => setTimeout(r, next() * cleanMs));
    child.kill("SIGKILL");
    await closed;
    if (fs.existsSync(`${output}.partial.journal`)) await (await File.open(`${output}.partial`, "r")).close();
    if (fs.existsSync(`${output}.partial`)) {
      // Every image the manifest calls written is a row of its stack, with the clean run's pixels.
      const partial = contents(`${output}.partial`);
      const stacked = partial.written.map((w) => JSON.parse(w) as [string, string]).filter(([target]) => target.endsWith("/images"));
      for (const [target, sourcePath] of stacked) {
        const group = target.split("/")[1];
        const row = partial.rows[group]?.find((r) => r.path === sourcePath);
        assert.ok(row, `kill ${i}: ${sourcePath} is recorded but no row of ${target}`);
        assert.equal(row.pixels, pixelsOf.get(`/${group}/${sourcePath}`), `kill ${i}: ${sourcePath}`);
      }
      kept.push(stacked.length);
    }
    const resumed = spawnSync(process.execPath, convertArgs(inputs, output, "--resume"), { encoding: "utf8" });
    assert.equal(resumed.status, 0, `kill ${i}: ${resumed.stderr}`);
    const after = contents(output);
    assert.deepEqual(Object.keys(after.datasets).sort(), Object.keys(clean.datasets).sort(), `kill ${i}: datasets`);
    for (const [name, digest] of Object.entries(clean.datasets)) assert.equal(after.datasets[name], digest, `kill ${i}: ${name}`);
    assert.deepEqual(after.manifest, clean.manifest, `kill ${i}: manifest`);
  }
  assert.ok(kept.some((n) => n > 0), `some kill came after rows were recorded: ${kept.join(", ")}`);
});
