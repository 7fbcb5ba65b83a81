// The work one platform's build does for test/platforms/linux-arm64.test.ts and win32-x64.test.ts,
// run by the Node of that platform (the arm64 one under qemu-user, the Windows one under wine64,
// and this machine's for the x64 reference). It
// loads the compiled package (dist/, whose node-gyp-build picks prebuilds/<platform>/), so it is
// transpiled to plain JavaScript first: the arm64 Node has no tsx (esbuild is a native binary).
//   node platform-probe.js <repo root> <out dir> <h5py fixture.h5> <mixed archive>
// It writes <out dir>/written.h5, converted.h5 (in this process) and converted-workers.h5 (with two
// worker processes), and <out dir>/probe.json: what it read
// from h5py's file, from its own written file and, through the reader API, from the converted one,
// in a JSON form that keeps typed-array kinds, 64-bit integers and non-finite floats exactly.
// With $H5DAT_PROBE_PATHS_DIR it also writes there (pathChecks: Windows' drive letters and
// backslashes, and a second process refused by the file lock).
import childProcess, { type ForkOptions } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

type H5dat = typeof import("../../src");
type File = import("../../src").File;

/** A value as exact JSON: typed arrays tagged with their kind, bigints and non-finite floats as text. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return { bigint: value.toString() };
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0) ? value : { number: String(Object.is(value, -0) ? "-0" : value) };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return { typed: value.constructor.name, values: Array.from(value as unknown as ArrayLike<unknown>, plain) };
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [plain(k), plain(v)]) };
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, plain((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** Every dataset of a file: dtype name, shape, filters and values, plus the attributes of every object. */
async function readEverything(h5: H5dat, f: File): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { "/": { attrs: plain(await f.attrs.toObject()) } };
  for (const entry of await f.visit()) {
    const name = `/${entry.path}`;
    if (entry.kind === "group") out[name] = { attrs: plain(await (await f.group(name)).attrs.toObject()) };
    if (entry.kind !== "dataset") continue;
    const ds = await f.dataset(name);
    const about = { dtype: h5.dtypeName(ds.dtype), shape: ds.shape, chunks: ds.chunks, compression: ds.compressionSetting, attrs: plain(await ds.attrs.toObject()) };
    try {
      const { data, shape } = await ds.read();
      out[name] = { ...about, readShape: shape, values: plain(data) };
    } catch (error) {
      // h5py's lzf dataset: no build of h5dat has that filter; the message must match too.
      out[name] = { ...about, error: (error as Error).message };
    }
    await ds.close();
  }
  return out;
}

/** Element i of each written dataset: the same formulas as the test's Python check. */
const index = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Writes one file with the dtypes, layouts, filters and attributes a converted file uses. */
async function writeFile(h5: H5dat, file: string): Promise<void> {
  const f = await h5.File.open(file, "w");
  const n = 103 * 29;
  const int16 = Int16Array.from(index(n), (i) => ((i * 7919) % 65536) - 32768);
  const float32 = Float32Array.from(index(n), (i) => (i % 1000) * 0.25 - 100);
  await f.createDataset("ints/int8", { data: Int8Array.from(index(256), (i) => i - 128) });
  await f.createDataset("ints/uint16", { data: Uint16Array.from(index(1000), (i) => i * 65) });
  await f.createDataset("ints/int64", { data: BigInt64Array.from(index(50), (i) => BigInt(i) * 2n ** 57n - 3n) });
  await f.createDataset("ints/uint64", { data: BigUint64Array.from(index(50), (i) => 2n ** 64n - 1n - BigInt(i)) });
  await f.createDataset("floats/float64", { data: Float64Array.from(index(500), (i) => i * 0.5 - 1e6 + i / 1024), shape: [20, 25] });
  await f.createDataset("floats/specials", { data: Float64Array.of(NaN, Infinity, -Infinity, -0, 5e-324, 1.7976931348623157e308) });
  await f.createDataset("filters/gzip_shuffle", { data: float32, shape: [103, 29], chunks: [16, 8], compression: "gzip:4", shuffle: true, fletcher32: true });
  for (const codec of ["zstd:5", "lz4", "blosc:lz4:5:shuffle", "blosc:zstd:3:bitshuffle", "bitshuffle:lz4"]) {
    await f.createDataset(`filters/${codec.replace(/:/g, "_")}`, { data: int16, shape: [103, 29], chunks: [16, 8], compression: codec });
  }
  await f.createDataset("text/vlen", { data: ["arm64", "ünïcode ✓", "", "x".repeat(300)] });
  await f.createDataset("text/fixed", { data: ["abc", "0123456789"], dtype: h5.dtype.string({ length: 10, charset: "ascii" }) });
  const record = h5.dtype.compound({ id: "int64", x: "float32", name: "string", ok: "bool" });
  await f.createDataset("records", { dtype: record, data: [
    { id: 2n ** 60n + 7n, x: 1.5, name: "first", ok: true },
    { id: -1n, x: -2.25, name: "second", ok: false },
  ] });
  await f.attrs.set("platform_text", "written by h5dat");
  await f.attrs.set("big", 2n ** 63n - 1n);
  await f.attrs.set("floats", Float64Array.of(0.1, -2.5, 1e300));
  await f.close();
}

