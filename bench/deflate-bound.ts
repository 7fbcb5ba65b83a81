// What bounds P3: the CPU one image costs its writer, gzip 4 against no compression, h5dat
// (libdeflate, on the filter threads) against h5py (zlib, in the writing thread). Both write the
// same 600×400×3 images (from P3's cached h5dat output) one after another as whole-chunk
// datasets, and report process CPU time (all threads) per image.
//
//   node --import tsx bench/deflate-bound.ts [--images N]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { File, flattenTree, readTree } from "../src";

const SOURCE = "/tmp/h5dat-bench-cache/p3-1000.h5";
const imagesFlag = process.argv.indexOf("--images");
const images = imagesFlag > 0 ? Number(process.argv[imagesFlag + 1]) : 200;

async function readImages(): Promise<Uint8Array[]> {
  const reader = await File.open(SOURCE, "r");
  const out: Uint8Array[] = [];
  try {
    for (const node of flattenTree(await readTree(reader))) {
      if (out.length === images) break;
      if (node.kind !== "dataset" || node.shape?.length !== 3) continue;
      out.push((await (await reader.dataset(node.path)).read()).data as Uint8Array);
    }
  } finally {
    await reader.close();
  }
  return out;
}

async function h5datCpuPerImage(pixels: Uint8Array[], compression: "gzip" | "none"): Promise<number> {
  const file = path.join(os.tmpdir(), `deflate-bound-${process.pid}.h5`);
  const f = await File.open(file, "w");
  const before = process.cpuUsage();
  for (const [i, data] of pixels.entries()) {
    await (await f.createDataset(`i${i}`, { dtype: "uint8", shape: [600, 400, 3], chunks: [600, 400, 3], compression, data })).close();
  }
  await f.close();
  const used = process.cpuUsage(before);
  fs.rmSync(file, { force: true });
  return (used.user + used.system) / 1000 / pixels.length;
}

function h5pyCpuPerImage(compression: "gzip" | "none"): number {
  const script = `import h5py, sys, time, os
src = h5py.File(sys.argv[1], "r")
names = []
src.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) and o.ndim == 3 else None)
pixels = [src[n][()] for n in names[:int(sys.argv[2])]]
out = h5py.File(sys.argv[3], "w")
start = time.process_time()
for i, p in enumerate(pixels):
    out.create_dataset("i%d" % i, data=p, chunks=p.shape, **({"compression": "gzip", "compression_opts": 4} if sys.argv[4] == "gzip" else {}))
out.close()
print((time.process_time() - start) * 1000 / len(pixels))
os.remove(sys.argv[3])`;
  const run = spawnSync("/usr/bin/python3", ["-c", script, SOURCE, String(images), path.join(os.tmpdir(), `deflate-bound-py-${process.pid}.h5`), compression], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout.trim());
}

async function main(): Promise<void> {
  if (!fs.existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: run \`npm run bench -- p4\` first (it makes it)`);
  const pixels = await readImages();
  const rows: Record<string, number[]> = { "h5dat gzip 4": [], "h5dat none": [], "h5py gzip 4": [], "h5py none": [] };
  for (let rep = 0; rep < 3; rep++) {
    rows["h5dat gzip 4"].push(await h5datCpuPerImage(pixels, "gzip"));
    rows["h5py gzip 4"].push(h5pyCpuPerImage("gzip"));
    rows["h5dat none"].push(await h5datCpuPerImage(pixels, "none"));
    rows["h5py none"].push(h5pyCpuPerImage("none"));
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  console.log(`CPU ms per 600×400×3 image written (${pixels.length} images, median of 3; load ${os.loadavg()[0].toFixed(2)}):`);
  for (const [name, values] of Object.entries(rows)) console.log(`  ${name.padEnd(14)} ${median(values).toFixed(2)}`);
  const result = Object.fromEntries(Object.entries(rows).map(([name, values]) => [name, Number(median(values).toFixed(2))]));
  console.log(JSON.stringify({ bench: "deflate-bound", unit: "cpu ms/image", ...result }));
}

void main();
