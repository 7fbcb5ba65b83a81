// h5dat: raw files in, well-formed HDF5 out, and back.
export * from "./h5";
export { hdf5Version } from "./h5/library";
export { H5DAT_VERSION } from "./version";
export { ArchiveReader, type ArchiveEntry } from "./sources/archive-reader";
export { ArchiveError } from "./sources/archive-error";
export { convert } from "./convert/convert";
export type { ConvertOptions } from "./convert/options";
export type { OnError } from "./convert/fallback";
export type { ConvertSummary, EntryCounts, ConvertProgress, ConvertEvents, StackSummary } from "./convert/results";
export type { ManifestRow, EntryStatus } from "./output/manifest";
export type { AudioOptions } from "./processors/audio";
export type { VideoOptions } from "./processors/video";
export { parseResize, type ResizeSpec, type ResizeFit } from "./processors/resize-spec";
export { parseLabelSource, type LabelSource } from "./stacked/labels";
export { parseSplitRule, type SplitShare } from "./stacked/split-rule";
export { loadSchema, parseSchema, SchemaError, type Schema } from "./schema";
export * from "./read";
