// The read side of the stacked layout (issue 20; src/stacked/stacked-writer.ts writes it): one
// input's images as rows of one array, with labels, source paths and splits beside them. A
// StackedGroup reads the group's attrs once, opens its arrays when first needed, and reads rows
// by index in any order: images as one [B, H, W, C] batch (stacked-images.ts) or one by one
// (readImages: any storage), labels and paths as a few contiguous runs (index-runs.ts).
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { runAsync } from "../h5/operation";
import { readRaggedStrings } from "../h5/ragged-strings";
import { STACKED_LAYOUT, STACKED_VERSION } from "../stacked/stacked-writer";
import { checkedIndices, indexRuns, sortedDistinct } from "./index-runs";
import type { ImageStorage, StackedImage } from "../stacked/image-rows";
import { eachBounded, fixedBatch, fixedImage, READS_IN_FLIGHT, vlenElement } from "./stacked-images";

export type { ImageStorage, StackedImage } from "../stacked/image-rows";

/** Rows between two asked-for labels read through rather than apart: 8 bytes each. */
const LABEL_GAP = 4096;
/** Rows between two asked-for paths read through rather than apart (an offset and a path each). */
const PATH_GAP = 64;
/** Labels read at a time when counting classes. */
const COUNT_BLOCK = 1 << 16;

/** Rows of a stacked group read together by {@link StackedGroup.readBatch}. */
export interface StackedBatch {
  /** The images, row-major [B, H, W, C]: image k is `images.subarray(k * H * W * C, (k + 1) * H * W * C)`. */
  images: Uint8Array;
  /** [B, H, W, C]. */
  shape: [number, number, number, number];
  /**
   * Each row's class, an index into `classNames`; -1 for a row with no label. Int32Array rather
   * than the file's int64: class numbers are small, and numbers (not BigInts) index arrays.
   */
  labels: Int32Array;
  /** The row indices read, as given (duplicates and order kept). */
  indices: number[];
}

/** Each class's number of rows, and the rows with no label. */
export interface ClassCounts {
  /** counts[i]: rows whose label is i (classNames[i]). */
  counts: number[];
  /** Rows whose label is -1. */
  unlabelled: number;
}

/** Whether `group` holds a stacked layout (attr layout = "stacked"). */
export async function isStacked(group: Group): Promise<boolean> {
  return (await group.attrs.find("layout")) === STACKED_LAYOUT;
}

/** Opens the stacked layout in `group` (convert --layout stacked); close() it when done (the group stays open). */
export async function openStack(group: Group): Promise<StackedGroup> {
  const attrs = (name: string) => group.attrs.find(name);
  if ((await attrs("layout")) !== STACKED_LAYOUT) throw new Error(`'${group.name}' is not a stacked group (its layout attr is not "${STACKED_LAYOUT}")`);
  const version = Number(await attrs("stacked_version"));
  if (version > STACKED_VERSION) throw new Error(`'${group.name}' is a stacked group of stacked_version ${version}; this h5dat reads version ${STACKED_VERSION}`);
  const storage = ((await attrs("image_storage")) ?? "fixed") as ImageStorage;
  if (!["fixed", "ragged", "encoded"].includes(storage)) throw new Error(`'${group.name}' keeps its images as '${String(storage)}', which this h5dat cannot read`);
  const text = async (name: string) => String((await attrs(name)) ?? "");
  const splitNames = (await group.has("splits")) ? await namesIn(await group.group("splits")) : [];
  return new StackedGroup(group, {
    rows: Number((await attrs("rows")) ?? 0),
    imageShape: numbers(await attrs("image_shape")),
    storage,
    classNames: strings(await attrs("class_names")),
    labelSource: await text("label_source"),
    resize: await text("resize"),
    splitRule: await text("split_rule"),
    seed: Number((await attrs("seed")) ?? 0),
    splitNames,
  });
}

/** What the group's attrs say of its stack. */
interface StackFacts {
  rows: number;
  imageShape: number[];
  storage: ImageStorage;
  classNames: string[];
  labelSource: string;
  resize: string;
  splitRule: string;
  seed: number;
  splitNames: string[];
}

