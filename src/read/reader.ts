// The reading API: a read-only file (H5Reader) whose groups and datasets read h5py-style, and
// typed helpers that give back what conversion stored. Every method that touches the file
// returns a Promise; each has a `...Sync` twin. Paths are relative to the group, or absolute.
import type { ArrayResult } from "../h5/array-data";
import type { DecodeOptions } from "../h5/decode";
import { Dataset } from "../h5/dataset";
import { Datatype } from "../h5/datatype";
import type { Dtype } from "../h5/dtype";
import { H5Error } from "../h5/errors";
import type { File } from "../h5/file";
import { Group } from "../h5/group";
import type { Attributes } from "../h5/attrs";
import type { Selection } from "../h5/selection";
import { getObject, hasObject, linkNames, type Flow } from "./flow";
import { runAsync, runSync } from "../h5/operation";
import { readImageFlow, toFileFlow, toPNGFlow, type ToFileOptions, type ToFileResult } from "./images";
import type { EncodeOptions, ImagePixels } from "./image-encode";
import type { AxisRange } from "./axis-range";
import { readAudioFlow, readBytesFlow, readVideoFramesFlow, type AudioSamples, type VideoFrames } from "./media";
import { readJSONFlow, readJSONTextFlow, readTableFlow, type Table } from "./records";
import { getSelection, sliceSelection, type SliceArg } from "./slicing";
import { readWhole } from "./whole-chunk";
import { flattenTree, treeFlow, type TreeNode } from "./tree";

/** What `get(path)` finds. */
export type ReaderMember = ReaderGroup | ReaderDataset | Datatype;

/** A path, or a dataset got from the reader. */
export type DatasetTarget = string | ReaderDataset;

function wrap(object: Group | Dataset | Datatype): ReaderMember {
  if (object instanceof Dataset) return new ReaderDataset(object);
  if (object instanceof Group) return new ReaderGroup(object);
  return object;
}

const targetOf = (target: DatasetTarget): string | Dataset => (typeof target === "string" ? target : target.dataset);

/** A dataset, read h5py-style: `ds.get("0:10, ::2")`, `ds.slice(0, [10, 20], null)`. */
export class ReaderDataset {
  constructor(
    /** The h5 layer's dataset (chunk access, decode options, ...). */
    readonly dataset: Dataset,
  ) {}

  get name(): string {
    return this.dataset.name;
  }
  get attrs(): Attributes {
    return this.dataset.attrs;
  }
  /** Shape; [] for a scalar, null for an empty (null) dataspace. */
  get shape(): number[] | null {
    return this.dataset.shape;
  }
  get ndim(): number {
    return this.dataset.ndim;
  }
  get size(): number {
    return this.dataset.size;
  }
  get dtype(): Dtype {
    return this.dataset.dtype;
  }
  get chunks(): number[] | null {
    return this.dataset.chunks;
  }
  get maxshape(): (number | null)[] | null {
    return this.dataset.maxshape;
  }
  get compression(): string | null {
    return this.dataset.compression;
  }

  /**
   * The values selected by `selection` (all when omitted): a string as in h5py ("0:10, ::2",
   * "-1", "..., 0"), a list of axes as slice() takes them, or a hyperslab. Integer indexes drop
   * their axis. Numbers come back as a TypedArray, strings as string[], records as objects.
   */
  get(selection?: Selection | readonly SliceArg[], options?: DecodeOptions): Promise<ArrayResult> {
    return this.dataset.read(getSelection(selection), options);
  }
  getSync(selection?: Selection | readonly SliceArg[], options?: DecodeOptions): ArrayResult {
    return this.dataset.readSync(getSelection(selection), options);
  }

  /** One argument per axis: an index, [start, stop] / [start, stop, step], a Slice, null (all) or "...". */
  slice(...axes: SliceArg[]): Promise<ArrayResult> {
    return this.dataset.read(sliceSelection(axes));
  }
  sliceSync(...axes: SliceArg[]): ArrayResult {
    return this.dataset.readSync(sliceSelection(axes));
  }

