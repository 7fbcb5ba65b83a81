// The stacked layout's arrays in one input's group, written as images come (issue 20):
//   images       uint8 [N, H, W, C], one image per chunk, the run's compression; or ragged or
//                encoded, with image_shapes (and image_format) beside it (image-rows.ts)
//   paths        a ragged string array (h5/ragged-strings.ts): each row's source path
//   source_size  uint64 [N]: each row's file size in bytes
// and, once every row is in, from each row's path (its label, split and table row are functions
// of the path and the options, so a stack appended to or resumed gets them as a clean run would):
//   labels       int64 [N]: an index into the attr class_names (sorted), -1 for none
//   splits/NAME  int64 [k]: sorted row indices of each split (disjoint)
//   meta         with a --labels table: its columns for each row, typed as the CSV processor
//                types them, after `_row`, the table's data row (-1: none, its cells 0/NaN/""/false)
// and the group's attrs layout "stacked", stacked_version 1, rows, image_storage, image_shape
// ([] unless fixed), image_mode ("rgb": every image made 8-bit RGB for --resize, grey expanded
// and alpha dropped; "own": each image's own channels), class_names (also on labels), resize,
// label_source, split_rule, seed. Rows are in input order whatever order the
// images are decoded in: each entry of the input is added or skipped by its index, and rows wait
// until the ones before them are settled. A stack appended to keeps its rows and adds after them;
// its class numbers stay, new classes are numbered after the old ones.
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { runAsync } from "../h5/operation";
import { readRaggedStrings, RaggedStringsWriter } from "../h5/ragged-strings";
import { compressionOf, type DatasetLayout } from "../processors/layout";
import { csvSchema, csvTableWriter } from "../processors/csv-table-writer";
import { fieldNames } from "../processors/field-names";
import { createImageRows, FixedImages, openImageRows, RaggedImages, type ImageRows, type StackedImage } from "./image-rows";
import { ClassNumbering, labelSourceText, NO_LABEL, type LabelSource } from "./labels";
import { gatherColumn, type LabelTable } from "./label-table";
import { resizeText, type ResizeSpec } from "../processors/resize-spec";
import { splitRuleText, type SplitShare } from "./split-rule";

/** The `layout` attr of a stacked group. */
export const STACKED_LAYOUT = "stacked";
/** The `stacked_version` attr. */
export const STACKED_VERSION = 1;

/** Rows' paths read back at a time when labels, splits and meta are written. */
const FINISH_ROWS = 1 << 16;
/**
 * Sizes gathered before they go to source_size: appending one value a row into a compressed
 * chunk costs ~3 ms a row (the chunk re-read and re-compressed), more than the image.
 */
const SIZE_BLOCK = 4096;

/** What a row's path says of it. */
export interface RowFacts {
  /** Its class name (null: none). */
  label: string | null;
  /** Its split's name (null: none). */
  split: string | null;
  /** Its row of the label table (-1: none). */
  tableRow: number;
}

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
  table: LabelTable | null;
  /** A row's label, split and table row, from its source path. */
  factsOf(sourcePath: string): RowFacts;
}

/** One image of the stack. */
export interface StackedRow {
  image: StackedImage;
  sourcePath: string;
  size: number;
}

/** An added row waiting for the rows before it, and its adder's promise. */
interface Waiting {
  row: StackedRow;
  resolve(): void;
  reject(error: unknown): void;
}

/** The arrays written row by row, made by the first image (or opened, appending). */
interface Arrays {
  images: ImageRows;
  sizes: Dataset;
  paths: RaggedStringsWriter;
}

/** The attrs of a stack a file holds, which a run appending to it must agree with. */
export const STACK_OPTION_ATTRS = ["resize", "label_source", "split_rule", "seed"] as const;

/** Writes one group's stack, rows in input order. */
export class StackedWriter {
  private arrays: Arrays | null = null;
  private readonly waiting = new Map<number, Waiting | null>();
  private next = 0;
  private rows = 0;
  private unlabelled = 0;
  private tableRowsMatched = 0;
  private writing: Promise<void> = Promise.resolve();
  /** Sizes of rows written, not yet in source_size. */
  private pendingSizes: bigint[] = [];

