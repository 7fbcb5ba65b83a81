// File signatures: the media type a file's first bytes prove, whatever its name says.
import { looksLikeSvg } from "./text";

/** How many leading bytes the signatures need: tar's "ustar" sits at 257, HDF5 userblocks go to 2048. */
export const HEAD_BYTES = 4096;

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** The media type `head`'s signature proves, or undefined when no signature matches. */
export function sniffSignature(head: Uint8Array): string | undefined {
  const at = (offset: number, bytes: readonly number[] | string): boolean => startsWith(head, offset, bytes);
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (at(0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (at(0, "GIF87a") || at(0, "GIF89a")) return "image/gif";
  // Classic TIFF (42) and BigTIFF (43), both byte orders.
  if (at(0, "II*\0") || at(0, "MM\0*") || at(0, "II+\0") || at(0, "MM\0+")) return "image/tiff";
  if (at(0, "RIFF")) {
    if (at(8, "WEBP")) return "image/webp";
    if (at(8, "WAVE")) return "audio/wav";
    if (at(8, "AVI ")) return "video/x-msvideo";
  }
  if (at(4, "ftyp")) return isoMediaType(head);
  // QuickTime files older than the ftyp box start straight with a movie atom.
  if (at(4, "moov") || at(4, "mdat") || at(4, "wide") || at(4, "pnot")) return "video/quicktime";
  if (isBmp(head)) return "image/bmp";
  if (isIco(head)) return "image/vnd.microsoft.icon";
  if (at(0, [0x1a, 0x45, 0xdf, 0xa3])) return ebmlDocType(head) === "webm" ? "video/webm" : "video/x-matroska";
  if (at(0, "fLaC")) return "audio/flac";
  if (at(0, "ID3")) return afterId3(head);
  if (at(0, [0xff, 0xfb]) || at(0, [0xff, 0xf3]) || at(0, [0xff, 0xf2])) return "audio/mpeg";
  if (at(0, "OggS")) return includes(head.subarray(0, 64), "\x80theora") ? "video/ogg" : "audio/ogg";
  if (at(0, HDF5_SIGNATURE)) return "application/x-hdf5";
  const archive = archiveSignature(head);
  if (archive !== undefined) return archive;
  // After tar: a tar whose first member is an HDF5 file has that signature at 512 too.
  if (hdf5SignatureOffset(head) !== undefined) return "application/x-hdf5";
  if (at(0, "%PDF-")) return "application/pdf";
  if (looksLikeSvg(head)) return "image/svg+xml";
  return undefined;
}

/** The media type of an archive or compressed stream whose signature `head` starts with (tar's at 257). */
export function archiveSignature(head: Uint8Array): string | undefined {
  const at = (offset: number, bytes: readonly number[] | string): boolean => startsWith(head, offset, bytes);
  if (at(0, "PK\x03\x04") || at(0, "PK\x05\x06") || at(0, "PK\x07\x08")) return "application/zip";
  if (at(0, [0x1f, 0x8b])) return "application/gzip";
  if (at(0, "BZh") && head[3] >= 0x31 && head[3] <= 0x39) return "application/x-bzip2";
  if (at(0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return "application/x-xz";
  if (at(0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return "application/x-7z-compressed";
  if (at(257, "ustar")) return "application/x-tar";
  return undefined;
}

/** Whether `head` starts a zstd frame: libarchive opens it, though no entry is classified by it. */
export function isZstdFrame(head: Uint8Array): boolean {
  return startsWith(head, 0, [0x28, 0xb5, 0x2f, 0xfd]);
}

/** Where the HDF5 superblock signature is: offset 0, or after a userblock of 512·2ⁿ bytes. */
export function hdf5SignatureOffset(head: Uint8Array): number | undefined {
  for (let offset = 0; offset + HDF5_SIGNATURE.length <= head.length; offset = offset === 0 ? 512 : offset * 2) {
    if (startsWith(head, offset, HDF5_SIGNATURE)) return offset;
  }
  return undefined;
}

// ISO base media (MP4, MOV, M4A, HEIF, AVIF) share the ftyp box; its brands tell them apart.
// Image brands win over the generic "isom"/"mp42" that image files also list as compatible.
function isoMediaType(head: Uint8Array): string {
  const size = Math.min(readUint32BE(head, 0), head.length);
  const major = latin1(head, 8, 4);
  const brands = [major];
  for (let offset = 16; offset + 4 <= size; offset += 4) brands.push(latin1(head, offset, 4));
  const has = (...names: string[]): boolean => brands.some((brand) => names.includes(brand));
  if (has("avif", "avis")) return "image/avif";
  if (has("heic", "heix", "heim", "heis", "hevc", "hevx")) return "image/heic";
  if (has("mif1", "msf1")) return "image/heif";
  // M4A files list "isom"/"mp42" as compatible too, so only the major brand says audio.
  if (["M4A ", "M4B ", "M4P "].includes(major)) return "audio/mp4";
  if (major === "qt  ") return "video/quicktime";
  if (major.startsWith("3gp") || major.startsWith("3g2")) return "video/3gpp";
  return "video/mp4";
}

// BMP's "BM" alone is too common in text, so also require a known DIB header size.
function isBmp(head: Uint8Array): boolean {
  if (!startsWith(head, 0, "BM") || head.length < 18) return false;
  return [12, 40, 52, 56, 64, 108, 124].includes(readUint32LE(head, 14));
}

// 00 00 01 00 (icon) or 00 00 02 00 (cursor), at least one image, and the entry's reserved byte 0.
function isIco(head: Uint8Array): boolean {
  if (head.length < 22 || head[0] !== 0 || head[1] !== 0 || (head[2] !== 1 && head[2] !== 2) || head[3] !== 0) return false;
  const count = head[4] | (head[5] << 8);
  return count > 0 && head[6 + 3] === 0;
}

// The EBML header's DocType element (id 0x4282) says "webm" or "matroska".
function ebmlDocType(head: Uint8Array): string | undefined {
  const limit = Math.min(head.length, 64);
  for (let i = 4; i + 3 < limit; i++) {
    if (head[i] !== 0x42 || head[i + 1] !== 0x82) continue;
    const sizeByte = head[i + 2];
    // A one-byte EBML size (high bit set) is what every muxer writes for DocType.
    if ((sizeByte & 0x80) === 0) return undefined;
    return latin1(head, i + 3, sizeByte & 0x7f);
  }
  return undefined;
}

// An ID3 tag may precede FLAC as well as MP3; look past it when it ends within the head.
function afterId3(head: Uint8Array): string {
  if (head.length >= 10) {
    const tagSize = ((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f);
    if (startsWith(head, 10 + tagSize, "fLaC")) return "audio/flac";
  }
  return "audio/mpeg";
}

function startsWith(head: Uint8Array, offset: number, bytes: readonly number[] | string): boolean {
  if (offset + bytes.length > head.length) return false;
  for (let i = 0; i < bytes.length; i++) {
    const expected = typeof bytes === "string" ? bytes.charCodeAt(i) : bytes[i];
    if (head[offset + i] !== expected) return false;
  }
  return true;
}

function includes(bytes: Uint8Array, needle: string): boolean {
  for (let i = 0; i + needle.length <= bytes.length; i++) if (startsWith(bytes, i, needle)) return true;
  return false;
}

function latin1(head: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...head.subarray(offset, offset + length));
}

function readUint32BE(head: Uint8Array, offset: number): number {
  return ((head[offset] << 24) | (head[offset + 1] << 16) | (head[offset + 2] << 8) | head[offset + 3]) >>> 0;
}

function readUint32LE(head: Uint8Array, offset: number): number {
  return (head[offset] | (head[offset + 1] << 8) | (head[offset + 2] << 16) | (head[offset + 3] << 24)) >>> 0;
}
