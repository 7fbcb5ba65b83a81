// What a JPEG's markers say before its image data: the frame header (SOFn: precision, size,
// components), the EXIF orientation and whether an ICC profile is embedded. Read without a
// decoder, it decides whether an image can skip sharp's metadata pass (≈ 0.4 ms per 600×400
// photo) and be decoded by libjpeg-turbo directly (1.4 ms against sharp's 4.2; bench/NOTES.md).

/** What a JPEG's frame header says: precision, size and components. */
export interface JpegHeader {
  /** Bits per sample: 8, or 12 / 16 in the rarer extended and lossless modes. */
  precision: number;
  width: number;
  /** 0 when the file defines it later, in a DNL marker. */
  height: number;
  /** 1 (grey), 3 (YCbCr or RGB), 4 (CMYK or YCCK). */
  components: number;
  /** An APP1 EXIF segment comes before the frame. */
  exif: boolean;
  /** Its orientation tag (1–8 when valid), when it has one that parses. */
  orientation?: number;
  /** An APP2 ICC_PROFILE segment comes before the frame. */
  icc: boolean;
}

/** The header, or null when `bytes` is no JPEG or its markers end or break before a frame. */
export function readJpegHeader(bytes: Uint8Array): JpegHeader | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let orientation: number | undefined;
  let exif = false;
  let icc = false;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    // Fill bytes: any number of 0xFF may precede a marker.
    if (marker === 0xff) {
      at++;
      continue;
    }
    // Markers without a length: TEM and the restart markers (none belong before a frame).
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    // Start of scan or end of image before any frame header: not a file to trust.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    if (length < 2) return null;
    const body = bytes.subarray(at + 4, Math.min(at + 2 + length, bytes.length));
    if (isFrameMarker(marker)) {
      if (body.length < 6) return null;
      return {
        precision: body[0],
        height: (body[1] << 8) | body[2],
        width: (body[3] << 8) | body[4],
        components: body[5],
        exif,
        ...(orientation !== undefined && { orientation }),
        icc,
      };
    }
    if (marker === 0xe1 && !exif && startsWith(body, EXIF)) {
      exif = true;
      orientation = exifOrientation(body.subarray(EXIF.length));
    }
    if (marker === 0xe2 && startsWith(body, ICC_PROFILE)) icc = true;
    at += 2 + length;
  }
  return null;
}

/** SOF0–SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isFrameMarker(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

const EXIF = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"
const ICC_PROFILE = [...Buffer.from("ICC_PROFILE\0", "latin1")];
const ORIENTATION_TAG = 0x0112;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** The orientation tag (any value) in the first IFD of EXIF's TIFF structure, or undefined. */
function exifOrientation(tiff: Uint8Array): number | undefined {
  if (tiff.length < 8) return undefined;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49; // "II"; "MM" is big-endian
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return undefined;
  const u16 = (at: number) => (little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1]);
  const u32 = (at: number) => (little ? u16(at) + u16(at + 2) * 0x10000 : u16(at) * 0x10000 + u16(at + 2));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + 12 * i;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) === ORIENTATION_TAG) return u16(entry + 8);
  }
  return undefined;
}
