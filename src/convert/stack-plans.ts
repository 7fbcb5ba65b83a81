// Which inputs get a stack, and made how, decided before anything is written. An input's images
// stack when the run says --layout stacked or a --schema rule says "layout": "stacked" for the
// input (its `input` globs, if any, match the input's group). An input has one stack, so the
// run's stacked options and every stacking rule that may route its entries must agree on resize,
// labels, split, seed and compression (a rule's own, else the run's): when two differ the run
// fails naming both and what differs. A `FILE:KEY:COLUMN` label table is found and checked here.
import { compressionText } from "../h5/compression";
import type { Compression } from "../processors/layout";
import { resizeText, type ResizeSpec } from "../processors/resize-spec";
import { limitsOf } from "../sources/entry-limits";
import type { Source } from "../sources/source-entry";
import type { LabelTable } from "../stacked/label-table";
import { labelSourceText, type LabelSource } from "../stacked/labels";
import { splitRuleText, type SplitShare } from "../stacked/split-rule";
import { loadLabelTable } from "./label-tables";
import type { ConvertOptions } from "./options";

/** How one input's stack is made. */
export interface StackPlan {
  resize: ResizeSpec | null;
  labels: LabelSource;
  /** The split rule (null: none); split directories win over it. */
  split: SplitShare[] | null;
  seed: number;
  compression: Compression;
  /** Each image's file bytes instead of its pixels (--images encoded). */
  encoded: boolean;
  /** The `labels` table, when the labels come from one. */
  table: LabelTable | null;
  /** Who asked for the stack ("--layout stacked", "schema rule 2"), for messages. */
  by: string[];
}

type Settings = Omit<StackPlan, "table" | "by">;

/** Each setting as its flag writes it: two askers agree when these texts do. */
const SETTING_TEXTS: Record<keyof Settings, (settings: Settings) => string> = {
  resize: ({ resize }) => (resize ? resizeText(resize) : "none"),
  labels: ({ labels }) => labelSourceText(labels),
  split: ({ split }) => (split ? splitRuleText(split) : "none"),
  seed: ({ seed }) => String(seed),
  compression: ({ compression }) => compressionText(compression),
  encoded: ({ encoded }) => (encoded ? "encoded" : "pixels"),
};

/** Fails before anything is written when the run's stacked options cannot be honoured. */
export function checkStackOptions(options: ConvertOptions): void {
  const stacks = options.layout === "stacked" || (options.schema?.stackingRules().length ?? 0) > 0;
  const given = (["resize", "labels", "split", "seed"] as const).filter((name) => options[name] !== undefined);
  if (!stacks && given.length > 0) throw new Error(`${given.map((name) => `--${name}`).join(", ")} shape the stacked layout: give --layout stacked too (or a --schema rule with "layout": "stacked")`);
  if (stacks && options.images === "both") throw new Error("a stack keeps an image's pixels or (--images encoded) its bytes, not both: --images both is for the files layout");
}

/** Each input's stack plan (null: its images keep the files layout; an input that did not open has none). */
export async function planStacks(inputs: readonly string[], sources: readonly (Source | Error)[], options: ConvertOptions): Promise<(StackPlan | null)[]> {
  const plans: (StackPlan | null)[] = [];
  for (const [i, source] of sources.entries()) {
    const asked = source instanceof Error ? null : settingsOf(inputs[i], source.groupName, options);
    if (!asked) {
      plans.push(null);
      continue;
    }
    const { settings, by } = asked;
    const table = settings.labels.from === "table" ? await loadLabelTable(inputs[i], settings.labels, limitsOf(options)) : null;
    plans.push({ ...settings, table, by });
  }
  return plans;
}

/** The settings every asker of `input`'s stack agrees on, and the askers; null: none asks. */
function settingsOf(input: string, group: string, options: ConvertOptions): { settings: Settings; by: string[] } | null {
  const run: Settings = {
    resize: options.resize ?? null,
    labels: options.labels ?? { from: "dir" },
    split: options.split ?? null,
    seed: options.seed ?? 0,
    compression: options.compression ?? "gzip",
    encoded: options.images === "encoded",
  };
  const askers = [
    ...(options.layout === "stacked" ? [{ by: "--layout stacked", settings: run }] : []),
    ...(options.schema?.stackingRules(group) ?? []).map(({ rule, stack }) => ({ by: `schema rule ${rule}`, settings: { ...run, ...stack } })),
  ];
  if (askers.length === 0) return null;
  const [first, ...others] = askers;
  for (const other of others) {
    for (const [name, text] of Object.entries(SETTING_TEXTS)) {
      const [mine, theirs] = [text(first.settings), text(other.settings)];
      if (mine !== theirs) {
        throw new Error(
          `${input}: its images make one stack, but ${first.by} makes it with ${name} '${mine}' and ${other.by} with '${theirs}': give them the same ${name}, or "layout": "files" to one`,
        );
      }
    }
  }
  return { settings: first.settings, by: askers.map((asker) => asker.by) };
}
