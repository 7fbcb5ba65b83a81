// The one table of media types h5dat knows: each type's category and extensions (the first is
// the usual one). Signatures (magic.ts) name a media type; names are looked up here.
import type { Category, Compression } from "./types";

interface MediaTypeEntry {
  mediaType: string;
  category: Category;
  extensions: readonly string[];
}

const TABLE: readonly MediaTypeEntry[] = [
  { mediaType: "image/png", category: "image", extensions: ["png"] },
  { mediaType: "image/jpeg", category: "image", extensions: ["jpg", "jpeg", "jpe", "jfif"] },
  { mediaType: "image/gif", category: "image", extensions: ["gif"] },
  { mediaType: "image/tiff", category: "image", extensions: ["tif", "tiff"] },
  { mediaType: "image/webp", category: "image", extensions: ["webp"] },
  { mediaType: "image/avif", category: "image", extensions: ["avif"] },
  { mediaType: "image/heic", category: "image", extensions: ["heic"] },
  { mediaType: "image/heif", category: "image", extensions: ["heif"] },
  { mediaType: "image/bmp", category: "image", extensions: ["bmp", "dib"] },
  { mediaType: "image/vnd.microsoft.icon", category: "image", extensions: ["ico", "cur"] },
  { mediaType: "image/svg+xml", category: "image", extensions: ["svg"] },
  { mediaType: "video/mp4", category: "video", extensions: ["mp4", "m4v"] },
  { mediaType: "video/quicktime", category: "video", extensions: ["mov", "qt"] },
  { mediaType: "video/3gpp", category: "video", extensions: ["3gp"] },
  { mediaType: "video/x-matroska", category: "video", extensions: ["mkv"] },
  { mediaType: "video/webm", category: "video", extensions: ["webm"] },
  { mediaType: "video/x-msvideo", category: "video", extensions: ["avi"] },
  { mediaType: "video/ogg", category: "video", extensions: ["ogv"] },
  { mediaType: "audio/wav", category: "audio", extensions: ["wav"] },
  { mediaType: "audio/mpeg", category: "audio", extensions: ["mp3"] },
  { mediaType: "audio/flac", category: "audio", extensions: ["flac"] },
  { mediaType: "audio/ogg", category: "audio", extensions: ["ogg", "oga", "opus"] },
  { mediaType: "audio/mp4", category: "audio", extensions: ["m4a", "m4b"] },
  { mediaType: "application/json", category: "json", extensions: ["json"] },
  { mediaType: "application/jsonl", category: "jsonl", extensions: ["jsonl", "ndjson"] },
  { mediaType: "text/csv", category: "csv", extensions: ["csv"] },
  { mediaType: "text/tab-separated-values", category: "tsv", extensions: ["tsv", "tab"] },
  { mediaType: "application/x-hdf5", category: "hdf5", extensions: ["h5", "hdf5", "he5", "hdf"] },
  { mediaType: "application/zip", category: "archive", extensions: ["zip"] },
  { mediaType: "application/x-tar", category: "archive", extensions: ["tar"] },
  { mediaType: "application/gzip", category: "archive", extensions: ["gz"] },
  { mediaType: "application/x-bzip2", category: "archive", extensions: ["bz2"] },
  { mediaType: "application/x-xz", category: "archive", extensions: ["xz"] },
  { mediaType: "application/x-7z-compressed", category: "archive", extensions: ["7z"] },
  { mediaType: "application/pdf", category: "bytes", extensions: ["pdf"] },
];

/** The type of anything unrecognised. */
export const OCTET_STREAM = "application/octet-stream";

const BY_MEDIA_TYPE = new Map(TABLE.map((entry) => [entry.mediaType, entry]));
const BY_EXTENSION = new Map(TABLE.flatMap((entry) => entry.extensions.map((ext) => [ext, entry] as const)));

/** The category and usual extension of a known media type. */
export function mediaTypeInfo(mediaType: string): { category: Category; extension: string } {
  const entry = BY_MEDIA_TYPE.get(mediaType);
  if (!entry) throw new Error(`media type '${mediaType}' is missing from the classify table`);
  return { category: entry.category, extension: entry.extensions[0] };
}

/** The media type a (single, lowercase, dotless) extension stands for, if known. */
export function mediaTypeOfExtension(extension: string): { mediaType: string; category: Category } | undefined {
  return BY_EXTENSION.get(extension);
}

/** Compression suffixes, and the shorthand single extensions that mean `tar.<suffix>`. */
export const COMPRESSION_SUFFIXES: ReadonlyMap<string, Compression> = new Map([
  ["gz", "gzip"],
  ["bz2", "bzip2"],
  ["xz", "xz"],
]);
/** Single extensions that mean a compressed tar (.tgz, .tbz2, ...), with their compression. */
export const TAR_SHORTHANDS: ReadonlyMap<string, Compression> = new Map([
  ["tgz", "gzip"],
  ["tbz", "bzip2"],
  ["tbz2", "bzip2"],
  ["txz", "xz"],
]);

/** The compression a magic-detected media type stands for, if it is a lone compressor. */
export function compressionOfMediaType(mediaType: string): Compression | undefined {
  return { "application/gzip": "gzip", "application/x-bzip2": "bzip2", "application/x-xz": "xz" }[mediaType] as
    | Compression
    | undefined;
}

/** A name's usual suffix for a compression ("gzip" → "gz"). */
export function suffixOfCompression(compression: Compression): string {
  return { gzip: "gz", bzip2: "bz2", xz: "xz" }[compression];
}

/** Lowercases an extension given in config (".JPG", "jpg") to the table's form ("jpg"). */
export function normalizeExtension(extension: string): string {
  return extension.trim().replace(/^\./, "").toLowerCase();
}
