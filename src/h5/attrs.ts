// Attributes of a file, group or dataset, h5py's `obj.attrs`: keys/has/get/set/delete, each with
// a Promise form and a Sync form.
import { decode, nativeReadOptions, type ReadOptions } from "./decode";
import { encode, inferDtype, inferShape } from "./encode";
import { fromTypeSpec, isBoolSpec, toTypeSpec, type Dtype } from "./dtype";
import { H5Error } from "./errors";
import type { NativeAttributeSpec, NativeHandle } from "../native/addon-types";
import { call, runAsync, runSync, type Operation } from "./operation";
import type { OpResult } from "../native/addon-types";

/** An attribute's full content. `shape` is [] for a scalar and null for an empty (null) one. */
export interface AttributeValue {
  /** The values, flattened in row-major order (a scalar's one value as is). */
  data: unknown;
  /** [] for a scalar, null for an empty (null) attribute. */
  shape: number[] | null;
  /** The element type as stored. */
  dtype: Dtype;
}

/** How an attribute is written: its dtype and shape, when not inferred from the value. */
export interface SetAttributeOptions {
  /** Element type; inferred from the value when omitted (numbers → float64, text → UTF-8). */
  dtype?: Dtype;
  /** Shape; [] for a scalar, null for an empty (null-dataspace) attribute such as h5py's
   * `Empty`. Inferred from the value when omitted. */
  shape?: number[] | null;
}

function* readOp(handle: NativeHandle, name: string, options?: ReadOptions): Operation<AttributeValue> {
  const raw = yield* call("attrRead", handle, name, nativeReadOptions(options));
  const shape = raw.shape ?? [0];
  const { data } = decode(raw, shape);
  return { data, shape: raw.shape, dtype: fromTypeSpec(raw.fileType) };
}

function* getOp(handle: NativeHandle, name: string): Operation<unknown> {
  return attributeValueOf(yield* call("attrRead", handle, name));
}

/** An attribute's value as `attrs.get` gives it, from what attrRead returned (all of it). */
export function attributeValueOf(raw: OpResult<"attrRead">): unknown {
  if (raw.shape === null) return null;
  const { data } = decode(raw, raw.shape);
  if (raw.shape.length > 0 || raw.type.class === "array") return data;
  const first = (data as ArrayLike<unknown>)[0];
  return isBoolSpec(raw.type) ? first !== 0 : first;
}

function* findOp(handle: NativeHandle, name: string): Operation<unknown> {
  if (!(yield* call("attrExists", handle, name))) return undefined;
  return yield* getOp(handle, name);
}

/** What the binding writes for one attribute of the object at `objectPath` (which names errors). */
function attributeSpec(objectPath: string, name: string, value: unknown, options: SetAttributeOptions): NativeAttributeSpec {
  if (options.shape === null) {
    // An empty attribute holds no values: only its type, which must then be given.
    if (!options.dtype) throw new H5Error(`an empty attribute needs a dtype`, `${objectPath}@${name}`);
    const spec = toTypeSpec(options.dtype);
    return { name, fileType: spec, shape: null, data: { type: spec, bytes: new Uint8Array(0) } };
  }
  const d = options.dtype ?? inferDtype(value);
  const spec = toTypeSpec(d);
  const shape = options.shape ?? inferShape(value, d, true);
  const count = shape.reduce((a, b) => a * b, 1);
  return { name, fileType: spec, shape, data: encode(value, spec, count, `${objectPath}@${name}`) };
}

/** What the binding writes for several attributes, as `attrs.update(values, options)` takes them. */
export function attributeSpecs(objectPath: string, values: Record<string, unknown>, options: Record<string, SetAttributeOptions> = {}): NativeAttributeSpec[] {
  return Object.entries(values).map(([name, value]) => attributeSpec(objectPath, name, value, options[name] ?? {}));
}

function* setOp(handle: NativeHandle, name: string, value: unknown, options: SetAttributeOptions): Operation<void> {
  const { fileType, shape, data } = attributeSpec(handle.path, name, value, options);
  yield* call("attrWrite", handle, name, fileType, shape, data);
}

function* updateOp(handle: NativeHandle, values: Record<string, unknown>, options: Record<string, SetAttributeOptions>): Operation<void> {
  yield* call("attrWriteMany", handle, attributeSpecs(handle.path, values, options));
}

