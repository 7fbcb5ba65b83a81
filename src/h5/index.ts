// The TypeScript face of the native HDF5 binding, shaped like h5py.
export { File, type FileMode, type FileInfo, type FileOpenOptions, type ExternalAccess } from "./file";
export { Group, type CopyFileOptions, type H5Member, type LinkInfo, type VisitEntry } from "./group";
export { Datatype } from "./datatype";
export { Dataset, type ChunkBytes } from "./dataset";
export { Attributes, type AttributeValue, type SetAttributeOptions } from "./attrs";
export type { CreateDatasetOptions } from "./dataset-creation";
export { dtype, dtypeName, type Dtype } from "./dtype";
export { allocate } from "./allocate";
export type { ArrayResult, DataOf, NumericArrays, TypedArray } from "./array-data";
export { H5Error } from "./errors";
export { slice, Slice, type Selection, type AxisSelection } from "./selection";
export type { DecodeOptions } from "./decode";
export type { Hyperslab, StoredChunk } from "../native/addon-types";
export type { Dimensions, DimensionAxis, AttachedScale } from "./dimension-scales";
