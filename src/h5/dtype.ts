// Element types as users write them (h5py-like names and small objects) and their translation
// to and from the binding's TypeSpec. This is the one place that maps dtypes.
import { H5Error } from "./errors";
import { STRING_SLOT_SIZE, type StringPadding, type TypeSpec } from "./type-spec";

export type IntegerName = "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64";
export type FloatName = "float32" | "float64";
export type NumericName = IntegerName | FloatName;

/** A numeric type stored big-endian in the file (values are always returned in native order). */
export type BigEndianName = `>${NumericName}`;

export interface StringDtype {
  kind: "string";
  /** Bytes per string for fixed-length strings; null for variable-length. */
  length: number | null;
  charset: "utf-8" | "ascii";
  padding?: StringPadding;
}
export interface CompoundField {
  name: string;
  dtype: Dtype;
  /** Byte offset inside the record; given when read from a file, computed (packed) when omitted. */
  offset?: number;
}
export interface CompoundDtype {
  kind: "compound";
  fields: CompoundField[];
  /** Bytes per record; given when read from a file. */
  size?: number;
}
export interface OpaqueDtype {
  kind: "opaque";
  size: number;
  tag?: string;
}
export interface ArrayDtype {
  kind: "array";
  base: Dtype;
  shape: number[];
}
export interface EnumDtype {
  kind: "enum";
  base: IntegerName | `>${IntegerName}`;
  members: Record<string, number>;
}
export interface UnsupportedDtype {
  kind: "unsupported";
  name: string;
}

/**
 * An element type. Strings name the common cases: numeric names, `bool` (stored as h5py does:
 * an int8 enum FALSE=0/TRUE=1), `string` (variable-length UTF-8).
 */
export type Dtype =
  | NumericName
  | BigEndianName
  | "bool"
  | "string"
  | StringDtype
  | CompoundDtype
  | OpaqueDtype
  | ArrayDtype
  | EnumDtype
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
  if (bare === "float32") return { class: "float", size: 4, order };
  if (bare === "float64") return { class: "float", size: 8, order };
  return undefined;
}

/** The binding's TypeSpec for a dtype, with a packed layout (what h5dat writes). */
export function toTypeSpec(d: Dtype): TypeSpec {
  if (typeof d === "string") {
    if (d === "bool") return BOOL_SPEC;
    if (d === "string") return toTypeSpec(dtype.string());
    const spec = numericSpec(d);
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
    case "unsupported":
      throw new H5Error(`cannot create a dataset of unsupported type '${d.name}'`);
  }
}

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
      return spec.order === "be" ? `>${name}` : name;
    }
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
    case "unsupported":
      return `unsupported(${d.name})`;
  }
}