  constructor(private readonly group: Group, private readonly options: StackOptions, private readonly existingClasses: readonly string[] = []) {}

  /**
   * The stack `group` already holds (a file appended to, or an interrupted run's, cut back to
   * the rows it recorded: resume-stacks.ts): rows added after its own.
   */
  static async reopen(group: Group, options: StackOptions): Promise<StackedWriter> {
    const classes = await group.attrs.find("class_names");
    const writer = new StackedWriter(group, options, Array.from((classes ?? []) as ArrayLike<string>, String));
    if (await group.has("source_size")) {
      const storage = (await group.has("image_shapes")) ? (options.encoded ? "encoded" : "ragged") : "fixed";
      const sizes = (await group.get("source_size")) as Dataset;
      writer.arrays = { images: await openImageRows(group, storage), sizes, paths: await RaggedStringsWriter.open(group, "paths") };
      writer.rows = sizes.shape![0];
    }
    return writer;
  }

  /** Writes what the arrays buffer to the file, after the rows ready to be written (at a checkpoint). */
  checkpoint(): Promise<void> {
    const flushed = this.writing.then(async () => {
      await this.flushSizes();
      await this.arrays?.paths.flush();
      await this.arrays?.images.flush();
    });
    this.writing = flushed.catch(() => undefined);
    return flushed;
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

  /** Rows in the stack; once finished, rows without a label and label table rows some row matched. */
  get counts(): { rows: number; unlabelled: number; tableRowsMatched: number } {
    return { rows: this.rows, unlabelled: this.unlabelled, tableRowsMatched: this.tableRowsMatched };
  }

  /** The source paths of the rows the stack holds (read back: a file appended to). */
  async storedPaths(): Promise<string[]> {
    if (!this.arrays) return [];
    return (await runAsync(readRaggedStrings(this.arrays.paths.group))).data;
  }

  /** Writes labels, splits, meta and the attrs from every row's path; returns the number of rows. */
  async finish(): Promise<number> {
    await this.writing;
    if (this.waiting.size > 0) throw new Error(`the stack of '${this.group.name}' waits for entry ${this.next}, never settled`);
    const arrays = this.arrays;
    let classNames: string[] = [...this.existingClasses];
    if (arrays) {
      const paths = await arrays.paths.finish();
      try {
        await arrays.images.close();
        await this.flushSizes();
        await arrays.sizes.close();
        classNames = await this.writeFromPaths(paths);
      } finally {
        await paths.close();
      }
    }
    const { resize, labels, split, seed } = this.options;
    await this.group.attrs.update(
      {
        layout: STACKED_LAYOUT,
        stacked_version: STACKED_VERSION,
        rows: this.rows,
        image_storage: arrays ? arrays.images.storage : this.options.encoded ? "encoded" : "fixed",
        image_shape: arrays?.images.shape ?? [],
        image_mode: resize ? "rgb" : "own",
        class_names: classNames,
        resize: resize ? resizeText(resize) : "",
        label_source: labelSourceText(labels),
        split_rule: split ? splitRuleText(split) : "",
        seed,
      },
      { stacked_version: { dtype: "int64" }, rows: { dtype: "int64" }, seed: { dtype: "int64" }, image_shape: { dtype: "int64" }, class_names: { dtype: "string" } },
    );
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
    this.pendingSizes.push(BigInt(row.size));
    if (this.pendingSizes.length >= SIZE_BLOCK) await this.flushSizes();
    await arrays.paths.append([row.sourcePath]);
    this.rows++;
  }

  private async flushSizes(): Promise<void> {
    if (!this.arrays || this.pendingSizes.length === 0) return;
    const sizes = BigUint64Array.from(this.pendingSizes);
    this.pendingSizes = [];
    await this.arrays.sizes.append(sizes, sizes.length);
  }

  private async create(first: StackedImage): Promise<Arrays> {
    const { layout } = this.options;
    const images = await createImageRows(this.group, layout, first, this.options.encoded);
    const sizes = await createColumn(this.group, "source_size", "uint64", layout);
    const paths = await RaggedStringsWriter.create(this.group, "paths", [], { compression: layout.compression });
    return { images, sizes, paths };
  }

  /**
   * labels, splits/* and meta from the rows' paths, made anew (a stack appended to had them for
   * fewer rows): one pass to learn the class names, one to write, a block of paths at a time.
   * Returns the class names.
   */
  private async writeFromPaths(paths: Group): Promise<string[]> {
    const numbering = new ClassNumbering(this.existingClasses);
    const matched = new Set<number>();
    await this.eachBlock(paths, (facts) => {
      for (const { label, tableRow } of facts) {
        if (label !== null) numbering.idOf(label);
        else this.unlabelled++;
        if (tableRow >= 0) matched.add(tableRow);
      }
    });
    this.tableRowsMatched = matched.size;
    const { classNames, numberOf } = numbering.finish();
    // Made again for every row (a stack appended to had them for fewer). `meta` is the stack's
    // only with a table: without one, a `meta` there is the input's own (a meta/ directory).
    const remade = this.options.table ? ["labels", "splits", "meta"] : ["labels", "splits"];
    for (const name of remade) if (await this.group.has(name)) await this.group.delete(name);
    const labels = await createColumn(this.group, "labels", "int64", this.options.layout);
    const splits = new Map<string, Dataset>();
    const { table } = this.options;
    const meta = table ? csvTableWriter(this.group, "meta", this.options.layout, { columns: ["_row", ...table.columns] }) : null;
    const metaSchema = table ? csvSchema(fieldNames(["_row", ...table.columns]), ["int64", ...table.types]) : null;
    try {
      await this.eachBlock(paths, async (facts, start) => {
        await labels.append(BigInt64Array.from(facts, ({ label }) => BigInt(label === null ? NO_LABEL : numberOf[numbering.idOf(label)])), facts.length);
        await this.appendSplits(splits, facts, start);
        if (table && meta && metaSchema) {
          const rowOf = Int32Array.from(facts, (f) => f.tableRow);
          const values = [BigInt64Array.from(rowOf, BigInt), ...table.columns.map((_, c) => gatherColumn(table, c, rowOf))];
          await meta.addRows(metaSchema, values as unknown as unknown[][], facts.length);
        }
      });
      await labels.attrs.set("class_names", classNames, { dtype: "string" });
      if (meta && table) {
        const done = await meta.finish();
        await done.attrs.set("label_table", table.name);
        await done.close();
      }
    } catch (error) {
      await meta?.abandon();
      throw error;
    } finally {
      await labels.close();
      for (const dataset of splits.values()) await dataset.close();
    }
    return classNames;
  }

  /** Each split's row indices among `facts` (rows from `start`), appended to splits/NAME. */
  private async appendSplits(splits: Map<string, Dataset>, facts: readonly RowFacts[], start: number): Promise<void> {
    const rowsOf = new Map<string, bigint[]>();
    facts.forEach(({ split }, i) => {
      if (split === null) return;
      const rows = rowsOf.get(split);
      if (rows) rows.push(BigInt(start + i));
      else rowsOf.set(split, [BigInt(start + i)]);
    });
    for (const [name, rows] of rowsOf) {
      let dataset = splits.get(name);
      if (!dataset) {
        const group = await this.group.requireGroup("splits");
        dataset = await createColumn(group, name, "int64", this.options.layout);
        await group.close();
        splits.set(name, dataset);
      }
      await dataset.append(BigInt64Array.from(rows), rows.length);
    }
  }

  /** Calls `use` with the facts of each block of rows' paths, and the block's first row. */
  private async eachBlock(paths: Group, use: (facts: RowFacts[], start: number) => void | Promise<void>): Promise<void> {
    for (let start = 0; start < this.rows; start += FINISH_ROWS) {
      const { data } = await runAsync(readRaggedStrings(paths, start, start + FINISH_ROWS));
      await use(data.map((path) => this.options.factsOf(path)), start);
    }
  }
}

/** Rows of a stack's one-value-a-row columns (labels, source_size, splits/*) per chunk. */
const COLUMN_CHUNK = 65536;

/** An empty column `name` in `group`, grown by appends. */
function createColumn(group: Group, name: string, dtype: "int64" | "uint64", layout: DatasetLayout): Promise<Dataset> {
  return group.createDataset(name, { shape: [0], maxshape: [null], chunks: [COLUMN_CHUNK], dtype, ...compressionOf(layout) });
}
