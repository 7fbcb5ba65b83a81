// The datatype description the native binding speaks (binding/type_spec.h): one element's
// memory layout, with byte offsets. Layout decisions for data we write (packed compounds,
// 8-byte string slots) are made here and nowhere else.

export type ByteOrder = "le" | "be";

export type TypeSpec =
  | { class: "integer"; size: number; signed: boolean; order: ByteOrder }
  | { class: "float"; size: number; order: ByteOrder }
  | { class: "string"; size: number; length: number | null; charset: "ascii" | "utf-8"; padding: StringPadding }
  | { class: "compound"; size: number; members: CompoundMember[] }
  | { class: "opaque"; size: number; tag: string }
  | { class: "array"; size: number; dims: number[]; base: TypeSpec }
  | { class: "enum"; size: number; base: TypeSpec; members: { name: string; value: number }[] }
  | { class: "unsupported"; size: number; name: string };

export type StringPadding = "nullterm" | "nullpad" | "spacepad";

export interface CompoundMember {
  name: string;
  offset: number;
  type: TypeSpec;
}

/** Bytes of a variable-length string slot in memory: a char* (the binding swaps in indices). */
export const STRING_SLOT_SIZE = 8;

/** Whether any part of an element is a variable-length string. */
export function hasVariableStrings(spec: TypeSpec): boolean {
  switch (spec.class) {
    case "string":
      return spec.length === null;
    case "compound":
      return spec.members.some((m) => hasVariableStrings(m.type));
    case "array":
      return hasVariableStrings(spec.base);
    default:
      return false;
  }
}

/** Number of base elements in one element of an array type. */
export function arrayLength(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