/** A stacked group open for reading rows by index. Indices are whole numbers in [0, rows); others are a RangeError. */
export class StackedGroup {
  private readonly datasets = new Map<string, Promise<Dataset>>();

  /** @internal */
  constructor(
    /** The group holding the stack. */
    readonly group: Group,
    private readonly facts: StackFacts,
  ) {}

  /** Number of rows (images). */
  get rows(): number {
    return this.facts.rows;
  }
  /** [H, W, C] of every image when the storage is "fixed"; [] otherwise, or with no rows. */
  get imageShape(): number[] {
    return this.facts.storage === "fixed" ? this.facts.imageShape : [];
  }
  /** How the images are kept: "fixed" ([N, H, W, C]), "ragged" (each its own shape) or "encoded" (the files' bytes). */
  get storage(): ImageStorage {
    return this.facts.storage;
  }
  /** The class names, sorted; a label is an index into them. */
  get classNames(): string[] {
    return this.facts.classNames;
  }
  /** Where the labels came from: "dir", "none" or "FILE:KEY:COLUMN" (the attr label_source). */
  get labelSource(): string {
    return this.facts.labelSource;
  }
  /** The resize asked for ("224x224:contain"), or "" for none. */
  get resize(): string {
    return this.facts.resize;
  }
  /** The --split rule ("train=0.8,val=0.2"), or "" (splits from directories, or none). */
  get splitRule(): string {
    return this.facts.splitRule;
  }
  /** The seed of the split's hash. */
  get seed(): number {
    return this.facts.seed;
  }
  /** The names of the splits (`splits/NAME`), sorted; [] when there are none. */
  get splitNames(): string[] {
    return this.facts.splitNames;
  }

  /** The sorted row indices of split `name`, read when asked for. */
  async split(name: string): Promise<Float64Array> {
    if (!this.facts.splitNames.includes(name)) throw new Error(`'${this.group.name}' has no split '${name}' (its splits: ${this.facts.splitNames.join(", ") || "none"})`);
    const dataset = await this.group.dataset(`splits/${name}`);
    try {
      return Float64Array.from((await dataset.read()).data as ArrayLike<number | bigint>, Number);
    } finally {
      await dataset.close();
    }
  }

  /**
   * Rows `indices` of a "fixed" stack: their images as one [B, H, W, C] array, read chunk by
   * chunk with up to READS_IN_FLIGHT (8) at once, decompressed on the libuv pool; and their labels.
   */
  async readBatch(indices: ArrayLike<number>): Promise<StackedBatch> {
    const rows = checkedIndices(indices, this.rows, this.group.name);
    if (this.storage !== "fixed") throw new Error(`the images of '${this.group.name}' are ${this.storage === "encoded" ? "the files' own bytes" : "of several shapes (ragged)"}: readImages() gives them one by one`);
    // The shape from the array itself (a stack with no rows may have none).
    const images = this.rows > 0 ? await this.dataset("images") : null;
    const [, h, w, c] = images?.shape ?? [0, 0, 0, 0];
    const [pixels, labels] = rows.length === 0 ? [new Uint8Array(0), new Int32Array(0)] : await Promise.all([fixedBatch(images!, rows), this.labelsOf(rows)]);
    return { images: pixels, shape: [rows.length, h, w, c], labels, indices: rows };
  }

  /**
   * Rows `indices`' images one by one, each with its [H, W, C]: the pixels (any storage but
   * "encoded"; `format` ""), or with the "encoded" storage each file's own bytes, its shape as
   * stored and its format's name ("jpeg", "png", …).
   */
  async readImages(indices: ArrayLike<number>): Promise<StackedImage[]> {
    const rows = checkedIndices(indices, this.rows, this.group.name);
    if (rows.length === 0) return [];
    const images = await this.dataset("images");
    const out = new Array<StackedImage>(rows.length);
    const positions = [...rows.keys()];
    if (this.storage === "fixed") {
      const shape = images.shape!.slice(1) as [number, number, number];
      await eachBounded(positions, READS_IN_FLIGHT, async (at) => void (out[at] = { data: await fixedImage(images, rows[at]), shape: [...shape], format: "" }));
      return out;
    }
    const shapes = await this.dataset("image_shapes");
    const formats = this.storage === "encoded" ? await this.textsOf("image_format", rows) : null;
    await eachBounded(positions, READS_IN_FLIGHT, async (at) => {
      const row = rows[at];
      const [data, shape] = await Promise.all([vlenElement(images, row), shapes.read({ start: [row, 0], count: [1, 3] })]);
      out[at] = { data, shape: Array.from(shape.data as ArrayLike<number>, Number) as [number, number, number], format: formats?.[at] ?? "" };
    });
    return out;
  }

