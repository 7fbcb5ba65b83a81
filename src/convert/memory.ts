// Memory settings of the processes that convert (any that calls convert(), and the pool's
// workers), for a flat RSS over long runs: glibc's malloc otherwise serves blocks of a few
// hundred KiB (pixels, chunks) from per-thread heaps that fragment and rarely shrink
// (binding/allocator.cc). Measured on P3 (5,000 JPEG 600x400): writer peak RSS 252 → 188 MB,
// workers 289 → 211 MB.
import { native } from "../binding";

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
