// An array of strings stored compressibly. HDF5 keeps variable-length strings in its global
// heap, where no chunk filter reaches them (a 35 MB JSONL stored as vlen pairs took 116 MB), so
// bulk text is stored instead as a group of two chunked, compressed datasets:
//   bytes    uint8  [B]      every string's UTF-8 bytes, concatenated in row-major order
//   offsets  uint64 [N + 1]  offsets[0] = 0; string i is bytes[offsets[i]:offsets[i + 1]]
// and the group's attrs layout = "ragged-utf8", layout_version = 1, and shape = the array's
// shape ([N] for a column of strings, [R, C] for a matrix of cells; N is its product). Both
// datasets grow along their one axis: a writer appends block by block, a reader takes rows
// [start, stop) with two hyperslabs. From h5py:
//   o = g["offsets"][:]; b = g["bytes"][:].tobytes()
//   strings = [b[o[i]:o[i + 1]].decode() for i in range(len(o) - 1)]   # then reshape by g.attrs["shape"]
import type { CreateDatasetOptions } from "./dataset-creation";
import type { Dataset } from "./dataset";
import { H5Error } from "./errors";
import type { Group } from "./group";
import type { H5Object } from "./h5-object";
import { step, type Operation } from "./operation";
import { decodeStrings, encodeStrings, type EncodedStrings } from "./encoded-strings";

/** The `layout` attr of a ragged string array's group. */
export const RAGGED_LAYOUT = "ragged-utf8";
/** The `layout_version` attr this code writes (and the highest it reads). */
export const RAGGED_VERSION = 1;

/** Bytes per chunk of `bytes`, and of `offsets` (32768 offsets): 256 KiB. */
const CHUNK_BYTES = 256 * 1024;
/** Bytes gathered before a block goes to the file. */
const BLOCK_BYTES = 4 * 1024 * 1024;

/** How a ragged string array is stored: compression, and attrs for its group. */
export interface RaggedOptions {
  /** As createDataset takes it; "gzip" (level 4) by default. */
  compression?: CreateDatasetOptions["compression"];
  /** Attrs of the group, beside its layout attrs. */
  attrs?: Record<string, unknown>;
  /** Per-attribute dtype and shape, as `attrs.update` takes them. */
  attrOptions?: CreateDatasetOptions["attrOptions"];
}

/**
 * Writes a ragged string array block by block: rows go in with append() and reach the file every
 * few MiB, so memory stays flat however many rows there are; finish() records the shape.
 */
export class RaggedStringsWriter {
  private pending: EncodedStrings[] = [];
  private pendingBytes = 0;
  private datasets: { bytes: Dataset; offsets: Dataset } | null = null;
  private written = 0;
  private strings = 0;

  private constructor(
    /** The array's group. */
    readonly group: Group,
    private readonly rowShape: readonly number[],
    private readonly compression: CreateDatasetOptions["compression"],
  ) {}

  /** Creates group `name` in `parent`; each row holds prod(rowShape) strings ([] for a column). */
  static async create(parent: Group, name: string, rowShape: readonly number[] = [], options: RaggedOptions = {}): Promise<RaggedStringsWriter> {
    const group = await parent.createGroup(name);
    try {
      await group.attrs.update({ ...options.attrs, layout: RAGGED_LAYOUT, layout_version: RAGGED_VERSION }, { ...options.attrOptions, layout_version: { dtype: "int32" } });
    } catch (error) {
      await group.close();
      throw error;
    }
    return new RaggedStringsWriter(group, rowShape, options.compression ?? "gzip");
  }

  /**
   * Continues the ragged array `name` in `parent` (a column: rowShape []): rows appended after
   * those it holds. Its chunking and filters are the ones it was made with.
   */
  static async open(parent: Group, name: string): Promise<RaggedStringsWriter> {
    const group = await parent.group(name);
    const writer = new RaggedStringsWriter(group, [], "gzip");
    const bytes = (await group.get("bytes")) as Dataset;
    const offsets = (await group.get("offsets")) as Dataset;
    writer.datasets = { bytes, offsets };
    const count = offsets.shape![0];
    writer.strings = count - 1;
    writer.written = Number(((await offsets.read({ start: [count - 1], count: [1] })).data as BigUint64Array)[0]);
    if (writer.written !== bytes.shape![0]) throw new H5Error(`'${group.name}' ends its offsets at ${writer.written} but holds ${bytes.shape![0]} bytes`, group.name);
    return writer;
  }

  /** Adds whole rows: strings in row-major order. */
  async append(strings: readonly string[]): Promise<void> {
    await this.appendEncoded(encodeStrings(strings));
  }

