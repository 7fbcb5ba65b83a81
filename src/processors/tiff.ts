// h5dat's own reader for the TIFFs libvips refuses ("tiff2vips: samples out of range": 64-bit
// float samples, as tifffile writes for numpy arrays, e.g. scikit-image's multipage_rgb.tif).
// It reads what such files use: classic TIFF of either byte order, strips (not tiles),
// uncompressed, deflate or PackBits, chunky or planar, grey or RGB with extra samples, 8 to 64
// bits of unsigned, signed or float samples. Anything else fails with what it is.
import zlib from "node:zlib";
import type { DecodedImage } from "./decoded-image";
import { pixelArray, type PixelArray, type PixelType } from "./pixel-type";

/** One page's layout, from its IFD. */
interface TiffPage {
  width: number;
  height: number;
  samples: number;
  type: PixelType;
  compression: number;
  photometric: number;
  planar: boolean;
  rowsPerStrip: number;
  offsets: number[];
  counts: number[];
}

/** Is `bytes` a classic TIFF (II*\0 or MM\0*)? */
export function isTiff(bytes: Uint8Array): boolean {
  return (bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 42 && bytes[3] === 0) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 42);
}

/**
 * Decodes page 0, or every page as [P, H, W(, C)] with `animated` (pages of one size and type;
 * otherwise page 0 with `pageCount`). Samples keep their type and values, as tifffile reads them.
 */
export function decodeTiff(bytes: Uint8Array, options: { animated?: boolean; checkPixels?: (width: number, height: number) => void } = {}): DecodedImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 0x49;
  const pages = readPages(view, little);
  const first = pages[0];
  const same = pages.every((page) => page.width === first.width && page.height === first.height && page.samples === first.samples && page.type === first.type);
  const taken = options.animated && same ? pages : [first];
  options.checkPixels?.(first.width, first.height * taken.length);
  const frames = taken.map((page) => pagePixels(bytes, view, little, page));
  const data = frames.length === 1 ? frames[0] : concat(frames, first.type);
  const frame = first.samples === 1 ? [first.height, first.width] : [first.height, first.width, first.samples];
  const bits = (data.BYTES_PER_ELEMENT * 8) as 8 | 16 | 32 | 64;
  return {
    data,
    shape: taken.length > 1 ? [taken.length, ...frame] : frame,
    frames: taken.length,
    width: first.width,
    height: first.height,
    channels: first.samples,
    bitDepth: bits,
    ...((first.type !== "uint8" && first.type !== "uint16") && { sampleType: first.type }),
    colourModel: first.photometric === 2 ? "RGB" : "GREY",
    format: "tiff",
    ...(options.animated && !same && { pageCount: pages.length }),
  };
}

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8 };

function readPages(view: DataView, little: boolean): TiffPage[] {
  const pages: TiffPage[] = [];
  const seen = new Set<number>();
  for (let at = view.getUint32(4, little); at !== 0; ) {
    if (seen.has(at) || at + 2 > view.byteLength) throw new Error(`TIFF: IFD at ${at} is out of the file or loops`);
    seen.add(at);
    const count = view.getUint16(at, little);
    const tags = new Map<number, number[]>();
    for (let i = 0; i < count; i++) {
      const entry = at + 2 + 12 * i;
      const tag = view.getUint16(entry, little);
      const type = view.getUint16(entry + 2, little);
      const n = view.getUint32(entry + 4, little);
      const size = TYPE_SIZES[type] ?? 1;
      const where = n * size <= 4 ? entry + 8 : view.getUint32(entry + 8, little);
      if ((type === 3 || type === 4) && where + n * size <= view.byteLength) {
        tags.set(tag, Array.from({ length: n }, (_, k) => (type === 3 ? view.getUint16(where + 2 * k, little) : view.getUint32(where + 4 * k, little))));
      }
    }
    pages.push(pageOf(tags));
    at = view.getUint32(at + 2 + 12 * count, little);
  }
  if (pages.length === 0) throw new Error("TIFF: no pages");
  return pages;
}

