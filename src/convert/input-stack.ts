// `--layout stacked` for one input: its image entries become rows of one stack in the input's
// group (stacked/stacked-writer.ts), the other entries keep the files layout beside it. Every
// entry of the input takes a slot in input order; an image entry's slot is filled by its row, any
// other's (another kind, skipped, failed) is passed over, so rows keep input order whatever order
// the workers finish in. Labels and splits are decided here from the entry's path.
import type { Group } from "../h5/group";
import type { ManifestRow } from "../output/manifest";
import { directoryLabel, stemOf } from "../stacked/labels";
import type { LabelTable } from "../stacked/label-table";
import { joinMessages } from "./entry-checks";
import type { StackSummary } from "./results";
import { splitByHash, splitFromDirectories } from "../stacked/split-rule";
import { StackedWriter } from "../stacked/stacked-writer";
import { messageOf } from "../error-message";
import type { StackImageOptions } from "../processors/image";
import type { ConvertOptions } from "./options";
import type { EntryPlan, StackSlot } from "./plan";
import type { Run } from "./run";

/** The names the stack takes in its group: an entry of the files layout cannot have them. */
const STACK_NAMES = ["images", "image_shapes", "image_format", "labels", "meta", "paths", "source_size", "splits"];

/** Fails before anything is written when the stacked options cannot be honoured. */
export function checkStackOptions(options: ConvertOptions): void {
  const given = (["resize", "labels", "split", "seed"] as const).filter((name) => options[name] !== undefined);
  if (options.layout !== "stacked") {
    if (given.length > 0) throw new Error(`${given.map((name) => `--${name}`).join(", ")} shape the stacked layout: give --layout stacked too`);
    return;
  }
  if (options.resume || options.append) throw new Error("--layout stacked cannot be resumed or appended to yet: convert into a new file");
  if (options.images === "both") throw new Error("--layout stacked keeps an image's pixels or (--images encoded) its bytes, not both: --images both is for the files layout");
}

/** One input's stack and its entries' slots. */
export class InputStack {
  private slots = 0;
  private readonly filled = new Set<number>();
  private readonly settled = new Set<number>();
  /** The label table's rows some image matched. */
  private readonly matchedRows = new Set<number>();
  private unlabelled = 0;

  private constructor(private readonly writer: StackedWriter, private readonly groupPath: string, private readonly options: ConvertOptions, private readonly table: LabelTable | null) {}

  /** The stack of the input whose group is `groupPath` ("" for the file's root), its names claimed; `table`: its --labels table. */
  static async open(run: Run, group: Group, groupPath: string, table: LabelTable | null): Promise<InputStack> {
    for (const name of STACK_NAMES) await run.claimTarget(`${groupPath}/${name}`);
    const { options } = run;
    const writer = new StackedWriter(group, { layout: { compression: run.compression }, labels: options.labels ?? { from: "dir" }, split: options.split ?? null, seed: options.seed ?? 0, resize: options.resize ?? null, encoded: options.images === "encoded", table });
    return new InputStack(writer, groupPath, options, table);
  }

  /** The next entry's slot. */
  nextSlot(): number {
    return this.slots++;
  }

  /** `plan` of entry `slot`: an image decodes for the stack, and its row fills the slot. */
  planFor(plan: EntryPlan, slot: number): EntryPlan {
    if (plan.processor !== "image") return plan;
    const sourcePath = plan.sourcePath;
    const { label, tableRow, message } = this.labelOf(sourcePath);
    const stack: StackSlot = {
      target: `${this.groupPath}/images`,
      add: (image, bytes) => {
        this.filled.add(slot);
        if (tableRow >= 0) this.matchedRows.add(tableRow);
        if (label === null) this.unlabelled++;
        const split = splitFromDirectories(sourcePath) ?? (this.options.split ? splitByHash(sourcePath, this.options.split, this.options.seed ?? 0) : null);
        const encoded = this.options.images === "encoded";
        const stacked = { data: encoded ? bytes : (image.data as Uint8Array), shape: image.shape as [number, number, number], format: image.format };
        return this.writer.add(slot, { image: stacked, convertedToRgb: image.convertedToRgb === true, sourcePath, size: bytes.length, label, split, tableRow });
      },
    };
    const stackOptions: StackImageOptions = { resize: this.options.resize ?? null, encoded: this.options.images === "encoded" };
    const row = message ? { ...plan.row, message: joinMessages(plan.row.message, message) } : plan.row;
    return { ...plan, row, options: { ...plan.options, stack: stackOptions }, stack };
  }

  /** An image's label, its label table row (-1: none) and what its manifest row says of a row not found. */
  private labelOf(sourcePath: string): { label: string | null; tableRow: number; message: string } {
    const { table } = this;
    if (!table) return { label: this.options.labels?.from === "none" ? null : directoryLabel(sourcePath), tableRow: -1, message: "" };
    const stem = stemOf(sourcePath);
    const tableRow = table.rowOfKey.get(stem) ?? -1;
    if (tableRow < 0) return { label: null, tableRow, message: `no row of ${table.name} has the key '${stem}': label -1` };
    return { label: table.labels[tableRow] === "" ? null : table.labels[tableRow], tableRow, message: "" };
  }

  /** What the stack holds, for the summary (after finish). */
  summary(): StackSummary {
    const rows = this.writer.rowCount;
    return {
      group: this.groupPath === "" ? "/" : this.groupPath,
      rows,
      unlabelled: this.unlabelled,
      ...(this.table && { labelTable: this.table.name, tableRowsWithoutImage: this.table.rows - this.matchedRows.size }),
    };
  }

  /** Entry `slot` has its row: a slot its image did not fill is passed over. */
  settle(slot: number): void {
    if (this.settled.has(slot)) return;
    this.settled.add(slot);
    if (!this.filled.has(slot)) this.writer.skip(slot);
  }

  /** Writes the stack's labels, splits and attrs (every slot not settled passed over); a failure as the input's row. */
  async finish(input: string): Promise<ManifestRow | null> {
    for (let slot = 0; slot < this.slots; slot++) this.settle(slot);
    try {
      await this.writer.finish();
      return null;
    } catch (error) {
      return { source: input, source_path: "", target: `${this.groupPath}/images`, status: "failed", bytes: 0, processor: "image", message: `the stack: ${messageOf(error)}` };
    }
  }
}
