// h5dat: raw files in, well-formed HDF5 out, and back.
export * from "./h5";
export { hdf5Version } from "./h5/library";
export { H5DAT_VERSION } from "./version";
export { ArchiveReader, type ArchiveEntry } from "./sources/archive-reader";
export { ArchiveError } from "./sources/archive-error";
export { convert, type ConvertOptions, type ConvertSummary, type EntryCounts, type ConvertProgress, type ConvertEvents } from "./convert/convert";
export * from "./read";
