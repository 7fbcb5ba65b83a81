// `--layout stacked` for one input: its image entries become rows of one stack in the input's
// group (stacked/stacked-writer.ts), the other entries keep the files layout beside it. Every
// entry of the input takes a slot in input order; an image entry's slot is filled by its row, any
// other's (another kind, skipped, failed) is passed over, so rows keep input order whatever order
// the workers finish in. Labels and splits are decided here from the entry's path.
import type { Group } from "../h5/group";
import type { ManifestRow } from "../output/manifest";
import { directoryLabel } from "../stacked/labels";
import { splitByHash, splitFromDirectories } from "../stacked/split-rule";
import { StackedWriter } from "../stacked/stacked-writer";
import { messageOf } from "../error-message";
import type { StackImageOptions } from "../processors/image";
import type { ConvertOptions } from "./options";
import type { EntryPlan, StackSlot } from "./plan";
import type { Run } from "./run";

/** The names the stack takes in its group: an entry of the files layout cannot have them. */
const STACK_NAMES = ["images", "image_shapes", "image_format", "labels", "paths", "source_size", "splits"];

/** Fails before anything is written when the stacked options cannot be honoured. */
export function checkStackOptions(options: ConvertOptions): void {
  const given = (["resize", "labels", "split", "seed"] as const).filter((name) => options[name] !== undefined);
  if (options.layout !== "stacked") {
    if (given.length > 0) throw new Error(`${given.map((name) => `--${name}`).join(", ")} shape the stacked layout: give --layout stacked too`);
    return;
  }
  if (options.resume || options.append) throw new Error("--layout stacked cannot be resumed or appended to yet: convert into a new file");
  if (options.labels?.from === "table") throw new Error("--labels FILE:KEY:COLUMN is not supported yet: use --labels dir or none");
  if (options.images === "both") throw new Error("--layout stacked keeps an image's pixels or (--images encoded) its bytes, not both: --images both is for the files layout");
}

/** One input's stack and its entries' slots. */
export class InputStack {
  private slots = 0;
  private readonly filled = new Set<number>();
  private readonly settled = new Set<number>();

  private constructor(private readonly writer: StackedWriter, private readonly groupPath: string, private readonly options: ConvertOptions) {}

  /** The stack of the input whose group is `groupPath` ("" for the file's root), its names claimed. */
  static async open(run: Run, group: Group, groupPath: string): Promise<InputStack> {
    for (const name of STACK_NAMES) await run.claimTarget(`${groupPath}/${name}`);
    const { options } = run;
    const writer = new StackedWriter(group, { layout: { compression: run.compression }, labels: options.labels ?? { from: "dir" }, split: options.split ?? null, seed: options.seed ?? 0, resize: options.resize ?? null, encoded: options.images === "encoded" });
    return new InputStack(writer, groupPath, options);
  }

  /** The next entry's slot. */
  nextSlot(): number {
    return this.slots++;
  }

  /** `plan` of entry `slot`: an image decodes for the stack, and its row fills the slot. */
  planFor(plan: EntryPlan, slot: number): EntryPlan {
    if (plan.processor !== "image") return plan;
    const stack: StackSlot = {
      target: `${this.groupPath}/images`,
      add: (image, bytes) => {
        this.filled.add(slot);
        const sourcePath = plan.sourcePath;
        const label = this.options.labels?.from === "none" ? null : directoryLabel(sourcePath);
        const split = splitFromDirectories(sourcePath) ?? (this.options.split ? splitByHash(sourcePath, this.options.split, this.options.seed ?? 0) : null);
        const encoded = this.options.images === "encoded";
        const stacked = { data: encoded ? bytes : (image.data as Uint8Array), shape: image.shape as [number, number, number], format: image.format };
        return this.writer.add(slot, { image: stacked, convertedToRgb: image.convertedToRgb === true, sourcePath, size: bytes.length, label, split });
      },
    };
    const stackOptions: StackImageOptions = { resize: this.options.resize ?? null, encoded: this.options.images === "encoded" };
    return { ...plan, options: { ...plan.options, stack: stackOptions }, stack };
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
