// Reading what conversion stored: typed helpers over the one File/Group/Dataset of src/h5
// (`readImage(await f.dataset(path))`), and the tree below a group. Each has a `...Sync` twin.
export { readImage, readImageSync, toPNG, toPNGSync, toFile, toFileSync, type ToFileOptions, type ToFileResult } from "./images";
export { readJSON, readJSONSync, readJSONText, readJSONTextSync, readTable, readTableSync, type ReadJSONOptions, type Table, type TableColumn } from "./records";
export { readRecordBlocks, readRecords, type RecordBlockOptions } from "./record-rows";
export { readVideoFrames, readVideoFramesSync, readAudio, readAudioSync, readBytes, readBytesSync, type VideoFrames, type AudioSamples } from "./media";
export { readTree, readTreeSync, flattenTree, type TreeNode } from "./tree";
export type { EncodeOptions, ImageFormat, ImagePixels } from "./image-encode";
export type { ColourModel } from "../processors/image";
export type { ImageScaling } from "./image-scaling";
export type { AxisRange } from "./axis-range";
// The stacked layout's reader is Promise-only: its point is reading many chunks at once.
export { openStack, isStacked, StackedGroup, type StackedBatch, type StackedImage, type ClassCounts, type ImageStorage } from "./stacked";
