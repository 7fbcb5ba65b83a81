// Element types as users write them (h5py-like names and small objects) and their translation
// to and from the binding's TypeSpec. This is the one place that maps dtypes.
import { H5Error } from "./errors";
import { REFERENCE_SIZES, SEQUENCE_SLOT_SIZE, STRING_SLOT_SIZE, type ByteOrder, type StringPadding, type TypeSpec } from "../native/type-spec";

/** The integer dtypes, by h5py's names. */
export type IntegerName = "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64";
/** float16 reads as Float32Array (exact), float32/float64 as themselves. */
export type FloatName = "float16" | "float32" | "float64";
/** The integer and float dtypes, by h5py's names. */
export type NumericName = IntegerName | FloatName;
/**
 * Floats of other sizes as found in files (`float128`: 16-byte long doubles or quads, `float96`,
 * `float80`): read only, as Float64Array, rounded to double precision (bits beyond a double's
 * 53-bit mantissa and 11-bit exponent are lost; out-of-range values become ±Infinity).
 */
export type WideFloatName = `float${number}`;
/**
 * HDF5 references: `reference` to objects (h5py's ref_dtype, read as the target's path or null),
 * `region-reference` to selections of datasets (read as { path, selection }), `any-reference`
 * HDF5 1.12's H5T_STD_REF (either, or an attribute: "path@name"). `reference` is written from
 * paths, `region-reference` from { path, selection }; `any-reference` is read only.
 */
export type ReferenceName = "reference" | "region-reference" | "any-reference";

/** A numeric type stored big-endian in the file (values are always returned in native order). */
export type BigEndianName = `>${NumericName}`;

/** A string type: fixed-length or variable-length, UTF-8 or ASCII. */
export interface StringDtype {
  /** Tells the object forms of Dtype apart. */
  kind: "string";
  /** Bytes per string for fixed-length strings; null for variable-length. */
  length: number | null;
  /** The character set HDF5 records (it does not check the bytes against it). */
  charset: "utf-8" | "ascii";
  /** How the string fills its slot: nullpad by default when fixed-length, nullterm when variable-length. */
  padding?: StringPadding;
}
/** One field of a compound (record) type. */
export interface CompoundField {
  /** The field's name. */
  name: string;
  /** The field's element type. */
  dtype: Dtype;
  /** Byte offset inside the record; given when read from a file, computed (packed) when omitted. */
  offset?: number;
}
/** A record type of named fields (h5py's structured dtype). */
export interface CompoundDtype {
  /** Tells the object forms of Dtype apart. */
  kind: "compound";
  /** The fields, in the order they are stored. */
  fields: CompoundField[];
  /** Bytes per record; given when read from a file. */
  size?: number;
}
/** Bytes HDF5 does not interpret, `size` per element, read as Uint8Array. */
export interface OpaqueDtype {
  /** Tells the object forms of Dtype apart. */
  kind: "opaque";
  /** Bytes per element. */
  size: number;
  /** HDF5's tag, a free-text description of the bytes. */
  tag?: string;
}
/** A fixed-shape array of `base` per element. */
export interface ArrayDtype {
  /** Tells the object forms of Dtype apart. */
  kind: "array";
  /** The type of each item of the array. */
  base: Dtype;
  /** The array's shape within one element. */
  shape: number[];
}
/** Named integer values over an integer base type. */
export interface EnumDtype {
  /** Tells the object forms of Dtype apart. */
  kind: "enum";
  /** The integer type the values are stored as. */
  base: IntegerName | `>${IntegerName}`;
  /** Each name's value. */
  members: Record<string, number>;
}
/** Bits packed in 1, 2, 4 or 8 bytes (HDF5's bitfield class), read and written as unsigned integers. */
export interface BitfieldDtype {
  /** Tells the object forms of Dtype apart. */
  kind: "bitfield";
  /** Bytes per element. */
  size: 1 | 2 | 4 | 8;
  /** Byte order as stored; little-endian by default. */
  order?: ByteOrder;
}
/**
 * HDF5's time class as PyTables writes it: 4 bytes hold seconds as an int32 (Time32, read as
 * Int32Array), 8 bytes seconds as a double (Time64, read as Float64Array). h5py cannot read it.
 */
export interface TimeDtype {
  /** Tells the object forms of Dtype apart. */
  kind: "time";
  /** 4 (Time32) or 8 (Time64) bytes per element. */
  size: 4 | 8;
  /** Byte order as stored; little-endian by default. */
  order?: ByteOrder;
}
/** A variable-length sequence of `base` per element (h5py's vlen_dtype): read as TypedArrays or arrays. */
export interface VlenDtype {
  /** Tells the object forms of Dtype apart. */
  kind: "vlen";
  /** The type of each item of a sequence. */
  base: Dtype;
}
/** A type h5dat cannot give a JS form (its values are not read); `name` says which. */
export interface UnsupportedDtype {
  /** Tells the object forms of Dtype apart. */
  kind: "unsupported";
  /** The HDF5 type class it was, for messages. */
  name: string;
}