/** Attributes to write with their dtypes and shapes: what `attrs.update(values, options)` takes. */
export interface AttributeSet {
  values: Record<string, unknown>;
  options?: Record<string, SetAttributeOptions>;
}

/** The attributes of one object. */
export class Attributes {
  /** @internal an object's `attrs` are made with it */
  constructor(private readonly handle: () => NativeHandle) {}

  /** Attribute names, sorted. */
  async keys(): Promise<string[]> {
    return runAsync(call("attrList", this.handle()));
  }
  /** The Sync form of {@link Attributes.keys}. */
  keysSync(): string[] {
    return runSync(call("attrList", this.handle()));
  }

  /** How many attributes (h5py's len(attrs)), without listing them: HDF5 decodes each one it lists. */
  async count(): Promise<number> {
    return runAsync(call("attrCount", this.handle()));
  }
  /** The Sync form of {@link Attributes.count}. */
  countSync(): number {
    return runSync(call("attrCount", this.handle()));
  }

  /** Whether the attribute `name` exists. */
  async has(name: string): Promise<boolean> {
    return runAsync(call("attrExists", this.handle(), name));
  }
  /** The Sync form of {@link Attributes.has}. */
  hasSync(name: string): boolean {
    return runSync(call("attrExists", this.handle(), name));
  }

  /** The value: a number/bigint/string/boolean/record for scalars, a TypedArray or array otherwise. */
  async get(name: string): Promise<unknown> {
    return runAsync(getOp(this.handle(), name));
  }
  /** The Sync form of {@link Attributes.get}. */
  getSync(name: string): unknown {
    return runSync(getOp(this.handle(), name));
  }

  /** The value as `get` gives it, or undefined when there is no such attribute. */
  async find(name: string): Promise<unknown> {
    return runAsync(findOp(this.handle(), name));
  }
  /** The Sync form of {@link Attributes.find}. */
  findSync(name: string): unknown {
    return runSync(findOp(this.handle(), name));
  }

  /** The value with its shape and dtype. */
  async read(name: string, options?: ReadOptions): Promise<AttributeValue> {
    return runAsync(readOp(this.handle(), name, options));
  }
  /** The Sync form of {@link Attributes.read}. */
  readSync(name: string, options?: ReadOptions): AttributeValue {
    return runSync(readOp(this.handle(), name, options));
  }

  /** Creates or replaces an attribute. */
  async set(name: string, value: unknown, options: SetAttributeOptions = {}): Promise<void> {
    return runAsync(setOp(this.handle(), name, value, options));
  }
  /** The Sync form of {@link Attributes.set}. */
  setSync(name: string, value: unknown, options: SetAttributeOptions = {}): void {
    runSync(setOp(this.handle(), name, value, options));
  }

  /**
   * Creates or replaces several attributes at once (h5py's `attrs.update`), in one trip to the
   * HDF5 thread: much cheaper than one `set` each when an object gets many small attributes.
   * `options` gives the dtype or shape of any of them by name. A value that cannot be encoded
   * fails the update before anything is written.
   */
  async update(values: Record<string, unknown>, options: Record<string, SetAttributeOptions> = {}): Promise<void> {
    return runAsync(updateOp(this.handle(), values, options));
  }
  /** The Sync form of {@link Attributes.update}. */
  updateSync(values: Record<string, unknown>, options: Record<string, SetAttributeOptions> = {}): void {
    runSync(updateOp(this.handle(), values, options));
  }

  /** Removes the attribute `name`. */
  async delete(name: string): Promise<void> {
    return runAsync(call("attrDelete", this.handle(), name));
  }
  /** The Sync form of {@link Attributes.delete}. */
  deleteSync(name: string): void {
    runSync(call("attrDelete", this.handle(), name));
  }

  /** All attributes as a plain object. */
  async toObject(): Promise<Record<string, unknown>> {
    const result: Record<string, unknown> = {};
    for (const key of await this.keys()) result[key] = await this.get(key);
    return result;
  }
  /** The Sync form of {@link Attributes.toObject}. */
  toObjectSync(): Record<string, unknown> {
    return Object.fromEntries(this.keysSync().map((key) => [key, this.getSync(key)]));
  }
}
