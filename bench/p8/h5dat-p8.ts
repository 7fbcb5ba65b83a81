// The h5dat side of P8: one timed whole-dataset read of a P1-shaped file, in its own process,
// printing one JSON line (the same fields as p8_read.py prints).
//
//   node --import tsx bench/p8/h5dat-p8.ts '{"file":"/tmp/p8-gzip.h5","mode":"async"}'
//
// mode: async (`await ds.read()`, the Promise API) or sync (`ds.readSync()`). Timed from file
// open to close, as P1's writes are. With "verify": true the data read is then compared, untimed,
// with P1's generated rows (bench/patterns.ts), so a fast wrong read cannot pass.
import { File } from "../../src";
import { P1_COLS, P1_POOL_ROWS, p1Pool } from "../patterns";

export interface P8Params {
  file: string;
  mode: "async" | "sync";
  verify?: boolean;
}

export interface P8Result {
  side: "h5dat" | "h5py";
  mode: string;
  seconds: number;
  /** CPU seconds of this process, all threads (decompression threads included). */
  cpu: number;
  /** Bytes of the dataset as read (decoded), and GiB of them per second. */
  bytes: number;
  gibPerS: number;
  verified?: string;
}

const GIB = 2 ** 30;

export async function runP8(params: P8Params): Promise<P8Result> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let data: Float32Array;
  if (params.mode === "sync") {
    const f = File.openSync(params.file, "r");
    data = f.datasetSync("data").readSync().data as Float32Array;
    f.closeSync();
  } else {
    const f = await File.open(params.file, "r");
    const ds = await f.dataset("data");
    data = (await ds.read()).data as Float32Array;
    await f.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(c0);
  const result: P8Result = {
    side: "h5dat", mode: params.mode, seconds, cpu: (used.user + used.system) / 1e6,
    bytes: data.byteLength, gibPerS: data.byteLength / GIB / seconds,
  };
  if (params.verify) result.verified = verifyP8(data);
  return result;
}

/** Compares every row read with P1's generated data (global row g is pool row g mod 8192). */
function verifyP8(data: Float32Array): string {
  const pool = p1Pool();
  const poolBytes = Buffer.from(pool.buffer, pool.byteOffset, pool.byteLength);
  const rows = data.length / P1_COLS;
  for (let start = 0; start < rows; start += P1_POOL_ROWS) {
    const n = Math.min(P1_POOL_ROWS, rows - start);
    const got = Buffer.from(data.buffer, data.byteOffset + start * P1_COLS * 4, n * P1_COLS * 4);
    if (!got.equals(poolBytes.subarray(0, n * P1_COLS * 4))) throw new Error(`h5dat P8 read is wrong: rows ${start}..${start + n} differ from P1's data`);
  }
  return `h5dat read all ${rows} rows: equal to P1's generated data`;
}

if (require.main === module) {
  const params = JSON.parse(process.argv[2] ?? "{}") as P8Params;
  runP8(params).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
