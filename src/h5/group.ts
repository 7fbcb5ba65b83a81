// A group: objects by path, creation (intermediate groups made), listing, links, and a walk
// over the tree. h5py's Group, with a Promise form and a Sync form of each method.
import { planDatasetCreation, type CreateDatasetOptions } from "./dataset-creation";
import { planVirtualDatasetCreation, type CreateVirtualDatasetOptions } from "./virtual-dataset";
import type { DataOf } from "./array-data";
import { Dataset } from "./dataset";
import { Datatype } from "./datatype";
import { dtypeName, toTypeSpec, type Dtype } from "./dtype";
import { H5Error } from "./errors";
import { H5Object } from "./h5-object";
import type { LinkInfo, NativeHandle, VisitEntry } from "../native/addon-types";
import { call, runAsync, runSync, type Operation } from "./operation";

export type { LinkInfo, VisitEntry };
/** What a path in a file leads to. */
export type H5Member = Group | Dataset | Datatype;

/** How Group.copyFile treats storage outside the source file. */
export interface CopyFileOptions {
  /**
   * "contain" (the default): a dataset whose values are external raw data or virtual sources in
   * files inside `inputDirectory` is made again with those values; any other is made again with
   * fill values only (attr `h5dat_not_copied` says why), and external links are not copied — the
   * copy names no file outside itself. "keep": copied as they are, as h5py's copy does.
   */
  external?: "contain" | "keep";
  /**
   * The directory whose files a contained copy may read (a real path); relative names resolve
   * from the source file's own directory. None by default: nothing outside the source is read.
   */
  inputDirectory?: string;
}

/** A group of an HDF5 file: objects by path, creation, links, and a walk over the tree below it. */
export class Group extends H5Object {
  /** @internal */
  constructor(handle: NativeHandle, file: H5Object["file"] | null) {
    super(handle, file ?? (undefined as unknown as H5Object["file"]));
  }

  /** The group or dataset at `path` (relative to this group, or absolute). */
  get(path: string): Promise<H5Member> {
    return runAsync(this.getOp(path));
  }
  /** The Sync form of {@link Group.get}. */
  getSync(path: string): H5Member {
    return runSync(this.getOp(path));
  }

  /** The group at `path`; throws when it is a dataset. */
  async group(path: string): Promise<Group> {
    return expectKind(await this.get(path), Group);
  }
  /** The Sync form of {@link Group.group}. */
  groupSync(path: string): Group {
    return expectKind(this.getSync(path), Group);
  }

  /**
   * The dataset at `path`; throws when it is a group. With `dtype` (`f.dataset("x", "float32")`),
   * also throws unless the dataset is of that dtype, and read() is typed by it.
   */
  dataset<D extends Dtype = Dtype>(path: string, dtype?: D): Promise<Dataset<DataOf<D>>> {
    return runAsync(this.datasetOp(path, dtype));
  }
  /** The Sync form of {@link Group.dataset}. */
  datasetSync<D extends Dtype = Dtype>(path: string, dtype?: D): Dataset<DataOf<D>> {
    return runSync(this.datasetOp(path, dtype));
  }

  /** Whether `path` leads to an object (a dangling soft link does not). */
  async has(path: string): Promise<boolean> {
    return runAsync(call("linkExists", this.handle, path));
  }
  /** The Sync form of {@link Group.has}. */
  hasSync(path: string): boolean {
    return runSync(call("linkExists", this.handle, path));
  }

  /** Names of the links in this group, sorted. */
  async keys(): Promise<string[]> {
    return runAsync(call("linkList", this.handle));
  }
  /** The Sync form of {@link Group.keys}. */
  keysSync(): string[] {
    return runSync(call("linkList", this.handle));
  }

  /** Iterates member names: `for (const name of group)`. */
  [Symbol.iterator](): Iterator<string> {
    return this.keysSync()[Symbol.iterator]();
  }
  /**
   * Iterates [name, object] pairs: `for await (const [name, obj] of group)`. Links that lead to no
   * object (dangling soft links, unreachable external files) are skipped; keys() lists them.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<[string, H5Member]> {
    for (const name of await this.keys()) {
      if (await this.has(name)) yield [name, await this.get(name)];
    }
  }

  /** Creates a group; missing intermediate groups are created too. Fails if it exists. */
  createGroup(path: string): Promise<Group> {
    return runAsync(this.createGroupOp(path));
  }
  /** The Sync form of {@link Group.createGroup}. */
  createGroupSync(path: string): Group {
    return runSync(this.createGroupOp(path));
  }

  /** The group at `path`, created when missing. */
  requireGroup(path: string): Promise<Group> {
    return runAsync(this.requireGroupOp(path));
  }
  /** The Sync form of {@link Group.requireGroup}. */
  requireGroupSync(path: string): Group {
    return runSync(this.requireGroupOp(path));
  }

