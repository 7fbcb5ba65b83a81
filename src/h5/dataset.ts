// A dataset: its shape, dtype and storage (h5py's getters), reads by h5py-style selection,
// hyperslab write, resize and append, and direct chunk I/O. Each method has a Promise form and a
// Sync form. A dtype known to TypeScript (createDataset's literal dtype, or
// group.dataset(path, "float32")) types what read() returns.
import { flatten, isTypedArray, type ArrayResult } from "./array-data";
import { decode, nativeReadOptions, type DecodeOptions, type ReadOptions } from "./decode";
import { encode } from "./encode";
import { fromTypeSpec, type Dtype } from "./dtype";
import { H5Error } from "./errors";
import { dimensionsOp, type Dimensions } from "./dimension-scales";
import { H5Object } from "./h5-object";
import type { NativeDatasetInfo, NativeHandle, StoredChunk, VirtualSource } from "../native/addon-types";
import { call, runAsync, runSync, type Operation } from "./operation";
import { unreadableDataset } from "./readable";
import { resolveSelection, type AxisSelection, type Selection } from "./selection";
import { arrayLength, type TypeSpec } from "../native/type-spec";
import { readStoredChunk, readWholeChunk } from "./stored-chunk";
import { compressionText, FILTER_NAMES, settingOf } from "./compression";

/** A stored chunk's bytes as they are on disk (filtered) and which filters were skipped. */
export interface ChunkBytes {
  /** Bit i set: filter i of the pipeline was skipped for this chunk. */
  filterMask: number;
  /** The chunk's bytes, as filtered. */
  bytes: Buffer;
}

const FILTER_SHUFFLE = 2;
const FILTER_FLETCHER32 = 3;

/**
 * `T` is what read() gives as `data`: `unknown` unless the dtype is known to TypeScript, as
 * `DataOf<dtype>` (createDataset with a literal dtype, group.dataset(path, dtype)). It is the
 * data's type rather than the dtype so that a `Dataset<Float32Array>` is a `Dataset`.
 */
export class Dataset<T = unknown> extends H5Object {
  /** @internal */
  constructor(handle: NativeHandle, file: H5Object["file"], private info: NativeDatasetInfo) {
    super(handle, file);
  }
  private appendQueue: Promise<unknown> = Promise.resolve();
  private appendsPending = 0;

  /** Current shape; [] for a scalar, null for an empty (null) dataspace. */
  get shape(): number[] | null {
    return this.info.shape;
  }
  /** Maximum shape; null on unlimited axes. */
  get maxshape(): (number | null)[] | null {
    return this.info.maxshape;
  }
  /** The shape with dims past 2^53 as exact BigInts (2^60 is not a number): for listings. */
  get exactShape(): (number | bigint)[] | null {
    return exactDims(this.info.shape, this.info.exactShape);
  }
  /** The maxshape likewise. */
  get exactMaxshape(): (number | bigint | null)[] | null {
    return exactDims(this.info.maxshape, this.info.exactMaxshape);
  }
  /** Number of axes (0 for a scalar or an empty dataspace). */
  get ndim(): number {
    return this.info.shape?.length ?? 0;
  }
  /** Number of elements. */
  get size(): number {
    return this.info.shape ? this.info.shape.reduce((a, b) => a * b, 1) : 0;
  }
  /** The element type as stored. */
  get dtype(): Dtype {
    return fromTypeSpec(this.info.type);
  }
  /** Bytes of one element as stored (h5py's dtype.itemsize). */
  get itemsize(): number {
    return this.info.type.size;
  }
  /**
   * Why the values cannot be read (a type with no JS form, a filter this build lacks), or null.
   * Shape, dtype and filters are known either way.
   */
  get unreadable(): string | null {
    return unreadableDataset(this.info);
  }
  /** Chunk shape, or null when not chunked. */
  get chunks(): number[] | null {
    return this.info.chunks;
  }
  /** How the values are stored: compact, contiguous, chunked or virtual. */
  get layout(): NativeDatasetInfo["layout"] {
    return this.info.layout;
  }
  /**
   * Where the values are when they are not in this file: "external raw data '/data/raw.bin'"
   * or "virtual dataset sources 'a.h5:/d'" (read only with File.open's { external: "follow" }).
   */
  get outside(): string | null {
    return this.info.outside;
  }
  /**
   * The compressor, as h5py names it: "gzip", "zstd", "lz4", "blosc", "bitshuffle", another
   * filter's registered name ("szip", "bzip2", "lzf", ...) or its own, else null.
   */
  get compression(): string | null {
    const filter = this.info.filters.find((f) => f.id !== FILTER_SHUFFLE && f.id !== FILTER_FLETCHER32);
    if (!filter) return null;
    return FILTER_NAMES.get(filter.id) ?? (filter.name || `filter-${filter.id}`);
  }
  /** The compressor's level (gzip, zstd, blosc, bitshuffle:zstd), else its first parameter. */
  get compressionOpts(): number | null {
    const filter = this.info.filters.find((f) => f.id !== FILTER_SHUFFLE && f.id !== FILTER_FLETCHER32);
    const setting = filter && settingOf([filter]);
    if (setting && setting !== "none") return setting.level ?? null;
    return filter?.values[0] ?? null;
  }
  /** The compression as one text ("zstd:3", "blosc:lz4:5:shuffle", "none"), or null for a filter h5dat does not write. */
  get compressionSetting(): string | null {
    const compressors = this.info.filters.filter((f) => f.id !== FILTER_SHUFFLE && f.id !== FILTER_FLETCHER32);
    if (compressors.length === 0) return "none";
    const setting = settingOf(compressors);
    return setting ? compressionText(setting) : null;
  }
  /** Whether the byte-shuffle filter is on. */
  get shuffle(): boolean {
    return this.info.filters.some((f) => f.id === FILTER_SHUFFLE);
  }
  /** Whether each chunk carries a Fletcher-32 checksum. */
  get fletcher32(): boolean {
    return this.info.filters.some((f) => f.id === FILTER_FLETCHER32);
  }
  /** The filter pipeline in order: id, name and parameters. */
  get filters(): NativeDatasetInfo["filters"] {
    return this.info.filters;
  }
  /** Bytes stored in the file (after compression), as of the last open/resize/refresh. */
  get storageSize(): number {
    return this.info.storageSize;
  }

