// The reading half of the bad-input corpus (issue 6): files named .h5 that are not HDF5, empty
// or truncated, and h5dat outputs with seeded corruption in their metadata, each given to every
// reading command (ls -r, ls -r --json, info, show of each dataset, export -o). Every run must end
// by the rule in reader-runs.ts: exit 0, or exit 1 with one line naming the file and HDF5's cause;
// never a signal, a stack trace or a hang.
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { File } from "../../src/h5/file";
import { jsonToPairs } from "../../src/processors/json";
import type { BadCase } from "./case";
import { fuzzVariants, mapStructures, type FuzzTarget, type Structure } from "./fuzz-hdf5";
import { KNOWN_CORRUPTIONS } from "./known-corruptions";
import { listedDatasets, readEverything, runCli, RunTally } from "./reader-runs";

/** Fuzz variants per target (H5DAT_BAD_FUZZ_VARIANTS for a longer run: 40 makes 200 files). */
const VARIANTS = Number(process.env.H5DAT_BAD_FUZZ_VARIANTS ?? 10);

/** The rule of reader-runs.ts, in the table's few words. */
const RULE = "exit 0/1, 1-line errors, no crash/hang";

interface Base {
  bytes: Buffer;
  structures: Structure[];
  datasets: string[];
}

let base: Promise<Base> | undefined;

/** A small h5dat output (an image, a JSON, a CSV, a text file), made once per process. */
function h5datOutput(dir: string): Promise<Base> {
  base ??= (async () => {
    const input = path.join(dir, "mixed");
    fs.mkdirSync(path.join(input, "img"), { recursive: true });
    fs.mkdirSync(path.join(input, "data"));
    fs.writeFileSync(path.join(input, "img", "a.png"), await png(16, 12));
    fs.writeFileSync(path.join(input, "data", "x.json"), JSON.stringify({ a: 1, b: [1, 2, 3], c: { d: "x" } }));
    fs.writeFileSync(path.join(input, "data", "t.csv"), "id,name,v\n1,a,1.5\n2,b,2.5\n");
    fs.writeFileSync(path.join(input, "notes.txt"), "hello text\n");
    const file = path.join(dir, "base.h5");
    const made = await runCli(["convert", input, "-o", file, "--workers", "0"]);
    if (made.status !== 0) throw new Error(`could not make the base file: ${made.stderr}`);
    await addOldJson(file, "/mixed/data/old.json", { a: 1, b: [1, 2, 3], c: { d: "x" } });
    const listing = await runCli(["ls", "-r", "--json", file]);
    const bytes = fs.readFileSync(file);
    return { bytes, structures: mapStructures(bytes), datasets: listedDatasets(listing.stdout) };
  })();
  return base;
}

/**
 * A JSON in the layout files had before the ragged one (an [N, 2] vlen string dataset of pairs),
 * so that its readers stay under the corruptions too (json-two-million-rows aims at it).
 */
async function addOldJson(file: string, target: string, value: unknown): Promise<void> {
  const h5 = await File.open(file, "r+");
  try {
    const flat = jsonToPairs(JSON.stringify(value)).flat();
    const attrs = { columns: ["pointer", "value"], format: "json-pointer-pairs", jsonl: false };
    await (await h5.createDataset(target, { data: flat, shape: [flat.length / 2, 2], dtype: "string", chunks: true, compression: "gzip", attrs })).close();
  } finally {
    await h5.close();
  }
}

function png(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3, 0);
  pixels.forEach((_, i) => (pixels[i] = (i * 7) % 256));
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** A file that is not HDF5 at all: every run exits 1 with HDF5's "file signature not found". */
function notHdf5(name: string, what: string, content: () => Buffer | Promise<Buffer>): BadCase {
  return {
    name,
    expected: `${what}: all exit 1, "file signature not found"`,
    async run(dir) {
      const file = path.join(dir, `${name}.h5`);
      fs.writeFileSync(file, await content());
      const tally = new RunTally();
      await readEverything(file, ["/data"], path.basename(file), tally);
      tally.check();
      const causes = [...tally.causes.keys()];
      if (tally.exit1 !== tally.runs || !causes.every((c) => c.includes("file signature not found"))) {
        throw new Error(`${tally.summary()}; causes: ${causes.join(" | ")}`);
      }
      return `${tally.runs} runs exit 1: file signature not found`;
    },
  };
}