  /** Creates a dataset (h5py's create_dataset keywords); a literal `dtype` types its read(). */
  createDataset<D extends Dtype = Dtype>(path: string, options: CreateDatasetOptions & { dtype?: D }): Promise<Dataset<DataOf<D>>> {
    return runAsync(this.createDatasetOp(path, options));
  }
  /** The Sync form of {@link Group.createDataset}. */
  createDatasetSync<D extends Dtype = Dtype>(path: string, options: CreateDatasetOptions & { dtype?: D }): Dataset<DataOf<D>> {
    return runSync(this.createDatasetOp(path, options));
  }

  /**
   * Creates a virtual dataset: each block of it reads a whole source dataset, in this file or
   * another, without copying (h5py's create_virtual_dataset), e.g. shards concatenated along
   * axis 0. Every source must exist, of its block's shape and a type that converts to `dtype`.
   * Reading it from another file's sources needs File.open's `{ external: "follow" }`.
   */
  createVirtualDataset<D extends Dtype = Dtype>(path: string, options: CreateVirtualDatasetOptions & { dtype: D }): Promise<Dataset<DataOf<D>>> {
    return runAsync(this.createVirtualDatasetOp(path, options));
  }
  /** The Sync form of {@link Group.createVirtualDataset}. */
  createVirtualDatasetSync<D extends Dtype = Dtype>(path: string, options: CreateVirtualDatasetOptions & { dtype: D }): Dataset<DataOf<D>> {
    return runSync(this.createVirtualDatasetOp(path, options));
  }

  /** Stores `dtype` as a named datatype at `path` (h5py: `group[path] = np.dtype(...)`). */
  async commitDatatype(path: string, dtype: Dtype): Promise<void> {
    return runAsync(call("datatypeCommit", this.handle, path, toTypeSpec(dtype)));
  }
  /** The Sync form of {@link Group.commitDatatype}. */
  commitDatatypeSync(path: string, dtype: Dtype): void {
    runSync(call("datatypeCommit", this.handle, path, toTypeSpec(dtype)));
  }

  /**
   * Copies `source` (a group with its whole tree, a dataset or a named datatype, from this or
   * another file, attributes included) to `path` here, as h5py's `group.copy(source, path)`.
   */
  async copy(source: H5Object, path: string): Promise<void> {
    return runAsync(call("objectCopy", source.openHandle, ".", this.handle, path));
  }
  /** The Sync form of {@link Group.copy}. */
  copySync(source: H5Object, path: string): void {
    runSync(call("objectCopy", source.openHandle, ".", this.handle, path));
  }

  /**
   * Copies a whole file (its root group's tree and attributes) to the new group `path` here,
   * keeping what it means: object and region references point at the copies (in compounds and
   * sequences too, so dimension scales stay attached), absolute soft links point into the new
   * group, hard links stay one object, committed datatypes stay shared; relative soft links are
   * kept as they are. Storage outside the source file is contained unless `options.external`
   * is "keep" (see CopyFileOptions); returns a note for each such dataset or link.
   */
  async copyFile(source: H5Object["file"], path: string, options: CopyFileOptions = {}): Promise<string[]> {
    return runAsync(call("fileTreeCopy", source.openHandle, this.handle, path, options));
  }
  /** The Sync form of {@link Group.copyFile}. */
  copyFileSync(source: H5Object["file"], path: string, options: CopyFileOptions = {}): string[] {
    return runSync(call("fileTreeCopy", source.openHandle, this.handle, path, options));
  }

  /** Removes the link at `path` (the object goes when no link is left). */
  async delete(path: string): Promise<void> {
    return runAsync(call("linkDelete", this.handle, path));
  }
  /** The Sync form of {@link Group.delete}. */
  deleteSync(path: string): void {
    runSync(call("linkDelete", this.handle, path));
  }

  /** Creates a soft link at `path` pointing to `target` (a path, need not exist). */
  async softLink(path: string, target: string): Promise<void> {
    return runAsync(call("linkCreate", this.handle, "soft", target, path));
  }
  /** The Sync form of {@link Group.softLink}. */
  softLinkSync(path: string, target: string): void {
    runSync(call("linkCreate", this.handle, "soft", target, path));
  }

  /** Creates a hard link at `path` to the existing object at `target`. */
  async hardLink(path: string, target: string): Promise<void> {
    return runAsync(call("linkCreate", this.handle, "hard", target, path));
  }
  /** The Sync form of {@link Group.hardLink}. */
  hardLinkSync(path: string, target: string): void {
    runSync(call("linkCreate", this.handle, "hard", target, path));
  }

  /** Creates an external link at `path` to `target` inside the file `file`. */
  async externalLink(path: string, file: string, target: string): Promise<void> {
    return runAsync(call("linkCreate", this.handle, "external", target, path, file));
  }
  /** The Sync form of {@link Group.externalLink}. */
  externalLinkSync(path: string, file: string, target: string): void {
    runSync(call("linkCreate", this.handle, "external", target, path, file));
  }

