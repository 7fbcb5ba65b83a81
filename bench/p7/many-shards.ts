// P7 part 2's maker: 1,000 small shards of one generated image folder, made quickly in this one
// process (convert() 1,000 times with workers 0: no pool to start per shard), then merged
// virtually and with --materialize. The reads are read_master.py's.
//
//   node --import tsx bench/p7/many-shards.ts '{"dir":"/tmp/x","images":2000,"shards":1000}'
//
// The input is `images` 32×32 JPEGs in 10 class directories (sharp, seeded pixels). With the
// native virtual-dataset op (File.createVirtualDataset) the shards are stacked (`layout:
// "stacked"`, resize 32x32: one fixed [N, 32, 32, 3] array per shard, joined by virtual
// datasets); without it, the files layout (one dataset per image, joined by external links).
// Writes <dir>/plan.json (what read_master.py reads) and prints one JSON line (ManyShardsResult).
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { shardPaths } from "./sharded-run";

const h5dat = require("../../dist") as typeof import("../../src");

export interface ManyShardsParams {
  dir: string;
  images: number;
  shards: number;
}

/** What read_master.py reads: the stack and its rows, or the image datasets' paths. */
export type ReadPlan =
  | { layout: "stacked"; dataset: string; rows: number }
  | { layout: "files"; targets: string[] };

export interface ManyShardsResult {
  layout: "stacked" | "files";
  images: number;
  shards: number;
  /** Shards holding no image (a hash's luck at ~3 entries a shard). */
  empty_shards: number;
  make_s: number;
  merge_s: number;
  materialize_s: number;
  shards_mb: number;
  master_mb: number;
  materialized_mb: number;
  master: string;
  materialized: string;
  plan: string;
}

const CLASSES = 10;
const SIDE = 32;

/** `count` 32×32 JPEGs in class directories c0..c9, pixels from a small LCG so every image differs. */
async function makeImageFolder(root: string, count: number): Promise<void> {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
  for (let c = 0; c < CLASSES; c++) fs.mkdirSync(path.join(root, `c${c}`), { recursive: true });
  for (let i = 0; i < count; i++) {
    const pixels = Buffer.alloc(SIDE * SIDE * 3);
    for (let p = 0; p < pixels.length; p++) pixels[p] = next();
    await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } }).jpeg({ quality: 90 }).toFile(path.join(root, `c${i % CLASSES}`, `${i}.jpg`));
  }
}

const megabytes = (files: string[]) => files.reduce((sum, file) => sum + fs.statSync(file).size, 0) / 1e6;

export async function makeManyShards(params: ManyShardsParams): Promise<ManyShardsResult> {
  const input = path.join(params.dir, "images");
  fs.rmSync(params.dir, { recursive: true, force: true });
  await makeImageFolder(input, params.images);
  const stacked = typeof (h5dat.File.prototype as unknown as Record<string, unknown>).createVirtualDataset === "function";
  const layout = stacked ? { layout: "stacked" as const, resize: h5dat.parseResize(`${SIDE}x${SIDE}`) } : {};

  const shards = shardPaths(path.join(params.dir, "shards"), params.shards);
  fs.mkdirSync(path.dirname(shards[0]), { recursive: true });
  let empty = 0;
  // One convert at a time. (Four at once crashed natively here after ~900 shards: hdf5Version()
  // called HDF5 without its lock, since fixed and tested by test/convert/concurrent-converts.)
  const made = performance.now();
  for (let index = 0; index < params.shards; index++) {
    const summary = await h5dat.convert([input], { output: shards[index], shard: { index, count: params.shards }, workers: 0, ...layout });
    if (summary.written !== summary.entries || summary.failed !== 0) throw new Error(`shard ${index}: ${summary.entries} entries, ${summary.written} written, ${summary.failed} failed`);
    if (summary.entries === 0) empty++;
  }
  const makeSeconds = (performance.now() - made) / 1000;

  const master = path.join(params.dir, "master.h5");
  const materialized = path.join(params.dir, "materialized.h5");
  const virtual = await h5dat.merge(shards, { output: master });
  const copied = await h5dat.merge(shards, { output: materialized, materialize: true });
  if (virtual.entries !== params.images || copied.entries !== params.images) throw new Error(`the masters list ${virtual.entries} and ${copied.entries} entries, the input has ${params.images}`);

  const plan: ReadPlan = stacked
    ? { layout: "stacked", dataset: `/${path.basename(input)}/images`, rows: params.images }
    : { layout: "files", targets: Array.from({ length: params.images }, (_, i) => `/${path.basename(input)}/c${i % CLASSES}/${i}.jpg`) };
  const planPath = path.join(params.dir, "plan.json");
  fs.writeFileSync(planPath, JSON.stringify(plan));
  return {
    layout: plan.layout,
    images: params.images,
    shards: params.shards,
    empty_shards: empty,
    make_s: makeSeconds,
    merge_s: virtual.seconds,
    materialize_s: copied.seconds,
    shards_mb: megabytes(shards),
    master_mb: megabytes([master]),
    materialized_mb: megabytes([materialized]),
    master,
    materialized,
    plan: planPath,
  };
}

if (require.main === module) {
  makeManyShards(JSON.parse(process.argv[2] ?? "{}") as ManyShardsParams).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