/** The converted file through the reader API: the tree, each image, the JSON and the table. */
async function readConverted(h5: H5dat, file: string): Promise<Record<string, unknown>> {
  const f = await h5.File.open(file, "r");
  const out: Record<string, unknown> = { tree: plain(h5.flattenTree(await h5.readTree(f)).map((n) => ({ path: n.path, kind: n.kind, shape: n.shape, dtype: n.dtype }))) };
  for (const image of ["rgb.jpg", "grey.jpg", "rgba.png"]) {
    const pixels = await h5.readImage(await f.dataset(`mixed/photos/${image}`));
    out[image] = plain(pixels);
    // An encode on this platform too: PNG is lossless, so the bytes decode to the same pixels.
    out[`${image}.png-bytes`] = (await h5.toPNG(await f.dataset(`mixed/photos/${image}`))).length > 0;
  }
  out.json = plain(await h5.readJSON(await f.group("mixed/meta/info.json")));
  out.table = plain(await h5.readTable(await f.dataset("mixed/tables/points.csv")));
  out.bytes = plain(await h5.readBytes(await f.dataset("mixed/raw/blob.bin")));
  await f.close();
  return out;
}

/**
 * Under qemu-user a forked worker must start through qemu too: the host kernel runs an arm64
 * binary only through a binfmt_misc entry, which this machine lacks. The test passes a wrapper
 * script (qemu-aarch64 -L … node "$@") as $H5DAT_PROBE_WORKER_NODE; fork() starts workers with it.
 */
function forkWorkersThrough(workerNode: string): void {
  const fork = childProcess.fork;
  const forkThrough = (modulePath: string, args?: readonly string[] | ForkOptions, options?: ForkOptions) =>
    Array.isArray(args) ? fork(modulePath, args, { ...options, execPath: workerNode }) : fork(modulePath, { ...(args as ForkOptions), execPath: workerNode });
  Object.assign(childProcess, { fork: forkThrough });
}

/** A second process's open of `file` while this one holds it for writing: "opened" or "refused". */
function openFromOtherProcess(root: string, file: string): string {
  const code = `require(process.argv[1]).File.open(process.argv[2], "r").then((f) => f.close())
    .then(() => process.exit(0), (e) => process.exit(/lock/i.test(String(e && e.message)) ? 3 : 4))`;
  const { status } = childProcess.spawnSync(process.execPath, ["-e", code, path.join(root, "dist"), file], { stdio: "ignore", timeout: 120_000 });
  return status === 0 ? "opened" : status === 3 ? "refused (locked)" : `failed (${status})`;
}

/**
 * Paths as a platform spells them (on Windows a drive letter, backslashes, a space), the same file
 * through forward slashes, an archive with a non-ASCII name, and HDF5's file lock seen by another
 * process.
 */
async function pathChecks(h5: H5dat, root: string, dir: string, archive: string): Promise<Record<string, unknown>> {
  const file = path.join(dir, "sub dir", "paths.h5");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const f = await h5.File.open(file, "w");
  await f.createDataset("values", { data: Float32Array.from(index(12), (i) => i / 4), shape: [3, 4] });
  await f.close();
  const again = await h5.File.open(file.split(path.sep).join("/"), "r");
  const values = plain((await (await again.dataset("values")).read()).data);
  await again.close();
  const held = await h5.File.open(file, "r+");
  const whileWriting = openFromOtherProcess(root, file);
  await held.close();
  const named = path.join(dir, "sub dir", "ärchïve.zip");
  fs.copyFileSync(archive, named);
  const summary = await h5.convert([named], { output: path.join(dir, "sub dir", "from-archive.h5"), workers: 0, overwrite: true });
  const fromNonAscii = { written: summary.written, failed: summary.failed };
  return { values, whileWriting, afterClose: openFromOtherProcess(root, file), fromNonAscii };
}

async function main(): Promise<void> {
  const [root, outDir, fixture, archive] = process.argv.slice(2);
  if (process.env.H5DAT_PROBE_WORKER_NODE) forkWorkersThrough(process.env.H5DAT_PROBE_WORKER_NODE);
  const h5 = require(path.join(root, "dist")) as H5dat;
  fs.mkdirSync(outDir, { recursive: true });
  const result: Record<string, unknown> = { platform: `${process.platform}-${process.arch}`, hdf5: h5.hdf5Version() };

  const source = await h5.File.open(fixture, "r");
  result.h5py = await readEverything(h5, source);
  await source.close();

  const written = path.join(outDir, "written.h5");
  await writeFile(h5, written);
  const back = await h5.File.open(written, "r");
  result.written = await readEverything(h5, back);
  await back.close();

  // In this process (workers: 0), then with two worker processes decoding and parsing.
  for (const [name, workers] of [["converted", 0], ["converted-workers", 2]] as const) {
    const summary = await h5.convert([archive], { output: path.join(outDir, `${name}.h5`), workers, overwrite: true });
    result[name] = { entries: summary.entries, written: summary.written, failed: summary.failed, skipped: summary.skipped, failures: summary.failures };
  }
  result.reader = await readConverted(h5, path.join(outDir, "converted.h5"));
  if (process.env.H5DAT_PROBE_PATHS_DIR) result.paths = await pathChecks(h5, root, process.env.H5DAT_PROBE_PATHS_DIR, archive);
  fs.writeFileSync(path.join(outDir, "probe.json"), JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
