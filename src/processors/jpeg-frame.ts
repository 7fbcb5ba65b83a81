// A JPEG's frame header (SOFn: precision, size, components), read from its markers without a
// decoder. An ordinary 8-bit colour JPEG then needs no `metadata()` pass through sharp before its
// decode: that pass costs ≈ 0.4 ms per 600×400 image, a tenth of decoding it (bench/NOTES.md).

export interface JpegFrame {
  /** Bits per sample: 8, or 12 / 16 in the rarer extended and lossless modes. */
  precision: number;
  width: number;
  /** 0 when the file defines it later, in a DNL marker. */
  height: number;
  /** 1 (grey), 3 (YCbCr or RGB), 4 (CMYK or YCCK). */
  components: number;
}

/** The frame header, or null when `bytes` is no JPEG or its markers end or break before one. */
export function readJpegFrame(bytes: Uint8Array): JpegFrame | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
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
    if (isFrameMarker(marker)) {
      if (length < 8 || at + 10 > bytes.length) return null;
      return {
        precision: bytes[at + 4],
        height: (bytes[at + 5] << 8) | bytes[at + 6],
        width: (bytes[at + 7] << 8) | bytes[at + 8],
        components: bytes[at + 9],
      };
    }
    at += 2 + length;
  }
  return null;
}

/** SOF0–SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isFrameMarker(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}