  /**
   * Reads the selection, all by default (h5py's `d[()]`): a string as in h5py ("0:10, ::2",
   * "-1", "..., 0"), a list of axes as slice() takes them, or a hyperslab. Integer indexes drop
   * their axis. Numbers come back as TypedArrays, strings as string[], records as objects,
   * sequences as an array of TypedArrays (or arrays), references as paths (README's type table).
   * A whole read of a one-chunk numeric dataset is inflated off the HDF5 lock (stored-chunk.ts).
   */
  read(selection?: Selection, options?: DecodeOptions & ReadOptions): Promise<ArrayResult<T>> {
    return runAsync(this.readOp(selection, options)) as Promise<ArrayResult<T>>;
  }
  /** The Sync form of {@link Dataset.read}. */
  readSync(selection?: Selection, options?: DecodeOptions & ReadOptions): ArrayResult<T> {
    return runSync(this.readOp(selection, options)) as ArrayResult<T>;
  }

  /** One argument per axis: an index, [start, stop] / [start, stop, step], a Slice, null (all) or "...". */
  slice(...axes: AxisSelection[]): Promise<ArrayResult<T>> {
    return runAsync(this.readOp(axes)) as Promise<ArrayResult<T>>;
  }
  /** The Sync form of {@link Dataset.slice}. */
  sliceSync(...axes: AxisSelection[]): ArrayResult<T> {
    return runSync(this.readOp(axes)) as ArrayResult<T>;
  }

  /** Writes `data` (flat or nested, row-major) into the selection (all by default). */
  write(data: unknown, selection?: Selection): Promise<void> {
    return runAsync(this.writeOp(data, selection));
  }
  /** The Sync form of {@link Dataset.write}. */
  writeSync(data: unknown, selection?: Selection): void {
    runSync(this.writeOp(data, selection));
  }

  /** Changes the shape within maxshape (or one axis: `resize(n, axis)`). */
  resize(size: number[] | number, axis = 0): Promise<void> {
    return runAsync(this.resizeOp(size, axis));
  }
  /** The Sync form of {@link Dataset.resize}. */
  resizeSync(size: number[] | number, axis = 0): void {
    runSync(this.resizeOp(size, axis));
  }

  /** Grows axis 0 by as many rows as `data` holds and writes them there. */
  append(data: unknown, rows?: number): Promise<void> {
    // Appends on one object run one after another, each growing the extent the previous one left
    // (started together, they would all write at the same old end).
    this.appendsPending++;
    const done = this.appendQueue.then(() => runAsync(this.appendOp(data, rows))).finally(() => this.appendsPending--);
    this.appendQueue = done.catch(() => undefined);
    return done;
  }
  /** The Sync form of {@link Dataset.append}. */
  appendSync(data: unknown, rows?: number): void {
    if (this.appendsPending > 0) throw new H5Error(`append() is still running on this dataset: await it before appendSync()`, this.name);
    runSync(this.appendOp(data, rows));
  }

  /** Reads a stored chunk without decompressing it (H5Dread_chunk). */
  async readChunk(offset: number[]): Promise<ChunkBytes> {
    return runAsync(call("chunkRead", this.handle, offset));
  }
  /** The Sync form of {@link Dataset.readChunk}. */
  readChunkSync(offset: number[]): ChunkBytes {
    return runSync(call("chunkRead", this.handle, offset));
  }

