// BMP and ICO decoding, which sharp (libvips) does not do. BMP: 1/4/8-bit palette, 16/24/32-bit
// (BI_RGB, BI_BITFIELDS), bottom-up or top-down. ICO: the largest image, PNG (via `decodePng`)
// or a BMP DIB with its AND mask as alpha. Pixels come out as RGB or RGBA uint8.

/** Decoded RGB or RGBA pixels, 8 bits a sample. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

function fail(message: string): never {
  throw new Error(`invalid BMP: ${message}`);
}

/** Decodes a BMP file (with its 14-byte file header). */
export function decodeBmp(bytes: Uint8Array): RgbImage {
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) fail("no 'BM' signature");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = view.getUint32(10, true);
  return decodeDib(bytes, 14, pixelOffset, false);
}

/**
 * Decodes a DIB: the info header at `headerAt`, pixels at `pixelOffset` (or right after the
 * palette when 0). In an ICO the height counts the image and its AND mask (`icon`).
 */
function decodeDib(bytes: Uint8Array, headerAt: number, pixelOffset: number, icon: boolean): RgbImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (headerAt + 16 > bytes.length) fail("truncated header");
  const headerSize = view.getUint32(headerAt, true);
  if (headerSize < 40) fail(`unsupported header of ${headerSize} bytes (OS/2 bitmaps are not read)`);
  const width = view.getInt32(headerAt + 4, true);
  const rawHeight = view.getInt32(headerAt + 8, true);
  const bits = view.getUint16(headerAt + 14, true);
  const compression = view.getUint32(headerAt + 16, true);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight) / (icon ? 2 : 1);
  if (width <= 0 || height <= 0 || !Number.isInteger(height)) fail(`bad size ${width}x${rawHeight}`);
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) fail(`compression ${compression} (RLE, JPEG, PNG in BMP) is not supported`);

  let masks: number[] | null = null;
  if (compression !== BI_RGB) {
    const at = headerSize >= 52 ? headerAt + 40 : headerAt + headerSize;
    masks = [0, 1, 2, 3].map((i) => (i < 3 || compression === BI_ALPHABITFIELDS || headerSize >= 56 ? view.getUint32(at + i * 4, true) : 0));
  } else if (bits === 16) {
    masks = [0x7c00, 0x03e0, 0x001f, 0];
  } else if (bits === 32) {
    // An icon's 32-bit image carries alpha in its fourth byte; a plain BMP's is unused.
    masks = [0x00ff0000, 0x0000ff00, 0x000000ff, icon ? 0xff000000 : 0];
  }
  const paletteSize = bits <= 8 ? view.getUint32(headerAt + 32, true) || 1 << bits : 0;
  const paletteAt = headerAt + headerSize + (compression === BI_BITFIELDS && headerSize === 40 ? 12 : 0);
  const palette = Array.from({ length: paletteSize }, (_, i) => [bytes[paletteAt + i * 4 + 2], bytes[paletteAt + i * 4 + 1], bytes[paletteAt + i * 4]]);
  const dataAt = pixelOffset || paletteAt + paletteSize * 4;
  const stride = Math.floor((width * bits + 31) / 32) * 4;
  if (dataAt + stride * height > bytes.length) fail("truncated pixel data");

  const hasAlphaMask = masks !== null && masks[3] !== 0;
  const channels: 3 | 4 = hasAlphaMask || icon ? 4 : 3;
  const out = new Uint8Array(width * height * channels);
  const field = (value: number, mask: number) => {
    if (!mask) return 0;
    const shift = 31 - Math.clz32(mask & -mask);
    const size = 32 - Math.clz32(mask >>> shift);
    return Math.round((((value & mask) >>> shift) * 255) / (2 ** size - 1));
  };
  for (let y = 0; y < height; y++) {
    const row = dataAt + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      let rgb: number[];
      let alpha = 255;
      if (bits <= 8) {
        const bit = x * bits;
        const index = (bytes[row + (bit >> 3)] >> (8 - bits - (bit & 7))) & ((1 << bits) - 1);
        rgb = palette[index] ?? fail(`palette index ${index} out of range`);
      } else if (bits === 24) {
        rgb = [bytes[row + x * 3 + 2], bytes[row + x * 3 + 1], bytes[row + x * 3]];
      } else if (bits === 16 || bits === 32) {
        const value = bits === 16 ? view.getUint16(row + x * 2, true) : view.getUint32(row + x * 4, true);
        rgb = [field(value, masks![0]), field(value, masks![1]), field(value, masks![2])];
        if (hasAlphaMask) alpha = field(value, masks![3]);
      } else {
        fail(`${bits} bits per pixel`);
      }
      const at = (y * width + x) * channels;
      out.set(rgb, at);
      if (channels === 4) out[at + 3] = alpha;
    }
  }
  if (icon && !hasAlphaMask && bits !== 32) {
    // The AND mask follows the pixels: 1 bit per pixel, set = transparent.
    const maskStride = Math.floor((width + 31) / 32) * 4;
    const maskAt = dataAt + stride * height;
    for (let y = 0; y < height && maskAt + maskStride * height <= bytes.length; y++) {
      const row = maskAt + (topDown ? y : height - 1 - y) * maskStride;
      for (let x = 0; x < width; x++) if ((bytes[row + (x >> 3)] >> (7 - (x & 7))) & 1) out[(y * width + x) * 4 + 3] = 0;
    }
  }
  return { data: out, width, height, channels };
}

/** The largest image of an ICO/CUR file: PNG entries are decoded by `decodePng`. */
export async function decodeIco(bytes: Uint8Array, decodePng: (png: Uint8Array) => Promise<RgbImage>): Promise<RgbImage> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 6 || view.getUint16(0, true) !== 0 || ![1, 2].includes(view.getUint16(2, true))) throw new Error("invalid ICO: bad header");
  const count = view.getUint16(4, true);
  if (count === 0 || 6 + count * 16 > bytes.length) throw new Error("invalid ICO: no images");
  let best = { area: -1, size: 0, offset: 0 };
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 16;
    const area = (bytes[at] || 256) * (bytes[at + 1] || 256);
    if (area > best.area) best = { area, size: view.getUint32(at + 8, true), offset: view.getUint32(at + 12, true) };
  }
  if (best.offset + best.size > bytes.length) throw new Error("invalid ICO: image data out of range");
  const image = bytes.subarray(best.offset, best.offset + best.size);
  if (image[0] === 0x89 && image[1] === 0x50) return decodePng(image);
  try {
    return decodeDib(image, 0, 0, true);
  } catch (error) {
    throw new Error(`invalid ICO: ${(error as Error).message.replace(/^invalid BMP: /, "")}`);
  }
}