  /** Adds whole rows already encoded (see encodeStrings). */
  async appendEncoded(encoded: EncodedStrings): Promise<void> {
    if (encoded.ends.length === 0) return;
    this.pending.push(encoded);
    this.pendingBytes += encoded.bytes.length + 8 * encoded.ends.length;
    this.strings += encoded.ends.length;
    if (this.pendingBytes >= BLOCK_BYTES) await this.flush();
  }

  /** Writes what is left and the shape attr; the group stays open (the caller closes it). */
  async finish(): Promise<Group> {
    try {
      await this.flush();
      if (!this.datasets) await this.createDatasets(0, 0);
      const perRow = this.rowShape.reduce((a, b) => a * b, 1);
      if (perRow > 0 && this.strings % perRow !== 0) throw new H5Error(`${this.strings} strings are not whole rows of ${perRow}`, this.group.name);
      const rows = perRow > 0 ? this.strings / perRow : 0;
      await this.group.attrs.update({ shape: [rows, ...this.rowShape] }, { shape: { dtype: "uint64" } });
      return this.group;
    } finally {
      await this.closeDatasets();
    }
  }

  /** Closes the datasets and the group after a failure. */
  async abort(): Promise<void> {
    await this.closeDatasets();
    if (this.group.isOpen) await this.group.close();
  }

  /** Writes the rows appended so far to the file (they are written every few MiB otherwise). */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const bytes = Buffer.concat(this.pending.map((p) => p.bytes));
    const count = this.pending.reduce((n, p) => n + p.ends.length, 0);
    const offsets = new Float64Array(count);
    let base = this.written;
    let i = 0;
    for (const part of this.pending) {
      for (let k = 0; k < part.ends.length; k++) offsets[i++] = base + part.ends[k];
      base += part.bytes.length;
    }
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.datasets) await this.createDatasets(bytes.length, count);
    await this.datasets!.bytes.append(bytes);
    await this.datasets!.offsets.append(toUint64(offsets));
    this.written = base;
  }

  /** The two datasets, chunked to the first block when it is all there is (a small array stays small). */
  private async createDatasets(firstBytes: number, firstStrings: number): Promise<void> {
    const filters = this.compression === "none" || this.compression === null ? {} : { compression: this.compression };
    const bytes = await this.group.createDataset("bytes", { shape: [0], maxshape: [null], dtype: "uint8", chunks: [Math.max(1, Math.min(CHUNK_BYTES, firstBytes))], ...filters });
    // offsets[0] = 0 goes in with the dataset: each block appends its strings' ends.
    const offsets = await this.group.createDataset("offsets", {
      data: new BigUint64Array(1), maxshape: [null], dtype: "uint64", chunks: [Math.min(CHUNK_BYTES / 8, firstStrings + 1)], ...filters, ...("compression" in filters && { shuffle: true }),
    });
    this.datasets = { bytes, offsets };
  }

  private async closeDatasets(): Promise<void> {
    const open = this.datasets ? [this.datasets.bytes, this.datasets.offsets] : [];
    this.datasets = null;
    await Promise.all(open.filter((d) => d.isOpen).map((d) => d.close()));
  }
}

