// Image inputs made by Pillow: a small image of known pixels (to check a good entry beside bad
// ones), the same with its header corrupted past the signature, and a pixel bomb (a PNG of a few
// tens of KB whose header claims 20,000 × 20,000 pixels, all of them really there).
import { python } from "../../helpers/h5py";

export type ImageFormat = "png" | "jpeg" | "gif" | "tiff";

/** The known image: 8 × 6 RGB, pixel (x, y) = [x·30, y·40, 7]. */
export const KNOWN = { width: 8, height: 6, pixel: (x: number, y: number) => [x * 30, y * 40, 7] };

/** KNOWN as nested [H][W][3] lists, as h5py reads a uint8 [H, W, 3] dataset back. */
export function knownPixels(): number[][][] {
  return Array.from({ length: KNOWN.height }, (_, y) => Array.from({ length: KNOWN.width }, (_, x) => KNOWN.pixel(x, y)));
}

const SIGNATURE_BYTES: Record<ImageFormat, number> = { png: 8, jpeg: 2, gif: 6, tiff: 4 };

const IMAGE_PY = String.raw`
import io, json, struct, sys, zlib
from PIL import Image
def known(fmt):
    image = Image.new("RGB", (8, 6))
    image.putdata([(x * 30, y * 40, 7) for y in range(6) for x in range(8)])
    out = io.BytesIO()
    image.save(out, {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "tiff": "TIFF"}[fmt])
    return out.getvalue()
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
def pixel_bomb(side):
    # 1-bit grey, every row its filter byte and side/8 zero bytes: valid, and 50 MB deflate to ~50 KB.
    row = b"\0" * (1 + side // 8)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * side, 9)) + chunk(b"IEND", b""))
for job in json.loads(sys.argv[1]):
    if job["kind"] == "known": data = known(job["format"])
    elif job["kind"] == "corrupt":
        data = bytearray(known(job["format"]))
        start = job["keep"]
        for i in range(start, start + 32): data[i] ^= 0x5A
    else: data = pixel_bomb(job["side"])
    with open(job["file"], "wb") as f: f.write(bytes(data))
print("null")
`;

type ImageJob = { file: string; kind: "known"; format: ImageFormat } | { file: string; kind: "corrupt"; format: ImageFormat } | { file: string; kind: "bomb"; side: number };

/** Writes each job's image: the known image, it corrupted past its signature, or a pixel bomb. */
export function writeImages(jobs: ImageJob[]): void {
  python(IMAGE_PY, JSON.stringify(jobs.map((job) => (job.kind === "corrupt" ? { ...job, keep: SIGNATURE_BYTES[job.format] } : job))));
}
