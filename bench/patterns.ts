// The benchmark data, generated identically here and in bench/anchors/patterns.py (only
// correctly-rounded IEEE + - * / and 32-bit integer arithmetic, so both sides get the same bits;
// the harness compares SHA-256 digests of both pools before it trusts a run).
import { createHash } from "node:crypto";
import { allocate } from "../src/h5";

/** P1: rows × 1024 float32, chunks of 256 rows. */
export const P1_COLS = 1024;
export const P1_CHUNK_ROWS = 256;
/** Rows per MiB of float32 × 1024. */
export const P1_ROWS_PER_MIB = (1024 * 1024) / (P1_COLS * 4);
/** The pool holds 8192 distinct rows (32 MiB); global row g holds pattern row g mod 8192. */
export const P1_POOL_ROWS = 8192;
const P1_PERIOD = 4099;

/** P2: images of 64×64×3 uint8; dataset i holds pool image i mod 256. */
export const P2_SHAPE = [64, 64, 3] as const;
export const P2_IMAGE_BYTES = 64 * 64 * 3;
export const P2_POOL_IMAGES = 256;

/**
 * P1's pool: value(g, c) = 100·4x(1−x) + 0.01·g with x = ((g·1024 + c) mod 4099) / 4099 — a smooth
 * periodic wave on a slow ramp, rounded to float32 (compresses about 2–3× with shuffle + gzip).
 */
export function p1Pool(): Float32Array {
  // From h5dat's allocator, as a user's large arrays would be (README, "Fast unfiltered writes"):
  // in huge pages like numpy's arrays on the h5py side, where a plain Float32Array is not.
  const pool = allocate("float32", P1_POOL_ROWS * P1_COLS);
  for (let g = 0; g < P1_POOL_ROWS; g++) {
    const ramp = g * 0.01;
    for (let c = 0; c < P1_COLS; c++) {
      const x = ((g * P1_COLS + c) % P1_PERIOD) / P1_PERIOD;
      pool[g * P1_COLS + c] = 4 * x * (1 - x) * 100 + ramp;
    }
  }
  return pool;
}

/** Pool rows for global rows [start, start + rows) (rows must divide the pool). */
export function p1Rows(pool: Float32Array, start: number, rows: number): Float32Array {
  const from = (start % P1_POOL_ROWS) * P1_COLS;
  return pool.subarray(from, from + rows * P1_COLS);
}

/**
 * P2's pool: byte i of image k (y, x, ch) = (2x + 3y + 50ch + 11k + noise) mod 256, noise the top
 * 4 bits of (k·12288 + i)·2654435761 mod 2³² — an image-like gradient with noise.
 */
export function p2Pool(): Uint8Array {
  const pool = new Uint8Array(P2_POOL_IMAGES * P2_IMAGE_BYTES);
  for (let k = 0; k < P2_POOL_IMAGES; k++) {
    for (let i = 0; i < P2_IMAGE_BYTES; i++) {
      const y = Math.floor(i / 192);
      const x = Math.floor(i / 3) % 64;
      const ch = i % 3;
      const n = k * P2_IMAGE_BYTES + i;
      const noise = Math.imul(n, 0x9e3779b1) >>> 28;
      pool[n] = (2 * x + 3 * y + 50 * ch + 11 * k + noise) & 255;
    }
  }
  return pool;
}

export function p2Image(pool: Uint8Array, index: number): Uint8Array {
  const k = index % P2_POOL_IMAGES;
  return pool.subarray(k * P2_IMAGE_BYTES, (k + 1) * P2_IMAGE_BYTES);
}

export function p2Name(index: number): string {
  return `img${String(index).padStart(5, "0")}`;
}

export function sha256(view: ArrayBufferView): string {
  return createHash("sha256").update(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)).digest("hex");
}