  /** Everything (h5py's `d[()]`); a one-chunk numeric dataset is inflated off the HDF5 lock. */
  read(options?: DecodeOptions): Promise<ArrayResult> {
    return options ? this.dataset.read(undefined, options) : runAsync(readWhole(this.dataset));
  }
  readSync(options?: DecodeOptions): ArrayResult {
    return options ? this.dataset.readSync(undefined, options) : runSync(readWhole(this.dataset));
  }

  close(): Promise<void> {
    return this.dataset.close();
  }
  closeSync(): void {
    this.dataset.closeSync();
  }

  toString(): string {
    return this.dataset.toString().replace("<Dataset", "<ReaderDataset");
  }
}

/** A group: navigation, the tree below it, and the typed helpers for datasets below it. */
export class ReaderGroup {
  constructor(
    /** The h5 layer's group. */
    readonly group: Group,
  ) {}

  get name(): string {
    return this.group.name;
  }
  get attrs(): Attributes {
    return this.group.attrs;
  }

  private run<T>(flow: Flow<T>): Promise<T> {
    return runAsync(flow);
  }

  /** The group, dataset or named datatype at `path`. */
  get(path: string): Promise<ReaderMember> {
    return this.run(this.getFlow(path));
  }
  getSync(path: string): ReaderMember {
    return runSync(this.getFlow(path));
  }
  private *getFlow(path: string): Flow<ReaderMember> {
    return wrap(yield* getObject(this.group, path));
  }

  /** The dataset at `path` (throws for a group). */
  async dataset(path: string): Promise<ReaderDataset> {
    return expectDataset(await this.get(path));
  }
  datasetSync(path: string): ReaderDataset {
    return expectDataset(this.getSync(path));
  }

  /** Whether `path` leads to an object. */
  has(path: string): Promise<boolean> {
    return this.run(hasObject(this.group, path));
  }
  hasSync(path: string): boolean {
    return runSync(hasObject(this.group, path));
  }

  /** Link names in this group, sorted. */
  keys(): Promise<string[]> {
    return this.run(linkNames(this.group));
  }
  keysSync(): string[] {
    return runSync(linkNames(this.group));
  }

  /** The tree below this group: groups with children, datasets (shape, dtype), links with targets. */
  tree(): Promise<TreeNode> {
    return this.run(treeFlow(this.group));
  }
  treeSync(): TreeNode {
    return runSync(treeFlow(this.group));
  }

  /**
   * Every node below this group, depth first in name order. With a callback, stops at (and
   * returns) the first value it returns that is not undefined, as h5py's visit does.
   */
  visit(): Promise<TreeNode[]>;
  visit<T>(callback: (path: string, node: TreeNode) => T | undefined): Promise<T | undefined>;
  async visit<T>(callback?: (path: string, node: TreeNode) => T | undefined): Promise<TreeNode[] | T | undefined> {
    return visitNodes(flattenTree(await this.tree()), callback);
  }
  visitSync(): TreeNode[];
  visitSync<T>(callback: (path: string, node: TreeNode) => T | undefined): T | undefined;
  visitSync<T>(callback?: (path: string, node: TreeNode) => T | undefined): TreeNode[] | T | undefined {
    return visitNodes(flattenTree(this.treeSync()), callback);
  }

  /** An image's pixels: `{ data, shape, width, height, channels, bitDepth, frames, colourModel }`. */
  readImage(target: DatasetTarget): Promise<ImagePixels> {
    return this.run(readImageFlow(this.group, targetOf(target)));
  }
  readImageSync(target: DatasetTarget): ImagePixels {
    return runSync(readImageFlow(this.group, targetOf(target)));
  }

  /** An image as PNG bytes (sharp; 16-bit kept; an animation's frame `options.frame`, default 0). */
  toPNG(target: DatasetTarget, options?: EncodeOptions): Promise<Buffer> {
    return this.run(toPNGFlow(this.group, targetOf(target), options));
  }
  toPNGSync(target: DatasetTarget, options?: EncodeOptions): Buffer {
    return runSync(toPNGFlow(this.group, targetOf(target), options));
  }

