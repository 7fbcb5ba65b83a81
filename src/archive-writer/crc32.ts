// CRC-32 (ISO-HDLC, the zip/gzip one): zlib.crc32 where Node has it (20.15+, 22.2+), else a
// table-driven fallback with the same signature (for Node 18, which package.json still allows).
import zlib from "node:zlib";

/** A CRC-32 of `data`, continuing from `value` (zlib.crc32's signature). */
export type Crc32 = (data: Uint8Array, value?: number) => number;

let table: Uint32Array | null = null;

/** The table-driven CRC-32 of `data`, continuing from `value` (the CRC of the bytes before it). */
export function tableCrc32(data: Uint8Array, value = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

const builtin = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** CRC-32 of `data`, continuing from `value`. */
export const crc32: Crc32 = typeof builtin === "function" ? (data, value = 0) => builtin(data, value) : tableCrc32;