const truncated: BadCase = {
  name: "h5-truncated",
  expected: `cut at 8 points: all exit 1, "truncated file" past the superblock`,
  async run(dir) {
    const { bytes, datasets } = await h5datOutput(dir);
    const n = bytes.length;
    const cuts = [8, 47, 48, 1024, Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4), n - 1];
    const tally = new RunTally();
    for (const cut of cuts) {
      const file = path.join(dir, `cut-${cut}.h5`);
      fs.writeFileSync(file, bytes.subarray(0, cut));
      const before = tally.exit1;
      const runs = tally.runs;
      await readEverything(file, datasets.slice(0, 1), path.basename(file), tally);
      if (tally.exit1 - before !== tally.runs - runs) throw new Error(`${path.basename(file)} did not fail every run: ${tally.summary()}`);
    }
    tally.check();
    const truncatedRuns = [...tally.causes].filter(([cause]) => cause.includes("truncated file")).reduce((sum, [, count]) => sum + count, 0);
    const pastSuperblock = cuts.filter((cut) => cut >= 48).length;
    if (truncatedRuns < (pastSuperblock * tally.runs) / cuts.length) throw new Error(`only ${truncatedRuns} runs said "truncated file": ${[...tally.causes.keys()].join(" | ")}`);
    return `${cuts.length} files, ${tally.runs} runs exit 1 (${truncatedRuns} "truncated file")`;
  },
};

/** Seeded byte flips in one kind of structure: VARIANTS files, each given to every command. */
function fuzzCase(target: FuzzTarget, seed: number): BadCase {
  return {
    name: `fuzz-${target}`,
    expected: `${VARIANTS} files × all commands: ${RULE}`,
    async run(dir) {
      const { bytes, structures, datasets } = await h5datOutput(dir);
      const tally = new RunTally();
      for (const variant of fuzzVariants(bytes, structures, target, VARIANTS, seed)) {
        const file = path.join(dir, `${variant.name}.h5`);
        fs.writeFileSync(file, variant.bytes);
        await readEverything(file, datasets, `${variant.name} [${variant.flips.join(" ")}]`, tally);
        fs.rmSync(file);
      }
      tally.check();
      return `${VARIANTS} variants, ${tally.summary()}`;
    },
  };
}

const known: BadCase = {
  name: "fuzz-known-crashers",
  expected: `${KNOWN_CORRUPTIONS.length} past crashers × all commands: ${RULE}`,
  async run(dir) {
    const { bytes, structures, datasets } = await h5datOutput(dir);
    const tally = new RunTally();
    const unused: string[] = [];
    for (const corruption of KNOWN_CORRUPTIONS) {
      const copy = Buffer.from(bytes);
      if (!corruption.apply(copy, structures)) {
        unused.push(corruption.name);
        continue;
      }
      const file = path.join(dir, `${corruption.name}.h5`);
      fs.writeFileSync(file, copy);
      await readEverything(file, datasets, `${corruption.name} (was: ${corruption.was})`, tally);
    }
    if (unused.length > 0) throw new Error(`the base file has nothing to corrupt for ${unused.join(", ")}`);
    tally.check();
    return `${KNOWN_CORRUPTIONS.length} files, ${tally.summary()}`;
  },
};

export const readCases: BadCase[] = [
  notHdf5("h5-text", "a text file", () => Buffer.from("this is not an HDF5 file\n".repeat(40))),
  notHdf5("h5-zeros", "4 KiB of zeros", () => Buffer.alloc(4096)),
  notHdf5("h5-png", "a PNG image", () => png(8, 8)),
  notHdf5("h5-empty", "0 bytes", () => Buffer.alloc(0)),
  truncated,
  fuzzCase("superblock", 601),
  fuzzCase("object-headers", 602),
  fuzzCase("btrees", 603),
  fuzzCase("heaps", 604),
  fuzzCase("anywhere", 605),
  known,
];
