// JS values into the binding's byte form ({ type, bytes, strings, ... }) for writes, and the
// dtype and shape a write infers from the values. Numbers travel as TypedArrays without copies
// where possible; everything else is packed element by element following the TypeSpec's offsets.
import { isEncodedStrings, longestOf, type EncodedStrings } from "./encoded-strings";
import { fromTypeSpec, isBoolSpec, type Dtype } from "./dtype";
import { H5Error } from "./errors";
import { halfBits } from "./half";
import { arrayLength, type TypeSpec } from "../native/type-spec";
import type { OutgoingData, OutgoingSequence, ReferenceValue, RegionReference } from "../native/element-data";
import { flatten, isTypedArray, typedArrayClass, typedArraySpec } from "./array-data";

/**
 * How values of a stored type sit in JS memory for a write: native (little-endian) order,
 * float16 as half bits (encode rounds them, see half.ts), times as int32 or float64 seconds (the
 * binding converts them). Compound offsets are kept unless a time changes a field's size.
 */
export function nativeSpec(spec: TypeSpec): TypeSpec {
  switch (spec.class) {
    case "integer":
    case "bitfield":
      return { ...spec, order: "le" };
    case "float":
      return { ...spec, order: "le" };
    case "time":
      return spec.size === 4 ? { class: "integer", size: 4, signed: true, order: "le" } : { class: "float", size: 8, order: "le" };
    case "compound": {
      const types = spec.members.map((m) => nativeSpec(m.type));
      if (types.every((t, i) => t.size === spec.members[i].type.size)) {
        return { ...spec, members: spec.members.map((m, i) => ({ ...m, type: types[i] })) };
      }
      // A time member changed size: pack the members in order.
      let offset = 0;
      const members = spec.members.map((m, i) => {
        const member = { ...m, offset, type: types[i] };
        offset += types[i].size;
        return member;
      });
      return { ...spec, size: offset, members };
    }
    case "array": {
      const base = nativeSpec(spec.base);
      return { ...spec, base, size: base.size * arrayLength(spec.dims) };
    }
    case "enum":
    case "vlen":
      return { ...spec, base: nativeSpec(spec.base) } as TypeSpec;
    default:
      return spec;
  }
}

/** A dtype that holds `values` (a TypedArray, array of values, or one value). */
export function inferDtype(values: unknown): Dtype {
  if (isTypedArray(values)) return fromTypeSpec(typedArraySpec(values));
  const sample = Array.isArray(values) ? flatten(values)?.data[0] : values;
  if (sample === undefined) throw new H5Error("cannot infer a dtype from an empty array: give dtype");
  if (typeof sample === "number") return "float64";
  if (typeof sample === "bigint") return "int64";
  if (typeof sample === "boolean") return "bool";
  if (typeof sample === "string") return "string";
  if (isTypedArray(sample)) {
    // TypedArrays of different lengths are sequences (h5py's vlen_dtype), of one length an array dtype.
    const ragged = Array.isArray(values) && values.some((v) => !isTypedArray(v) || v.length !== sample.length || v.constructor !== sample.constructor);
    return ragged ? { kind: "vlen", base: inferDtype(sample) } : { kind: "array", base: inferDtype(sample), shape: [sample.length] };
  }
  if (sample !== null && typeof sample === "object") {
    return { kind: "compound", fields: Object.entries(sample).map(([name, v]) => ({ name, dtype: inferFieldDtype(v) })) };
  }
  throw new H5Error(`cannot infer a dtype from a value of type ${typeof sample}: give dtype`);
}

/**
 * The shape of `values` as elements of `d`: a TypedArray is 1-D, nested arrays give their axes
 * (less an array dtype's own, innermost ones), a single value is a scalar. With `oneAsScalar`,
 * a TypedArray holding exactly one element (an opaque value, one array-dtype value) is a scalar,
 * as attributes take it.
 */
