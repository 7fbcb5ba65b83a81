// The shape of the native addon (binding/*/*.cc). Each operation exists as `name` (Promise, runs
// on the libuv pool) and `nameSync`; both hold the process-wide HDF5 lock while HDF5 runs.
import type { IncomingData, OutgoingData } from "./element-data";
import type { ArchiveError, H5Error } from "./errors";
import type { TypeSpec } from "./type-spec";

/** An open HDF5 object inside the addon. Closed explicitly or when garbage-collected. */
export interface NativeHandle {
  /** What the handle holds. */
  readonly kind: "file" | "group" | "dataset" | "datatype";
  /** The object's absolute path in its file ("/" for a file). */
  readonly path: string;
  /** False once closed, by close() or with its file. */
  readonly isOpen: boolean;
}

/** An open archive inside the addon (binding/archive/archive_reader.cc). */
export interface NativeArchive {
  /** The archive file's path, as opened. */
  readonly path: string;
  /** Archive bytes consumed after the last archiveRead (unset before the first). */
  readonly position?: number;
}

/** One archive member's header as libarchive reads it (binding/archive/archive_reader.cc). */
export interface NativeArchiveHeader {
  /** The name as stored (bytes that are not UTF-8 show as U+FFFD; see `rawPath`). */
  path: string;
  /** What the entry is; "other" for kinds libarchive names no further. */
  type: "file" | "directory" | "symlink" | "hardlink" | "fifo" | "socket" | "character device" | "block device" | "other";
  /** Bytes of data the header declares; negative when it does not say. */
  size: number;
  /** Set when `size` is the data's by construction (a tar's regular file; a zip's header may lie). */
  exactSize?: true;
  /** Seconds since 1970; negative when the header has none. */
  mtime: number;
  /** libarchive's names for the container and compression ("raw" + "gzip" for a lone .gz). */
  format: string;
  /** libarchive's name for the compression ("none" when there is none). */
  filter: string;
  /** Bytes of the archive file read so far (compressed), up to this entry's header. */
  position: number;
  /** A symlink's or hardlink's target. */
  link?: string;
  /** The name's bytes as stored, when they are not UTF-8 (`path` then has U+FFFD in their place). */
  rawPath?: Buffer;
  /** Set when the entry's data is encrypted (it cannot be read without a passphrase). */
  encrypted?: true;
  /** libarchive's warning about this header ("Pathname cannot be converted from UTF-8 ..."). */
  warning?: string;
  /** A small tar file's whole data, read with its header (archiveNext's `inlineMax`). */
  data?: Buffer;
  /** What reading that data failed with (the error archiveRead would have thrown). */
  dataError?: Error;
  /** Entries of other shards the reader passed over before this one (archiveOpen's `shard`). */
  passedOver?: number;
}

/** archiveNext's stop in a run of other shards' entries, so that progress moves: no entry yet. */
export interface NativeArchivePassing {
  passing: true;
  /** Entries passed over in this call. */
  passedOver: number;
  /** Bytes of the archive file read so far. */
  position: number;
}

/** archiveOpen's shard filter: entries whose shardOf(group, source path, count) is not `index` are passed over natively. */
export interface NativeShardFilter {
  group: string;
  index: number;
  count: number;
}

/** One attribute for attrWriteMany. */
export interface NativeAttributeSpec {
  /** The attribute's name. */
  name: string;
  /** The type stored in the file. */
  fileType: TypeSpec;
  /** [] for a scalar, null for an empty (null) dataspace. */
  shape: number[] | null;
  /** The values, encoded (src/h5/encode.ts). */
  data: OutgoingData;
}

/** A block selection of a dataspace, as H5Sselect_hyperslab takes it: one number per axis. */
export interface Hyperslab {
  /** The first element selected on each axis. */
  start: number[];
  /** How many blocks on each axis. */
  count: number[];
  /** Elements from one block's start to the next's; 1 on each axis by default. */
  stride?: number[];
  /** Elements in one block on each axis; 1 by default. */
  block?: number[];
}

