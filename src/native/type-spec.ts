// The datatype description the native binding speaks (binding/types/type_spec.h): one element's
// memory layout, with byte offsets. Layout decisions for data we write (packed compounds,
// 8-byte string slots) are made here and nowhere else.

/** Little-endian or big-endian, as stored. */
export type ByteOrder = "le" | "be";

/** An HDF5 type as the binding describes and makes it (src/h5/dtype.ts maps it to Dtype). */
export type TypeSpec =
  | { class: "integer"; size: number; signed: boolean; order: ByteOrder }
  | { class: "float"; size: number; order: ByteOrder }
  | { class: "string"; size: number; length: number | null; charset: "ascii" | "utf-8"; padding: StringPadding }
  | { class: "compound"; size: number; members: CompoundMember[] }
  | { class: "opaque"; size: number; tag: string }
  | { class: "array"; size: number; dims: number[]; base: TypeSpec }
  | { class: "enum"; size: number; base: TypeSpec; members: { name: string; value: number }[] }
  | { class: "bitfield"; size: number; order: ByteOrder }
  | { class: "time"; size: number; order: ByteOrder }
  | { class: "reference"; size: number; kind: ReferenceKind }
  | { class: "vlen"; size: number; base: TypeSpec }
  | { class: "unsupported"; size: number; name: string };

/** object: H5T_STD_REF_OBJ; region: H5T_STD_REF_DSETREG; any: HDF5 1.12's H5T_STD_REF. */
export type ReferenceKind = "object" | "region" | "any";

/** How a fixed-length string fills its slot (HDF5's H5T_STR_* padding). */
export type StringPadding = "nullterm" | "nullpad" | "spacepad";

/** One member of a compound TypeSpec: name, byte offset and type. */
export interface CompoundMember {
  name: string;
  offset: number;
  type: TypeSpec;
}

/** Bytes of a variable-length string slot in memory: a char* (the binding swaps in indices). */
export const STRING_SLOT_SIZE = 8;
/** Bytes of a variable-length sequence slot in memory: an hvl_t (length, pointer). */
export const SEQUENCE_SLOT_SIZE = 16;
/** Bytes of a reference in memory, by kind (an address; an address and heap id; H5R_ref_t). */
export const REFERENCE_SIZES: Record<ReferenceKind, number> = { object: 8, region: 12, any: 64 };

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
