// The h5dat side of P4, in its own process, printing one JSON line.
//
//   node --import tsx bench/p4/h5dat-p4.ts '{"job":"convert","archive":"...tar.gz","file":"...h5"}'
//   node --import tsx bench/p4/h5dat-p4.ts '{"job":"read","file":"...h5","list":"paths.json","mode":"async"}'
//
// convert: converts the archive with convert() (defaults) and lists its image datasets (attr
// processor "image"). read: opens the file, then times reading every listed image whole, in the
// list's order: `mode` async (one await at a time), async-pipelined (PIPELINE reads in flight),
// sync (readImageSync), or the h5 layer's own Dataset.read (h5-async, h5-sync: HDF5 inflates
// inside its lock) for comparison. With `hash`, each image's pixels are hashed (sha256) and the
// result is the sha256 of those digests in list order (the h5py side computes the same);
// hashing runs only in the untimed check run.
import crypto from "node:crypto";
import fs from "node:fs";
import { convert, File, readImage, readImageSync } from "../../src";

export type P4Mode = "async" | "async-pipelined" | "sync" | "h5-async" | "h5-sync";

export type P4Params =
  | { job: "convert"; archive: string; file: string }
  | { job: "read"; file: string; list: string; mode: P4Mode; hash?: boolean };

export interface P4ReadResult {
  side: "h5dat" | "h5py";
  mode: string;
  images: number;
  seconds: number;
  images_per_s: number;
  cpu: number;
  /** Pixel bytes read. */
  bytes: number;
  sha256?: string;
}

/** Reads in flight in async-pipelined mode. */
export const PIPELINE = 4;

async function convertJob(archive: string, file: string): Promise<{ images: string[]; seconds: number }> {
  const t0 = performance.now();
  const summary = await convert([archive], { output: file, overwrite: true });
  if (summary.failed !== 0 || summary.written !== summary.entries) throw new Error(`convert wrote ${summary.written} of ${summary.entries} entries (${summary.failed} failed)`);
  const seconds = (performance.now() - t0) / 1000;
  const f = await File.open(file, "r");
  try {
    const images: string[] = [];
    for (const entry of await f.visit()) {
      if (entry.kind !== "dataset") continue;
      const ds = await f.dataset(entry.path);
      if ((await ds.attrs.has("processor")) && (await ds.attrs.get("processor")) === "image") images.push(`/${entry.path}`);
      await ds.close();
    }
    return { images: images.sort(), seconds };
  } finally {
    await f.close();
  }
}

type Pixels = { data: unknown };

/** readImage of the dataset at `path`, closed after without waiting (one more trip to HDF5). */
async function imageAt(file: File, path: string): Promise<Pixels> {
  const ds = await file.dataset(path);
  try {
    return await readImage(ds);
  } finally {
    ds.close().catch(() => undefined);
  }
}

async function readJob(file: string, paths: string[], mode: P4Mode, hash: boolean): Promise<P4ReadResult> {
  const digests: Buffer[] = new Array(paths.length);
  let bytes = 0;
  const seen = (i: number, pixels: Pixels) => {
    const view = pixels.data as ArrayBufferView;
    bytes += view.byteLength;
    if (hash) digests[i] = crypto.createHash("sha256").update(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)).digest();
  };
  const reader: File | null = mode.startsWith("h5-") ? null : await File.open(file, "r");
  const raw: File | null = mode.startsWith("h5-") ? await File.open(file, "r") : null;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  switch (mode) {
    case "async":
      for (let i = 0; i < paths.length; i++) seen(i, await imageAt(reader!, paths[i]));
      break;
    case "async-pipelined": {
      let next = 0;
      const lane = async () => {
        while (next < paths.length) {
          const i = next++;
          seen(i, await imageAt(reader!, paths[i]));
        }
      };
      await Promise.all(Array.from({ length: PIPELINE }, lane));
      break;
    }
    case "sync":
      for (let i = 0; i < paths.length; i++) {
        const ds = reader!.datasetSync(paths[i]);
        seen(i, readImageSync(ds));
        ds.closeSync();
      }
      break;
    case "h5-async":
      for (let i = 0; i < paths.length; i++) {
        const ds = await raw!.dataset(paths[i]);
        seen(i, await ds.read());
        await ds.close();
      }
      break;
    case "h5-sync":
      for (let i = 0; i < paths.length; i++) {
        const ds = raw!.datasetSync(paths[i]);
        seen(i, ds.readSync());
        ds.closeSync();
      }
      break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  await (reader ?? raw!).close();
  const result: P4ReadResult = {
    side: "h5dat", mode, images: paths.length, seconds, images_per_s: paths.length / seconds, cpu: (cpu.user + cpu.system) / 1e6, bytes,
  };
  if (hash) {
    const all = crypto.createHash("sha256");
    for (const digest of digests) all.update(digest);
    result.sha256 = all.digest("hex");
  }
  return result;
}

async function main(params: P4Params): Promise<unknown> {
  if (params.job === "convert") return convertJob(params.archive, params.file);
  const paths = JSON.parse(fs.readFileSync(params.list, "utf8")) as string[];
  return readJob(params.file, paths, params.mode, params.hash === true);
}

if (require.main === module) {
  main(JSON.parse(process.argv[2] ?? "{}") as P4Params).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
