// One bench's entry in bench/results.json: a runner's result with what the report needs beside
// it (what was measured, at which sizes, the target and whether it was met, when, on what).
import { isMemoryResult, type BenchResult, type MemoryResult, type SpeedResult } from "./bench-result";
import type { MachineFacts } from "./machine-facts";

/** The sizes a bench ran at (MiB, datasets, images, GB...), by the runner's field names. */
export type Sizes = Record<string, number | number[]>;

export interface BenchEntry {
  bench: string;
  kind: "speed" | "memory";
  /** What is measured, without the sizes. */
  what: string;
  unit: string;
  h5dat: number;
  /** Who h5dat is measured against: "h5py" or the Python reference pipeline. */
  anchor: string;
  anchorValue: number;
  /**
   * Above 1 when h5dat is ahead: h5dat ÷ anchor for speed, the anchor's peak ÷ h5dat's for
   * memory (P5).
   */
  ratio: number;
  target: {
    text: string;
    /** The target on the ratio axis: the chart's marker (P5: the reference's peak ÷ the limit). */
    ratio: number;
  };
  met: boolean;
  /** Counted repetitions (P5: one run per size). */
  reps: number;
  sizes: Sizes;
  /** The sizes as text, and the full-size run's: they differ on a reduced (quick) run. */
  size: string;
  fullSize: string;
  /** When the bench finished, ISO 8601. */
  date: string;
  machine: MachineFacts;
  /** The runner's own result, every field. */
  result: BenchResult;
}

export interface EntryContext {
  /** Speed: the least ratio; memory (P5): the most MB at any size. */
  target: number;
  /** The sizes of a full-size run of this bench. */
  fullSizes: Sizes;
  date: string;
  machine: MachineFacts;
}

interface Description {
  what: string;
  anchor: string;
  sizesOf: (result: BenchResult) => Sizes;
  sizeText: (sizes: Sizes) => string;
}

/** A numeric field of a runner's result, by name (the sizes each runner reports differ). */
const numberField = (result: BenchResult, name: string) => Number((result as unknown as Record<string, unknown>)[name]);
const count = (value: number | number[] | undefined) => Number(value).toLocaleString("en-US");

/** P1's size and its codec variants' (issue 22): MiB written. */
const P1_MIB: Pick<Description, "sizesOf" | "sizeText"> = {
  sizesOf: (r) => ({ mib: numberField(r, "mib") }),
  sizeText: (s) => `${count(s.mib)} MiB`,
};

/** P3's size and its variants': the archive's JPEGs (and as many JSON files). */
const P3_IMAGES: Pick<Description, "sizesOf" | "sizeText"> = {
  sizesOf: (r) => ({ images: numberField(r, "images") }),
  sizeText: (s) => `${count(s.images)} JPEG + ${count(s.images)} JSON`,
};

/** P9's size: its source files' MB. */
const SOURCE_MB: Pick<Description, "sizesOf" | "sizeText"> = {
  sizesOf: (r) => ({ mb: numberField(r, "mb") }),
  sizeText: (s) => `${count(s.mb)} MB`,
};