/** Writes `strings` (row-major, `shape` their shape) as ragged group `name` in `parent`; returns the group, open. */
export async function writeRaggedStrings(parent: Group, name: string, strings: readonly string[] | EncodedStrings, shape: readonly number[], options: RaggedOptions = {}): Promise<Group> {
  const writer = await RaggedStringsWriter.create(parent, name, shape.slice(1), options);
  try {
    const encoded = Array.isArray(strings) ? encodeStrings(strings) : (strings as EncodedStrings);
    // In blocks: the writer's buffer, not a copy of the whole, holds what goes to the file next.
    const per = Math.max(1, shape.slice(1).reduce((a, b) => a * b, 1));
    for (let start = 0; start < encoded.ends.length; ) {
      const stop = blockEnd(encoded.ends, start, per);
      const from = start === 0 ? 0 : encoded.ends[start - 1];
      const ends = encoded.ends.subarray(start, stop).map((end) => end - from);
      await writer.appendEncoded({ bytes: encoded.bytes.subarray(from, encoded.ends[stop - 1]), ends });
      start = stop;
    }
    return await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** Where a block starting at string `start` ends: past BLOCK_BYTES of text, on a row boundary. */
function blockEnd(ends: Float64Array, start: number, per: number): number {
  const from = start === 0 ? 0 : ends[start - 1];
  let stop = start + per;
  while (stop < ends.length && ends[stop - 1] - from < BLOCK_BYTES) stop += per;
  return Math.min(stop, ends.length);
}

// ------------------------------------------------------------------------------ reading

/** Whether `object` is a ragged string array's group (attr layout "ragged-utf8"). */
export function* isRaggedStrings(object: H5Object): Operation<boolean> {
  const layout = yield* step(() => object.attrs.findSync("layout"), () => object.attrs.find("layout"));
  return layout === RAGGED_LAYOUT;
}

/** A ragged array's shape (its `shape` attr), checked against its offsets. */
export function* raggedShape(group: Group): Operation<number[]> {
  const version = yield* step(() => group.attrs.findSync("layout_version"), () => group.attrs.find("layout_version"));
  if (Number(version) > RAGGED_VERSION) throw new H5Error(`'${group.name}' is a ragged string array of layout_version ${version}; this h5dat reads version ${RAGGED_VERSION}`, group.name);
  const shape = yield* step(() => group.attrs.getSync("shape"), () => group.attrs.get("shape"));
  const dims = Array.from(shape as ArrayLike<number | bigint>, Number);
  if (dims.length === 0 || dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new H5Error(`'${group.name}' has no valid shape attr (${String(shape)})`, group.name);
  return dims;
}

/**
 * Rows [start, stop) of a ragged string array (all by default): its strings in row-major order,
 * and the shape they fill. Reads only those rows' offsets and bytes.
 */
export function* readRaggedStrings(group: Group, start?: number, stop?: number): Operation<{ data: string[]; shape: number[] }> {
  const shape = yield* raggedShape(group);
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  const first = Math.max(0, start ?? 0);
  const last = Math.min(shape[0], stop ?? shape[0]);
  const rows = Math.max(0, last - first);
  if (rows === 0 || per === 0) return { data: [], shape: [rows, ...shape.slice(1)] };
  const offsetsSet = yield* member(group, "offsets");
  try {
    const bytesSet = yield* member(group, "bytes");
    try {
      return { data: yield* stringsAt(group.name, offsetsSet, bytesSet, first * per, rows * per), shape: [rows, ...shape.slice(1)] };
    } finally {
      yield* closing(bytesSet);
    }
  } finally {
    yield* closing(offsetsSet);
  }
}

/** Strings [first, first + count) of the array whose datasets these are: their offsets, then their bytes. */
function* stringsAt(name: string, offsetsSet: Dataset, bytesSet: Dataset, first: number, count: number): Operation<string[]> {
  if ((offsetsSet.shape?.[0] ?? 0) < first + count + 1) throw new H5Error(`'${name}/offsets' is shorter than the group's shape needs`, name);
  const span = { start: [first], count: [count + 1] };
  const raw = yield* step(() => offsetsSet.readSync(span), () => offsetsSet.read(span));
  const offsets = fromUint64(raw.data as BigUint64Array);
  const from = offsets[0];
  const length = offsets[count] - from;
  if (length < 0 || from + length > (bytesSet.shape?.[0] ?? 0)) throw new H5Error(`'${name}/offsets' points past the end of its bytes`, name);
  const run = { start: [from], count: [length] };
  const bytes = length === 0 ? new Uint8Array(0) : ((yield* step(() => bytesSet.readSync(run), () => bytesSet.read(run))).data as Uint8Array);
  return decodeStrings(bytes, offsets, name);
}

/** A member dataset of the group. */
function* member(group: Group, name: string): Operation<Dataset> {
  return yield* step(() => group.datasetSync(name), () => group.dataset(name));
}

function* closing(object: H5Object): Operation<void> {
  yield* step(
    () => (object.isOpen ? object.closeSync() : undefined),
    () => (object.isOpen ? object.close() : Promise.resolve()),
  );
}

/** Offsets as uint64 without a BigInt per value: each as two 32-bit halves (little-endian). */
function toUint64(values: Float64Array): BigUint64Array {
  const out = new BigUint64Array(values.length);
  const halves = new Uint32Array(out.buffer);
  for (let i = 0; i < values.length; i++) {
    halves[2 * i] = values[i] % 0x100000000;
    halves[2 * i + 1] = Math.floor(values[i] / 0x100000000);
  }
  return out;
}

/** uint64 offsets as numbers (exact to 2^53, far past any file h5dat writes). */
function fromUint64(values: BigUint64Array): Float64Array {
  const out = new Float64Array(values.length);
  const halves = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < values.length; i++) out[i] = halves[2 * i + 1] * 0x100000000 + halves[2 * i];
  return out;
}
