// The reading API: open() and what it gives back.
export { open, openSync, type ReaderOpenOptions } from "./open";
export { H5Reader, ReaderGroup, ReaderDataset, type ReaderMember, type DatasetTarget } from "./reader";
export type { SliceArg } from "./slicing";
export type { TreeNode } from "./tree";
export type { ToFileOptions, ToFileResult } from "./images";
export type { EncodeOptions, ImageFormat, ImagePixels } from "./image-encode";
export type { ImageScaling } from "./image-scaling";
export type { Table, TableColumn } from "./records";
export type { VideoFrames, AudioSamples } from "./media";
export type { AxisRange } from "./axis-range";
