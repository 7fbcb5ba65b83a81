// The worker's half of shared pixels (shared-pixels.ts has the writer's): decoded pixels go to a
// file in the pool's /dev/shm directory instead of through the IPC pipe. The worker keeps each
// of its files mapped: a plain JPEG is decoded straight into the mapping (pixelTarget), other
// images are copied into it. Once the writer has unmapped a file it says so with the next tasks,
// and the file takes later pixels: its pages stay allocated and mapped, where a new file would
// have them allocated, cleared and faulted in again (bench/NOTES.md, sessions 5 and 6).
import path from "node:path";
import fs from "node:fs";
import { native } from "../native/addon";
import { setSharedData, sharedDataOf, type Prepared } from "../processors/prepare";
import { pixelTypeOfArray, type PixelType } from "../processors/pixel-type";

/** Pixels smaller than this go through the pipe: a file costs more than copying them. */
export const SHARED_MIN_BYTES = 64 << 10;

/** The environment variable naming the pool's directory to its workers. */
export const SHARED_DIR_ENV = "H5DAT_SHARED_DIR";

/** Where a reply's pixels are, when they did not come inline: the first `byteLength` bytes of `file`. */
export interface SharedPixels {
  file: string;
  byteLength: number;
  /** The samples' element type, to see the mapped bytes as. */
  sampleType: PixelType;
}

/** One of this worker's pixel files, mapped (shared: writes reach the file) over its whole size. */
interface PixelFile {
  file: string;
  mapping: Uint8Array;
}

/** A file larger than this and twice what it is asked to hold is shrunk, not kept that large. */
const KEEP_LARGE_BYTES = 16 << 20;

const files = new Map<string, PixelFile>();
/** Files the writer is done with. */
const idle: PixelFile[] = [];
/** The file handed out by pixelTarget for the image being decoded. */
let lent: PixelFile | null = null;
let filesMade = 0;

/** Files the writer has unmapped: they take the next pixels. */
export function reuseFiles(names: readonly string[]): void {
  for (const name of names) {
    const file = files.get(name);
    if (file) idle.push(file);
  }
}

/**
 * Where to decode `byteLength` bytes of pixels: a view of one of this worker's files, or null
 * (small pixels, no directory, or /dev/shm full: they then go through the pipe).
 */
export function pixelTarget(dir: string | undefined, byteLength: number): Uint8Array | null {
  if (!dir || byteLength < SHARED_MIN_BYTES) return null;
  const file = lent ?? idle.pop() ?? newFile(dir);
  lent = null;
  try {
    const size = file.mapping.byteLength;
    if (size < byteLength || size > Math.max(2 * byteLength, KEEP_LARGE_BYTES)) {
      native.unmapBuffer(file.mapping.buffer as ArrayBuffer);
      file.mapping = new Uint8Array(native.mapFile(file.file, byteLength, true));
    }
  } catch {
    forget(file);
    return null;
  }
  lent = file;
  return file.mapping.subarray(0, byteLength);
}

/**
 * Moves a result's pixels (its processor's shared data) to a file in `dir` (unless they were
 * decoded into one), leaving an empty array in the result. Null (the result unchanged) for results
 * without pixels, small images, or no room in /dev/shm.
 */
export function sharePixels(result: Prepared, dir: string | undefined): SharedPixels | null {
  const data = sharedDataOf(result);
  if (!data) return null;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const inPlace = lent !== null && bytes.buffer === lent.mapping.buffer && bytes.byteOffset === 0;
  if (!inPlace) {
    const target = pixelTarget(dir, bytes.byteLength);
    if (!target) return null;
    target.set(bytes);
  }
  const file = lent!;
  lent = null;
  setSharedData(result, new Uint8Array(0));
  return { file: file.file, byteLength: bytes.byteLength, sampleType: pixelTypeOfArray(data) };
}

function newFile(dir: string): PixelFile {
  const file = { file: path.join(dir, `${process.pid}-${filesMade++}`), mapping: new Uint8Array(0) };
  files.set(file.file, file);
  return file;
}

function forget(file: PixelFile): void {
  files.delete(file.file);
  native.unmapBuffer(file.mapping.buffer as ArrayBuffer);
  fs.rmSync(file.file, { force: true });
}
