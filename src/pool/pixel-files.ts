// The worker's half of shared pixels (shared-pixels.ts has the writer's): decoded pixels go to a
// file in the pool's /dev/shm directory instead of through the IPC pipe.
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
 * Files of this worker that the writer has unmapped (it says so with the next tasks). New pixels
 * are written over one of them: tmpfs then keeps its pages, where a new file would have them
 * allocated, cleared and charged again (≈ 0.45 ms per 720 KB against 0.1 ms, bench/NOTES.md).
 */
const reusable: string[] = [];
let filesMade = 0;

export function reuseFiles(files: readonly string[]): void {
  reusable.push(...files);
}

/**
 * Moves a decoded image's pixels to a file in `dir`, leaving an empty array in the result. Null
 * (the result unchanged) for other results, small images, or a failed write (/dev/shm full).
 */
export function sharePixels(result: Prepared, dir: string | undefined): SharedPixels | null {
  if (!dir || result.processor !== "image" || result.image.data.byteLength < SHARED_MIN_BYTES) return null;
  const file = reusable.pop() ?? path.join(dir, `${process.pid}-${filesMade++}`);
  const { data, bitDepth } = result.image;
  try {
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
    try {
      fs.writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 0, data.byteLength, 0);
      // Truncated after the write, not before: the pages written over stay allocated.
      fs.ftruncateSync(fd, data.byteLength);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    fs.rmSync(file, { force: true });
    return null;
  }
  result.image.data = new Uint8Array(0);
  return { file, bitDepth };
}
