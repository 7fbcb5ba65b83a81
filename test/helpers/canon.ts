// The canonical JSON form in which the round-trip tests compare values with h5py (the same form
// test/fixtures/make_h5py_fixture.py prints): values flattened in row-major order with array
// dtypes expanded, 64-bit integers as decimal strings, non-finite floats as "NaN"/"Infinity"/
// "-Infinity", bools as booleans, text as strings, opaque elements as { opaque: hex }, records as
// objects whose array fields are flat lists. Both h5dat's inputs and its outputs go through it.
import path from "node:path";
import { dtype, type Dtype } from "../../src";
import { execFileSync } from "node:child_process";
import { PYTHON } from "./h5py";

/** A record of every kind of field: int64, float32, vlen string, fixed string, bool, array.
 * Packed: id 0-8, x 8-12, name 12-20 (a vlen string slot), tag 20-24, ok 24, grid 25-33. */
export const RECORD = dtype.compound({
  id: "int64",
  x: "float32",
  name: "string",
  tag: dtype.string({ length: 4, charset: "ascii" }),
  ok: "bool",
  grid: dtype.array("int16", [2, 2]),
});

export const FIXTURES = path.join(__dirname, "..", "fixtures");

/** Python source that makes make_h5py_fixture importable (canon_values, dump, ...). */
export const IMPORT_FIXTURE = `import sys, json\nsys.path.insert(0, ${JSON.stringify(FIXTURES)})\nimport make_h5py_fixture as fx\n`;

type Canon = unknown;

function isView(v: unknown): v is ArrayLike<unknown> {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** The element type under any array dtypes. */
function leaf(d: Dtype): Dtype {
  return typeof d === "object" && d.kind === "array" ? leaf(d.base) : d;
}

/** Flattens nested JS arrays (and TypedArrays, unless the elements are opaque byte strings). */
export function flattenValues(data: unknown, d: Dtype): unknown[] {
  const l = leaf(d);
  const opaque = typeof l === "object" && l.kind === "opaque";
  const out: unknown[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isView(v) && !opaque) for (let i = 0; i < v.length; i++) out.push(v[i]);
    else out.push(v);
  };
  walk(data);
  return out;
}

export function canonFloat(n: number): Canon {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return n;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** One element of dtype `d` in canonical form. */
export function canonElement(v: unknown, d: Dtype): Canon {
  if (typeof d === "string") {
    const bare = d.replace(/^>/, "");
    if (bare === "bool") return typeof v === "number" ? v !== 0 : v;
    if (bare === "string") return v;
    if (bare === "int64" || bare === "uint64") return typeof v === "bigint" ? v.toString() : BigInt(v as number).toString();
    if (bare === "float32") return canonFloat(Math.fround(Number(v)));
    if (bare === "float64") return canonFloat(Number(v));
    return typeof v === "bigint" ? Number(v) : v;
  }
  switch (d.kind) {
    case "string":
      return v;
    case "opaque":
      return { opaque: hex(v as Uint8Array) };
    case "enum": {
      const named = typeof v === "string" ? d.members[v] : v;
      return canonElement(named, d.base);
    }
    case "array":
      return flattenValues(v, d).map((x) => canonElement(x, leaf(d)));
    case "compound": {
      const record = v as Record<string, unknown>;
      const out: Record<string, Canon> = {};
      for (const field of d.fields) out[field.name] = canonElement(record[field.name], field.dtype);
      return out;
    }
    default:
      throw new Error(`no canonical form for ${JSON.stringify(d)}`);
  }
}

/** All values of a dataset/attribute of dtype `d` (array dtypes expanded, as h5py shows them). */
export function canon(data: unknown, d: Dtype): Canon[] {
  const l = leaf(d);
  return flattenValues(data, d).map((v) => canonElement(v, l));
}

/** Compound data given (or read) as columns, turned into records. Array fields are flat per row. */
export function columnsToRecords(columns: Record<string, ArrayLike<unknown>>, d: Dtype, count: number): Record<string, unknown>[] {
  if (typeof d !== "object" || d.kind !== "compound") throw new Error("not a compound dtype");
  return Array.from({ length: count }, (_, i) => {
    const record: Record<string, unknown> = {};
    for (const field of d.fields) {
      const column = columns[field.name];
      const fd = field.dtype;
      if (typeof fd === "object" && fd.kind === "array") {
        const n = fd.shape.reduce((a, b) => a * b, 1);
        record[field.name] = Array.prototype.slice.call(column, i * n, (i + 1) * n);
      } else {
        record[field.name] = column[i];
      }
    }
    return record;
  });
}

/** The numpy dtype.str h5py shows for a numeric h5dat dtype name ("int16" → "<i2", ">float64" → ">f8"). */
export function numpyStr(name: string): string {
  const be = name.startsWith(">");
  const bare = name.replace(/^>/, "");
  const m = /^(u?)(int|float)(\d+)$/.exec(bare);
  if (!m) throw new Error(`not numeric: ${name}`);
  const size = Number(m[3]) / 8;
  const kind = m[2] === "float" ? "f" : m[1] ? "u" : "i";
  return `${size === 1 ? "|" : be ? ">" : "<"}${kind}${size}`;
}

/** Like python() from ./h5py, but Python's stderr (its traceback) is kept in the error. */
export function pythonJson<T>(script: string, ...args: string[]): T {
  let out: string;
  try {
    out = execFileSync(PYTHON, ["-c", script, ...args], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { stderr?: string; status?: number; signal?: string; message: string };
    throw new Error(`python failed (status ${e.status}, signal ${e.signal}): ${e.stderr || e.message}`);
  }
  return JSON.parse(out) as T;
}

/**
 * Runs test/fixtures/make_h5py_fixture.py: h5py writes `file` (every dtype, groups, links) and
 * reports what it reads back, the `selections` (h5py index expressions, by dataset) included.
 */
export function makeH5pyFixture<T>(file: string, selections: readonly { dataset: string; py: string }[]): T {
  const byDataset: Record<string, string[]> = {};
  for (const s of selections) (byDataset[s.dataset] ??= []).push(s.py);
  return pythonJson<T>(
    `import runpy, sys\nsys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name="__main__")`,
    path.join(FIXTURES, "make_h5py_fixture.py"),
    file,
    JSON.stringify(byDataset),
  );
}

/** How h5py describes a dataset (test/fixtures/make_h5py_fixture.py's `dataset` facts). */
export interface H5pyDatasetFacts<D> {
  error?: string;
  dtype: D;
  shape: number[] | null;
  maxshape: (number | null)[] | null;
  chunks: number[] | null;
  compression: string | null;
  compression_opts: number | null;
  shuffle: boolean;
  fletcher32: boolean;
  layout: string;
  value_shape: number[] | null;
  values: Canon[] | null;
}
