// The stacked layout's arrays in one input's group, written as images come (issue 20):
//   images       uint8 [N, H, W, C], one image per chunk, the run's compression; or ragged or
//                encoded, with image_shapes (and image_format) beside it (image-rows.ts)
//   labels       int64 [N]: an index into the attr class_names (sorted), -1 for none
//   paths        a ragged string array (h5/ragged-strings.ts): each row's source path
//   source_size  uint64 [N]: each row's file size in bytes
//   splits/NAME  int64 [k]: sorted row indices of each split (disjoint, covering N)
//   meta         with a --labels table: its columns for each row, typed as the CSV processor
//                types them, after `_row`, the table's data row (-1: none, its cells 0/NaN/""/false)
// and the group's attrs layout "stacked", stacked_version 1, rows, image_storage, image_shape
// ([] unless fixed), converted_to_rgb (rows made RGB for --resize), class_names (also on
// labels), resize, label_source, split_rule, seed. Rows are in input order whatever order the images are decoded in: each
// entry of the input is added or skipped by its index, and rows wait until the ones before them
// are settled. Labels are written as the order classes were met, then renumbered once every
// class is known (class_names sorted: the same tree gives the same numbers every time).
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { RaggedStringsWriter } from "../h5/ragged-strings";
import { isCompressed, type DatasetLayout } from "../processors/layout";
import { createImageRows, FixedImages, RaggedImages, type ImageRows, type StackedImage } from "./image-rows";
import { ClassNumbering, labelSourceText, NO_LABEL, type LabelSource } from "./labels";
import { resizeText, type ResizeSpec } from "../processors/resize-spec";
import { splitRuleText, type SplitShare } from "./split-rule";
import { gatherColumn, type LabelTable } from "./label-table";
import { csvSchema, writeCsvTable } from "../processors/csv-table-writer";
import { fieldNames } from "../processors/field-names";

/** The `layout` attr of a stacked group. */
export const STACKED_LAYOUT = "stacked";
/** The `stacked_version` attr. */
export const STACKED_VERSION = 1;

/** Rows read back at a time when labels are renumbered. */
const RENUMBER_ROWS = 1 << 16;

/** How a group's stack is made. */
export interface StackOptions {
  layout: DatasetLayout;
  labels: LabelSource;
  /** The split rule (null: no --split); split directories win over it. */
  split: readonly SplitShare[] | null;
  seed: number;
  resize: ResizeSpec | null;
  /** Keep each image's file bytes instead of its pixels (--images encoded). */
  encoded: boolean;
  /** The --labels table, written row for row as `meta` (null: none). */
  table?: LabelTable | null;
}

/** One image of the stack. */
export interface StackedRow {
  image: StackedImage;
  /** A grey, alpha or CMYK image made RGB for --resize. */
  convertedToRgb: boolean;
  sourcePath: string;
  size: number;
  /** Its class name (null: none). */
  label: string | null;
  /** Its split's name (null: none). */
  split: string | null;
  /** Its row of the label table (-1: none). */
  tableRow?: number;
}

/** An added row waiting for the rows before it, and its adder's promise. */
interface Waiting {
  row: StackedRow;
  resolve(): void;
  reject(error: unknown): void;
}

/** The arrays of one group's stack, made by the first image. */
interface Arrays {
  images: ImageRows;
  labels: Dataset;
  sizes: Dataset;
  paths: RaggedStringsWriter;
}

/** Writes one group's stack, rows in input order. */
export class StackedWriter {
  private arrays: Arrays | null = null;
  private readonly waiting = new Map<number, Waiting | null>();
  private next = 0;
  private rows = 0;
  private convertedToRgb = 0;
  private writing: Promise<void> = Promise.resolve();
  private readonly classes: ClassNumbering;
  private readonly splitNames: string[] = [];
  private splitOfRow = new Uint8Array(1024);
  private tableRowOf = new Int32Array(1024);

  constructor(private readonly group: Group, private readonly options: StackOptions, existingClasses: readonly string[] = []) {
    this.classes = new ClassNumbering(existingClasses);
  }

  /**
   * Adds entry `index`'s image: written once every entry before it is settled. Resolves when it
   * is written; rejects when it cannot be (an image of another shape), which fails it alone.
   */
  add(index: number, row: StackedRow): Promise<void> {
    return new Promise((resolve, reject) => this.settle(index, { row, resolve, reject }));
  }

  /** Entry `index` of the input is no row of the stack (another kind, or failed). */
  skip(index: number): void {
    this.settle(index, null);
  }

  /** Renumbers the labels, writes the splits and the attrs; returns the number of rows. */
  async finish(): Promise<number> {
    await this.writing;
    if (this.waiting.size > 0) throw new Error(`the stack of '${this.group.name}' waits for entry ${this.next}, never settled`);
    const arrays = this.arrays;
    const { classNames, numberOf } = this.classes.finish();
    if (arrays) {
      await this.renumber(arrays.labels, numberOf);
      await arrays.labels.attrs.set("class_names", classNames, { dtype: "string" });
      await (await arrays.paths.finish()).close();
      await arrays.images.close();
      for (const dataset of [arrays.labels, arrays.sizes]) await dataset.close();
    }
    await this.writeSplits();
    if (this.options.table) await this.writeMeta(this.options.table);
    const { resize, labels, split, seed } = this.options;
    await this.group.attrs.update(
      {
        layout: STACKED_LAYOUT,
        stacked_version: STACKED_VERSION,
        rows: this.rows,
        image_storage: arrays ? arrays.images.storage : this.options.encoded ? "encoded" : "fixed",
        image_shape: arrays?.images.shape ?? [],
        converted_to_rgb: this.convertedToRgb,
        class_names: classNames,
        resize: resize ? resizeText(resize) : "",
        label_source: labelSourceText(labels),
        split_rule: split ? splitRuleText(split) : "",
        seed,
      },
      { stacked_version: { dtype: "int64" }, rows: { dtype: "int64" }, converted_to_rgb: { dtype: "int64" }, seed: { dtype: "int64" }, image_shape: { dtype: "int64" }, class_names: { dtype: "string" } },
    );
    return this.rows;
  }

