// Decompression bombs: a lone .gz and a zip member of `mib` MiB of one byte repeated, about
// 1 MB per GiB. Made from one compressed MiB repeated (zip.ts), so a 1 GiB bomb takes ~0.5 s
// to make. The byte is not 0: zeros would read as an empty tar (libarchive bids tar on zero
// blocks), and the bomb would not be one.
import { python } from "../../helpers/h5py";
import { ZIP_PY, writeZip, type ZipMember } from "./zip";

/** A byte that is no tar header and no control character: the bomb is text ('A's). */
export const BOMB_BYTE = 0x41;

/** A gzip file of `mib` MiB of BOMB_BYTE, valid to its end (CRC and size trailer). */
export function writeGzipBomb(file: string, mib: number): void {
  python(`${ZIP_PY}
body, crc, size = repeated_deflate(int(sys.argv[2]), ${BOMB_BYTE})
with open(sys.argv[1], "wb") as f:
    f.write(b"\\x1f\\x8b\\x08\\x00\\0\\0\\0\\0\\x00\\x03" + body + struct.pack("<II", crc, size & 0xffffffff))
print("null")`, file, String(mib));
}

/** A zip whose member `name` is a bomb of `mib` MiB, among `others`. */
export function writeZipBomb(file: string, name: string, mib: number, others: ZipMember[] = []): void {
  writeZip(file, [{ name, bomb: { mib, byte: BOMB_BYTE } }, ...others]);
}