function pageOf(tags: Map<number, number[]>): TiffPage {
  const one = (tag: number, fallback?: number) => {
    const value = tags.get(tag)?.[0] ?? fallback;
    if (value === undefined) throw new Error(`TIFF: tag ${tag} is missing`);
    return value;
  };
  if (tags.has(322)) throw new Error("TIFF: tiled pages are not read by h5dat's own TIFF reader");
  const width = one(256);
  const height = one(257);
  const samples = one(277, 1);
  const bits = tags.get(258) ?? [1];
  const format = one(339, 1);
  if (new Set(bits).size !== 1 || ![8, 16, 32, 64].includes(bits[0])) throw new Error(`TIFF: ${bits.join("/")} bits per sample are not read by h5dat's own TIFF reader`);
  const type = sampleType(format, bits[0]);
  const photometric = one(262, samples >= 3 ? 2 : 1);
  if (photometric !== 1 && photometric !== 2) throw new Error(`TIFF: photometric interpretation ${photometric} is not read by h5dat's own TIFF reader (grey and RGB are)`);
  if (one(317, 1) !== 1) throw new Error("TIFF: a predictor is not read by h5dat's own TIFF reader");
  const compression = one(259, 1);
  if (![1, 8, 32946, 32773].includes(compression)) throw new Error(`TIFF: compression ${compression} is not read by h5dat's own TIFF reader`);
  const offsets = tags.get(273) ?? [];
  const counts = tags.get(279) ?? [];
  if (offsets.length === 0 || offsets.length !== counts.length) throw new Error("TIFF: strip offsets and byte counts are missing or differ in number");
  return { width, height, samples, type, compression, photometric, planar: one(284, 1) === 2 && samples > 1, rowsPerStrip: Math.min(one(278, height), height), offsets, counts };
}

function sampleType(format: number, bits: number): PixelType {
  const name = `${format === 3 ? "float" : format === 2 ? "int" : "uint"}${bits}`;
  if (!["uint8", "uint16", "uint32", "int8", "int16", "int32", "float32", "float64"].includes(name)) throw new Error(`TIFF: ${name} samples are not read by h5dat's own TIFF reader`);
  return name as PixelType;
}

/** A page's samples in native byte order, chunky ([H, W, C]). */
function pagePixels(bytes: Uint8Array, view: DataView, little: boolean, page: TiffPage): PixelArray {
  const size = Number(page.type.replace(/\D+/, "")) / 8;
  const planes = page.planar ? page.samples : 1;
  const planeBytes = page.width * page.height * (page.planar ? 1 : page.samples) * size;
  const out = new Uint8Array(planeBytes * planes);
  const stripsPerPlane = Math.ceil(page.height / page.rowsPerStrip);
  if (page.offsets.length < stripsPerPlane * planes) throw new Error(`TIFF: ${page.offsets.length} strips, ${stripsPerPlane * planes} needed`);
  for (let plane = 0; plane < planes; plane++) {
    let filled = 0;
    for (let s = 0; s < stripsPerPlane; s++) {
      const i = plane * stripsPerPlane + s;
      const start = page.offsets[i];
      const end = start + page.counts[i];
      if (end > bytes.length) throw new Error(`TIFF: strip ${i} ends at ${end}, past the file's ${bytes.length} bytes`);
      const strip = inflateStrip(bytes.subarray(start, end), page.compression);
      const want = Math.min(planeBytes - filled, strip.length);
      out.set(strip.subarray(0, want), plane * planeBytes + filled);
      filled += want;
    }
    if (filled < planeBytes) throw new Error(`TIFF: page data is short (${filled} of ${planeBytes} bytes)`);
  }
  // Samples to native (little-endian) order, then planes to pixels.
  if (!little && size > 1) for (let i = 0; i < out.length; i += size) out.subarray(i, i + size).reverse();
  const samples = pixelArray(page.type, out.buffer);
  if (!page.planar) return samples;
  const chunky = pixelArray(page.type, new ArrayBuffer(out.length));
  const pixels = page.width * page.height;
  for (let c = 0; c < page.samples; c++) for (let p = 0; p < pixels; p++) chunky[p * page.samples + c] = samples[c * pixels + p];
  return chunky;
}

function inflateStrip(strip: Uint8Array, compression: number): Uint8Array {
  if (compression === 1) return strip;
  if (compression === 32773) return unpackBits(strip);
  return zlib.inflateSync(strip);
}

/** PackBits (Apple's run-length code, TIFF compression 32773). */
function unpackBits(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < input.length; ) {
    const n = (input[i++] << 24) >> 24;
    if (n >= 0) {
      for (let k = 0; k <= n && i < input.length; k++) out.push(input[i++]);
    } else if (n !== -128) {
      const value = input[i++];
      for (let k = 0; k < 1 - n; k++) out.push(value);
    }
  }
  return Uint8Array.from(out);
}

function concat(frames: PixelArray[], type: PixelType): PixelArray {
  const total = frames.reduce((sum, frame) => sum + frame.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const frame of frames) {
    bytes.set(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength), at);
    at += frame.byteLength;
  }
  return pixelArray(type, bytes.buffer);
}