  /** What kind of link `path` is, and where soft and external links point. */
  async linkInfo(path: string): Promise<LinkInfo> {
    return runAsync(call("linkInfo", this.handle, path));
  }
  /** The Sync form of {@link Group.linkInfo}. */
  linkInfoSync(path: string): LinkInfo {
    return runSync(call("linkInfo", this.handle, path));
  }

  /**
   * Every object below this group once, in name order, with paths relative to it. With a
   * callback, stops at (and returns) the first value it returns that is not undefined (as h5py).
   */
  visit(): Promise<VisitEntry[]>;
  visit<T>(callback: (path: string, kind: VisitEntry["kind"]) => T | undefined): Promise<T | undefined>;
  async visit<T>(callback?: (path: string, kind: VisitEntry["kind"]) => T | undefined): Promise<VisitEntry[] | T | undefined> {
    return visitWith(await runAsync(call("visit", this.handle)), callback);
  }
  /** The Sync form of {@link Group.visit}. */
  visitSync(): VisitEntry[];
  visitSync<T>(callback: (path: string, kind: VisitEntry["kind"]) => T | undefined): T | undefined;
  visitSync<T>(callback?: (path: string, kind: VisitEntry["kind"]) => T | undefined): VisitEntry[] | T | undefined {
    return visitWith(runSync(call("visit", this.handle)), callback);
  }

  override toString(): string {
    return `<Group ${this.name}>`;
  }

  private *getOp(path: string): Operation<H5Member> {
    const handle = yield* call("objectOpen", this.handle, path);
    if (handle.kind === "dataset") {
      const info = yield* call("datasetDescribe", handle);
      return new Dataset(handle, this.file, info);
    }
    if (handle.kind === "group") return new Group(handle, this.file);
    return new Datatype(handle, this.file, yield* call("datatypeDescribe", handle));
  }

  private *datasetOp<D extends Dtype>(path: string, dtype: D | undefined): Operation<Dataset<DataOf<D>>> {
    const dataset = expectKind(yield* this.getOp(path), Dataset);
    if (dtype !== undefined && dtypeName(dataset.dtype) !== dtypeName(dtype)) {
      yield* call("handleClose", dataset.openHandle);
      throw new H5Error(`'${dataset.name}' is ${dtypeName(dataset.dtype)}, not ${dtypeName(dtype)}`, dataset.name);
    }
    return dataset as Dataset<DataOf<D>>;
  }

  private *createGroupOp(path: string): Operation<Group> {
    return new Group(yield* call("groupCreate", this.handle, path), this.file);
  }

  private *requireGroupOp(path: string): Operation<Group> {
    if (!(yield* call("linkExists", this.handle, path))) {
      try {
        return yield* this.createGroupOp(path);
      } catch (error) {
        // Promise forms interleave: another call may have made something at `path` between the
        // check and the create. What is there now is the answer (a group, or a clear kind error).
        if (!(yield* call("linkExists", this.handle, path))) throw error;
      }
    }
    const found = yield* this.getOp(path);
    return expectKind(found, Group);
  }

  private *createDatasetOp<D extends Dtype>(path: string, options: CreateDatasetOptions & { dtype?: D }): Operation<Dataset<DataOf<D>>> {
    const plan = planDatasetCreation(options, joinForMessage(this.name, path));
    const created = yield* call("datasetCreate", this.handle, path, plan.type, plan.shape, plan.maxshape, plan.options, plan.fill, plan.data, plan.attrs);
    return new Dataset<DataOf<D>>(created.handle, this.file, created.info);
  }

  private *createVirtualDatasetOp<D extends Dtype>(path: string, options: CreateVirtualDatasetOptions & { dtype: D }): Operation<Dataset<DataOf<D>>> {
    const plan = planVirtualDatasetCreation(options, joinForMessage(this.name, path));
    const created = yield* call("virtualDatasetCreate", this.handle, path, plan.type, plan.shape, plan.maxshape, plan.sources, plan.fill);
    return new Dataset<DataOf<D>>(created.handle, this.file, created.info);
  }
}

function joinForMessage(base: string, path: string): string {
  if (path.startsWith("/")) return path;
  return base === "/" ? `/${path}` : `${base}/${path}`;
}

function kindName(object: unknown): string {
  return object instanceof Dataset ? "a dataset" : object instanceof Datatype ? "a named datatype" : "a group";
}

function expectKind<T>(object: H5Member, kind: new (...args: never[]) => T): T {
  if (object instanceof kind) return object;
  throw new H5Error(`'${object.name}' is ${kindName(object)}, expected ${kind === (Group as unknown) ? "a group" : "a dataset"}`, object.name);
}

function visitWith<T>(entries: VisitEntry[], callback?: (path: string, kind: VisitEntry["kind"]) => T | undefined): VisitEntry[] | T | undefined {
  if (!callback) return entries;
  for (const entry of entries) {
    const result = callback(entry.path, entry.kind);
    if (result !== undefined) return result;
  }
  return undefined;
}
