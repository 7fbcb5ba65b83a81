// Builds samples/out/sample.tar.gz: a small mixed dataset made from generated content — photos
// (JPEG, PNG with alpha, a 16-bit grey PNG), a 2-second video, a sine-wave audio clip, product
// records (JSON, JSONL), a labels table (CSV) and a scratch file the sample schema skips.
//
//   node --import tsx samples/make-sample-data.ts [outDir]
//
// Images come from sharp, video and audio from the bundled ffmpeg (testsrc, sine), the archive
// from the system's tar. Deterministic: the same content on every run.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import sharp, { type CreateRaw } from "sharp";

const ffmpeg = (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;

function gradient(width: number, height: number, channels: 3 | 4, seed: number): Buffer {
  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = ((x + y + seed * 40) * 3) % 256;
      if (channels === 4) pixels[i + 3] = x < width / 2 ? 255 : 128;
    }
  }
  return pixels;
}

async function makeImages(dir: string): Promise<void> {
  for (const [i, label] of ["cat", "dog", "bird"].entries()) {
    fs.mkdirSync(path.join(dir, "photos", label), { recursive: true });
    await sharp(gradient(96, 64, 3, i), { raw: { width: 96, height: 64, channels: 3 } }).jpeg({ quality: 90 }).toFile(path.join(dir, "photos", label, `${label}_01.jpg`));
    await sharp(gradient(48, 48, 4, i), { raw: { width: 48, height: 48, channels: 4 } }).png().toFile(path.join(dir, "photos", label, `${label}_icon.png`));
  }
  const depth = Buffer.alloc(64 * 32 * 2);
  for (let i = 0; i < 64 * 32; i++) depth.writeUInt16LE((i * 37) % 65536, i * 2);
  await sharp(depth, { raw: { width: 64, height: 32, channels: 1, depth: "ushort" } as CreateRaw } /* 16-bit raw input: missing from the typings */).toColourspace("grey16").png().toFile(path.join(dir, "photos", "depth16.png"));
}

function makeMedia(dir: string): void {
  fs.mkdirSync(path.join(dir, "media"), { recursive: true });
  const run = (...args: string[]) => execFileSync(ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", ...args]);
  run("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "2", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path.join(dir, "media", "clip.mp4"));
  run("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "1", path.join(dir, "media", "tone.wav"));
}

function makeRecords(dir: string): void {
  fs.mkdirSync(path.join(dir, "records"), { recursive: true });
  const products = Array.from({ length: 5 }, (_, i) => ({
    id: 1000 + i,
    name: ["Café mug", "Ōsaka tee", "Bjørk scarf", "Łódź bag", "Zürich cap"][i],
    price: [4.5, 19.99, 24, 35.5, 12][i],
    tags: i % 2 === 0 ? ["sale", "new"] : [],
    stock: { warehouse: 10 * i, store: i === 3 ? null : i },
  }));
  for (const p of products) fs.writeFileSync(path.join(dir, "records", `product_${p.id}.json`), JSON.stringify(p, null, 2));
  // The last record lacks "id": the sample schema quarantines it.
  const events = [...products.map((p, i) => ({ id: p.id, event: i % 2 ? "view" : "buy", at: `2026-11-0${i + 1}T12:00:00Z` })), { event: "view", at: "2026-11-09T08:00:00Z" }];
  fs.writeFileSync(path.join(dir, "records", "events.jsonl"), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const rows = ["file,label,width,height,verified", "photos/cat/cat_01.jpg,cat,96,64,true", "photos/dog/dog_01.jpg,dog,96,64,true", "photos/bird/bird_01.jpg,bird,96,64,false"];
  fs.writeFileSync(path.join(dir, "labels.csv"), rows.join("\r\n") + "\r\n");
  fs.writeFileSync(path.join(dir, "notes.tmp"), "scratch: not part of the dataset\n");
}

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, "out"));
  const data = path.join(out, "sample");
  fs.rmSync(data, { recursive: true, force: true });
  fs.mkdirSync(data, { recursive: true });
  await makeImages(data);
  makeMedia(data);
  makeRecords(data);
  const archive = path.join(out, "sample.tar.gz");
  execFileSync("tar", ["--sort=name", "--mtime=2026-01-01", "--owner=0", "--group=0", "-czf", archive, "-C", data, "."]);
  console.log(archive);
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
