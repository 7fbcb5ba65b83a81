// The h5dat side of a benchmark: one timed run in its own process, printing one JSON line.
//
//   node --import tsx bench/h5dat-side.ts '{"bench":"p2","mode":"async","file":"/tmp/x.h5","count":2000}'
//
// bench: p1 | p1-raw | p1-zstd | p1-blosc | p2 (P1 with gzip 4 + shuffle, no filters, zstd:3,
// blosc:lz4:5:shuffle; see P1_FILTERS). mode: async (the Promise API, one call awaited at a time) | sync.
// P2 also has async-close (await ds.close() after each create) and async-pipelined (up to 8
// creates in flight). Experiment, P1 (gzip) and P2: async-prefiltered, which does the filtering
// itself (shuffle in JS, deflate level 4 with node:zlib on the libuv pool, several chunks at once)
// and stores the bytes with writeChunk (H5Dwrite_chunk), so compression runs outside the HDF5
// lock and on both cores; it shows what moving the filter pipeline out of the lock would buy.
// With "verify": true the file is read back with h5dat after timing and compared with the
// generated data; the file is left in place for the harness to delete.
import fs from "node:fs";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { File, type CreateDatasetOptions, type Dataset } from "../src";
import {
  P1_CHUNK_ROWS, P1_COLS, P1_ROWS_PER_MIB, P2_SHAPE, p1Pool, p1Rows, p2Image, p2Name, p2Pool, sha256,
} from "./patterns";

export interface SideParams {
  bench: P1Bench | "p2";
  mode: "async" | "sync" | "async-close" | "async-pipelined" | "async-prefiltered";
  file: string;
  /** P1: MiB to write. */
  mib?: number;
  /** P1: rows per write call. */
  rows?: number;
  /** P2: number of datasets. */
  count?: number;
  verify?: boolean;
}

export interface SideResult {
  side: "h5dat";
  bench: string;
  mode: string;
  seconds: number;
  /** CPU seconds (all threads, user + system) over the same span. */
  cpu: number;
  /** The kernel's part of `cpu` (system time): on p1-raw, copying into the page cache. */
  kernelCpu: number;
  /** MiB/s (P1) or datasets/s (P2). */
  rate: number;
  poolSha: string;
  fileBytes: number;
  verified?: string;
}

/** The P1 benches: the same writes, one filter pipeline each. */
export type P1Bench = "p1" | "p1-raw" | "p1-zstd" | "p1-blosc";

/**
 * Each P1 bench's filters, as createDataset takes them, and the compression text h5dat reads
 * back. zstd:3 and blosc:lz4:5:shuffle are issue 22's codecs at the settings hdf5plugin users
 * pick (its Zstd() default level, Blosc(cname="lz4", clevel=5, shuffle=SHUFFLE)).
 */
const P1_FILTERS: Record<P1Bench, { options: Partial<CreateDatasetOptions>; setting: string; shuffle: boolean }> = {
  p1: { options: { compression: "gzip", compressionOpts: 4, shuffle: true }, setting: "gzip:4", shuffle: true },
  "p1-raw": { options: {}, setting: "none", shuffle: false },
  "p1-zstd": { options: { compression: "zstd", compressionOpts: 3 }, setting: "zstd:3", shuffle: false },
  "p1-blosc": { options: { compression: "blosc:lz4:5:shuffle" }, setting: "blosc:lz4:5:shuffle", shuffle: false },
};

function p1Options(bench: P1Bench) {
  return { dtype: "float32" as const, chunks: [P1_CHUNK_ROWS, P1_COLS], ...P1_FILTERS[bench].options };
}

