// What the processes that convert hold in memory: the budget of data in flight (entries read and
// not yet written, an image counted by its decoded size), and the malloc settings (any process
// that calls convert(), and the pool's workers) for a flat RSS over long runs: glibc's malloc
// otherwise serves blocks of a few hundred KiB (pixels, chunks) from per-thread heaps that
// fragment and rarely shrink (binding/allocator.cc). Measured on P3 (5,000 JPEG 600x400): writer
// peak RSS 252 → 188 MB, workers 289 → 211 MB.
import { native } from "../native/addon";
import { decodedBytesOf } from "../processors/image-footprint";
import { imageOptionsFrom } from "../processors/image";
import { planStrips, STRIP_BAND_BYTES, STRIP_MIN_BYTES, type StripPlan } from "../processors/image-strips";
import type { EntryPlan } from "./plan";

/** Blocks from this size up are mmapped, and returned to the system when freed. */
export const MMAP_THRESHOLD = 256 << 10;

/** Applies MMAP_THRESHOLD to this process (glibc only; elsewhere nothing changes). */
export function keepLargeBlocksMapped(): boolean {
  return native.setMmapThreshold(MMAP_THRESHOLD);
}

/** The same for a child process, through glibc's environment: in force from its first allocation. */
export function workerEnvironment(): NodeJS.ProcessEnv {
  return { MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD), ...process.env };
}

/**
 * Data of entries in flight at most (read, decoding, or waiting for the writer), counted as
 * entryFootprint counts it. An entry that would go past it waits for those in flight; alone, one
 * larger entry may exceed it.
 */
export const IN_FLIGHT_BYTES = 128 << 20;

/** What an entry holds while in flight, and for a large image, how it is written in strips. */
export interface EntryFootprint {
  /** Its bytes, with an image's decoded pixels (the two bands of one written in strips). */
  bytes: number;
  /** A large image's strips (null: it is decoded whole, or is no image). */
  strips: StripPlan | null;
}

/**
 * An entry's footprint, from its bytes and, for an image, its header: a 0.75 MB PNG that decodes
 * to 768 MB counts 768 MB, or two bands when it goes in strips, before anything is decoded.
 */
export async function entryFootprint(plan: EntryPlan, bytes: Uint8Array): Promise<EntryFootprint> {
  if (plan.processor !== "image") return { bytes: bytes.length, strips: null };
  const options = imageOptionsFrom(plan.options);
  const decoded = await decodedBytesOf(bytes, options);
  if (decoded < STRIP_MIN_BYTES) return { bytes: bytes.length + decoded, strips: null };
  let strips: StripPlan | null;
  try {
    strips = await planStrips(bytes, options);
  } catch {
    // Over --max-pixels: it fails before decoding, holding nothing.
    return { bytes: bytes.length, strips: null };
  }
  return { bytes: bytes.length + (strips ? 2 * STRIP_BAND_BYTES : decoded), strips };
}
