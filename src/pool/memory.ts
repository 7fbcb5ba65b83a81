// What the processes that convert hold in memory: the budget of data in flight (entries read and
// not yet written, an image counted by its decoded size), and the malloc settings (any process
// that calls convert(), and the pool's workers) for a flat RSS over long runs: glibc's malloc
// otherwise serves blocks of a few hundred KiB (pixels, chunks) from per-thread heaps that
// fragment and rarely shrink (binding/memory/allocator.cc). Measured on P3 (5,000 JPEG 600x400): writer
// peak RSS 252 → 188 MB, workers 289 → 211 MB.
import { native } from "../native/addon";

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
 * Data of entries in flight at most (read, decoding, or waiting for the writer), counted as their
 * processors' footprints count it (processors/prepare.ts, footprintOf). An entry that would go
 * past it waits for those in flight; alone, one larger entry may exceed it.
 */
export const IN_FLIGHT_BYTES = 128 << 20;