  /**
   * The values of the chunk at `offset` (chunk-aligned), shaped as the chunk cut to the dataset's
   * end. A stored chunk filtered by deflate and shuffle only is inflated off the HDF5 lock on the
   * libuv pool (stored-chunk.ts), so reads of several chunks decompress side by side; any other
   * chunk is read through HDF5 as the hyperslab it covers.
   */
  readChunkValues(offset: number[]): Promise<ArrayResult<T>> {
    return runAsync(this.readChunkValuesOp(offset)) as Promise<ArrayResult<T>>;
  }
  /** The Sync form of {@link Dataset.readChunkValues}. */
  readChunkValuesSync(offset: number[]): ArrayResult<T> {
    return runSync(this.readChunkValuesOp(offset)) as ArrayResult<T>;
  }

  /** Stores already-filtered chunk bytes (H5Dwrite_chunk); bit i of `filterMask` skips filter i. */
  writeChunk(offset: number[], bytes: Uint8Array, filterMask = 0): Promise<void> {
    return runAsync(this.writeChunkOp(offset, bytes, filterMask));
  }
  /** The Sync form of {@link Dataset.writeChunk}. */
  writeChunkSync(offset: number[], bytes: Uint8Array, filterMask = 0): void {
    runSync(this.writeChunkOp(offset, bytes, filterMask));
  }

  /** Every stored chunk: offset, filter mask, stored size. */
  async chunkList(): Promise<StoredChunk[]> {
    return runAsync(call("chunkList", this.handle));
  }
  /** The Sync form of {@link Dataset.chunkList}. */
  chunkListSync(): StoredChunk[] {
    return runSync(call("chunkList", this.handle));
  }

  /** Dimension scales per axis and whether this is a scale (h5py's `ds.dims`, `ds.is_scale`). */
  dims(): Promise<Dimensions> {
    return runAsync(dimensionsOp(() => this.handle));
  }
  /** The Sync form of {@link Dataset.dims}. */
  dimsSync(): Dimensions {
    return runSync(dimensionsOp(() => this.handle));
  }

  /**
   * A virtual dataset's mappings, in order: which block (start, shape) reads which source
   * dataset; empty when the dataset is not virtual.
   */
  virtualSources(): Promise<VirtualSource[]> {
    return runAsync(call("virtualSources", this.handle));
  }
  /** The Sync form of {@link Dataset.virtualSources}. */
  virtualSourcesSync(): VirtualSource[] {
    return runSync(call("virtualSources", this.handle));
  }

  /**
   * How many elements its stored data can hold (allocated chunks × chunk size, or the contiguous
   * storage); null for compact, virtual and external data. Fewer than `size`: the rest reads as fill.
   */
  storedElements(): Promise<number | null> {
    return runAsync(call("datasetStoredElements", this.handle));
  }

  /** Re-reads shape, filters and storage size from the file. */
  refresh(): Promise<void> {
    return runAsync(this.refreshOp());
  }
  /** The Sync form of {@link Dataset.refresh}. */
  refreshSync(): void {
    runSync(this.refreshOp());
  }

  override toString(): string {
    return `<Dataset ${this.name} shape [${this.shape ?? "null"}] ${JSON.stringify(this.dtype)}>`;
  }

  // Untyped here (a Generator's return type is invariant, which would make a
  // Dataset<Float32Array> no Dataset): the public methods give the result its type.
  private *readOp(selection: Selection | undefined, options?: DecodeOptions & ReadOptions): Operation<ArrayResult> {
    const readOptions = nativeReadOptions(options);
    if (selection === undefined) {
      const whole = yield* readWholeChunk(this, (offset) => call("chunkRead", this.handle, offset));
      if (whole) return whole;
    }
    const resolved = resolveSelection(selection, this.info.shape ?? [0], this.name);
    if (this.info.shape === null || resolved.count === 0) {
      return { data: decode({ type: this.info.type, bytes: new ArrayBuffer(0) }, [0], options).data, shape: resolved.shape } as ArrayResult;
    }
    // Said before HDF5 tries: its own message for a missing filter is about a plugin directory.
    const unreadable = this.unreadable;
    if (unreadable) throw new H5Error(`cannot read dataset: ${unreadable}`, this.name);
    const raw = yield* call("datasetRead", this.handle, resolved.hyperslab, readOptions);
    const result = decode(raw, resolved.shape, options);
    return result;
  }

