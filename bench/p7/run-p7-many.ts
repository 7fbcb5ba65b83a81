// P7 part 2: a master over 1,000 shards, read with Debian's h5py. many-shards.ts makes the shards
// (one process, convert() 1,000 times) and both merges (virtual, --materialize); read_master.py
// then, each time in a fresh process after the page cache settles, opens a file and reads its
// first image (goal < 1 s on the virtual master), and reads 1,000 random single images (goal: the
// virtual master within 1.5× the materialized file's time), the two files interleaved, medians of
// REPEATS. Once per file it reads every image (so through every shard) and counts the file
// descriptors the process then holds, against `ulimit -n`.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { HarnessTools } from "../p3/run-p3";
import { turnOrder } from "../turn-order";
import type { ManyShardsParams, ManyShardsResult } from "./many-shards";

const HERE = __dirname;
const MAKER = path.join(HERE, "many-shards.ts");
const READER = path.join(HERE, "read_master.py");

/** 1,000 unless H5DAT_P7_SHARDS says otherwise (a quick check of the harness). */
const SHARDS = Number(process.env.H5DAT_P7_SHARDS ?? 1000);
// 2,000 and not more: each of the 1,000 shard converts lists and passes over every image
// (≈ 0.15–0.2 ms an entry on this loaded VM), so the shards take 6–7 minutes to make.
const IMAGES = 2000;
const READS = 1000;
const REPEATS = 3;
const GOALS = { firstImageSeconds: 1, randomReadsOverMaterialized: 1.5 };

type Which = "master" | "materialized";

interface ReadRun {
  seconds: number;
  open_seconds?: number;
  reads?: number;
  checksum?: number;
  fds_before: number;
  fds_after: number;
}

/** Part 2's numbers, as fields of P7's result. */
export function runManyShards(tools: HarnessTools): Record<string, number | string | boolean> {
  console.log(`== p7 part 2: a master over ${SHARDS} shards of ${IMAGES} 32x32 JPEGs, read with h5py; machine load ${tools.load()}`);
  const params: ManyShardsParams = { dir: path.join(tools.tempDir(), "p7-many"), images: IMAGES, shards: SHARDS };
  const made = tools.lastJsonLine<ManyShardsResult>(tools.run(process.execPath, ["--import", "tsx", MAKER, JSON.stringify(params)], "p7 many shards"), "p7 many shards");
  const how = made.layout === "stacked" ? "stacked (--resize 32x32), joined by virtual datasets" : "files layout (no native virtual-dataset op yet), joined by external links";
  console.log(`   ${SHARDS} shards in ${made.make_s.toFixed(1)} s (one process, workers 0; ${made.empty_shards} hold no image), ${how}; ${made.shards_mb.toFixed(1)} MB of shards`);
  console.log(`   merge ${made.merge_s.toFixed(2)} s (master ${made.master_mb.toFixed(2)} MB), --materialize ${made.materialize_s.toFixed(2)} s (${made.materialized_mb.toFixed(2)} MB)`);

  const files: Record<Which, string> = { master: made.master, materialized: made.materialized };
  const read = (mode: "first" | "random" | "all", which: Which): ReadRun => {
    tools.settlePageCache();
    const out = tools.run(tools.python, [READER, mode, files[which], made.plan, "--reads", String(READS)], `p7 ${mode} read of the ${which}`);
    return tools.lastJsonLine<ReadRun>(out, `p7 ${mode} read`);
  };
  const firsts: Record<Which, number[]> = { master: [], materialized: [] };
  const randoms: Record<Which, number[]> = { master: [], materialized: [] };
  const checksums = new Set<number>();
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const which of turnOrder<Which>(["master", "materialized"], repeat)) {
      const first = read("first", which);
      const random = read("random", which);
      firsts[which].push(first.seconds);
      randoms[which].push(random.seconds);
      checksums.add(random.checksum ?? -1);
      console.log(`   repeat ${repeat + 1}/${REPEATS}  ${which.padEnd(12)}  open + first image ${(first.seconds * 1000).toFixed(0)} ms; ${READS} random images ${random.seconds.toFixed(3)} s (open ${((random.open_seconds ?? 0) * 1000).toFixed(0)} ms), fds ${random.fds_before} -> ${random.fds_after}`);
    }
  }
  if (checksums.size !== 1) throw new Error(`the random reads' pixel sums differ between the master and the materialized file: ${[...checksums].join(", ")}`);
  const all: Record<Which, ReadRun> = { master: read("all", "master"), materialized: read("all", "materialized") };
  if (all.master.checksum !== all.materialized.checksum) throw new Error("reading every image gave different pixel sums through the master and the materialized file");
  const openFileLimit = Number(execFileSync("bash", ["-c", "ulimit -n"], { encoding: "utf8" }).trim());

  const first = tools.median(firsts.master);
  const randomMaster = tools.median(randoms.master);
  const randomMaterialized = tools.median(randoms.materialized);
  const slowdown = randomMaster / randomMaterialized;
  const firstMet = first < GOALS.firstImageSeconds;
  const randomMet = slowdown <= GOALS.randomReadsOverMaterialized;
  console.log(`   medians of ${REPEATS} (pixel sums equal on both files):`);
  console.log(`     open + first image: master ${(first * 1000).toFixed(0)} ms, materialized ${(tools.median(firsts.materialized) * 1000).toFixed(0)} ms -> goal < ${GOALS.firstImageSeconds} s ${firstMet ? "met" : "MISSED"}`);
  console.log(`     ${READS} random images: master ${randomMaster.toFixed(3)} s, materialized ${randomMaterialized.toFixed(3)} s = ${slowdown.toFixed(2)}x -> goal <= ${GOALS.randomReadsOverMaterialized}x ${randomMet ? "met" : "MISSED"}`);
  console.log(`     every image read (${IMAGES}, all ${SHARDS} shards): master ${all.master.seconds.toFixed(2)} s holding ${all.master.fds_after} fds (${all.master.fds_before} before open), materialized ${all.materialized.seconds.toFixed(2)} s holding ${all.materialized.fds_after}; ulimit -n here ${openFileLimit}`);
  return {
    many_layout: made.layout,
    many_shards: SHARDS,
    many_images: IMAGES,
    many_make_s: tools.round(made.make_s, 1),
    many_merge_s: tools.round(made.merge_s, 2),
    many_materialize_s: tools.round(made.materialize_s, 2),
    many_master_mb: tools.round(made.master_mb, 2),
    many_materialized_mb: tools.round(made.materialized_mb, 2),
    many_first_image_s: tools.round(first, 3),
    many_first_image_materialized_s: tools.round(tools.median(firsts.materialized), 3),
    many_first_image_met: firstMet,
    many_random_master_s: tools.round(randomMaster, 3),
    many_random_materialized_s: tools.round(randomMaterialized, 3),
    many_random_ratio: tools.round(slowdown, 2),
    many_random_met: randomMet,
    many_all_master_s: tools.round(all.master.seconds, 2),
    many_fds_after_all: all.master.fds_after,
    many_fds_before_open: all.master.fds_before,
    many_fds_materialized: all.materialized.fds_after,
    open_file_limit: openFileLimit,
  };
}
