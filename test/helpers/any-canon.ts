// The canonical JSON form in which tests compare any HDF5 value h5dat reads with what h5py reads
// (test/read/h5py_dump_any.py prints h5py's side): ints as numbers (64-bit as decimal strings),
// floats as numbers or "NaN"/"Infinity"/"-Infinity", bools as booleans, text as strings, opaque
// bytes as { opaque: hex }, records as objects, array fields and sequences as lists, references
// as target paths (null when null) or { path, selection }.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Dtype } from "../../src";
import { PYTHON } from "./h5py";

export type H5pyValue = { shape: number[] | null; values: unknown[] | null } | { error: string };

/** What h5py sees in one file: objects in listing order, dataset and attribute ("path@name") values. */
export interface H5pyView {
  objects: [string, string][];
  datasets: Record<string, H5pyValue>;
  attrs: Record<string, H5pyValue>;
}

/** h5py's view of each file. */
export function h5pyDump(files: string[]): Record<string, H5pyView> {
  const script = path.join(__dirname, "..", "read", "h5py_dump_any.py");
  return JSON.parse(execFileSync(PYTHON, [script, ...files], { encoding: "utf8", maxBuffer: 1 << 30 })) as Record<string, H5pyView>;
}

export function canonFloat(n: number): unknown {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return n;
}

function items(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.flatMap((x) => (Array.isArray(x) ? items(x) : [x]));
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>);
  throw new Error(`expected an array, got ${typeof v}`);
}

/** One element of h5dat dtype `d` in the canonical form of h5py_dump_any.py. */
export function canonElement(v: unknown, d: Dtype): unknown {
  if (typeof d === "string") {
    const bare = d.replace(/^>/, "");
    if (bare === "bool") return typeof v === "boolean" ? v : v !== 0;
    if (bare === "string" || bare.endsWith("reference")) return v;
    if (bare === "int64" || bare === "uint64") return BigInt(v as bigint).toString();
    if (bare.startsWith("float")) return canonFloat(Number(v));
    return Number(v);
  }
  switch (d.kind) {
    case "string":
      return v;
    case "opaque":
      return { opaque: Buffer.from(v as Uint8Array).toString("hex") };
    case "enum":
      return canonElement(v, d.base);
    case "bitfield":
      return d.size === 8 ? BigInt(v as bigint).toString() : Number(v);
    case "time":
      return canonFloat(Number(v));
    case "array":
      return items(v).map((x) => canonElement(x, leaf(d)));
    case "vlen":
      return (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<unknown>) : (v as unknown[])).map((x) => canonElement(x, d.base));
    case "compound": {
      const record = v as Record<string, unknown>;
      return Object.fromEntries(d.fields.map((field) => [field.name, canonElement(record[field.name], field.dtype)]));
    }
    default:
      throw new Error(`no canonical form for ${JSON.stringify(d)}`);
  }
}

const leaf = (d: Dtype): Dtype => (typeof d === "object" && d.kind === "array" ? leaf(d.base) : d);

/** All values as read (flat, array dtypes expanded) in canonical form. */
export function canon(data: unknown, d: Dtype): unknown[] {
  const element = leaf(d);
  const flat = Array.isArray(data) || ArrayBuffer.isView(data) ? Array.from(data as ArrayLike<unknown>) : [data];
  return flat.map((v) => canonElement(v, element));
}