/**
 * An element type. Strings name the common cases: numeric names, `bool` (stored as h5py does:
 * an int8 enum FALSE=0/TRUE=1), `string` (variable-length UTF-8).
 */
export type Dtype =
  | NumericName
  | BigEndianName
  | WideFloatName
  | `>${WideFloatName}`
  | ReferenceName
  | "bool"
  | "string"
  | StringDtype
  | CompoundDtype
  | OpaqueDtype
  | ArrayDtype
  | EnumDtype
  | BitfieldDtype
  | TimeDtype
  | VlenDtype
  | UnsupportedDtype;

const INTEGER_SIZES: Record<IntegerName, number> = {
  int8: 1, int16: 2, int32: 4, int64: 8, uint8: 1, uint16: 2, uint32: 4, uint64: 8,
};

/** Builders for the object forms. */
export const dtype = {
  /** A string type: variable-length when `length` is omitted or null. */
  string(options: { length?: number | null; charset?: "utf-8" | "ascii"; padding?: StringPadding } = {}): StringDtype {
    return { kind: "string", length: options.length ?? null, charset: options.charset ?? "utf-8", padding: options.padding };
  },
  /** A record type; fields are packed in the order given. */
  compound(fields: Record<string, Dtype> | CompoundField[]): CompoundDtype {
    const list = Array.isArray(fields) ? fields : Object.entries(fields).map(([name, d]) => ({ name, dtype: d }));
    return { kind: "compound", fields: list };
  },
  /** Raw bytes of a fixed size per element. */
  opaque(size: number, tag?: string): OpaqueDtype {
    return { kind: "opaque", size, tag };
  },
  /** A fixed-shape array of `base` per element. */
  array(base: Dtype, shape: number[]): ArrayDtype {
    return { kind: "array", base, shape };
  },
  /** Named integer values. */
  enum(base: IntegerName, members: Record<string, number>): EnumDtype {
    return { kind: "enum", base, members };
  },
  /** Bits in `size` bytes (HDF5 H5T_STD_B8..B64), values as unsigned integers. */
  bitfield(size: 1 | 2 | 4 | 8, order: ByteOrder = "le"): BitfieldDtype {
    return { kind: "bitfield", size, order };
  },
  /** PyTables' Time32 (size 4, int32 seconds) or Time64 (size 8, double seconds). */
  time(size: 4 | 8, order: ByteOrder = "le"): TimeDtype {
    return { kind: "time", size, order };
  },
  /** A variable-length sequence of `base` per element. */
  vlen(base: Dtype): VlenDtype {
    return { kind: "vlen", base };
  },
};

function integerSpec(name: IntegerName, order: "le" | "be"): TypeSpec {
  return { class: "integer", size: INTEGER_SIZES[name], signed: !name.startsWith("u"), order };
}

const BOOL_SPEC: TypeSpec = {
  class: "enum",
  size: 1,
  base: { class: "integer", size: 1, signed: true, order: "le" },
  members: [
    { name: "FALSE", value: 0 },
    { name: "TRUE", value: 1 },
  ],
};

function numericSpec(name: string): TypeSpec | undefined {
  const order = name.startsWith(">") ? "be" : "le";
  const bare = name.replace(/^>/, "");
  if (bare in INTEGER_SIZES) return integerSpec(bare as IntegerName, order);
  if (bare === "float16") return { class: "float", size: 2, order };
  if (bare === "float32") return { class: "float", size: 4, order };
  if (bare === "float64") return { class: "float", size: 8, order };
  return undefined;
}

/** The binding's TypeSpec for a dtype, with a packed layout (what h5dat writes). */
export function toTypeSpec(d: Dtype): TypeSpec {
  if (typeof d === "string") {
    if (d === "bool") return BOOL_SPEC;
    if (d === "string") return toTypeSpec(dtype.string());
    if (d in REFERENCE_KINDS) {
      const kind = REFERENCE_KINDS[d as ReferenceName];
      return { class: "reference", size: REFERENCE_SIZES[kind], kind };
    }
    const spec = numericSpec(d);
    if (!spec && /^>?float\d+$/.test(d)) throw new H5Error(`h5dat writes float16, float32 and float64, not ${d} (it reads ${d} as float64)`);
    if (!spec) throw new H5Error(`unknown dtype '${d}'`);
    return spec;
  }
  switch (d.kind) {
    case "string": {
      if (d.length !== null && !(Number.isInteger(d.length) && d.length > 0)) {
        throw new H5Error(`string length must be a positive integer, not ${d.length}`);
      }
      return {
        class: "string",
        size: d.length ?? STRING_SLOT_SIZE,
        length: d.length,
        charset: d.charset,
        padding: d.padding ?? (d.length === null ? "nullterm" : "nullpad"),
      };
    }
    case "compound": {
      let offset = 0;
      const members = d.fields.map((field) => {
        const type = toTypeSpec(field.dtype);
        const member = { name: field.name, offset: field.offset ?? offset, type };
        offset = Math.max(offset, member.offset + type.size);
        return member;
      });
      if (new Set(members.map((m) => m.name)).size !== members.length) throw new H5Error("compound field names must be unique");
      return { class: "compound", size: d.size ?? offset, members };
    }
    case "opaque":
      if (!(Number.isInteger(d.size) && d.size > 0)) throw new H5Error(`opaque size must be a positive integer`);
      return { class: "opaque", size: d.size, tag: d.tag ?? "" };
    case "array": {
      const base = toTypeSpec(d.base);
      const count = d.shape.reduce((a, b) => a * b, 1);
      return { class: "array", size: base.size * count, dims: [...d.shape], base };
    }
    case "enum": {
      const base = toTypeSpec(d.base);
      return {
        class: "enum",
        size: base.size,
        base,
        members: Object.entries(d.members).map(([name, value]) => ({ name, value })),
      };
    }
    case "bitfield":
      if (![1, 2, 4, 8].includes(d.size)) throw new H5Error(`bitfield size must be 1, 2, 4 or 8 bytes, not ${d.size}`);
      return { class: "bitfield", size: d.size, order: d.order ?? "le" };
    case "time":
      if (d.size !== 4 && d.size !== 8) throw new H5Error(`time size must be 4 or 8 bytes, not ${d.size}`);
      return { class: "time", size: d.size, order: d.order ?? "le" };
    case "vlen":
      return { class: "vlen", size: SEQUENCE_SLOT_SIZE, base: toTypeSpec(d.base) };
    case "unsupported":
      throw new H5Error(`cannot create a dataset of unsupported type '${d.name}'`);
  }
}

