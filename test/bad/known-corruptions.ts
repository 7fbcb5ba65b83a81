// Corruptions that crashed, hung or exhausted memory in h5dat 0.1 (HDF5 1.14.5 as released, the
// binding, the reader), each rebuilt on purpose in a fresh h5dat file so that they stay covered
// whatever the seeded fuzzing happens to hit. Checksums are fixed after each change: HDF5 must find the
// bad value itself. The fixes are in cmake/patches/hdf5-1.14.5-corrupt-files.patch (HDF5),
// binding/hdf5/dataset.cc, chunk.cc, payload.cc, src/read/listing.ts, src/cli/show-command.ts and
// src/export/export.ts (h5dat).
import { lookup3, type Structure } from "./fuzz-hdf5";

export interface KnownCorruption {
  name: string;
  /** What it did before the fix. */
  was: string;
  /** Changes `file` (a copy) in place; false when the file has nothing to change. */
  apply(file: Buffer, structures: Structure[]): boolean;
}

/** Writes `bytes` at `at` and fixes the checksum of the structure holding it. */
export function patch(file: Buffer, structures: Structure[], at: number, bytes: Buffer): void {
  bytes.copy(file, at);
  for (const s of structures) {
    if (s.checksummed && at >= s.start && at < s.end - 4) file.writeUInt32LE(lookup3(file, s.start, s.end - s.start - 4), s.end - 4);
  }
}

const first = (structures: Structure[], signature: string) => structures.find((s) => s.signature === signature);
const u16 = (n: number) => Buffer.from([n & 0xff, n >> 8]);
/** Little-endian field bytes, to patch into a file. */
export const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
export const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};

