// Element data as the binding takes and returns it ({ type, bytes, strings, ... }): the wire
// form the binding packs into HDF5 memory types. src/h5/codec.ts turns JS values into it and back.
import type { TypeSpec } from "./type-spec";

/** A sequence's elements as the binding takes them (typed by the slot that points to them). */
export interface OutgoingSequence {
  bytes: ArrayBufferView;
  strings?: string[];
  sequences?: OutgoingSequence[];
  /** Reference targets (absolute paths; { path, selection } for regions), null for a null reference. */
  references?: ReferenceValue[];
}

/** Data as the binding takes it: slots of `bytes` hold indices into the side lists. */
export interface OutgoingData extends OutgoingSequence {
  type: TypeSpec;
}

/** A region reference as read: the dataset and the selection in it. */
export interface RegionReference {
  path: string;
  selection: RegionSelection;
}

/**
 * A dataspace selection: everything, nothing, points (one coordinate list each), or hyperslab
 * blocks (start and count per axis, as HDF5's block list gives them).
 */
export type RegionSelection =
  | { kind: "all" }
  | { kind: "none" }
  | { kind: "points"; points: number[][] }
  | { kind: "hyperslab"; blocks: { start: number[]; count: number[] }[] };

/** What a reference reads as: the target's path, { path, selection } for a region, null when null. */
export type ReferenceValue = string | RegionReference | null;

/** A sequence's elements as the binding returns them. */
export interface IncomingSequence {
  bytes: ArrayBuffer;
  strings?: string[];
  sequences?: IncomingSequence[];
  references?: ReferenceValue[];
}

/** Data as the binding returns it. */
export interface IncomingData extends IncomingSequence {
  type: TypeSpec;
}