  /** Rows written so far. */
  get rowCount(): number {
    return this.rows;
  }

  private settle(index: number, waiting: Waiting | null): void {
    if (index < this.next || this.waiting.has(index)) throw new Error(`entry ${index} of '${this.group.name}' settled twice`);
    this.waiting.set(index, waiting);
    this.writing = this.writing.then(() => this.flush());
  }

  /** Writes the rows that no earlier entry holds back, each telling its adder how it went. */
  private async flush(): Promise<void> {
    while (this.waiting.has(this.next)) {
      const waiting = this.waiting.get(this.next)!;
      this.waiting.delete(this.next);
      this.next++;
      if (!waiting) continue;
      try {
        await this.write(waiting.row);
        waiting.resolve();
      } catch (error) {
        waiting.reject(error);
      }
    }
  }

  private async write(row: StackedRow): Promise<void> {
    const arrays = (this.arrays ??= await this.create(row.image));
    if (!arrays.images.fits(row.image)) {
      // An image of another shape: a fixed stack without --resize turns ragged.
      if (this.options.resize || !(arrays.images instanceof FixedImages)) throw new Error(`'${row.sourcePath}' is ${row.image.shape.join("×")}, not the stack's ${arrays.images.shape?.join("×")}`);
      arrays.images = await RaggedImages.fromFixed(this.group, this.options.layout, arrays.images);
    }
    await arrays.images.append(row.image);
    await arrays.labels.append(BigInt64Array.of(BigInt(row.label === null ? NO_LABEL : this.classes.idOf(row.label))), 1);
    await arrays.sizes.append(BigUint64Array.of(BigInt(row.size)), 1);
    await arrays.paths.append([row.sourcePath]);
    this.recordSplit(row.split);
    this.tableRowOf[this.rows] = row.tableRow ?? -1;
    if (row.convertedToRgb) this.convertedToRgb++;
    this.rows++;
  }

  private async create(first: StackedImage): Promise<Arrays> {
    const { layout } = this.options;
    const images = await createImageRows(this.group, layout, first, this.options.encoded);
    const compression = isCompressed(layout) ? { compression: layout.compression } : {};
    const column = (name: string, dtype: "int64" | "uint64") => this.group.createDataset(name, { shape: [0], maxshape: [null], chunks: [65536], dtype, ...compression });
    const labels = await column("labels", "int64");
    const sizes = await column("source_size", "uint64");
    const paths = await RaggedStringsWriter.create(this.group, "paths", [], { compression: layout.compression });
    return { images, labels, sizes, paths };
  }

  private recordSplit(split: string | null): void {
    if (this.rows === this.splitOfRow.length) {
      this.splitOfRow = grown(this.splitOfRow, new Uint8Array(this.rows * 2));
      this.tableRowOf = grown(this.tableRowOf, new Int32Array(this.rows * 2));
    }
    let at = 0;
    if (split !== null) {
      at = this.splitNames.indexOf(split) + 1;
      if (at === 0) at = this.splitNames.push(split);
      if (at > 255) throw new Error("more than 255 splits");
    }
    this.splitOfRow[this.rows] = at;
  }

  /** Each split's sorted row indices as splits/NAME (rows of no split are in none). */
  private async writeSplits(): Promise<void> {
    if (this.splitNames.length === 0) return;
    const splits = await this.group.createGroup("splits");
    for (let s = 0; s < this.splitNames.length; s++) {
      const rows: bigint[] = [];
      for (let r = 0; r < this.rows; r++) if (this.splitOfRow[r] === s + 1) rows.push(BigInt(r));
      await (await splits.createDataset(this.splitNames[s], { data: BigInt64Array.from(rows), shape: [rows.length], dtype: "int64" })).close();
    }
    await splits.close();
  }

  /** The label table's rows in the stack's row order, after `_row`, the table row of each. */
  private async writeMeta(table: LabelTable): Promise<void> {
    const rowOf = this.tableRowOf.subarray(0, this.rows);
    const columns = ["_row", ...table.columns];
    const values = [BigInt64Array.from(rowOf, BigInt), ...table.columns.map((_, c) => gatherColumn(table, c, rowOf))];
    const schema = csvSchema(fieldNames(columns), ["int64", ...table.types]);
    const meta = await writeCsvTable(this.group, "meta", schema, values as unknown as unknown[][], this.rows, { columns }, this.options.layout);
    await meta.attrs.set("label_table", table.name);
    await meta.close();
  }

  /** The labels written as encounter ids, rewritten as class numbers, a block at a time. */
  private async renumber(labels: Dataset, numberOf: Int32Array): Promise<void> {
    for (let start = 0; start < this.rows; start += RENUMBER_ROWS) {
      const count = Math.min(this.rows, start + RENUMBER_ROWS) - start;
      const ids = (await labels.read({ start: [start], count: [count] })).data as BigInt64Array;
      const numbers = BigInt64Array.from(ids, (id) => (id < 0n ? id : BigInt(numberOf[Number(id)])));
      await labels.write(numbers, { start: [start], count: [count] });
    }
  }
}

/** `into` (twice `from`'s length) holding `from` at its start. */
function grown<T extends Uint8Array | Int32Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
