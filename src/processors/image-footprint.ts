// What an image takes once decoded, read from its header before anything is decoded: width ×
// height × frames × channels × bytes per sample. A 0.75 MB PNG of zeros says 16000 × 16000 × 3
// (768 MB); the converter counts this, not the file's size, against the data it lets in flight,
// and writes images past a size in strips (image-strips.ts).
import { loadSharp } from "./sharp-module";
import { readJpegHeader } from "./jpeg-header";
import type { ImageOptions } from "./image";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** PNG colour type → channels decoded (a palette may expand to RGBA, grey + alpha goes through RGBA). */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 4, 4: 4, 6: 4 };
/** libvips depth → bytes per sample. */
const DEPTH_BYTES: Record<string, number> = { uchar: 1, char: 1, ushort: 2, short: 2, uint: 4, int: 4, float: 4, complex: 8, double: 8, dpcomplex: 16 };

/**
 * Bytes of the decoded pixels `bytes` would give (an upper bound where the header leaves a choice
 * open); 0 when no header says (the decoder then fails on it, holding nothing). JPEG and PNG
 * headers are read here, other formats by libvips, which reads no pixels for it.
 */
export async function decodedBytesOf(bytes: Uint8Array, options: ImageOptions = {}): Promise<number> {
  const jpeg = readJpegHeader(bytes);
  if (jpeg) return jpeg.width * jpeg.height * jpeg.components * (jpeg.precision > 8 ? 2 : 1);
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b) && bytes.length >= 33) {
    // IHDR comes first: width, height, bit depth, colour type.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const channels = PNG_CHANNELS[bytes[25]] ?? 4;
    return view.getUint32(16) * view.getUint32(20) * channels * (bytes[24] === 16 ? 2 : 1);
  }
  // A BMP's info header (h5dat decodes it to RGB or RGBA).
  if (bytes[0] === 0x42 && bytes[1] === 0x4d && bytes.length >= 26) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Math.abs(view.getInt32(18, true)) * Math.abs(view.getInt32(22, true)) * 4;
  }
  try {
    const animated = options.animated === true;
    const meta = await loadSharp()(bytes, { limitInputPixels: false, animated }).metadata();
    const frameHeight = meta.pageHeight ?? meta.height ?? 0;
    const frames = animated ? (meta.pages ?? 1) : 1;
    return (meta.width ?? 0) * frameHeight * frames * (meta.channels ?? 4) * (DEPTH_BYTES[meta.depth ?? "uchar"] ?? 8);
  } catch {
    return 0;
  }
}
