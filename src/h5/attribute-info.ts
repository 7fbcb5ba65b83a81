// Attributes read one by one so that one that cannot be read (a type h5dat has no JS form for,
// a corrupt value) does not hide the others: it is given as what is known of it, its type
// class, dtype and shape, with the reason. What `show` lists: with a limit, an attribute of more
// elements is given by its first ones, its shape and its size (a 600 MB attribute took 2.4 GB
// and ended in "Invalid array length" when read whole for show).
import { attributeValueOf } from "./attrs";
import { decode } from "./decode";
import { fromTypeSpec, dtypeName } from "./dtype";
import type { H5Object } from "./h5-object";
import { messageOf } from "../error-message";
import { call, runAsync } from "./operation";

/** An attribute whose values could not be read. */
export interface UnreadableAttribute {
  unreadable: true;
  /** HDF5's type class ("variable-length sequence", "reference", "compound", ...). */
  typeClass: string;
  dtype: string;
  shape: number[] | null;
  reason: string;
}

/** Whether a listed attribute value is the stand-in for one that cannot be read. */
export function isUnreadableAttribute(value: unknown): value is UnreadableAttribute {
  return typeof value === "object" && value !== null && (value as { unreadable?: unknown }).unreadable === true;
}

/** An attribute of more elements than readAttributes' limit: its first elements, shape and size. */
export interface AttributeHead {
  head: true;
  /** The first elements in C order (as a 1-D read of them gives them). */
  values: unknown;
  shape: number[];
  dtype: string;
  /** Elements in all. */
  count: number;
  /** Their bytes as stored (for variable-length types, the fixed-size part). */
  bytes: number;
}

/** Whether a listed attribute value is the first elements of a large one. */
export function isAttributeHead(value: unknown): value is AttributeHead {
  return typeof value === "object" && value !== null && (value as { head?: unknown }).head === true;
}

/**
 * Every attribute of `object` by name: its value, or an UnreadableAttribute; past `limit`
 * elements, an AttributeHead of the first `limit` (only they are converted for JS).
 */
export async function readAttributes(object: H5Object, limit = Infinity): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const key of await object.attrs.keys()) {
    let value: unknown;
    try {
      value = Number.isFinite(limit) ? await headOf(object, key, limit) : await object.attrs.get(key);
    } catch (error) {
      value = await unreadable(object, key, messageOf(error));
    }
    // A plain assignment to "__proto__" would set the prototype instead of a key.
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

async function headOf(object: H5Object, name: string, limit: number): Promise<unknown> {
  const raw = await runAsync(call("attrRead", object.openHandle, name, undefined, limit));
  if (raw.shape === null || raw.points <= limit) return attributeValueOf(raw);
  const { data } = decode(raw, [limit]);
  return { head: true, values: data, shape: raw.shape, dtype: dtypeName(fromTypeSpec(raw.fileType)), count: raw.points, bytes: raw.points * raw.fileType.size } satisfies AttributeHead;
}

async function unreadable(object: H5Object, name: string, reason: string): Promise<UnreadableAttribute> {
  try {
    const { type, shape } = await runAsync(call("attrDescribe", object.openHandle, name));
    const typeClass = type.class === "unsupported" ? type.name : type.class;
    return { unreadable: true, typeClass, dtype: dtypeName(fromTypeSpec(type)), shape, reason };
  } catch (error) {
    return { unreadable: true, typeClass: "unknown", dtype: "unknown", shape: null, reason: `${reason}; its type: ${messageOf(error)}` };
  }
}