  /** Rows `indices`' labels (-1: none). */
  async labels(indices: ArrayLike<number>): Promise<Int32Array> {
    return this.labelsOf(checkedIndices(indices, this.rows, this.group.name));
  }

  /** Rows `indices`' source paths, as convert found them. */
  async paths(indices: ArrayLike<number>): Promise<string[]> {
    return this.textsOf("paths", checkedIndices(indices, this.rows, this.group.name));
  }

  /** How many rows each class has, and how many have no label: the labels read a block at a time. */
  async classCounts(): Promise<ClassCounts> {
    const counts = this.classNames.map(() => 0);
    let unlabelled = 0;
    if (this.rows === 0) return { counts, unlabelled };
    const labels = await this.dataset("labels");
    for (let start = 0; start < this.rows; start += COUNT_BLOCK) {
      const count = Math.min(COUNT_BLOCK, this.rows - start);
      for (const label of numbers((await labels.read({ start: [start], count: [count] })).data)) {
        if (label < 0) unlabelled++;
        else if (label < counts.length) counts[label]++;
        else throw new Error(`'${this.group.name}/labels' holds ${label}, past its ${counts.length} class names`);
      }
    }
    return { counts, unlabelled };
  }

  /** Closes the arrays it opened (not the group); closing the file first closes them too. */
  async close(): Promise<void> {
    const open = [...this.datasets.values()];
    this.datasets.clear();
    for (const dataset of await Promise.allSettled(open)) if (dataset.status === "fulfilled" && dataset.value.isOpen) await dataset.value.close();
  }

  /** Member `name`, opened once. */
  private dataset(name: string): Promise<Dataset> {
    let opened = this.datasets.get(name);
    if (!opened) this.datasets.set(name, (opened = this.group.dataset(name)));
    return opened;
  }

  private async labelsOf(rows: readonly number[]): Promise<Int32Array> {
    const out = new Int32Array(rows.length);
    if (rows.length === 0) return out;
    const labels = await this.dataset("labels");
    const byRow = new Map<number, number>();
    for (const [start, stop] of indexRuns(sortedDistinct(rows), LABEL_GAP)) {
      const run = numbers((await labels.read({ start: [start], count: [stop - start] })).data);
      run.forEach((label, i) => byRow.set(start + i, label));
    }
    rows.forEach((row, at) => {
      const label = byRow.get(row)!;
      if (label < -1 || label >= this.classNames.length) throw new RangeError(`'${this.group.name}/labels' holds ${label} at row ${row}, not -1 or a class number below ${this.classNames.length}`);
      out[at] = label;
    });
    return out;
  }

  /** Rows of the ragged string array `name` (paths, image_format), in the order asked for. */
  private async textsOf(name: string, rows: readonly number[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const strings = await this.group.group(name);
    try {
      const byRow = new Map<number, string>();
      for (const [start, stop] of indexRuns(sortedDistinct(rows), PATH_GAP)) {
        (await runAsync(readRaggedStrings(strings, start, stop))).data.forEach((text, i) => byRow.set(start + i, text));
      }
      return rows.map((row) => byRow.get(row)!);
    } finally {
      await strings.close();
    }
  }
}

/** The names of `group`'s members; closes it. */
async function namesIn(group: Group): Promise<string[]> {
  try {
    return await group.keys();
  } finally {
    await group.close();
  }
}

/** A numeric attr or array as numbers (int64 values may come as BigInts). */
function numbers(value: unknown): number[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "number" || typeof value === "bigint") return [Number(value)];
  return Array.from(value as ArrayLike<number | bigint>, Number);
}

/** A string attr or array as strings (one name may come as a scalar). */
function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  return Array.from(value as ArrayLike<unknown>, String);
}