/** One filter of a dataset's pipeline, in the order HDF5 applies them when writing. */
export interface FilterInfo {
  /** HDF5's filter id (1 deflate, 2 shuffle, 3 fletcher32; registered ids for others). */
  id: number;
  /** The filter's name as HDF5 reports it; may be empty. */
  name: string;
  /** The filter's parameters (cd_values), as stored. */
  values: number[];
  /** Whether this build of HDF5 has the filter (without it the data cannot be read). */
  available: boolean;
}

/** What a link is, and where a soft or external link points (Group.linkInfo). */
export interface LinkInfo {
  /** "hard" for an object's own link; "user-defined" for a kind HDF5 knows only by number. */
  type: "hard" | "soft" | "external" | "user-defined";
  /** A soft link's path, or an external link's path inside its file. */
  target?: string;
  /** An external link's file name. */
  file?: string;
}

/** One object below a group, as Group.visit lists it. */
export interface VisitEntry {
  /** The path relative to the visited group. */
  path: string;
  /** "unknown" for an object HDF5 cannot name (H5O_TYPE_UNKNOWN). */
  kind: "group" | "dataset" | "datatype" | "unknown";
}

/**
 * One mapping of a virtual dataset: the block at `start` of extent `shape` holds the whole of
 * `dataset` in `file` (Group.createVirtualDataset, Dataset.virtualSources).
 */
export interface VirtualSource {
  /**
   * The source file: "." for the virtual dataset's own file; a relative name is looked up in the
   * virtual dataset's file's directory (before the working directory), so the files can move together.
   */
  file: string;
  /** The source dataset's path in its file. */
  dataset: string;
  /** Where the block starts in the virtual dataset, one index per axis. */
  start: number[];
  /**
   * The block's extent: the source dataset's whole shape. A source with no elements maps nothing
   * and is not stored. Read back, the bounding box of the mapping; Infinity on the growing axis
   * of an unlimited mapping (h5dat makes none).
   */
  shape: number[];
}

/** What datasetDescribe returns: a dataset's extent, type and storage. */
export interface NativeDatasetInfo {
  /** The absolute path of the dataset. */
  path: string;
  /** [] for a scalar, null for an empty (null) dataspace. */
  shape: number[] | null;
  /** null on unlimited axes. */
  maxshape: (number | null)[] | null;
  /** Set only when some dim is past 2^53, where a number is no longer exact: every dim as a BigInt. */
  exactShape?: bigint[] | null;
  /** The maxshape likewise. */
  exactMaxshape?: (bigint | null)[] | null;
  /** The element type stored in the file. */
  type: TypeSpec;
  /** How the values are stored; "unknown" for a layout this binding does not name. */
  layout: "compact" | "contiguous" | "chunked" | "virtual" | "unknown";
  /** The chunk shape, or null when not chunked. */
  chunks: number[] | null;
  /** The filter pipeline, in order. */
  filters: FilterInfo[];
  /** Bytes stored in the file, after the filters. */
  storageSize: number;
  /** Where the values are when not in the file ("external raw data '/x'", "virtual dataset sources 'f.h5:/d'"), else null. */
  outside: string | null;
}

/** How the binding converts what it reads (src/h5/decode.ts ReadOptions). */
export interface NativeReadOptions {
  /** float16 as its raw bits (Uint16Array) rather than widened to float32. */
  rawFloat16?: boolean;
}

