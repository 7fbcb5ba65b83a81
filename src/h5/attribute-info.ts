// Attributes read one by one so that one that cannot be read (a type h5dat has no JS form for,
// a corrupt value) does not hide the others: it is given as what is known of it, its type
// class, dtype and shape, with the reason. What `show` lists.
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

export function isUnreadableAttribute(value: unknown): value is UnreadableAttribute {
  return typeof value === "object" && value !== null && (value as { unreadable?: unknown }).unreadable === true;
}

/** Every attribute of `object` by name: its value, or an UnreadableAttribute. */
export async function readAttributes(object: H5Object): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const key of await object.attrs.keys()) {
    let value: unknown;
    try {
      value = await object.attrs.get(key);
    } catch (error) {
      value = await unreadable(object, key, messageOf(error));
    }
    // A plain assignment to "__proto__" would set the prototype instead of a key.
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
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