const REFERENCE_KINDS: Record<ReferenceName, "object" | "region" | "any"> = {
  reference: "object",
  "region-reference": "region",
  "any-reference": "any",
};

/** Whether an enum spec is h5py's boolean convention. */
export function isBoolSpec(spec: TypeSpec): boolean {
  if (spec.class !== "enum" || spec.base.class !== "integer" || spec.size !== 1) return false;
  const names = new Map(spec.members.map((m) => [m.name, m.value]));
  return spec.members.length === 2 && names.get("FALSE") === 0 && names.get("TRUE") === 1;
}

/** The dtype of a TypeSpec read from a file (offsets and sizes kept, so it round-trips). */
export function fromTypeSpec(spec: TypeSpec): Dtype {
  switch (spec.class) {
    case "integer": {
      const name = `${spec.signed ? "" : "u"}int${spec.size * 8}` as IntegerName;
      return spec.order === "be" && spec.size > 1 ? `>${name}` : name;
    }
    case "float": {
      const name = `float${spec.size * 8}` as FloatName;
      return spec.order === "be" && spec.size > 1 ? `>${name}` : name;
    }
    case "bitfield":
      return { kind: "bitfield", size: spec.size as BitfieldDtype["size"], order: spec.order };
    case "time":
      return { kind: "time", size: spec.size as TimeDtype["size"], order: spec.order };
    case "reference":
      return (Object.keys(REFERENCE_KINDS) as ReferenceName[]).find((name) => REFERENCE_KINDS[name] === spec.kind)!;
    case "vlen":
      return { kind: "vlen", base: fromTypeSpec(spec.base) };
    case "string":
      if (spec.length === null && spec.charset === "utf-8") return "string";
      return { kind: "string", length: spec.length, charset: spec.charset, padding: spec.padding };
    case "compound":
      return {
        kind: "compound",
        size: spec.size,
        fields: spec.members.map((m) => ({ name: m.name, dtype: fromTypeSpec(m.type), offset: m.offset })),
      };
    case "opaque":
      return spec.tag ? { kind: "opaque", size: spec.size, tag: spec.tag } : { kind: "opaque", size: spec.size };
    case "array":
      return { kind: "array", base: fromTypeSpec(spec.base), shape: [...spec.dims] };
    case "enum":
      if (isBoolSpec(spec)) return "bool";
      return {
        kind: "enum",
        base: fromTypeSpec(spec.base) as IntegerName,
        members: Object.fromEntries(spec.members.map((m) => [m.name, m.value])),
      };
    case "unsupported":
      return { kind: "unsupported", name: spec.name };
  }
}

/** A short human-readable name ("float32", "string[12]", "compound{a:int32,b:string}"). */
export function dtypeName(d: Dtype): string {
  if (typeof d === "string") return d;
  switch (d.kind) {
    case "string":
      return `${d.charset === "ascii" ? "ascii" : "string"}${d.length === null ? "" : `[${d.length}]`}`;
    case "compound":
      return `compound{${d.fields.map((f) => `${f.name}:${dtypeName(f.dtype)}`).join(",")}}`;
    case "opaque":
      return `opaque[${d.size}]`;
    case "array":
      return `${dtypeName(d.base)}[${d.shape.join("x")}]`;
    case "enum":
      return `enum<${d.base}>`;
    case "bitfield":
      return `bitfield${d.size * 8}${d.order === "be" ? "be" : ""}`;
    case "time":
      return `time${d.size * 8}${d.order === "be" ? "be" : ""}`;
    case "vlen":
      return `vlen<${dtypeName(d.base)}>`;
    case "unsupported":
      return `unsupported(${d.name})`;
  }
}
