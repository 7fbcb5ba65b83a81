// The file the viewer's tests browse: the repository's sample (samples/make-sample-data.ts:
// photos, a 16-bit depth PNG, a video, a tone, JSON, JSONL and CSV records, a skipped scratch
// file) converted with its config and schema, plus an input of the test's own: a stacked ImageFolder
// (train/val, two classes), a CMYK JPEG, a truncated JPEG (a failed entry) and a binary file (bytes);
// then, written with h5dat's API, numbers (1-D, 3-D) and a dataset whose only chunk is garbage.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { File } from "../../src/h5/file";
import { dtype } from "../../src/h5/dtype";
import { compiledCli } from "../helpers/compiled-cli";

const ROOT = path.join(__dirname, "..", "..");

/** Paths inside the viewed sample that the tests look at. */
export const SAMPLE_PATHS = {
  rgb: "/images/photos/cat/cat_01",
  rgba: "/sample/photos/cat/cat_icon.png",
  cmyk: "/extras/cmyk.jpg",
  depth: "/images/depth",
  table: "/sample/labels.csv",
  json: "/records/products/product_1002",
  video: "/media/video/clip",
  audio: "/media/audio/tone",
  bytes: "/extras/blob.bin",
  stack: "/extras",
  line: "/numbers/line",
  cube: "/numbers/cube",
  corrupt: "/numbers/corrupt",
  bigTable: "/numbers/table",
} as const;

/** Test-made images of a class: 12×10 RGB, each a flat colour set by `seed`. */
async function writeClassImages(dir: string, count: number, seed: number): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const pixels = Buffer.alloc(12 * 10 * 3, 0).map((_, k) => ((k * 7 + i * 31 + seed * 50) % 256));
    await sharp(pixels, { raw: { width: 12, height: 10, channels: 3 } }).png().toFile(path.join(dir, `img_${i}.png`));
  }
}

/** The extra input: a stack, a CMYK JPEG, a broken JPEG, a binary file. */
async function writeExtras(dir: string): Promise<void> {
  await writeClassImages(path.join(dir, "stack", "train", "cat"), 3, 1);
  await writeClassImages(path.join(dir, "stack", "train", "dog"), 3, 2);
  await writeClassImages(path.join(dir, "stack", "val", "cat"), 2, 3);
  await writeClassImages(path.join(dir, "stack", "val", "dog"), 2, 4);
  const gradient = Buffer.alloc(20 * 16 * 3).map((_, k) => (k * 5) % 256);
  await sharp(gradient, { raw: { width: 20, height: 16, channels: 3 } }).toColourspace("cmyk").jpeg({ quality: 95 }).toFile(path.join(dir, "cmyk.jpg"));
  fs.writeFileSync(path.join(dir, "broken.jpg"), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from("JFIF\0 truncated here")]));
  fs.writeFileSync(path.join(dir, "blob.bin"), Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 13) % 256)));
}

/** The sample's schema with the extra input's rules in front. */
function schemaWithExtras(): object {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "samples", "schema.json"), "utf8"));
  schema.rules.unshift(
    { match: "stack/**/*.png", input: "extras", layout: "stacked" },
    { match: "blob.bin", input: "extras", processor: "bytes", target: "/extras/blob.bin" },
    // With --on-error fail, an image that does not decode fails (instead of being kept as bytes).
    { match: "broken.jpg", input: "extras", processor: "image", target: "/extras/{name}" },
    { match: "*.jpg", input: "extras", target: "/extras/{name}" },
  );
  return schema;
}

/** Numbers, a table of 120 rows, and a dataset whose chunk holds garbage where gzip data should be. */
async function addNumbers(file: string): Promise<void> {
  const h5 = await File.open(file, "a");
  try {
    await h5.createDataset("numbers/line", { data: Float64Array.from({ length: 200 }, (_, i) => Math.sin(i / 10) * 100) });
    await h5.createDataset("numbers/cube", { shape: [3, 20, 30], dtype: "int16", data: Int16Array.from({ length: 1800 }, (_, i) => (i % 600) - 300 + Math.floor(i / 600) * 1000) });
    const rows = Array.from({ length: 120 }, (_, i) => ({ id: BigInt(i), value: i / 4, name: `row ${i}` }));
    await h5.createDataset("numbers/table", { dtype: dtype.compound({ id: "int64", value: "float64", name: "string" }), shape: [120], data: rows });
    const corrupt = await h5.createDataset("numbers/corrupt", { shape: [64], dtype: "float32", chunks: [64], compression: "gzip" });
    await corrupt.writeChunk([0], Buffer.from("this is not deflate data at all"));
    await corrupt.close();
  } finally {
    await h5.close();
  }
}

/** Makes the sample in `dir` and returns the .h5 file's path. */
export async function makeViewSample(dir: string): Promise<string> {
  execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "samples", "make-sample-data.ts"), dir], { cwd: ROOT, stdio: "pipe" });
  const extras = path.join(dir, "extras");
  await writeExtras(extras);
  fs.writeFileSync(path.join(dir, "schema.json"), JSON.stringify(schemaWithExtras()));
  const output = path.join(dir, "sample.h5");
  const args = ["convert", path.join(dir, "sample.tar.gz"), extras, "-o", output, "--overwrite", "--config", path.join(ROOT, "samples", "config.json"), "--schema", path.join(dir, "schema.json"), "--on-error", "fail"];
  // Exit status 2: entries failed, as the broken JPEG must.
  const run = spawnSync(process.execPath, compiledCli(...args), { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 2) throw new Error(`convert exited ${run.status}, not 2 (one failed entry):\n${run.stderr}`);
  await addNumbers(output);
  return output;
}
