// The shapes export passes around: what was written (the manifest's rows) and what one dataset
// becomes before it is written. Its own module so that export.ts and foreign.ts share it
// without importing each other.
import type { ImageScaling } from "../read/image-scaling";

/** One file written: which dataset it came from and in what format. */
export interface ExportedFile {
  dataset: string;
  /** Path written, relative to the directory or inside the archive. */
  file: string;
  format: "original" | "png" | "json" | "csv" | "bytes" | "npy" | "text";
  bytes: number;
  /** The name it would have had, when another file of the export already had it (export-names.ts). */
  renamedFrom?: string;
  /** An image whose values were not uint8/uint16: how they became the PNG's pixels. */
  scaling?: ImageScaling;
  /** A stacked group's row the file holds (its `dataset` is the stack's images). */
  row?: number;
}

/**
 * A file's data streamed block by block: `size` bytes in all when known before the first block
 * (a .npy), undefined when the values decide it (CSV text).
 */
export interface StreamedData {
  size?: number;
  chunks: AsyncIterable<Uint8Array>;
}

/** What one dataset becomes: a file to write, or the reason it is skipped. */
export type Made =
  | { file: string; format: ExportedFile["format"]; data: Buffer | StreamedData; scaling?: ImageScaling }
  | { reason: string };