// A v2 B-tree header: signature, version, type (+5), node size (+6), record size (+10), depth
// (+12), split/merge (+14), root address (+16), records in the root (+24), in the tree (+26).
export const KNOWN_CORRUPTIONS: KnownCorruption[] = [
  {
    name: "btree-test-type",
    was: "SIGSEGV in H5B2__test_crt_context (a B-tree of HDF5's test type, opened without a context)",
    apply(file, structures) {
      const header = first(structures, "BTHD");
      if (!header) return false;
      patch(file, structures, header.start + 5, Buffer.from([0]));
      return true;
    },
  },
  {
    name: "btree-root-records",
    was: "SIGSEGV in H5B2__cache_leaf_verify_chksum (a leaf read past its end)",
    apply(file, structures) {
      const header = first(structures, "BTHD");
      if (!header) return false;
      patch(file, structures, header.start + 24, u16(0xffff));
      return true;
    },
  },
  {
    name: "btree-total-records",
    was: "16 GB calloc, then memset, in H5A__dense_build_table (one slot per record the header claims)",
    apply(file, structures) {
      const header = first(structures, "BTHD");
      if (!header) return false;
      patch(file, structures, header.start + 26, u64(1n << 31n));
      return true;
    },
  },
  {
    name: "attr-record-shared",
    was: "SIGSEGV in H5HF_op (an attribute record flagged shared, in a file without shared messages)",
    apply(file, structures) {
      const header = first(structures, "BTHD");
      const leaf = first(structures, "BTLF");
      if (!header || !leaf || file[header.start + 5] !== 8) return false; // 8: attribute name index
      // A record: heap ID, flags, creation order (4), name hash (4).
      const recordSize = file.readUInt16LE(header.start + 10);
      patch(file, structures, leaf.start + 6 + recordSize - 9, Buffer.from([0x02]));
      return true;
    },
  },
  {
    name: "fractal-heap-width",
    was: "SIGSEGV in H5HF__hdr_finish_init_phase2 (a doubling table of width 0)",
    apply(file, structures) {
      const heap = first(structures, "FRHP");
      if (!heap) return false;
      // Past signature, version, ID and filter lengths, flags, max object size and 12 lengths.
      patch(file, structures, heap.start + 110, u16(0));
      return true;
    },
  },
  {
    name: "global-heap-free-size",
    was: "endless loop in H5HG__cache_heap_deserialize (a free-space object of size 0)",
    apply(file, structures) {
      const heap = first(structures, "GCOL");
      if (!heap) return false;
      const end = heap.start + Number(file.readBigUInt64LE(heap.start + 8));
      for (let at = heap.start + 16; at + 16 <= end; ) {
        const index = file.readUInt16LE(at);
        const size = Number(file.readBigUInt64LE(at + 8));
        if (index === 0) {
          patch(file, structures, at + 8, u64(0n));
          return true;
        }
        at += 16 + Math.ceil(size / 8) * 8;
      }
      return false;
    },
  },
  {
    name: "vlen-string-char-size",
    was: "23 GB of conversion buffers in H5T__conv_vlen (a 2 GB 'character' per string)",
    apply(file, structures) {
      // Datatype: variable-length UTF-8 string of 16 bytes, then its base: a 1-byte integer.
      const at = file.indexOf(Buffer.from([0x19, 0x01, 0x01, 0x00, 0x10, 0, 0, 0, 0x10, 0, 0, 0, 0x01, 0, 0, 0]));
      if (at < 0) return false;
      patch(file, structures, at + 12, u32(0x80000001));
      return true;
    },
  },
  {
    name: "manifest-rows",
    was: "16 GB and 50 s before std::bad_alloc (a 4-row manifest claiming 134 million rows of fill)",
    apply: (file, structures) => claimMoreRows(file, structures, 4n),
  },
  {
    name: "table-rows",
    was: "export writing 134 million CSV lines of fill, until the disk was full (a 2-row CSV table claiming them)",
    apply: (file, structures) => claimMoreRows(file, structures, 2n),
  },
  {
    name: "link-empty-name",
    was: "endless `ls -r` and export (a link named \"\" under /mixed: /mixed/ is /mixed again, and again)",
    apply(file, structures) {
      // A link message's name, after its 1-byte length: "data", the group /mixed/data.
      const at = file.indexOf(Buffer.from("\x04data", "latin1"));
      if (at < 0 || !structures.some((s) => s.kind === "object-headers" && at > s.start && at < s.end)) return false;
      patch(file, structures, at + 1, Buffer.from([0]));
      return true;
    },
  },
  {
    name: "chunk-size",
    was: "a 4 GB malloc in the binding's direct chunk read, before HDF5 found the chunk runs past the file",
    apply(file, structures) {
      // Every chunk index node (type 1): past signature, type, level, entries used and two sibling
      // addresses comes the first key, which starts with the chunk's stored size.
      const nodes = structures.filter((s) => s.signature === "TREE" && file[s.start + 4] === 1);
      for (const node of nodes) patch(file, structures, node.start + 24, u32(0xfffffff0));
      return nodes.length > 0;
    },
  },
  {
    name: "table-million-rows",
    was: "`show` of a 2-row CSV table whose dims and maxdims say 1,048,576 rows read every row (2.1 GB, then killed), and export held them all as JS values (3.6 GB)",
    apply(file, structures) {
      // Every dataspace of 2 rows of at most 2 (version 2, 1 dim, max dims present, simple): the
      // table's among them. 1 Mi rows of fill stay under the binding's 64 MiB fill-read limit, so
      // the reader must bound itself.
      const space = Buffer.from([2, 1, 1, 1, ...u64(2n), ...u64(2n)]);
      let found = false;
      for (let at = file.indexOf(space); at >= 0; at = file.indexOf(space, at + 1)) {
        patch(file, structures, at + 4, Buffer.concat([u64(1n << 20n), u64(1n << 20n)]));
        found = true;
      }
      return found;
    },
  },
  {
    name: "json-two-million-rows",
    was: "`show` and export of a JSON's [5, 2] pairs whose dims and maxdims say 2 Mi rows read 4 Mi empty strings of fill (2 GB, then killed)",
    apply(file, structures) {
      // A 2-D dataspace (version 2, max dims present, simple) of [n, 2] rows of at most [n, 2]:
      // the JSON pairs. Its 16-byte string slots (64 MiB) passed the 64 MiB fill limit.
      let found = false;
      for (let at = file.indexOf(Buffer.from([2, 2, 1, 1])); at >= 0; at = file.indexOf(Buffer.from([2, 2, 1, 1]), at + 1)) {
        if (at + 36 > file.length) break;
        const [n, width, maxN, maxWidth] = [0, 8, 16, 24].map((o) => file.readBigUInt64LE(at + 4 + o));
        if (width !== 2n || maxWidth !== 2n || n !== maxN || n === 0n || n > 1000n) continue;
        patch(file, structures, at + 4, Buffer.concat([u64(1n << 21n), u64(2n), u64(1n << 21n), u64(2n)]));
        found = true;
      }
      return found;
    },
  },
  {
    name: "vlen-length-1g",
    was: "a variable-length string's stored length flipped to 1 Gi: HDF5 allocated and cleared a 1 GB conversion buffer before the global heap said the object is smaller (`show` killed over 1024 MB)",
    apply(file, structures) {
      // Every vlen descriptor (length u32, global heap collection address u64, index u32) that
      // points into one of the file's collections gets a length of 1 Gi characters.
      const collections = new Set(structures.filter((s) => s.signature === "GCOL").map((s) => BigInt(s.start)));
      let found = false;
      for (let at = 0; at + 16 <= file.length; at++) {
        const length = file.readUInt32LE(at);
        if (length === 0 || length > 4096 || !collections.has(file.readBigUInt64LE(at + 4))) continue;
        const index = file.readUInt32LE(at + 12);
        if (index === 0 || index > 100_000) continue;
        patch(file, structures, at, u32(1 << 30));
        found = true;
      }
      return found;
    },
  },
];

/**
 * Makes the extensible rank-1 dataset of `rows` rows (the base file's manifest has 4, one per
 * input file; its CSV table 2) claim 2^27 more, in its dataspace message (v2, rank 1, max dims
 * present, simple; max dims unlimited).
 */
function claimMoreRows(file: Buffer, structures: Structure[], rows: bigint): boolean {
  const space = Buffer.from([0x02, 0x01, 0x01, 0x01]);
  for (let at = file.indexOf(space); at >= 0; at = file.indexOf(space, at + 1)) {
    if (file.readBigUInt64LE(at + 12) === 0xffffffffffffffffn && file.readBigUInt64LE(at + 4) === rows) {
      patch(file, structures, at + 4, u64((1n << 27n) + rows));
      return true;
    }
  }
  return false;
}
