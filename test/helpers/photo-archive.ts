// A small tar.gz for the cluster tests: PNG photos in class directories (sharp draws them, each
// its own colours and size) and a JSON file, packed by Python's tarfile.
import path from "node:path";
import sharp from "sharp";
import { makeTreeAndArchives } from "./archives";

/** Writes `<dir>/photos.tar.gz` with `count` PNGs under cat/, dog/ and owl/, and notes.json; its path. */
export async function photoArchive(dir: string, count: number): Promise<string> {
  const files: Record<string, Buffer | string> = { "notes.json": JSON.stringify({ photos: count }) };
  for (let i = 0; i < count; i++) {
    const [width, height] = [8 + (i % 5), 6 + (i % 3)];
    const background = { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 13) % 256 };
    files[`${["cat", "dog", "owl"][i % 3]}/photo_${i}.png`] = await sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
  }
  makeTreeAndArchives(files, path.join(dir, "photos"), dir, "photos", ["tar.gz"]);
  return path.join(dir, "photos.tar.gz");
}
