// The public shapes of the archive writers, and the limits tests may lower.

/** The archive kinds export writes. */
export type ArchiveFormat = "tar" | "tar.gz" | "zip";

/** How one entry is added: its size, time and mode. */
export interface AddOptions {
  /** The data's byte count: required when data is an async iterable, and checked against what it yields. */
  size?: number;
  /** Modification time (default: now). tar keeps whole seconds; zip keeps a DOS time (local, 2 s steps) plus the exact second in an extended-timestamp field. */
  mtime?: Date;
  /** Permission bits (default 0o644). */
  mode?: number;
  /** zip only: false stores the entry without deflate (for already-compressed data). Default true. */
  compress?: boolean;
}

/** An archive being written, one entry at a time; close() finishes it. */
export interface ArchiveWriter {
  readonly file: string;
  readonly format: ArchiveFormat;
  /**
   * Adds one file. `data` is a Uint8Array, or an async iterable of Uint8Arrays streamed with bounded
   * memory (then `options.size` is required, and a stream yielding another byte count fails the add
   * and the whole writer). Yielded chunks must not be modified afterwards (they may still be queued).
   * Calls run one after another in call order, even when not awaited.
   */
  add(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options?: AddOptions): Promise<void>;
  /** Writes the trailer (tar: two zero blocks; zip: central directory and end record) and closes the file. */
  close(): Promise<void>;
  /** Stops, closes and deletes the archive file (for when the export fails midway). Never rejects; does nothing after a successful close(). */
  abort(): Promise<void>;
}

/**
 * Where the formats switch to their extensions. Only tests lower these, to exercise ZIP64 and PAX
 * records without writing gigabytes; the defaults are the formats' own limits.
 */
export interface ArchiveLimits {
  /** tar: a size ≥ this goes in a PAX `size=` record (default 8^11 = 8 GiB, the ustar octal field's limit). */
  tarSize: number;
  /** zip: an entry whose size (or deflated size bound) is ≥ this gets ZIP64 sizes (default 0xFFFFFFFF). */
  zipSize: number;
  /** zip: a local-header offset, central directory size or offset ≥ this needs ZIP64 (default 0xFFFFFFFF). */
  zipOffset: number;
  /** zip: this many entries or more need a ZIP64 end record (default 0xFFFF). */
  zipEntries: number;
}

/** The formats' own limits: tar's 11 octal digits of size, zip's 32-bit fields and 16-bit entry count. */
export const DEFAULT_LIMITS: ArchiveLimits = {
  tarSize: 8 ** 11,
  zipSize: 0xffffffff,
  zipOffset: 0xffffffff,
  zipEntries: 0xffff,
};

/** How openArchiveWriter writes: compression level, and lower limits for tests. */
export interface ArchiveWriterOptions {
  /** zlib level for tar.gz and zip deflate, 0–9 (default 6). */
  level?: number;
  /** Testing only: lower format limits (see ArchiveLimits). */
  limits?: Partial<ArchiveLimits>;
}

/** One entry, checked and ready to write. */
export interface PreparedEntry {
  path: string;
  size: number;
  mtime: Date;
  mode: number;
  compress: boolean;
  /** The data, verified to be exactly `size` bytes (throws past the last chunk otherwise). */
  chunks: AsyncIterable<Uint8Array>;
}