  /**
   * Writes an image to `file` in the format of its extension (.png .jpg .webp .tif .avif .gif
   * .heif). When the original bytes were kept and the extension is the original's format, they
   * are written as they were (unless `options.reencode`).
   */
  toFile(target: DatasetTarget, file: string, options?: ToFileOptions): Promise<ToFileResult> {
    return this.run(toFileFlow(this.group, targetOf(target), file, options));
  }
  toFileSync(target: DatasetTarget, file: string, options?: ToFileOptions): ToFileResult {
    return runSync(toFileFlow(this.group, targetOf(target), file, options));
  }

  /** A JSON value deep-equal to the source (integers beyond 2^53 as BigInt); JSONL: an array of documents. */
  readJSON(target: DatasetTarget): Promise<unknown> {
    return this.run(readJSONFlow(this.group, targetOf(target)));
  }
  readJSONSync(target: DatasetTarget): unknown {
    return runSync(readJSONFlow(this.group, targetOf(target)));
  }

  /** The JSON as compact text, every number exactly as written in the source. */
  readJSONText(target: DatasetTarget): Promise<string> {
    return this.run(readJSONTextFlow(this.group, targetOf(target)));
  }
  readJSONTextSync(target: DatasetTarget): string {
    return runSync(readJSONTextFlow(this.group, targetOf(target)));
  }

  /** A table: typed columns, and rows() keyed by the original header; `range` of its rows alone. */
  readTable(target: DatasetTarget, range?: AxisRange): Promise<Table> {
    return this.run(readTableFlow(this.group, targetOf(target), range));
  }
  readTableSync(target: DatasetTarget, range?: AxisRange): Table {
    return runSync(readTableFlow(this.group, targetOf(target), range));
  }

  /** Frames [start, stop) of a video (all when omitted), read without the rest. */
  readVideoFrames(target: DatasetTarget, range?: AxisRange): Promise<VideoFrames> {
    return this.run(readVideoFramesFlow(this.group, targetOf(target), range));
  }
  readVideoFramesSync(target: DatasetTarget, range?: AxisRange): VideoFrames {
    return runSync(readVideoFramesFlow(this.group, targetOf(target), range));
  }

  /** Audio samples (float32, [N, channels]) with the sample rate; `range` of sample frames. */
  readAudio(target: DatasetTarget, range?: AxisRange): Promise<AudioSamples> {
    return this.run(readAudioFlow(this.group, targetOf(target), range));
  }
  readAudioSync(target: DatasetTarget, range?: AxisRange): AudioSamples {
    return runSync(readAudioFlow(this.group, targetOf(target), range));
  }

  /** The bytes of a 1-D uint8 dataset (a file kept as it was). */
  readBytes(target: DatasetTarget): Promise<Buffer> {
    return this.run(readBytesFlow(this.group, targetOf(target)));
  }
  readBytesSync(target: DatasetTarget): Buffer {
    return runSync(readBytesFlow(this.group, targetOf(target)));
  }

  close(): Promise<void> {
    return this.group.close();
  }
  closeSync(): void {
    this.group.closeSync();
  }

  toString(): string {
    return `<ReaderGroup ${this.name}>`;
  }
}

/** A file opened read-only: its root group, plus closing. */
export class H5Reader extends ReaderGroup {
  constructor(readonly file: File) {
    super(file);
  }

  get filename(): string {
    return this.file.filename;
  }

  /** `await using f = await open(...)` closes the file at scope end. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.file.isOpen) await this.file.close();
  }
  [Symbol.dispose](): void {
    if (this.file.isOpen) this.file.closeSync();
  }

  override toString(): string {
    return `<H5Reader ${this.filename}>`;
  }
}

function expectDataset(member: ReaderMember): ReaderDataset {
  if (member instanceof ReaderDataset) return member;
  throw new H5Error(`'${member.name}' is ${member instanceof ReaderGroup ? "a group" : "a named datatype"}, expected a dataset`, member.name);
}

function visitNodes<T>(nodes: TreeNode[], callback?: (path: string, node: TreeNode) => T | undefined): TreeNode[] | T | undefined {
  if (!callback) return nodes;
  for (const node of nodes) {
    const result = callback(node.path, node);
    if (result !== undefined) return result;
  }
  return undefined;
}
