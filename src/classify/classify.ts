// classify(): what an input entry is. Signature bytes first (a .jpg that is a PNG is a PNG), the
// name's extension second, sniffed text content last; anything else is opaque bytes.
import zlib from "node:zlib";
import { HEAD_BYTES, sniffSignature } from "./magic";
import {
  COMPRESSION_SUFFIXES,
  OCTET_STREAM,
  TAR_SHORTHANDS,
  compressionOfMediaType,
  mediaTypeInfo,
  mediaTypeOfExtension,
  normalizeExtension,
  suffixOfCompression,
} from "./media-types";
import { headText, sniffJson } from "./text";
import type { Category, Classification, ClassifyOptions, Compression } from "./types";

/** What a name says: its (possibly compound) extension, and the name inside a compression suffix. */
interface NameParts {
  /** "csv.gz", "tgz", "jpg" or "" — lowercase, no dot. */
  extension: string;
  /** The last extension that names a type: "csv" for data.csv.gz, "tar" for x.tgz, "" for data.gz. */
  typeExtension: string;
  /** The compression the name's suffix claims, and the name without it (data.csv.gz → data.csv). */
  compression?: Compression;
  innerName: string;
}

// Processors of these read through a decompressor; everything else compressed goes to the
// archive source, which unpacks a lone .gz/.bz2/.xz into its one entry.
const STREAMED_CATEGORIES: readonly Category[] = ["json", "jsonl", "csv", "tsv"];

/** Classifies an entry from its name and first bytes (pass at least HEAD_BYTES, or the whole file if shorter). */
export function classify(name: string, head: Uint8Array, options: ClassifyOptions = {}): Classification {
  return classifyAt(name, head, options, true);
}

function classifyAt(name: string, head: Uint8Array, options: ClassifyOptions, peekInside: boolean): Classification {
  const parts = nameParts(name, options);
  const signature = sniffSignature(head);
  if (signature !== undefined) {
    const compression = compressionOfMediaType(signature);
    if (compression !== undefined) return classifyCompressed(name, parts, head, signature, compression, options, peekInside);
    return { mediaType: signature, ...mediaTypeInfo(signature), nameExtension: parts.extension, by: "magic" };
  }
  // No signature: the bytes are not compressed, whatever a .gz suffix claims, so the type inside it counts.
  return byExtension(parts.typeExtension, head, options, parts.extension) ?? byContent(head, parts.extension);
}

// A compressed entry: report the type inside where a processor streams it (data.csv.gz → csv
// with compression gzip, files.tar.gz → tar with compression gzip); otherwise it is an archive.
function classifyCompressed(
  name: string,
  parts: NameParts,
  head: Uint8Array,
  signature: string,
  compression: Compression,
  options: ClassifyOptions,
  peekInside: boolean,
): Classification {
  const innerName = parts.compression !== undefined ? parts.innerName : name;
  // Only gzip can be opened here (node:zlib); bzip2 and xz inner types come from the name alone.
  const innerHead = peekInside && compression === "gzip" ? gunzipHead(head) : undefined;
  const inner = innerHead !== undefined
    ? classifyAt(innerName, innerHead, options, false)
    : byNameOnly(innerName, options);
  const streamed = inner !== undefined && (STREAMED_CATEGORIES.includes(inner.category) || inner.mediaType === "application/x-tar");
  if (inner !== undefined && streamed) {
    return { ...inner, extension: `${inner.extension}.${suffixOfCompression(compression)}`, nameExtension: parts.extension, compression };
  }
  return { mediaType: signature, ...mediaTypeInfo(signature), nameExtension: parts.extension, by: "magic" };
}

// The start of a gzip stream's content; Z_SYNC_FLUSH lets a cut-off stream yield what it has.
function gunzipHead(head: Uint8Array): Uint8Array | undefined {
  try {
    return zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES);
  } catch {
    return undefined;
  }
}

