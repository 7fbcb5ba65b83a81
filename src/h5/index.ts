// The TypeScript face of the native HDF5 binding, shaped like h5py.
export { File, type FileMode, type FileInfo, type FileOpenOptions, type ExternalAccess } from "./file";
export { H5Object } from "./h5-object";
export { Group, type CopyFileOptions, type H5Member, type LinkInfo, type VisitEntry } from "./group";
export { Datatype } from "./datatype";
export { Dataset, type ChunkBytes } from "./dataset";
export { Attributes, type AttributeValue, type SetAttributeOptions } from "./attrs";
export type { CreateDatasetOptions } from "./dataset-creation";
export { parseCompression, compressionText, type Codec, type CompressionSpec, type CompressionSetting, type CompressionOption, type BloscCompressor, type BloscShuffle } from "./compression";
export type { CreateVirtualDatasetOptions } from "./virtual-dataset";
export {
  dtype, dtypeName, type Dtype, type IntegerName, type FloatName, type NumericName, type BigEndianName, type WideFloatName,
  type ReferenceName, type StringDtype, type CompoundField, type CompoundDtype, type OpaqueDtype, type ArrayDtype,
  type EnumDtype, type BitfieldDtype, type TimeDtype, type VlenDtype, type UnsupportedDtype,
} from "./dtype";
export type { ByteOrder, StringPadding } from "../native/type-spec";
export { allocate, type ArrayName } from "./allocate";
export type { ArrayResult, DataOf, NumericArrays, ReadArrays, TypedArray } from "./array-data";
export { H5Error } from "./errors";
export { slice, Slice, type Selection, type AxisSelection } from "./selection";
export type { DecodeOptions, ReadOptions } from "./decode";
export type { FilterInfo, Hyperslab, StoredChunk, VirtualSource } from "../native/addon-types";
export type { Dimensions, DimensionAxis, AttachedScale } from "./dimension-scales";