async function runP1(params: SideParams): Promise<SideResult> {
  const bench = params.bench as P1Bench;
  const mib = params.mib ?? 1024;
  const slabRows = params.rows ?? 1024;
  const totalRows = mib * P1_ROWS_PER_MIB;
  if (totalRows % slabRows !== 0) throw new Error(`--size ${mib} MiB is not a whole number of ${slabRows}-row slabs`);
  const pool = p1Pool();
  const shape = [totalRows, P1_COLS];
  const options = { shape, ...p1Options(bench) };
  const slabs = totalRows / slabRows;
  let seconds: number;
  let cpu: { cpu: number; kernelCpu: number };
  if (params.mode === "sync") {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const f = File.openSync(params.file, "w");
    const ds = f.createDatasetSync("data", options);
    for (let s = 0; s < slabs; s++) {
      const start = s * slabRows;
      ds.writeSync(p1Rows(pool, start, slabRows), { start: [start, 0], count: [slabRows, P1_COLS] });
    }
    f.closeSync();
    seconds = (performance.now() - t0) / 1000;
    cpu = cpuSince(c0);
  } else if (params.mode === "async-prefiltered") {
    if (bench !== "p1") throw new Error("async-prefiltered is for the gzip bench");
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const f = await File.open(params.file, "w");
    const ds = await f.createDataset("data", options);
    await inFlight(totalRows / P1_CHUNK_ROWS, 6, async (c) => {
      const bytes = await deflate(shuffle(p1Rows(pool, c * P1_CHUNK_ROWS, P1_CHUNK_ROWS)), { level: 4, chunkSize: 4 << 20 });
      await ds.writeChunk([c * P1_CHUNK_ROWS, 0], bytes);
    });
    await f.close();
    seconds = (performance.now() - t0) / 1000;
    cpu = cpuSince(c0);
  } else {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const f = await File.open(params.file, "w");
    const ds = await f.createDataset("data", options);
    for (let s = 0; s < slabs; s++) {
      const start = s * slabRows;
      await ds.write(p1Rows(pool, start, slabRows), { start: [start, 0], count: [slabRows, P1_COLS] });
    }
    await f.close();
    seconds = (performance.now() - t0) / 1000;
    cpu = cpuSince(c0);
  }
  const result: SideResult = {
    side: "h5dat", bench: params.bench, mode: params.mode, seconds, ...cpu, rate: mib / seconds,
    poolSha: sha256(pool), fileBytes: fs.statSync(params.file).size,
  };
  if (params.verify) result.verified = await verifyP1(params.file, pool, totalRows, slabRows, bench);
  return result;
}

async function verifyP1(file: string, pool: Float32Array, totalRows: number, slabRows: number, bench: P1Bench): Promise<string> {
  const f = await File.open(file, "r");
  try {
    const ds = await f.dataset("data");
    const expect = (what: string, ok: boolean) => {
      if (!ok) throw new Error(`h5dat P1 output is wrong: ${what}`);
    };
    expect(`shape ${ds.shape}`, ds.shape?.join() === `${totalRows},${P1_COLS}`);
    expect(`chunks ${ds.chunks}`, ds.chunks?.join() === `${P1_CHUNK_ROWS},${P1_COLS}`);
    const filters = P1_FILTERS[bench];
    expect(`filters ${JSON.stringify(ds.filters)}`, ds.compressionSetting === filters.setting && ds.shuffle === filters.shuffle);
    const slabs = totalRows / slabRows;
    const checked = [...new Set([0, Math.floor(slabs / 2), slabs - 1])];
    for (const s of checked) {
      const start = s * slabRows;
      const { data } = await ds.read({ start: [start, 0], count: [slabRows, P1_COLS] });
      expect(`slab ${s} differs`, sha256(data as Float32Array) === sha256(p1Rows(pool, start, slabRows)));
    }
    return `shape, chunks, filters and slabs ${checked.join(", ")} (of ${slabs}) read back by h5dat match`;
  } finally {
    await f.close();
  }
}

const P2_OPTIONS = { shape: [...P2_SHAPE], dtype: "uint8" as const, compression: "gzip" as const, compressionOpts: 4 };