const DESCRIPTIONS: Record<string, Description> = {
  p1: {
    what: "float32 [N, 1024], chunks 256×1024, gzip 4 + shuffle, written in 1024-row slabs",
    anchor: "h5py",
    sizesOf: (r) => ({ mib: numberField(r, "mib") }),
    sizeText: (s) => `${count(s.mib)} MiB`,
  },
  "p1-raw": {
    what: "the same, chunked without filters",
    anchor: "h5py",
    ...P1_MIB,
  },
  "p1-zstd": {
    what: "the same, zstd:3 (hdf5plugin's Zstd 32015)",
    anchor: "h5py + filter 32015 cd (3,) = hdf5plugin.Zstd(clevel=3), via h5dat's HDF5 plugin",
    ...P1_MIB,
  },
  "p1-blosc": {
    what: "the same, blosc:lz4:5:shuffle (hdf5plugin's Blosc 32001)",
    anchor: "h5py + hdf5plugin.Blosc(lz4, 5, SHUFFLE) (Debian's 4.0.1)",
    ...P1_MIB,
  },
  p2: {
    what: "datasets of 64×64×3 uint8, gzip 4, in one group, 8 creates in flight",
    anchor: "h5py",
    sizesOf: (r) => ({ count: numberField(r, "count") }),
    sizeText: (s) => `${count(s.count)} datasets`,
  },
  p3: {
    what: "tar.gz of JPEG 600×400 + JSON + 1 CSV through convert()",
    anchor: "Python (tarfile + PIL + h5py, Pool(2))",
    sizesOf: (r) => ({ images: numberField(r, "images") }),
    sizeText: (s) => `${count(s.images)} JPEG + ${count(s.images)} JSON`,
  },
  p4: {
    what: "random image datasets of a converted file read whole, 4 in flight",
    anchor: "h5py",
    sizesOf: (r) => ({ images: numberField(r, "images") }),
    sizeText: (s) => `${count(s.images)} reads`,
  },
  p5: {
    what: "peak RSS of the writer converting mixed tar.gz (compiled CLI, defaults)",
    anchor: "Python (tarfile + PIL + h5py, Pool(2))",
    sizesOf: (r) => ({ sizes_gb: isMemoryResult(r) ? r.sizes_gb : [] }),
    sizeText: (s) => `${([] as number[]).concat(s.sizes_gb ?? []).join(" / ")} GB`,
  },
  "p9-jsonl": {
    what: "JSONL of log events (nested user, tag list) through the CLI, defaults",
    anchor: "pandas (read_json(lines, chunksize) → to_hdf(table, zlib 4))",
    ...SOURCE_MB,
  },
  "p9-csv": {
    what: "CSV of the same events, flat, through the CLI, defaults",
    anchor: "pandas (read_csv(chunksize) → to_hdf(table, zlib 4))",
    ...SOURCE_MB,
  },
  p6: {
    what: "PyTorch DataLoader (2 workers, batch 64, shuffled) over P3's JPEGs at 224×224: the stacked file (examples/python/h5dat_dataset.py, no compression)",
    anchor: "ImageFolder tree (PIL decode + resize)",
    sizesOf: (r) => ({ images: numberField(r, "images") }),
    sizeText: (s) => `${count(s.images)} images, one epoch`,
  },
  "p3-stacked": {
    what: "P3's tar.gz through convert() --layout stacked --resize 224x224",
    anchor: "the files layout (convert() defaults)",
    sizesOf: (r) => ({ images: numberField(r, "images") }),
    sizeText: (s) => `${count(s.images)} JPEG + ${count(s.images)} JSON`,
  },
  p7: {
    what: "P3's tar.gz as 16 shard processes (2 at a time, --workers 1) + merge (virtual), first start to merge end",
    anchor: "one process (convert(), 2 workers)",
    sizesOf: (r) => ({ images: numberField(r, "images") }),
    sizeText: (s) => `${count(s.images)} JPEG + ${count(s.images)} JSON`,
  },
  "p7-formats": {
    what: "P7 over P3's files as a zip (headline) and an uncompressed tar, formats a shard task can skip through",
    anchor: "one process (convert(), 2 workers)",
    ...P3_IMAGES,
  },
  p8: {
    what: "P1-shaped files read whole (await ds.read()), warm page cache: gzip 4 + shuffle (headline), zstd:3 and unfiltered beside it",
    anchor: "h5py ds[()]",
    ...P1_MIB,
  },
  "p3-zstd": {
    what: "P3's tar.gz through convert() --compression zstd:3: files/s and file size",
    anchor: "the same with gzip:4 (the default)",
    ...P3_IMAGES,
  },
  p10: {
    what: "h5dat view in headless Chromium: the slowest first paint (tree, image) of P3's files-layout output and of its ≈2 GB stacked conversion; server RSS kept beside",
    anchor: "the goal (1 s)",
    ...P3_IMAGES,
  },
};

/** The benches the report knows, in the suite's order. */
export const KNOWN_BENCHES = Object.keys(DESCRIPTIONS);

/** Builds `result`'s entry; throws for a bench the report does not describe. */
export function toEntry(result: BenchResult, context: EntryContext): BenchEntry {
  const description = DESCRIPTIONS[result.bench];
  if (!description) throw new Error(`bench report: no description for bench '${result.bench}' (add it to bench/report/bench-entry.ts)`);
  const sizes = description.sizesOf(result);
  const verdict = isMemoryResult(result) ? memoryVerdict(result, context.target) : speedVerdict(result, context.target);
  return {
    bench: result.bench,
    kind: verdict.kind,
    what: description.what,
    unit: result.unit,
    h5dat: result.h5dat,
    anchor: description.anchor,
    anchorValue: verdict.anchorValue,
    ratio: verdict.ratio,
    target: verdict.target,
    met: verdict.met,
    reps: verdict.reps,
    sizes,
    size: description.sizeText(sizes),
    fullSize: description.sizeText(context.fullSizes),
    date: context.date,
    machine: context.machine,
    result,
  };
}

type Verdict = Pick<BenchEntry, "kind" | "anchorValue" | "ratio" | "target" | "met" | "reps">;

/**
 * A speed entry's verdict. A target of 0 is a comparison without a goal (P3 zstd: numbers for
 * users choosing a codec): no marker on the chart, always met.
 */
function speedVerdict(result: SpeedResult, target: number): Verdict {
  const anchorValue = result.h5py ?? result.reference;
  if (anchorValue === undefined) throw new Error(`bench report: ${result.bench}'s result has neither 'h5py' nor 'reference'`);
  const text = target > 0 ? `≥ ${target}×` : "no goal";
  return { kind: "speed", anchorValue, ratio: result.ratio, target: { text, ratio: target }, met: result.ratio >= target, reps: result.reps };
}

function memoryVerdict(result: MemoryResult, limitMb: number): Verdict {
  return {
    kind: "memory",
    anchorValue: result.reference,
    ratio: round2(result.reference / result.h5dat),
    target: { text: `≤ ${limitMb} MB and flat`, ratio: result.reference / limitMb },
    met: result.within_limit && result.flat,
    reps: 1,
  };
}

/** True when the entry ran at smaller sizes than the full suite (a quick check, not a result). */
export function isReduced(entry: BenchEntry): boolean {
  return entry.size !== entry.fullSize;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
