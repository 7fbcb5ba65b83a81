// `--layout stacked` for one input: its image entries become rows of one stack in the input's
// group (stacked/stacked-writer.ts), the other entries keep the files layout beside it. Every
// entry of the input takes a slot in input order; an image entry's slot is filled by its row, any
// other's (another kind, skipped, failed) is passed over, so rows keep input order whatever order
// the workers finish in. Labels and splits are decided here from the entry's path.
import type { Group } from "../h5/group";
import type { ManifestRow } from "../output/manifest";
import { directoryLabel, stemOf } from "../stacked/labels";
import { joinMessages } from "./entry-checks";
import type { StackSummary } from "./results";
import { splitByHash, splitFromDirectories } from "../stacked/split-rule";
import { STACK_OPTION_ATTRS, STACKED_LAYOUT, STACKED_VERSION, StackedWriter, type StackOptions } from "../stacked/stacked-writer";
import { labelSourceText } from "../stacked/labels";
import { resizeText } from "../processors/resize-spec";
import { splitRuleText } from "../stacked/split-rule";
import { messageOf } from "../error-message";
import type { StackImageOptions } from "../processors/image";
import type { StackPlan } from "./stack-plans";
import type { EntryPlan, StackSlot } from "./plan";
import type { Run } from "./run";

/** The names the stack takes in its group: an entry of the files layout cannot have them. */
const STACK_NAMES = ["images", "labels", "paths", "source_size", "splits"];

/** The names a stack of `options` takes in its group: the ones it may make, so an input's own `meta/` stays its own without a table. */
function stackNames(options: StackOptions): string[] {
  return [...STACK_NAMES, ...(options.encoded || !options.resize ? ["image_shapes"] : []), ...(options.encoded ? ["image_format"] : []), ...(options.table ? ["meta"] : [])];
}

/** One input's stack and its entries' slots. */
export class InputStack {
  private slots = 0;
  private readonly filled = new Set<number>();
  private readonly settled = new Set<number>();

  private constructor(
    /** The run whose checkpoints flush this stack. */
    private readonly run: Run,
    private readonly writer: StackedWriter,
    private readonly groupPath: string,
    private readonly plan: StackPlan,
    /** The paths of the rows a stack appended to holds: an entry of one of them is not added twice. */
    private readonly stored: ReadonlySet<string>,
  ) {}

  /**
   * The stack of the input whose group is `groupPath` ("" for the file's root), made as `plan`
   * says, its names claimed. A stack the file holds already (--append) is added to, when it was
   * made with the same options.
   */
  static async open(run: Run, group: Group, groupPath: string, plan: StackPlan): Promise<InputStack> {
    const stackOptions: StackOptions = {
      layout: { compression: plan.compression },
      labels: plan.labels,
      split: plan.split,
      seed: plan.seed,
      resize: plan.resize,
      encoded: plan.encoded,
      table: plan.table,
      factsOf: (sourcePath) => ({ ...labelOf(sourcePath, plan), split: splitOf(sourcePath, plan) }),
    };
    // The names are the stack's, not an entry's, and never in flight: a resumed run keeps them.
    for (const name of stackNames(stackOptions)) run.reserve(`${groupPath}/${name}`);
    const holds = (await group.attrs.find("layout")) === STACKED_LAYOUT;
    let stack: InputStack;
    if (holds && run.out.start !== "new") {
      await checkAppendable(group, stackOptions);
      const writer = await StackedWriter.reopen(group, stackOptions);
      stack = new InputStack(run, writer, groupPath, plan, new Set(await writer.storedPaths()));
    } else {
      if (holds) throw new Error(`'${group.name}' holds a stack already (another input of the same name): give each input its own name`);
      // A file appended to may hold the input's own objects of those names (its files layout).
      for (const name of stackNames(stackOptions)) {
        if (await group.has(name)) throw new Error(`'${group.name}/${name}' is in the file already and not a stack's: a stack cannot be made beside it`);
      }
      // Said before any row is written: a resumed run finds its stacks by it (resume-stacks.ts).
      await group.attrs.update({ layout: STACKED_LAYOUT, stacked_version: STACKED_VERSION }, { stacked_version: { dtype: "int64" } });
      stack = new InputStack(run, new StackedWriter(group, stackOptions), groupPath, plan, new Set());
    }
    run.beforeCheckpoint.add(stack.checkpoint);
    return stack;
  }

  /** Writes what the stack buffers, for a checkpoint. */
  private readonly checkpoint = () => this.writer.checkpoint();

  /** The next entry's slot. */
  nextSlot(): number {
    return this.slots++;
  }

