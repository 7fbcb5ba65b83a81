// The binding's byte form ({ type, bytes, strings, ... }) of read data into JS values: numbers
// as TypedArrays over the binding's memory (no copy), everything else unpacked element by
// element following the TypeSpec's offsets.
import { isBoolSpec } from "./dtype";
import { H5Error } from "./errors";
import { arrayLength, type TypeSpec } from "../native/type-spec";
import type { IncomingData } from "../native/element-data";
import { typedArrayClass, type ArrayResult } from "./array-data";

/** How read values are shaped in JS. */
export interface DecodeOptions {
  /** Compound data as one array per field instead of one object per record. */
  columns?: boolean;
}

/** How the binding converts what it reads. */
export interface ReadOptions {
  /**
   * float16 values: "float32" (default) converts them exactly to a Float32Array; "raw" gives
   * their IEEE half-precision bits as a Uint16Array.
   */
  float16?: "float32" | "raw";
}

/** The binding's form of ReadOptions. */
export function nativeReadOptions(options: ReadOptions = {}): { rawFloat16: boolean } {
  if (options.float16 !== undefined && options.float16 !== "float32" && options.float16 !== "raw") {
    throw new H5Error(`float16 must be "float32" or "raw", not ${JSON.stringify(options.float16)}`);
  }
  return { rawFloat16: options.float16 === "raw" };
}

const utf8Decoder = new TextDecoder("utf-8");

class Unpacker {
  readonly view: DataView;
  readonly bytes: Uint8Array;
  constructor(private readonly data: IncomingData) {
    this.bytes = new Uint8Array(data.bytes);
    this.view = new DataView(data.bytes);
    this.strings = data.strings ?? [];
  }
  readonly strings: string[];

  read(at: number, spec: TypeSpec): unknown {
    const v = this.view;
    switch (spec.class) {
      case "bitfield":
        return this.read(at, { class: "integer", size: spec.size, signed: false, order: "le" });
      case "time":
        return spec.size === 4 ? v.getInt32(at, true) : v.getFloat64(at, true);
      case "reference":
        return this.data.references?.[v.getUint32(at, true)] ?? null;
      case "vlen": {
        const sequence = this.data.sequences?.[v.getUint32(at, true)];
        if (!sequence) return decode({ type: spec.base, bytes: new ArrayBuffer(0) }, [0]).data;
        const length = spec.base.size ? sequence.bytes.byteLength / spec.base.size : 0;
        return decode({ ...sequence, type: spec.base }, [length]).data;
      }
      case "integer":
        if (spec.size === 1) return spec.signed ? v.getInt8(at) : v.getUint8(at);
        if (spec.size === 2) return spec.signed ? v.getInt16(at, true) : v.getUint16(at, true);
        if (spec.size === 4) return spec.signed ? v.getInt32(at, true) : v.getUint32(at, true);
        return spec.signed ? v.getBigInt64(at, true) : v.getBigUint64(at, true);
      case "float":
        return spec.size === 2 ? v.getUint16(at, true) : spec.size === 4 ? v.getFloat32(at, true) : v.getFloat64(at, true);
      case "enum":
        return isBoolSpec(spec) ? v.getInt8(at) !== 0 : this.read(at, spec.base);
      case "string":
        if (spec.length === null) return this.strings[v.getUint32(at, true)] ?? "";
        return decodeFixedString(this.bytes.subarray(at, at + spec.length), spec.padding);
      case "compound": {
        const record: Record<string, unknown> = {};
        for (const member of spec.members) record[member.name] = this.read(at + member.offset, member.type);
        return record;
      }
      case "opaque":
        return this.bytes.slice(at, at + spec.size);
      case "array": {
        const n = arrayLength(spec.dims);
        const Ctor = typedArrayClass(spec.base);
        if (Ctor && !isBoolSpec(spec.base)) {
          return new Ctor(this.bytes.buffer.slice(at, at + n * spec.base.size) as ArrayBuffer);
        }
        return Array.from({ length: n }, (_, i) => this.read(at + i * spec.base.size, spec.base));
      }
      case "unsupported":
        throw new H5Error(`cannot read values of unsupported type '${spec.name}'`);
    }
  }
}

function decodeFixedString(bytes: Uint8Array, padding: string): string {
  let end = bytes.length;
  if (padding === "nullterm") {
    const nul = bytes.indexOf(0);
    if (nul >= 0) end = nul;
  } else {
    const pad = padding === "spacepad" ? 0x20 : 0;
    while (end > 0 && (bytes[end - 1] === pad || bytes[end - 1] === 0)) end--;
  }
  return utf8Decoder.decode(bytes.subarray(0, end));
}

/**
 * Unpacks `count` elements. Numbers come back as a TypedArray over the binding's memory (no
 * copy), bools as a Uint8Array of 0/1, strings as string[], records as objects (or columns),
 * opaque values as Uint8Arrays. Array types add their dims to `shape`.
 */
export function decode(data: IncomingData, shape: number[], options: DecodeOptions = {}): ArrayResult {
  const spec = data.type;
  const count = shape.reduce((a, b) => a * b, 1);
  if (spec.class === "array") {
    const n = arrayLength(spec.dims);
    const inner = decode({ ...data, type: spec.base }, [count * n], options);
    return { data: inner.data, shape: [...shape, ...spec.dims] };
  }
  if (isBoolSpec(spec)) return { data: new Uint8Array(data.bytes, 0, count), shape };
  const Ctor = typedArrayClass(spec);
  if (Ctor) return { data: new Ctor(data.bytes, 0, count), shape };
  if (spec.class === "string" && spec.length === null && data.strings?.length === count) {
    return { data: data.strings, shape };
  }
  const unpacker = new Unpacker(data);
  if (spec.class === "compound" && options.columns) {
    const columns: Record<string, unknown> = {};
    for (const member of spec.members) {
      const memberData = columnOf(unpacker, spec.size, member.offset, member.type, count);
      columns[member.name] = memberData;
    }
    return { data: columns, shape };
  }
  const values = new Array(count);
  for (let i = 0; i < count; i++) values[i] = unpacker.read(i * spec.size, spec);
  return { data: values, shape };
}

function columnOf(unpacker: Unpacker, stride: number, offset: number, spec: TypeSpec, count: number): unknown {
  const Ctor = typedArrayClass(spec);
  if (Ctor && !isBoolSpec(spec)) {
    const column = new Ctor(count) as unknown as unknown[];
    for (let i = 0; i < count; i++) column[i] = unpacker.read(i * stride + offset, spec);
    return column;
  }
  if (spec.class === "array") {
    const n = arrayLength(spec.dims);
    const BaseCtor = typedArrayClass(spec.base);
    if (BaseCtor && !isBoolSpec(spec.base)) {
      const column = new BaseCtor(count * n) as unknown as unknown[];
      for (let i = 0; i < count; i++) {
        for (let j = 0; j < n; j++) column[i * n + j] = unpacker.read(i * stride + offset + j * spec.base.size, spec.base);
      }
      return column;
    }
  }
  return Array.from({ length: count }, (_, i) => unpacker.read(i * stride + offset, spec));
}