/** How datasetCreate stores a dataset (src/h5/dataset-creation.ts plans them). */
export interface NativeCreateOptions {
  /** The storage layout. */
  layout?: "compact" | "contiguous" | "chunked";
  /** The chunk shape. */
  chunks?: number[];
  /** The gzip level, 0–9; no deflate filter when unset. */
  deflate?: number;
  /** h5dat's codecs (zstd, lz4, blosc, bitshuffle) with the user's cd_values, after deflate. */
  filters?: { id: number; values: number[] }[];
  /** Byte-shuffle before compressing. */
  shuffle?: boolean;
  /** A checksum on each chunk. */
  fletcher32?: boolean;
  /** Whether HDF5 records the object's modification times. */
  trackTimes?: boolean;
}

/** One chunk as it is stored, without reading it (Dataset.chunkList). */
export interface StoredChunk {
  /** The chunk's first element, one index per axis. */
  offset: number[];
  /** Bit i set: filter i of the pipeline was skipped for this chunk. */
  filterMask: number;
  /** Bytes stored, after the filters. */
  size: number;
}

/** What datasetDims returns (binding/hdf5/dimension_scales.cc); maxshape has null on unlimited axes. */
export interface NativeDatasetDims {
  /** Whether the dataset is itself a dimension scale. */
  isScale: boolean;
  /** Its scale name when it is one (null when unnamed or not a scale). */
  scaleName: string | null;
  /** Per axis: its label, the scales attached, and why they could not be listed. */
  axes: { label: string; scales: { path: string; name: string; shape: number[] | null; maxshape: (number | null)[] | null }[]; error?: string }[];
}

/** Operation name → [arguments, result]. */
export interface NativeOps {
  fileOpen: [[path: string, mode: string, options: { checkpoints?: boolean; external?: "follow" | "deny" }], NativeHandle];
  fileOpenImage: [[bytes: Uint8Array, name: string], NativeHandle];
  fileFlush: [[file: NativeHandle], void];
  fileInfo: [[file: NativeHandle], { path: string; writable: boolean; size: number; freeSpace: number }];
  handleClose: [[handle: NativeHandle], void];
  groupCreate: [[loc: NativeHandle, name: string], NativeHandle];
  objectOpen: [[loc: NativeHandle, name: string], NativeHandle];
  linkExists: [[loc: NativeHandle, name: string], boolean];
  linkList: [[loc: NativeHandle], string[]];
  linkDelete: [[loc: NativeHandle, name: string], void];
  linkCreate: [[loc: NativeHandle, kind: "soft" | "hard" | "external", target: string, name: string, file?: string], void];
  linkInfo: [[loc: NativeHandle, name: string], LinkInfo];
  objectCopy: [[source: NativeHandle, sourceName: string, destination: NativeHandle, destinationName: string], void];
  fileTreeCopy: [[sourceFile: NativeHandle, destination: NativeHandle, destinationName: string, options: { external?: "keep" | "contain"; inputDirectory?: string }], string[]];
  visit: [[loc: NativeHandle], VisitEntry[]];
  datasetCreate: [
    [loc: NativeHandle, name: string, type: TypeSpec, shape: number[] | null, maxshape: (number | null)[] | null,
      options: NativeCreateOptions, fill: OutgoingData | undefined, data: OutgoingData | undefined, attrs: NativeAttributeSpec[]],
    { handle: NativeHandle; info: NativeDatasetInfo },
  ];
  datasetDescribe: [[dataset: NativeHandle], NativeDatasetInfo];
  datasetRead: [[dataset: NativeHandle, selection: Hyperslab | null, options?: NativeReadOptions], IncomingData & { shape: number[] | null }];
  datasetWrite: [[dataset: NativeHandle, selection: Hyperslab | null, data: OutgoingData, chunked: boolean], void];
  datasetResize: [[dataset: NativeHandle, shape: number[]], NativeDatasetInfo];
  datasetStoredElements: [[dataset: NativeHandle], number | null];
  virtualDatasetCreate: [
    [loc: NativeHandle, name: string, type: TypeSpec, shape: number[], maxshape: number[] | null, sources: VirtualSource[],
      fill: OutgoingData | undefined],
    { handle: NativeHandle; info: NativeDatasetInfo },
  ];
  /** A dataset's virtual mappings in order; empty when it is not virtual. */
  virtualSources: [[dataset: NativeHandle], VirtualSource[]];
  chunkRead: [[dataset: NativeHandle, offset: number[]], { filterMask: number; bytes: Buffer }];
  chunkWrite: [[dataset: NativeHandle, offset: number[], filterMask: number, bytes: Uint8Array], void];
  chunkList: [[dataset: NativeHandle], StoredChunk[]];
  datatypeDescribe: [[datatype: NativeHandle], TypeSpec];
  datatypeCommit: [[loc: NativeHandle, name: string, type: TypeSpec], void];
  attrList: [[loc: NativeHandle], string[]];
  /** How many attributes, without listing (decoding) them. */
  attrCount: [[loc: NativeHandle], number];
  /** An attribute's type and shape, without reading its values (binding/hdf5/attribute_info.cc). */
  attrDescribe: [[loc: NativeHandle, name: string], { type: TypeSpec; shape: number[] | null }];
  datasetDims: [[dataset: NativeHandle], NativeDatasetDims];
  archiveOpen: [[path: string, blockSize: number, shard?: NativeShardFilter], NativeArchive];
  archiveNext: [[archive: NativeArchive, inlineMax: number], NativeArchiveHeader | NativeArchivePassing | null];
  archiveRead: [[archive: NativeArchive, maxBytes: number], Buffer];
  archiveClose: [[archive: NativeArchive], void];
  attrExists: [[loc: NativeHandle, name: string], boolean];
  attrDelete: [[loc: NativeHandle, name: string], void];
  /** With `limit`, only the first `limit` elements (C order) come back; `points` counts them all. */
  attrRead: [[loc: NativeHandle, name: string, options?: NativeReadOptions, limit?: number], IncomingData & { fileType: TypeSpec; shape: number[] | null; points: number }];
  attrWrite: [[loc: NativeHandle, name: string, fileType: TypeSpec, shape: number[] | null, data: OutgoingData], void];
  attrWriteMany: [[loc: NativeHandle, attributes: NativeAttributeSpec[]], void];
  /**
   * An 8-bit YCbCr/RGB JPEG's RGB pixels by libjpeg-turbo, in `data` or, given `into` and when
   * they fill it exactly, there (no `data`); null on any warning or error, or when they do not fit.
   */
  decodeJpeg: [[bytes: Uint8Array, into?: Uint8Array], { data?: Buffer; width: number; height: number } | null];
}

