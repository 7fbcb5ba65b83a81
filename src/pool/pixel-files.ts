// The worker's half of shared pixels (shared-pixels.ts has the writer's): decoded pixels go to a
// file in the pool's /dev/shm directory instead of through the IPC pipe. No addon here: workers
// do not load it.
import fs from "node:fs";
import path from "node:path";
import type { Prepared } from "../convert/prepare";

/** Pixels smaller than this go through the pipe: a file costs more than copying them. */
export const SHARED_MIN_BYTES = 64 << 10;

/** The environment variable naming the pool's directory to its workers. */
export const SHARED_DIR_ENV = "H5DAT_SHARED_DIR";

/** Where a reply's pixels are, when they did not come inline. */
export interface SharedPixels {
  file: string;
  bitDepth: 8 | 16;
}

/**
 * Moves a decoded image's pixels to a file in `dir`, leaving an empty array in the result. Null
 * (the result unchanged) for other results, small images, or a failed write (/dev/shm full).
 */
export function sharePixels(result: Prepared, dir: string | undefined, name: string): SharedPixels | null {
  if (!dir || result.processor !== "image" || result.image.data.byteLength < SHARED_MIN_BYTES) return null;
  const file = path.join(dir, name);
  const { data, bitDepth } = result.image;
  try {
    fs.writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } catch {
    fs.rmSync(file, { force: true });
    return null;
  }
  result.image.data = new Uint8Array(0);
  return { file, bitDepth };
}
