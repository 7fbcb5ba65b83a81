// The shapes shared by classify() and decide(): what an input entry is, and what to do with it.

/** The processor family an entry goes to; "archive" entries are opened by the sources layer. */
export type Category = "image" | "video" | "audio" | "json" | "jsonl" | "csv" | "tsv" | "hdf5" | "archive" | "bytes";

/** Every category, for validating `allowed_types`. */
export const CATEGORIES: readonly Category[] = ["image", "video", "audio", "json", "jsonl", "csv", "tsv", "hdf5", "archive", "bytes"];

/** A compression wrapped around the entry's real type (`data.csv.gz`, `files.tar.xz`). */
export type Compression = "gzip" | "bzip2" | "xz";

/** What an entry is, decided from its first bytes and its name. */
export interface Classification {
  /** The detected type, e.g. "image/png"; for a compressed entry the type inside ("text/csv"). */
  mediaType: string;
  category: Category;
  /** The usual extension of the detected type, lowercase, no dot ("png", "csv.gz", "tar.gz"); the name's for unknown bytes. */
  extension: string;
  /** The extension the name carried, lowercase, no dot, compound where known ("jpg", "csv.gz", ""). */
  nameExtension: string;
  /** What decided the category: signature bytes, the name, or sniffing text content. */
  by: "magic" | "extension" | "content";
  /** Set when the entry is compressed and its inner type is what matters (CSV/JSON text, tar). */
  compression?: Compression;
}

/** The classification keys of the config file; their meaning is the original tool's. */
export interface ClassifyOptions {
  /** Extensions treated as images when no signature decides (replaces the built-in list). */
  imageExtensions?: readonly string[];
  /** Extensions treated as videos when no signature decides (replaces the built-in list). */
  videoExtensions?: readonly string[];
  /** Categories ("image") or media types ("image/png", "image/*") to process; others are skipped. */
  allowedTypes?: readonly string[];
}

/** Whether to process an entry, and if not, why. */
export interface Decision {
  action: "process" | "skip";
  reason?: string;
}
