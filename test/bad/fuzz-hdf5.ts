// Seeded corruption of a valid HDF5 file, aimed at its metadata. The file is mapped once: the
// superblock and every structure found by its signature (object headers, B-trees, heaps, free
// space), each with its exact extent when it ends in a Jenkins lookup3 checksum. A variant flips
// a few bytes inside structures of one kind and usually fixes their checksums afterwards, so
// that HDF5 parses the corrupt fields instead of stopping at "incorrect metadata checksum".

/** Which structures a variant corrupts. */
export type FuzzTarget = "superblock" | "object-headers" | "btrees" | "heaps" | "anywhere";

/** A structure of the file: [start, end); `checksummed` when its last 4 bytes are its lookup3. */
export interface Structure {
  kind: Exclude<FuzzTarget, "anywhere">;
  signature: string;
  start: number;
  end: number;
  checksummed: boolean;
}

/** A corrupt copy of the file and what was done to it (for the report of a failing run). */
export interface Variant {
  name: string;
  bytes: Buffer;
  flips: string[];
}

const SIGNATURES: Record<string, Structure["kind"]> = {
  OHDR: "object-headers",
  OCHK: "object-headers",
  TREE: "btrees",
  BTHD: "btrees",
  BTIN: "btrees",
  BTLF: "btrees",
  HEAP: "heaps",
  SNOD: "heaps",
  GCOL: "heaps",
  FRHP: "heaps",
  FHIB: "heaps",
  FHDB: "heaps",
  FSHD: "heaps",
  FSSE: "heaps",
};

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
/** How far an unchecksummed structure (v1 B-tree node, local or global heap) is corrupted. */
const UNCHECKED_SPAN = 256;
/** The longest structure looked for: a checksum further on is not searched for (and a span ends there). */
const MAX_CHECKSUMMED = 8192;

/** A deterministic PRNG (mulberry32): the same seed gives the same variants on every machine. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** HDF5's metadata checksum: Bob Jenkins' lookup3 hashlittle (H5_checksum_lookup3), initval 0. */
export function lookup3(bytes: Uint8Array, start: number, length: number): number {
  let a = (0xdeadbeef + length) >>> 0;
  let b = a;
  let c = a;
  let k = start;
  let left = length;
  const word = (at: number) => (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  while (left > 12) {
    a = (a + word(k)) >>> 0;
    b = (b + word(k + 4)) >>> 0;
    c = (c + word(k + 8)) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 4)) >>> 0; b = (b + a) >>> 0;
    left -= 12;
    k += 12;
  }
  if (left === 0) return c;
  // The tail, as the C switch falls through: bytes 8-11 into c, 4-7 into b, 0-3 into a.
  for (let i = left - 1; i >= 0; i--) {
    const add = bytes[k + i] << ((i % 4) * 8);
    if (i >= 8) c = (c + add) >>> 0;
    else if (i >= 4) b = (b + add) >>> 0;
    else a = (a + add) >>> 0;
  }
  c = (c ^ b) >>> 0; c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 24)) >>> 0;
  return c;
}

/** The structures of an HDF5 file (superblock version 2 or 3 at offset 0), in file order. */
export function mapStructures(file: Buffer): Structure[] {
  if (!file.subarray(0, 8).equals(HDF5_SIGNATURE)) throw new Error("not an HDF5 file with its superblock at 0");
  const found: { signature: string; kind: Structure["kind"]; start: number }[] = [];
  for (let at = 8; at + 4 <= file.length; at++) {
    const signature = file.toString("latin1", at, at + 4);
    const kind = SIGNATURES[signature];
    if (kind) found.push({ signature, kind, start: at });
  }
  const structures: Structure[] = [];
  const superblockEnd = checksumEnd(file, 0, found[0]?.start ?? file.length);
  if (superblockEnd) structures.push({ kind: "superblock", signature: "superblock", start: 0, end: superblockEnd, checksummed: true });
  for (const [i, { signature, kind, start }] of found.entries()) {
    const limit = Math.min(found[i + 1]?.start ?? file.length, start + MAX_CHECKSUMMED);
    const end = checksumEnd(file, start, limit);
    if (end) {
      structures.push({ kind, signature, start, end, checksummed: true });
      continue;
    }
    // A global heap collection says how long it is (its vlen strings are all in it).
    const span = signature === "GCOL" && start + 16 <= file.length ? Number(file.readBigUInt64LE(start + 8)) : UNCHECKED_SPAN;
    structures.push({ kind, signature, start, end: Math.min(limit, start + Math.min(span, MAX_CHECKSUMMED)), checksummed: false });
  }
  return structures;
}

/** The end of the checksummed structure at `start` (ending at or before `limit`), or null. */
function checksumEnd(file: Buffer, start: number, limit: number): number | null {
  for (let end = start + 8; end <= limit; end++) {
    if (lookup3(file, start, end - start - 4) === file.readUInt32LE(end - 4)) return end;
  }
  return null;
}

/** `count` corrupt copies of `file` (mapped as `structures`), flipping bytes in `target`. */
export function fuzzVariants(file: Buffer, structures: Structure[], target: FuzzTarget, count: number, seed: number): Variant[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const pool = structures.filter((s) => s.kind === target);
  if (target !== "anywhere" && pool.length === 0) throw new Error(`the file has no ${target} to corrupt`);
  const variants: Variant[] = [];
  for (let n = 0; n < count; n++) {
    const bytes = Buffer.from(file);
    const flips: string[] = [];
    const touched = new Set<Structure>();
    const flipsWanted = 1 + Math.floor(random() * (target === "anywhere" ? 8 : 4));
    for (let f = 0; f < flipsWanted; f++) {
      let at: number;
      if (target === "anywhere") {
        at = Math.floor(random() * bytes.length);
      } else {
        const structure = pick(pool);
        // Past the signature (a wrong one is only "bad signature") and before the checksum.
        const first = structure.kind === "superblock" ? 8 : structure.start + 4;
        const last = structure.checksummed ? structure.end - 4 : structure.end;
        at = first + Math.floor(random() * Math.max(1, last - first));
      }
      const before = bytes[at];
      const how = random();
      bytes[at] = how < 0.5 ? before ^ (1 << Math.floor(random() * 8)) : how < 0.75 ? Math.floor(random() * 256) : random() < 0.5 ? 0x00 : 0xff;
      flips.push(`${at}:${hex(before)}→${hex(bytes[at])}`);
      for (const s of structures) if (s.checksummed && at >= s.start && at < s.end - 4) touched.add(s);
    }
    // Most variants get their checksums fixed; some keep the stale one (HDF5 must say so).
    const fix = random() < 0.85;
    if (fix) for (const s of touched) bytes.writeUInt32LE(lookup3(bytes, s.start, s.end - s.start - 4), s.end - 4);
    variants.push({ name: `${target}-${n}`, bytes, flips: fix ? flips : [...flips, "checksums stale"] });
  }
  return variants;
}

const hex = (byte: number) => byte.toString(16).padStart(2, "0");