// For bzip2/xz content, which cannot be peeked: the name's type, trusted without validation.
function byNameOnly(name: string, options: ClassifyOptions): Classification | undefined {
  const parts = nameParts(name, options);
  const known = extensionType(parts.typeExtension, options);
  if (known === undefined) return undefined;
  return { ...known, extension: parts.typeExtension, nameExtension: parts.extension, by: "extension" };
}

// The name's type, when the head does not contradict it: JSON must scan as JSON, CSV/TSV must be text.
function byExtension(typeExtension: string, head: Uint8Array, options: ClassifyOptions, nameExtension: string): Classification | undefined {
  const known = extensionType(typeExtension, options);
  if (known === undefined) return undefined;
  const result: Classification = { ...known, extension: canonicalExtension(known.mediaType, typeExtension), nameExtension, by: "extension" };
  if (known.category === "json" || known.category === "jsonl") {
    const text = headText(head);
    const sniffed = text === undefined ? undefined : sniffJson(text);
    if (sniffed === undefined) return undefined;
    // Two whole values on separate lines cannot be one JSON document: it is JSON Lines.
    if (known.category === "json" && sniffed === "jsonl") return { ...result, ...jsonType("jsonl"), by: "content" };
    return result;
  }
  if ((known.category === "csv" || known.category === "tsv") && headText(head) === undefined) return undefined;
  return result;
}

// No signature and no usable extension: only JSON and JSON Lines are recognisable from text alone.
function byContent(head: Uint8Array, nameExtension: string): Classification {
  const text = headText(head);
  const sniffed = text === undefined ? undefined : sniffJson(text, true);
  if (sniffed !== undefined) return { ...jsonType(sniffed), nameExtension, by: "content" };
  // No better guess than what the name says.
  return { mediaType: OCTET_STREAM, category: "bytes", extension: nameExtension, nameExtension, by: "content" };
}

function jsonType(category: "json" | "jsonl"): { mediaType: string; category: Category; extension: string } {
  const mediaType = category === "json" ? "application/json" : "application/jsonl";
  return { mediaType, ...mediaTypeInfo(mediaType) };
}

/**
 * The type an extension stands for. `image_extensions` and `video_extensions` replace the built-in
 * image and video lists; an extension the table does not know gets an `image/x-<ext>` style type.
 */
function extensionType(extension: string, options: ClassifyOptions): { mediaType: string; category: Category } | undefined {
  if (extension === "") return undefined;
  const known = mediaTypeOfExtension(extension);
  for (const category of ["image", "video"] as const) {
    const configured = options[`${category}Extensions`];
    const listed = configured ? configured.map(normalizeExtension).includes(extension) : known?.category === category;
    if (listed) return known?.category === category ? known : { mediaType: `${category}/x-${extension}`, category };
  }
  return known !== undefined && known.category !== "image" && known.category !== "video" ? known : undefined;
}

function canonicalExtension(mediaType: string, extension: string): string {
  return mediaTypeOfExtension(extension)?.mediaType === mediaType ? mediaTypeInfo(mediaType).extension : extension;
}

function nameParts(name: string, options: ClassifyOptions): NameParts {
  const base = name.split(/[\\/]/).pop() ?? "";
  // A leading dot marks a hidden file (".bashrc"), not an extension.
  const pieces = base.replace(/^\.+/, "").toLowerCase().split(".").slice(1);
  const last = pieces.at(-1) ?? "";
  const tarShorthand = TAR_SHORTHANDS.get(last);
  if (tarShorthand !== undefined) {
    return { extension: last, typeExtension: "tar", compression: tarShorthand, innerName: `${base.slice(0, -last.length)}tar` };
  }
  const compression = COMPRESSION_SUFFIXES.get(last);
  if (compression === undefined) return { extension: last, typeExtension: last, innerName: base };
  const innerName = base.slice(0, -last.length - 1);
  const inner = pieces.at(-2);
  if (inner !== undefined && extensionType(inner, options) !== undefined) {
    return { extension: `${inner}.${last}`, typeExtension: inner, compression, innerName };
  }
  // "data.gz" names no type of its own: the compression is all it claims.
  return { extension: last, typeExtension: "", compression, innerName };
}