async function runP2(params: SideParams): Promise<SideResult> {
  const count = params.count ?? 10000;
  const pool = p2Pool();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (params.mode === "sync") {
    const f = File.openSync(params.file, "w");
    const g = f.createGroupSync("images");
    for (let i = 0; i < count; i++) g.createDatasetSync(p2Name(i), { ...P2_OPTIONS, data: p2Image(pool, i) });
    f.closeSync();
  } else {
    const f = await File.open(params.file, "w");
    const g = await f.createGroup("images");
    if (params.mode === "async-pipelined") {
      await inFlight(count, 8, async (i) => {
        await g.createDataset(p2Name(i), { ...P2_OPTIONS, data: p2Image(pool, i) });
      });
    } else if (params.mode === "async-prefiltered") {
      await inFlight(count, 8, async (i) => {
        const image = p2Image(pool, i);
        const half = image.length / 2;
        const [top, bottom] = await Promise.all([deflate(image.subarray(0, half), { level: 4 }), deflate(image.subarray(half), { level: 4 })]);
        const ds = await g.createDataset(p2Name(i), { ...P2_OPTIONS, chunks: [32, 64, 3] });
        await ds.writeChunk([0, 0, 0], top);
        await ds.writeChunk([32, 0, 0], bottom);
      });
    } else {
      for (let i = 0; i < count; i++) {
        const ds = await g.createDataset(p2Name(i), { ...P2_OPTIONS, data: p2Image(pool, i) });
        if (params.mode === "async-close") await ds.close();
      }
    }
    await f.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSince(c0);
  const result: SideResult = {
    side: "h5dat", bench: "p2", mode: params.mode, seconds, ...cpu, rate: count / seconds,
    poolSha: sha256(pool), fileBytes: fs.statSync(params.file).size,
  };
  if (params.verify) result.verified = await verifyP2(params.file, pool, count);
  return result;
}

/** CPU seconds of this process (all threads) since `start`, and the kernel's part of them. */
function cpuSince(start: NodeJS.CpuUsage): { cpu: number; kernelCpu: number } {
  const used = process.cpuUsage(start);
  return { cpu: (used.user + used.system) / 1e6, kernelCpu: used.system / 1e6 };
}

/** Runs task(0..count-1) with up to `depth` of them in flight (HDF5 calls still take turns on its lock). */
async function inFlight(count: number, depth: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(depth, count) }, worker));
}

const deflate = promisify(zlib.deflate) as (data: Uint8Array, options: zlib.ZlibOptions) => Promise<Buffer>;

/** HDF5's shuffle filter for 4-byte elements: all first bytes, then all second bytes, ... */
function shuffle(values: Float32Array): Uint8Array {
  const src = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const n = values.length;
  const out = new Uint8Array(src.length);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[i] = src[j];
    out[n + i] = src[j + 1];
    out[2 * n + i] = src[j + 2];
    out[3 * n + i] = src[j + 3];
  }
  return out;
}

async function verifyP2(file: string, pool: Uint8Array, count: number): Promise<string> {
  const f = await File.open(file, "r");
  try {
    const g = await f.group("images");
    const keys = await g.keys();
    if (keys.length !== count) throw new Error(`h5dat P2 output is wrong: ${keys.length} datasets, expected ${count}`);
    const checked = [...new Set([0, Math.floor(count / 2), count - 1])];
    for (const i of checked) {
      const ds: Dataset = await g.dataset(p2Name(i));
      const ok = ds.shape?.join() === P2_SHAPE.join() && ds.compression === "gzip" && ds.compressionOpts === 4;
      const { data } = await ds.read();
      if (!ok || sha256(data as Uint8Array) !== sha256(p2Image(pool, i))) throw new Error(`h5dat P2 output is wrong: ${p2Name(i)}`);
    }
    return `${count} datasets; ${checked.map(p2Name).join(", ")} read back by h5dat match (shape, gzip 4, bytes)`;
  } finally {
    await f.close();
  }
}

export async function runSide(params: SideParams): Promise<SideResult> {
  return params.bench === "p2" ? runP2(params) : runP1(params);
}

if (require.main === module) {
  const params = JSON.parse(process.argv[2] ?? "{}") as SideParams;
  runSide(params).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