  /**
   * `plan` of entry `slot`: an image to stack decodes for the stack, and its row fills the slot;
   * one the stack holds already is skipped. Other entries keep their plan.
   */
  planFor(plan: EntryPlan, slot: number): EntryPlan | { done: ManifestRow } {
    if (plan.processor !== "image" || !plan.stacked) return plan;
    const { sourcePath } = plan;
    if (this.stored.has(sourcePath)) return { done: { ...plan.row, target: `${this.groupPath}/images`, status: "skipped", message: "already a row of the stack (the file appended to holds it)" } };
    const { message } = labelOf(sourcePath, this.plan);
    const stack: StackSlot = {
      target: `${this.groupPath}/images`,
      add: (image, bytes) => {
        this.filled.add(slot);
        const stacked = { data: this.plan.encoded ? bytes : (image.data as Uint8Array), shape: image.shape as [number, number, number], format: image.format };
        return this.writer.add(slot, { image: stacked, sourcePath, size: bytes.length });
      },
    };
    const stackOptions: StackImageOptions = { resize: this.plan.resize, encoded: this.plan.encoded };
    const row = message ? { ...plan.row, message: joinMessages(plan.row.message, message) } : plan.row;
    return { ...plan, row, options: { ...plan.options, stack: stackOptions }, stack };
  }

  /** What the stack holds, for the summary (after finish). */
  private summary(): StackSummary {
    const { rows, unlabelled, tableRowsMatched } = this.writer.counts;
    return {
      group: this.groupPath === "" ? "/" : this.groupPath,
      rows,
      unlabelled,
      ...(this.plan.table && { labelTable: this.plan.table.name, tableRowsWithoutImage: this.plan.table.rows - tableRowsMatched }),
    };
  }

  /** Entry `slot` has its row: a slot its image did not fill is passed over. */
  settle(slot: number): void {
    if (this.settled.has(slot)) return;
    this.settled.add(slot);
    if (!this.filled.has(slot)) this.writer.skip(slot);
  }

  /**
   * Writes the stack's labels, splits and attrs (every slot not settled passed over) and tells
   * the run's summary of it; a failure as the input's row.
   */
  async finish(input: string): Promise<ManifestRow | null> {
    for (let slot = 0; slot < this.slots; slot++) this.settle(slot);
    this.run.beforeCheckpoint.delete(this.checkpoint);
    try {
      await this.writer.finish();
      this.run.stacks.push(this.summary());
      return null;
    } catch (error) {
      return { source: input, source_path: "", target: `${this.groupPath}/images`, status: "failed", bytes: 0, processor: "image", message: `the stack: ${messageOf(error)}` };
    }
  }
}

/** An image's label, its label table row (-1: none) and what its manifest row says of a row not found. */
function labelOf(sourcePath: string, { labels, table }: StackPlan): { label: string | null; tableRow: number; message: string } {
  if (!table) return { label: labels.from === "none" ? null : directoryLabel(sourcePath), tableRow: -1, message: "" };
  const stem = stemOf(sourcePath);
  const tableRow = table.rowOfKey.get(stem) ?? -1;
  if (tableRow < 0) return { label: null, tableRow, message: `no row of ${table.name} has the key '${stem}': label -1` };
  return { label: table.labels[tableRow] === "" ? null : table.labels[tableRow], tableRow, message: "" };
}

/** An image's split: its split directory's, else by --split's hash, else none. */
function splitOf(sourcePath: string, { split, seed }: StackPlan): string | null {
  return splitFromDirectories(sourcePath) ?? (split ? splitByHash(sourcePath, split, seed) : null);
}

/**
 * A stack appended to must be made as this run would make it: the attrs that say how, compared
 * (an interrupted run's stack has none yet: resuming compared the options already).
 */
async function checkAppendable(group: Group, options: StackOptions): Promise<void> {
  const now: Record<(typeof STACK_OPTION_ATTRS)[number], unknown> = {
    resize: options.resize ? resizeText(options.resize) : "",
    label_source: labelSourceText(options.labels),
    split_rule: options.split ? splitRuleText(options.split) : "",
    seed: options.seed,
  };
  for (const name of STACK_OPTION_ATTRS) {
    const was = await group.attrs.find(name);
    if (was !== undefined && String(was) !== String(now[name])) {
      throw new Error(`cannot append to the stack '${group.name}': it was made with ${name} '${String(was ?? "")}', this run gives '${String(now[name])}'`);
    }
  }
  const storage = await group.attrs.find("image_storage");
  if (storage !== undefined && (storage === "encoded") !== options.encoded) throw new Error(`cannot append to the stack '${group.name}': its images are ${String(storage)}, this run's would be ${options.encoded ? "encoded" : "pixels"}`);
}
