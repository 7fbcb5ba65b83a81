// Compressed chunks with seeded damage (issue 22): a file whose datasets use every codec beyond
// gzip (zstd, lz4, blosc, bitshuffle), with bytes flipped inside the stored chunks, headers
// overwritten to claim huge sizes, or tails zeroed. The metadata stays intact, so every reading
// command gets as far as the chunks: large datasets through the chunk-parallel read, small ones
// through HDF5's pipeline and h5dat's filter functions. Rule of reader-runs.ts: exit 0 or 1 with
// one line naming the file and the cause; never a signal, a stack trace or a hang.
import fs from "node:fs";
import path from "node:path";
import { File } from "../../src/h5/file";
import { H5Error } from "../../src/h5/errors";
import type { Dataset } from "../../src/h5/dataset";
import type { BadCase } from "./case";
import { prng } from "./fuzz-hdf5";
import { readEverything, RunTally } from "./reader-runs";

/** Damaged files per run (H5DAT_BAD_FUZZ_VARIANTS for a longer run). */
const VARIANTS = Number(process.env.H5DAT_BAD_FUZZ_VARIANTS ?? 10);
const CODECS = ["zstd:3", "lz4", "blosc:lz4:5:shuffle", "blosc:zstd:5:bitshuffle", "bitshuffle:lz4", "bitshuffle:zstd:3"];

/** Where one stored chunk lies in the file. */
interface StoredSpan {
  dataset: string;
  start: number;
  length: number;
}

/** Per codec: 1 MiB of float32 in 4 chunks (read whole: the parallel path) and 40 × 30 int16 in small chunks. */
async function codecFile(file: string): Promise<{ bytes: Buffer; spans: StoredSpan[]; datasets: string[] }> {
  const h5 = await File.open(file, "w");
  const datasets: string[] = [];
  for (const codec of CODECS) {
    const name = codec.replace(/:/g, "_");
    const wave = Float32Array.from({ length: 256 * 1024 }, (_, i) => (i % 4099) * 0.5);
    await (await h5.createDataset(`${name}/large`, { data: wave, shape: [256, 1024], chunks: [64, 1024], compression: codec })).close();
    const small = Int16Array.from({ length: 40 * 30 }, (_, i) => (i * 37) % 1000);
    await (await h5.createDataset(`${name}/small`, { data: small, shape: [40, 30], chunks: [16, 16], compression: codec })).close();
    datasets.push(`/${name}/large`, `/${name}/small`);
  }
  await h5.close();
  const bytes = fs.readFileSync(file);
  const spans: StoredSpan[] = [];
  const reopened = await File.open(file, "r");
  try {
    for (const name of datasets) {
      const ds = (await reopened.get(name)) as Dataset;
      for (const chunk of await ds.chunkList()) {
        const stored = (await ds.readChunk(chunk.offset)).bytes;
        const start = bytes.indexOf(stored);
        if (start < 0) throw new Error(`chunk [${chunk.offset}] of ${name} not found in the file`);
        spans.push({ dataset: name, start, length: stored.length });
      }
    }
  } finally {
    await reopened.close();
  }
  return { bytes, spans, datasets };
}

/** One damaged copy: a few flipped bytes, a header claiming 2^40 bytes, or a zeroed tail. */
function damage(bytes: Buffer, span: StoredSpan, random: () => number): { copy: Buffer; what: string } {
  const copy = Buffer.from(bytes);
  const kind = Math.floor(random() * 3);
  if (kind === 0) {
    const flips: number[] = [];
    for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
      const at = span.start + Math.floor(random() * span.length);
      copy[at] ^= 1 + Math.floor(random() * 255);
      flips.push(at - span.start);
    }
    return { copy, what: `bytes ${flips.join(",")} flipped` };
  }
  if (kind === 1) {
    copy.fill(0xff, span.start, span.start + Math.min(16, span.length));
    copy[span.start + 4] = 0; // LZ4/Bitshuffle: 2^40 - 1 bytes claimed, blosc/zstd: a header past any bound
    return { copy, what: "header overwritten with 0xff" };
  }
  const from = span.start + Math.floor(span.length / 2);
  copy.fill(0, from, span.start + span.length);
  return { copy, what: "second half zeroed" };
}

/**
 * Reads the damaged dataset whole through the API: it reads (the damage hit bytes no decoder
 * uses) or fails with an H5Error naming it; anything else throws. 1 when it failed.
 */
async function apiReadsOf(file: string, dataset: string, label: string): Promise<number> {
  const h5 = await File.open(file, "r");
  try {
    await ((await h5.get(dataset)) as Dataset).read();
    return 0;
  } catch (error) {
    if (!(error instanceof H5Error) || !error.message.includes(dataset)) throw new Error(`${label}: ${String(error)}`);
    return 1;
  } finally {
    await h5.close();
  }
}

const codecChunks: BadCase = {
  name: "fuzz-codec-chunks",
  expected: `${VARIANTS} files × all commands, chunks of ${CODECS.length} codecs damaged: exit 0/1, 1-line errors, no crash/hang`,
  async run(dir) {
    const { bytes, spans, datasets } = await codecFile(path.join(dir, "codecs.h5"));
    const random = prng(606);
    const tally = new RunTally();
    let noticed = 0;
    for (let v = 0; v < VARIANTS; v++) {
      const span = spans[Math.floor(random() * spans.length)];
      const { copy, what } = damage(bytes, span, random);
      const file = path.join(dir, `codec-${v}.h5`);
      fs.writeFileSync(file, copy);
      const label = `codec-${v} [${span.dataset}: ${what}]`;
      await readEverything(file, datasets, label, tally);
      noticed += await apiReadsOf(file, span.dataset, label);
      fs.rmSync(file);
    }
    tally.check();
    // The commands may all exit 0 (export reports a dataset it cannot read and goes on); the
    // API's whole read of the damaged dataset must notice most damage.
    if (noticed === 0) throw new Error(`no API read noticed the damage: ${tally.summary()}`);
    return `${VARIANTS} variants, ${tally.summary()}; ${noticed} of ${VARIANTS} API reads failed with an H5Error`;
  },
};

export const codecCases: BadCase[] = [codecChunks];