export function inferShape(values: unknown, d: Dtype, oneAsScalar = false): number[] {
  const packedElement = typeof d === "object" && (d.kind === "array" || (d.kind === "opaque" && values instanceof Uint8Array));
  const per = typeof d !== "object" ? 1 : d.kind === "array" ? arrayLength(d.shape) : d.kind === "opaque" ? d.size : 1;
  // A sequence dtype: each item of the (outer) array is one element, however ragged.
  if (typeof d === "object" && d.kind === "vlen") return isTypedArray(values) ? (oneAsScalar ? [] : [1]) : Array.isArray(values) ? [values.length] : [];
  if (isTypedArray(values)) return oneAsScalar && packedElement && values.length === per ? [] : [values.length / per];
  const flat = flatten(values);
  if (!flat) return [];
  return typeof d === "object" && d.kind === "array" ? flat.shape.slice(0, flat.shape.length - d.shape.length) : flat.shape;
}

/** A record field's dtype: a TypedArray or array value makes an array field. */
function inferFieldDtype(value: unknown): Dtype {
  if (isTypedArray(value)) return { kind: "array", base: inferDtype(value), shape: [value.length] };
  const flat = flatten(value);
  if (flat) return { kind: "array", base: inferDtype(flat.data), shape: flat.shape };
  return inferDtype(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

class Packer {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly strings: string[] = [];
  readonly sequences: OutgoingSequence[] = [];
  readonly references: ReferenceValue[] = [];

  /** The same bytes, for Buffer's in-place UTF-8 write. */
  private readonly buffer: Buffer;

  constructor(size: number, private readonly path: string) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.buffer = Buffer.from(this.bytes.buffer, 0, size);
  }

  /**
   * Packs a compound's `columns` (one array per member, `count` rows) row by row in place: no
   * record object per row. A BigInt64Array or Float64Array column is copied byte by byte (reading
   * a BigInt64Array's element would make a BigInt), the rest written as write() writes.
   */
  writeColumns(spec: Extract<TypeSpec, { class: "compound" }>, columns: Record<string, ArrayLike<unknown>>, count: number): void {
    const stride = spec.size;
    for (const member of spec.members) {
      const column = columns[member.name];
      const type = member.type;
      const { offset } = member;
      if (type.class === "array") {
        const per = arrayLength(type.dims);
        for (let i = 0; i < count; i++) this.write(i * stride + offset, type, Array.prototype.slice.call(column, i * per, (i + 1) * per));
      } else if (type.size === 8 && ((type.class === "integer" && (column instanceof BigInt64Array || column instanceof BigUint64Array)) || (type.class === "float" && column instanceof Float64Array))) {
        const source = new Uint8Array((column as Float64Array).buffer, (column as Float64Array).byteOffset, count * 8);
        const bytes = this.bytes;
        for (let i = 0; i < count; i++) {
          const at = i * stride + offset;
          const from = i * 8;
          for (let k = 0; k < 8; k++) bytes[at + k] = source[from + k];
        }
      } else if (isEncodedStrings(column) && type.class === "string" && type.length !== null) {
        this.writeTexts(stride, offset, type.length, column);
      } else if (column instanceof Uint8Array && type.size === 1 && (type.class === "integer" || isBoolSpec(type))) {
        const bytes = this.bytes;
        for (let i = 0; i < count; i++) bytes[i * stride + offset] = column[i];
      } else {
        for (let i = 0; i < count; i++) this.write(i * stride + offset, type, column[i]);
      }
    }
  }

  /** Packed texts into a fixed-length string field of `length` bytes (NUL-padded: the packer's bytes start zeroed). */
  private writeTexts(stride: number, offset: number, length: number, column: EncodedStrings): void {
    const longest = longestOf(column);
    if (longest > length) this.fail(`string of ${longest} bytes does not fit a fixed length of ${length}`);
    const { bytes: source, ends } = column;
    const bytes = this.bytes;
    let from = 0;
    for (let i = 0; i < ends.length; i++) {
      const to = ends[i];
      const at = i * stride + offset;
      if (to - from > 32) bytes.set(source.subarray(from, to), at);
      else for (let k = from; k < to; k++) bytes[at + k - from] = source[k];
      from = to;
    }
  }

  fail(message: string): never {
    throw new H5Error(message, this.path || null);
  }

  write(at: number, spec: TypeSpec, value: unknown): void {
    const v = this.view;
    switch (spec.class) {
      case "bitfield":
        return this.write(at, { class: "integer", size: spec.size, signed: false, order: "le" }, value);
      case "integer":
        return this.writeInteger(at, spec, value);
      case "float":
        return this.writeFloat(at, spec, value);
      case "enum": {
        if (isBoolSpec(spec)) {
          if (typeof value !== "boolean" && typeof value !== "number") this.fail(`expected a boolean, got ${describe(value)}`);
          v.setInt8(at, value ? 1 : 0);
          return;
        }
        const member = typeof value === "string" ? spec.members.find((m) => m.name === value) : undefined;
        if (typeof value === "string" && !member) this.fail(`'${value}' is not a member of the enum`);
        this.write(at, spec.base, member ? member.value : value);
        return;
      }
      case "string":
        return this.writeString(at, spec, value);
      case "compound": {
        if (value === null || typeof value !== "object") this.fail(`expected a record object, got ${describe(value)}`);
        const record = value as Record<string, unknown>;
        for (const member of spec.members) {
          if (!(member.name in record)) this.fail(`record has no field '${member.name}'`);
          this.write(at + member.offset, member.type, record[member.name]);
        }
        return;
      }
      case "opaque": {
        if (!(value instanceof Uint8Array)) this.fail(`expected a Uint8Array, got ${describe(value)}`);
        if (value.length !== spec.size) this.fail(`opaque value has ${value.length} bytes, the type ${spec.size}`);
        this.bytes.set(value, at);
        return;
      }
      case "array": {
        const items = isTypedArray(value) ? value : flatten(value)?.data;
        const n = arrayLength(spec.dims);
        if (!items || items.length !== n) this.fail(`expected an array of ${n} values`);
        for (let i = 0; i < n; i++) this.write(at + i * spec.base.size, spec.base, items[i]);
        return;
      }
      case "vlen": {
        if (!isTypedArray(value) && !Array.isArray(value)) this.fail(`expected a sequence (an array or TypedArray), got ${describe(value)}`);
        v.setUint32(at, this.sequences.length, true);
        this.sequences.push(encodeSequence(value, spec.base, this.path));
        return;
      }
      case "reference": {
        v.setUint32(at, this.references.length, true);
        this.references.push(this.referenceValue(spec.kind, value));
        return;
      }
      case "time":
      case "unsupported":
        this.fail(`cannot write values of type '${spec.class === "time" ? "time" : spec.name}' here`);
    }
  }

  writeInteger(at: number, spec: Extract<TypeSpec, { class: "integer" }>, value: unknown): void {
    const v = this.view;
    if (spec.size === 8) {
      if (typeof value !== "bigint" && typeof value !== "number") this.fail(`expected an integer, got ${describe(value)}`);
      const big = typeof value === "bigint" ? value : BigInt(Math.trunc(value));
      if (spec.signed) v.setBigInt64(at, big, true);
      else v.setBigUint64(at, big, true);
      return;
    }
    const n = typeof value === "boolean" ? Number(value) : typeof value === "bigint" ? Number(value) : value;
    if (typeof n !== "number") this.fail(`expected a number, got ${describe(value)}`);
    if (spec.size === 1) spec.signed ? v.setInt8(at, n) : v.setUint8(at, n);
    else if (spec.size === 2) spec.signed ? v.setInt16(at, n, true) : v.setUint16(at, n, true);
    else spec.signed ? v.setInt32(at, n, true) : v.setUint32(at, n, true);
  }

  writeFloat(at: number, spec: Extract<TypeSpec, { class: "float" }>, value: unknown): void {
    const n = typeof value === "bigint" ? Number(value) : value;
    if (typeof n !== "number") this.fail(`expected a number, got ${describe(value)}`);
    if (spec.size === 2) this.view.setUint16(at, halfBits(n), true);
    else if (spec.size === 4) this.view.setFloat32(at, n, true);
    else this.view.setFloat64(at, n, true);
  }

  writeString(at: number, spec: Extract<TypeSpec, { class: "string" }>, value: unknown): void {
    if (typeof value !== "string") this.fail(`expected a string, got ${describe(value)}`);
    if (spec.length === null) {
      this.view.setUint32(at, this.strings.length, true);
      this.strings.push(value);
      return;
    }
    // Written in place: UTF-8 takes at most 3 bytes per UTF-16 unit, so only a text that might not
    // fit is measured first (Buffer.write would cut it at a character silently).
    let length = spec.length;
    if (value.length * 3 > spec.length) {
      length = Buffer.byteLength(value);
      if (length > spec.length) this.fail(`string of ${length} bytes does not fit a fixed length of ${spec.length}`);
    }
    const written = this.buffer.write(value, at, length, "utf8");
    if (spec.padding === "spacepad") this.bytes.fill(0x20, at + written, at + spec.length);
  }

  /** A reference to write: null, a path (absolute from the root), or { path, selection } for a region. */
  referenceValue(kind: string, value: unknown): ReferenceValue {
    const absolute = (p: string) => (p.startsWith("/") ? p : `/${p}`);
    if (value === null) return null;
    if (kind === "object") {
      if (typeof value !== "string") this.fail(`expected a path or null for a reference, got ${describe(value)}`);
      return absolute(value);
    }
    const region = value as Partial<RegionReference>;
    if (kind !== "region" || typeof region !== "object" || typeof region.path !== "string" || typeof region.selection?.kind !== "string") {
      this.fail(kind === "region" ? `expected { path, selection } or null for a region reference, got ${describe(value)}` : "h5dat writes object and region references only");
    }
    return { path: absolute(region.path), selection: region.selection };
  }

  /** The side lists that are not empty, for OutgoingData. */
  sideLists(): Omit<OutgoingSequence, "bytes"> {
    return {
      ...(this.strings.length ? { strings: this.strings } : {}),
      ...(this.sequences.length ? { sequences: this.sequences } : {}),
      ...(this.references.length ? { references: this.references } : {}),
    };
  }
}

/** One sequence's elements of (memory) type `base`, exactly in that type (the slot's base types them). */
function encodeSequence(items: ArrayLike<unknown>, base: TypeSpec, path: string): OutgoingSequence {
  const Ctor = typedArrayClass(base);
  const half = base.class === "float" && base.size === 2; // a Uint16Array of numbers, not of half bits
  const exact = isTypedArray(items) && Ctor !== undefined && items instanceof Ctor && base.class !== "enum" && !half;
  const values = exact || !isTypedArray(items) ? items : Array.from(items as ArrayLike<unknown>);
  const { type: _type, ...sequence } = encode(values, base, values.length, path, true);
  return sequence;
}

/**
 * Packs `values` (flat, `count` elements) for a dataset or attribute of type `spec`. TypedArrays
 * of numbers go as they are (HDF5 converts between numeric types, as numpy casting would).
 */
export function encode(values: unknown, spec: TypeSpec, count: number, path = "", elementsGiven = false): OutgoingData {
  const mem = nativeSpec(spec);
  // Sequences (ragged arrays) are elements themselves: never flattened as nested arrays.
  if ((elementsGiven || mem.class === "vlen") && Array.isArray(values) && values.length === count && !typedArrayClass(mem)) {
    const packer = new Packer(count * mem.size, path);
    for (let i = 0; i < count; i++) packer.write(i * mem.size, mem, values[i]);
    return { type: mem, bytes: packer.bytes, ...packer.sideLists() };
  }
  const n = mem.class === "array" ? count * arrayLength(mem.dims) : count;
  const base = mem.class === "array" ? mem.base : mem;
  const numeric = typedArrayClass(base) && !isBoolSpec(base) ? base : undefined;

  // (Enums go the copying way below: HDF5 converts no integer type to an enum.)
  const half = numeric?.class === "float" && numeric.size === 2;
  if (isTypedArray(values) && values.length === n && numeric && numeric.class !== "enum" && !half) {
    const valuesSpec = typedArraySpec(values);
    const type = mem.class === "array" ? { ...mem, base: valuesSpec, size: valuesSpec.size * arrayLength(mem.dims) } : valuesSpec;
    return { type: type as TypeSpec, bytes: values };
  }
  if (typeof values === "string" || !Array.isArray(values) && !isTypedArray(values) && count === 1 && mem.class !== "compound") {
    values = [values];
  }
  if (mem.class === "opaque" && values instanceof Uint8Array && values.length === count * mem.size) {
    return { type: mem, bytes: values };
  }
  if (mem.class === "compound" && values !== null && typeof values === "object" && !Array.isArray(values) && !isTypedArray(values)) {
    // One record object (a scalar) or columns: columns hold arrays where the fields are not arrays.
    const record = values as Record<string, unknown>;
    const columns = mem.members.some((m) => m.type.class !== "array" && (Array.isArray(record[m.name]) || isTypedArray(record[m.name]) || isEncodedStrings(record[m.name])));
    if (count !== 1 || columns) {
      checkColumns(record as Record<string, ArrayLike<unknown>>, mem, count, path);
      const packer = new Packer(count * mem.size, path);
      packer.writeColumns(mem, record as Record<string, ArrayLike<unknown>>, count);
      return { type: mem, bytes: packer.bytes, ...packer.sideLists() };
    }
    values = [values];
  }
  const flat = isTypedArray(values) ? values : flatten(values)?.data;
  if (!flat) throw new H5Error(`cannot write a ${describe(values)} as ${count} elements`, path || null);
  if (numeric && flat.length === n) {
    const Ctor = typedArrayClass(numeric)!;
    const array = new Ctor(n);
    const big = numeric.size === 8 && numeric.class !== "float"; // int64/uint64, or an enum over them
    for (let i = 0; i < n; i++) {
      let item = flat[i];
      if (typeof item === "string" && numeric.class === "enum") {
        const member = numeric.members.find((m) => m.name === item);
        if (!member) throw new H5Error(`'${item}' is not a member of the enum (element ${i})`, path || null);
        item = member.value;
      }
      if (typeof item !== "number" && typeof item !== "bigint" && typeof item !== "boolean") {
        throw new H5Error(`cannot write a ${describe(item)} into a ${fromTypeName(spec)} dataset (element ${i})`, path || null);
      }
      (array as unknown as unknown[])[i] = big ? BigInt(typeof item === "number" ? Math.trunc(item) : item) : half ? halfBits(Number(item)) : Number(item);
    }
    return { type: mem, bytes: array };
  }
  const perElement = mem.class === "array" && flat.length === n ? arrayLength(mem.dims) : 1;
  if (flat.length !== count * perElement) {
    throw new H5Error(`data has ${flat.length / perElement} elements, expected ${count}`, path || null);
  }
  const packer = new Packer(count * mem.size, path);
  if (perElement === 1) {
    for (let i = 0; i < count; i++) packer.write(i * mem.size, mem, flat[i]);
  } else if (mem.class === "array") {
    for (let i = 0; i < n; i++) packer.write(i * mem.base.size, mem.base, flat[i]);
  }
  return { type: mem, bytes: packer.bytes, ...packer.sideLists() };
}

function fromTypeName(spec: TypeSpec): string {
  const d = fromTypeSpec(spec);
  return typeof d === "string" ? d : d.kind;
}

/** Fails unless every member has a column of `count` values (an array member's, `count` times its length). */
function checkColumns(columns: Record<string, ArrayLike<unknown>>, spec: Extract<TypeSpec, { class: "compound" }>, count: number, path: string): void {
  for (const member of spec.members) {
    const column: unknown = columns[member.name];
    const per = member.type.class === "array" ? arrayLength(member.type.dims) : 1;
    const length = isEncodedStrings(column) ? column.ends.length : (column as ArrayLike<unknown> | undefined)?.length;
    if (length !== count * per) {
      throw new H5Error(`column '${member.name}' must hold ${count * per} values`, path || null);
    }
  }
}
