# The benchmark data, generated exactly as bench/patterns.ts does (same formulas, same IEEE
# operation order, 32-bit wrapping integer hash), so h5dat and h5py write the same bytes.
import hashlib

import numpy as np

P1_COLS = 1024
P1_CHUNK_ROWS = 256
P1_ROWS_PER_MIB = (1024 * 1024) // (P1_COLS * 4)
P1_POOL_ROWS = 8192
P1_PERIOD = 4099

P2_SHAPE = (64, 64, 3)
P2_IMAGE_BYTES = 64 * 64 * 3
P2_POOL_IMAGES = 256


def p1_pool():
    g = np.arange(P1_POOL_ROWS, dtype=np.float64)[:, None]
    c = np.arange(P1_COLS, dtype=np.int64)[None, :]
    t = (g.astype(np.int64) * P1_COLS + c) % P1_PERIOD
    x = t.astype(np.float64) / P1_PERIOD
    v = 4 * x * (1 - x) * 100 + g * 0.01
    return v.astype(np.float32)


def p1_rows(pool, start, rows):
    frm = start % P1_POOL_ROWS
    return pool[frm:frm + rows]


def p2_pool():
    i = np.arange(P2_IMAGE_BYTES, dtype=np.int64)[None, :]
    k = np.arange(P2_POOL_IMAGES, dtype=np.int64)[:, None]
    y = i // 192
    x = (i // 3) % 64
    ch = i % 3
    n = (k * P2_IMAGE_BYTES + i).astype(np.uint32)
    noise = (n * np.uint32(0x9E3779B1)) >> np.uint32(28)
    v = (2 * x + 3 * y + 50 * ch + 11 * k + noise.astype(np.int64)) & 255
    return v.astype(np.uint8).reshape((P2_POOL_IMAGES,) + P2_SHAPE)


def p2_name(index):
    return "img%05d" % index


def sha256(array):
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()
