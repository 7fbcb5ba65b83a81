// Limits on how much one entry may expand to, checked while its data is read, before a
// decompression bomb (a 1 MB zip entry that inflates to 1 TB) costs more than a few tens of MiB.
// `max_entry_bytes` caps any entry; `max_ratio` caps decompressed ÷ compressed bytes of an
// archive entry, but only once the entry has produced RATIO_CHECK_BYTES, so small, very
// compressible files (a 1 MB log of one repeated line) always pass.
import { formatBytes } from "../byte-size";

/** What reading an entry may cost at most; 0 turns a limit off. */
export interface EntryLimits {
  /** Bytes an entry may hold (decompressed), whatever its source. */
  maxEntryBytes: number;
  /** Decompressed ÷ compressed bytes an archive entry may reach once past RATIO_CHECK_BYTES. */
  maxRatio: number;
}

/** 64 GiB: far above any file a converter is fed in one piece, far below a bomb's terabytes. */
export const DEFAULT_MAX_ENTRY_BYTES = 64 * 2 ** 30;
/**
 * 200: text and tables compress 5–50 times, sparse or repetitive data (a CSV of zeros, a flat
 * uncompressed image) a few hundred; deflate's best is ~1030, bzip2 and xz reach 10^6 and more.
 */
export const DEFAULT_MAX_RATIO = 200;
/** The ratio is judged only after this much output: 32 MiB of zeros take ~0.1 s to inflate and store. */
export const RATIO_CHECK_BYTES = 32 << 20;

/** An entry stopped by a limit; the message names the limit, its flag, and what was read. */
export class EntryLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EntryLimitError";
  }
}

/** The limits of a run's options (convert's `max_entry_bytes` and `max_ratio`), defaults applied. */
export function limitsOf(options: { maxEntryBytes?: number; maxRatio?: number }): EntryLimits {
  return { maxEntryBytes: options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES, maxRatio: options.maxRatio ?? DEFAULT_MAX_RATIO };
}

/** The entry limits when none are given. */
export const DEFAULT_LIMITS: EntryLimits = limitsOf({});

/** Fails at once when an entry's recorded size is already over `maxEntryBytes`. */
export function checkDeclaredSize(size: number | null, limits: EntryLimits): void {
  if (size !== null && limits.maxEntryBytes > 0 && size > limits.maxEntryBytes) {
    throw new EntryLimitError(`too large: ${formatBytes(size)}, over --max-entry-bytes ${formatBytes(limits.maxEntryBytes)} (not read)`);
  }
}

/** Where an archive entry's compressed bytes are counted: the archive position, now and at its start. */
export interface CompressedCounter {
  start: number;
  /** null when the reader cannot tell (then only maxEntryBytes applies). */
  now(): number | null;
}

/**
 * Passes `blocks` through, failing with an EntryLimitError as soon as the bytes so far exceed
 * `maxEntryBytes`, or (past RATIO_CHECK_BYTES, with `compressed`) expand more than `maxRatio`.
 */
export async function* limitedBlocks(blocks: AsyncIterable<Buffer>, limits: EntryLimits, compressed?: CompressedCounter): AsyncGenerator<Buffer> {
  let produced = 0;
  for await (const block of blocks) {
    produced += block.length;
    if (limits.maxEntryBytes > 0 && produced > limits.maxEntryBytes) {
      throw new EntryLimitError(`too large: stopped after ${formatBytes(produced)}, over --max-entry-bytes ${formatBytes(limits.maxEntryBytes)}`);
    }
    const now = compressed?.now() ?? null;
    if (compressed && now !== null && limits.maxRatio > 0 && produced >= RATIO_CHECK_BYTES) {
      const consumed = Math.max(1, now - compressed.start);
      const ratio = produced / consumed;
      if (ratio > limits.maxRatio) {
        throw new EntryLimitError(
          `decompression bomb? stopped after ${formatBytes(produced)} from ${formatBytes(consumed)} compressed: ` +
            `it expands ${Math.round(ratio)} times, over --max-ratio ${limits.maxRatio} (0 turns the check off)`,
        );
      }
    }
    yield block;
  }
}
