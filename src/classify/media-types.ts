// The one table of media types h5dat knows: each type's category and extensions (the first is
// the usual one). Signatures (magic.ts) name a media type; names are looked up here.
import { CATEGORIES, type Category, type Compression } from "./types";

interface MediaTypeEntry {
  mediaType: string;
  category: Category;
  extensions: readonly string[];
}

// As mime.types writes it: a media type, its category, its extensions (the usual one first).
const TABLE: readonly MediaTypeEntry[] = parseTable(`
image/png                    image    png
image/jpeg                   image    jpg jpeg jpe jfif
image/gif                    image    gif
image/tiff                   image    tif tiff
image/webp                   image    webp
image/avif                   image    avif
image/heic                   image    heic
image/heif                   image    heif
image/bmp                    image    bmp dib
image/vnd.microsoft.icon     image    ico cur
image/svg+xml                image    svg
video/mp4                    video    mp4 m4v
video/quicktime              video    mov qt
video/3gpp                   video    3gp
video/x-matroska             video    mkv
video/webm                   video    webm
video/x-msvideo              video    avi
video/ogg                    video    ogv
audio/wav                    audio    wav
audio/mpeg                   audio    mp3
audio/flac                   audio    flac
audio/ogg                    audio    ogg oga opus
audio/mp4                    audio    m4a m4b
application/json             json     json
application/jsonl            jsonl    jsonl ndjson
text/csv                     csv      csv
text/tab-separated-values    tsv      tsv tab
application/x-hdf5           hdf5     h5 hdf5 he5 hdf
application/zip              archive  zip
application/x-tar            archive  tar
application/gzip             archive  gz
application/x-bzip2          archive  bz2
application/x-xz             archive  xz
application/x-7z-compressed  archive  7z
application/pdf              bytes    pdf
`);

/** The table's lines as entries. */
function parseTable(text: string): MediaTypeEntry[] {
  return text.trim().split("\n").map((line) => {
    const [mediaType, category, ...extensions] = line.trim().split(/\s+/);
    if (!(CATEGORIES as readonly string[]).includes(category)) throw new Error(`media type table: '${category}' is not a category`);
    return { mediaType, category: category as Category, extensions };
  });
}

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
