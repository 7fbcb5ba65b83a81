// The shape of the native addon (binding/*/*.cc). Each operation exists as `name` (Promise, runs
// on the libuv pool) and `nameSync`; both hold the process-wide HDF5 lock while HDF5 runs.
import type { IncomingData, OutgoingData } from "./element-data";
import type { ArchiveError, H5Error } from "./errors";
import type { TypeSpec } from "./type-spec";

/** An open HDF5 object inside the addon. Closed explicitly or when garbage-collected. */
export interface NativeHandle {
  readonly kind: "file" | "group" | "dataset" | "datatype";
  readonly path: string;
  readonly isOpen: boolean;
}

/** An open archive inside the addon (binding/archive/archive_reader.cc). */
export interface NativeArchive {
  readonly path: string;
  /** Archive bytes consumed after the last archiveRead (unset before the first). */
  readonly position?: number;
}

/** One archive member's header as libarchive reads it (binding/archive/archive_reader.cc). */
export interface NativeArchiveHeader {
  /** The name as stored (bytes that are not UTF-8 show as U+FFFD; see `rawPath`). */
  path: string;
  type: "file" | "directory" | "symlink" | "hardlink" | "fifo" | "socket" | "character device" | "block device" | "other";
  /** Bytes of data the header declares; negative when it does not say. */
  size: number;
  /** Set when `size` is the data's by construction (a tar's regular file; a zip's header may lie). */
  exactSize?: true;
  /** Seconds since 1970; negative when the header has none. */
  mtime: number;
  /** libarchive's names for the container and compression ("raw" + "gzip" for a lone .gz). */
  format: string;
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
}

/** One attribute for attrWriteMany. */
export interface NativeAttributeSpec {
  name: string;
  fileType: TypeSpec;
  shape: number[] | null;
  data: OutgoingData;
}

export interface Hyperslab {
  start: number[];
  count: number[];
  stride?: number[];
  block?: number[];
}

export interface NativeDatasetInfo {
  path: string;
  shape: number[] | null;
  maxshape: (number | null)[] | null;
  /** Set only when some dim is past 2^53, where a number is no longer exact: every dim as a BigInt. */
  exactShape?: bigint[] | null;
  exactMaxshape?: (bigint | null)[] | null;
  type: TypeSpec;
  layout: "compact" | "contiguous" | "chunked" | "virtual" | "unknown";
  chunks: number[] | null;
  /** `available`: whether this build of HDF5 has the filter (without it the data cannot be read). */
  filters: { id: number; name: string; values: number[]; available: boolean }[];
  storageSize: number;
  /** Where the values are when not in the file ("external raw data '/x'", "virtual dataset sources 'f.h5:/d'"), else null. */
  outside: string | null;
}

/** How the binding converts what it reads (src/h5/decode.ts ReadOptions). */
export interface NativeReadOptions {
  rawFloat16?: boolean;
}

export interface NativeCreateOptions {
  layout?: "compact" | "contiguous" | "chunked";
  chunks?: number[];
  deflate?: number;
  shuffle?: boolean;
  fletcher32?: boolean;
  trackTimes?: boolean;
}

export interface StoredChunk {
  offset: number[];
  filterMask: number;
  size: number;
}

/** What datasetDims returns (binding/hdf5/dimension_scales.cc); maxshape has null on unlimited axes. */
export interface NativeDatasetDims {
  isScale: boolean;
  scaleName: string | null;
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
  linkInfo: [[loc: NativeHandle, name: string], { type: "hard" | "soft" | "external" | "user-defined"; target?: string; file?: string }];
  objectCopy: [[source: NativeHandle, sourceName: string, destination: NativeHandle, destinationName: string], void];
  fileTreeCopy: [[sourceFile: NativeHandle, destination: NativeHandle, destinationName: string, options: { external?: "keep" | "contain"; inputDirectory?: string }], string[]];
  visit: [[loc: NativeHandle], { path: string; kind: "group" | "dataset" | "datatype" | "unknown" }[]];
  datasetCreate: [
    [loc: NativeHandle, name: string, type: TypeSpec, shape: number[] | null, maxshape: (number | null)[] | null,
      options: NativeCreateOptions, fill: OutgoingData | undefined, data: OutgoingData | undefined, attrs: NativeAttributeSpec[]],
    { handle: NativeHandle; info: NativeDatasetInfo },
  ];
  datasetDescribe: [[dataset: NativeHandle], NativeDatasetInfo];
  datasetRead: [[dataset: NativeHandle, selection: Hyperslab | null, options?: NativeReadOptions], IncomingData & { shape: number[] | null }];
  datasetWrite: [[dataset: NativeHandle, selection: Hyperslab | null, data: OutgoingData, chunked: boolean], void];
  datasetResize: [[dataset: NativeHandle, shape: number[]], NativeDatasetInfo];
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
  archiveOpen: [[path: string, blockSize: number], NativeArchive];
  archiveNext: [[archive: NativeArchive, inlineMax: number], NativeArchiveHeader | null];
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

export type OpName = keyof NativeOps;
export type OpArgs<K extends OpName> = NativeOps[K][0];
export type OpResult<K extends OpName> = NativeOps[K][1];

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