  private *readChunkValuesOp(offset: number[]): Operation<ArrayResult> {
    const { shape, chunks } = this.info;
    if (!shape || !chunks) throw new H5Error(`readChunkValues needs a chunked dataset; this one is ${this.info.layout}`, this.name);
    if (offset.length !== shape.length || offset.some((o, i) => !Number.isSafeInteger(o) || o < 0 || o >= shape[i] || o % chunks[i] !== 0)) {
      throw new H5Error(`[${offset.join(", ")}] is not the offset of a chunk of [${shape.join(", ")}] in chunks of [${chunks.join(", ")}]`, this.name);
    }
    const stored = yield* readStoredChunk(this, offset, (at) => call("chunkRead", this.handle, at));
    if (stored) return { data: stored, shape: [...chunks] } as ArrayResult;
    const count = chunks.map((c, i) => Math.min(c, shape[i] - offset[i]));
    return yield* this.readOp({ start: offset, count });
  }

  private *writeOp(data: unknown, selection: Selection | undefined): Operation<void> {
    if (this.info.shape === null) throw new H5Error(`cannot write to the empty dataset '${this.name}'`, this.name);
    const resolved = resolveSelection(selection, this.info.shape, this.name);
    if (resolved.count === 0) return;
    const payload = encode(data, this.info.type, resolved.count, this.name);
    yield* call("datasetWrite", this.handle, resolved.hyperslab, payload, this.info.layout === "chunked");
  }

  private *resizeOp(size: number[] | number, axis: number): Operation<void> {
    const shape = [...(this.info.shape ?? [])];
    if (typeof size === "number") {
      if (axis < 0 || axis >= shape.length) throw new H5Error(`axis ${axis} out of range`, this.name);
      shape[axis] = size;
    }
    this.info = yield* call("datasetResize", this.handle, typeof size === "number" ? shape : size);
  }

  private *appendOp(data: unknown, rows?: number): Operation<void> {
    // The extent as it is in the file now: another handle on the dataset may have grown it.
    this.info = yield* call("datasetDescribe", this.handle);
    const shape = this.info.shape;
    if (!shape || shape.length === 0) throw new H5Error(`cannot append to a scalar or empty dataset`, this.name);
    const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
    const perElement = this.info.type.class === "array" ? this.info.type.dims.reduce((a, b) => a * b, 1) : 1;
    const length = rows ?? lengthOf(data, rowSize, perElement, this.info.type);
    if (length === 0) return;
    // Encoded before growing, so that data that cannot be written leaves the dataset as it was.
    const payload = encode(data, this.info.type, length * rowSize, this.name);
    const start = shape[0];
    this.info = yield* call("datasetResize", this.handle, [start + length, ...shape.slice(1)]);
    const selection = { start: [start, ...shape.slice(1).map(() => 0)], count: [length, ...shape.slice(1)] };
    yield* call("datasetWrite", this.handle, selection, payload, this.info.layout === "chunked");
  }

  private *writeChunkOp(offset: number[], bytes: Uint8Array, filterMask: number): Operation<void> {
    yield* call("chunkWrite", this.handle, offset, filterMask, bytes);
  }

  private *refreshOp(): Operation<void> {
    this.info = yield* call("datasetDescribe", this.handle);
  }
}

/** Rows (along axis 0) in `data`: its values divided by the values per row. */
function lengthOf(data: unknown, rowSize: number, perElement: number, type: TypeSpec): number {
  if (type.class === "compound" && data !== null && typeof data === "object" && !Array.isArray(data) && !isTypedArray(data)) {
    // Columns (or one record object): count the elements in a column, flat for array fields.
    const field = type.members.find((m) => m.type.class !== "array") ?? type.members[0];
    const column = field && (data as Record<string, unknown>)[field.name];
    const per = field?.type.class === "array" ? arrayLength(field.type.dims) : 1;
    const elements = Array.isArray(column) || isTypedArray(column) ? column.length / per : 1;
    const rows = elements / rowSize;
    if (!Number.isInteger(rows)) throw new H5Error(`append data of ${elements} records is not a whole number of rows of ${rowSize}`);
    return rows;
  }
  const flat = isTypedArray(data) ? data : flatten(data)?.data;
  if (!flat) throw new H5Error("append needs an array or TypedArray");
  // An array dtype's elements may come flat (numbers) or one array per element.
  const perRow = flat.length % (rowSize * perElement) === 0 ? rowSize * perElement : rowSize;
  const rows = flat.length / perRow;
  if (!Number.isInteger(rows)) throw new H5Error(`append data of ${flat.length} values is not a whole number of rows of ${rowSize}`);
  return rows;
}

/** Each dim as a number while it is exact (to 2^53), else the BigInt the binding gave. */
function exactDims<T extends number | null>(dims: T[] | null, exact: (bigint | null)[] | null | undefined): (T | bigint)[] | null {
  if (!dims || !exact) return dims;
  return dims.map((dim, i) => (dim !== null && !Number.isSafeInteger(dim) ? exact[i]! : dim));
}