/** The name of one native operation (without its Sync suffix). */
export type OpName = keyof NativeOps;
/** What operation `K` takes. */
export type OpArgs<K extends OpName> = NativeOps[K][0];
/** What operation `K` gives. */
export type OpResult<K extends OpName> = NativeOps[K][1];

/** The addon as loaded: each operation in both forms, and the calls outside the HDF5 lock. */
export type NativeBinding = {
  [K in OpName]: (...args: OpArgs<K>) => Promise<OpResult<K>>;
} & {
  [K in OpName as `${K}Sync`]: (...args: OpArgs<K>) => OpResult<K>;
} & {
  libraryVersion(): string;
  setMmapThreshold(bytes: number): boolean;
  /** A zeroed ArrayBuffer, in transparent huge pages from 2 MiB up (binding/memory/large_block.h). */
  allocateBuffer(bytes: number): ArrayBuffer;
  /**
   * The file's first `length` bytes (default all) as an ArrayBuffer mapped over it. Private:
   * writes never reach the file. Shared: the file is made or resized to `length`, and written.
   */
  mapFile(path: string, length?: number, shared?: boolean): ArrayBuffer;
  /** Ends a mapFile mapping now: the buffer is detached. */
  unmapBuffer(buffer: ArrayBuffer): void;
  setErrorClasses(h5Error: typeof H5Error, archiveError: typeof ArchiveError): void;
};
