// Bad data of the type classes whose values point elsewhere in the file (issue 16): variable-
// length sequences (a global heap id per element) and references (an object address; a heap id
// for regions). Each corruption goes to every reading command (the rule of reader-runs.ts) and
// to the API, whose read must fail with an H5Error naming the dataset, or read: never a crash,
// a hang or a huge allocation.
import fs from "node:fs";
import path from "node:path";
import { Dataset, File, H5Error } from "../../src";
import { python } from "../helpers/h5py";
import type { BadCase } from "./case";
import { readEverything, RunTally } from "./reader-runs";
import { u32, u64 } from "./known-corruptions";

const DATASETS = ["/vl", "/refs", "/regions", "/rec"];

interface Base {
  bytes: Buffer;
  /** File offset of each dataset's contiguous data. */
  offsets: Record<string, number>;
}

let base: Base | undefined;

/** An h5py file of vlen sequences, object and region references and a record holding both. */
function made(dir: string): Base {
  if (base) return base;
  const file = path.join(dir, "types-base.h5");
  const offsets = python<Record<string, number>>(`import h5py, json, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    vl = f.create_dataset("vl", shape=(3,), dtype=h5py.vlen_dtype("i4"))
    for i in range(3):
        vl[i] = np.arange(i + 2, dtype="i4")
    g = f.create_group("g")
    f.create_dataset("refs", data=[vl.ref, g.ref, vl.ref], dtype=h5py.ref_dtype)
    f.create_dataset("regions", data=[vl.regionref[0:2], vl.regionref[1:]], dtype=h5py.regionref_dtype)
    rec = np.dtype([("r", h5py.ref_dtype), ("v", h5py.vlen_dtype("f8"))])
    r = np.empty(2, rec); r[0] = (g.ref, np.array([1.5])); r[1] = (vl.ref, np.array([2.5, 3.5]))
    f.create_dataset("rec", data=r)
    print(json.dumps({"/" + k: int(f[k].id.get_offset()) for k in ["vl", "refs", "regions", "rec"]}))`, file);
  base = { bytes: fs.readFileSync(file), offsets };
  return base;
}

interface Corruption {
  name: string;
  /** What is wrong, in a few words. */
  what: string;
  dataset: string;
  /** Byte offset inside the dataset's data, and the bytes written there. */
  at: number;
  bytes: Buffer;
  /** What an API read of the dataset does (HDF5 takes heap address 0 as an empty sequence). */
  api?: "H5Error" | "reads";
}


// A vlen element on disk: length (4 bytes), global heap collection address (8), object index (4).
// An object reference: the object header's address (8). A region reference: a heap id (8 + 4).
const CORRUPTIONS: Corruption[] = [
  { name: "vlen-heap-nowhere", what: "a sequence's heap address past the end of the file", dataset: "/vl", at: 4, bytes: u64(0xffffff00n) },
  { name: "vlen-heap-index", what: "a sequence's heap object index that does not exist", dataset: "/vl", at: 12, bytes: u32(9999) },
  { name: "vlen-huge-length", what: "a sequence claiming 2^31 - 1 elements", dataset: "/vl", at: 16, bytes: u32(0x7fffffff) },
  { name: "vlen-heap-superblock", what: "a sequence's heap address pointing at the superblock", dataset: "/vl", at: 4, bytes: u64(0n), api: "reads" },
  { name: "ref-bad-address", what: "an object reference past the end of the file", dataset: "/refs", at: 0, bytes: u64(0xdeadbeefn) },
  { name: "ref-not-an-object", what: "an object reference to bytes that are no object header", dataset: "/refs", at: 8, bytes: u64(48n) },
  { name: "region-heap-nowhere", what: "a region reference whose heap address is past the end", dataset: "/regions", at: 0, bytes: u64(0xffffff00n) },
  { name: "region-heap-index", what: "a region reference whose heap index does not exist", dataset: "/regions", at: 8, bytes: u32(4242) },
  { name: "record-ref-and-vlen", what: "a record's reference and sequence both bad", dataset: "/rec", at: 0, bytes: Buffer.concat([u64(0xabcdefn), u32(1 << 30)]) },
];

/** Reads `dataset` with the API: it must read, or fail with an H5Error naming it. */
async function apiRead(file: string, dataset: string): Promise<string> {
  const h5 = await File.open(file, "r");
  try {
    const ds = (await h5.get(dataset)) as Dataset;
    try {
      await ds.read();
      return "reads";
    } catch (error) {
      if (!(error instanceof H5Error)) throw new Error(`${dataset}: not an H5Error: ${(error as Error).stack}`);
      if (error.path !== dataset && !error.message.includes(dataset)) throw new Error(`the error does not name ${dataset}: ${error.message}`);
      return "H5Error";
    } finally {
      await ds.close();
    }
  } finally {
    await h5.close();
  }
}

function corruptionCase(corruption: Corruption): BadCase {
  return {
    name: `types-${corruption.name}`,
    expected: `${corruption.what}: all commands exit 0/1 with 1-line errors; the API read fails with an H5Error naming the dataset, or reads`,
    async run(dir) {
      const { bytes, offsets } = made(dir);
      const copy = Buffer.from(bytes);
      corruption.bytes.copy(copy, offsets[corruption.dataset] + corruption.at);
      const file = path.join(dir, `${corruption.name}.h5`);
      fs.writeFileSync(file, copy);
      const tally = new RunTally();
      await readEverything(file, DATASETS, corruption.name, tally);
      tally.check();
      const api = await apiRead(file, corruption.dataset);
      if (api !== (corruption.api ?? "H5Error")) throw new Error(`the API read of ${corruption.dataset}: ${api}, expected ${corruption.api ?? "H5Error"}`);
      return `${tally.summary()}; API: ${api}`;
    },
  };
}

export const typeCases: BadCase[] = CORRUPTIONS.map(corruptionCase);
