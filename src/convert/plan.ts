// How one entry is converted, decided before its data is converted: from its name and first
// bytes (classification, allowed_types) and, with --schema, the first rule its path matches
// (target path, processor and options, dtype, chunks, compression, record checks, or skip).
import path from "node:path";
import { classify, decide, HEAD_BYTES, type Classification } from "../classify";
import type { Compression, DatasetLayout } from "../processors/layout";
import type { Route, RecordValidator } from "../schema";
import { processorFor, processorNamed, type ProcessorName } from "../processors/registry";
import type { SourceEntry } from "../sources/source-entry";
import { looseRootOf } from "../sources/copy-names";
import { datasetPathOf, safePathOf } from "../output/hdf5-names";
import type { ManifestRow } from "../output/manifest";
import type { ConvertOptions } from "./options";
import type { DecodedImage } from "../processors/decoded-image";
import { emptyEntryMessage, joinMessages, keptAsBytesNote, nameNotes, noNameMessage, notFileMessage } from "./entry-checks";
import { messageOf } from "../error-message";


/** How one entry is converted: its processor, target, layout and options, decided before its data is. */
export interface EntryPlan {
  processor: ProcessorName;
  kind: Classification;
  /** The dataset's absolute path. */
  target: string;
  sourcePath: string;
  /** Its manifest row so far. */
  row: ManifestRow;
  /** Compression (the run's or a rule's), and a rule's chunk shape and element type. */
  layout: DatasetLayout;
  /** The processor's options: the run's, then the rule's on top. */
  options: Record<string, unknown>;
  /** From a schema rule: the JSON Schema each record must satisfy. */
  records?: RecordValidator;
  /**
   * An image is to be a row of its input's stack: its rule's layout is "stacked", or it has no
   * rule's layout nor target and the run's is (input-stack.ts sets `stack`).
   */
  stacked: boolean;
  /** An image's row of its input's stack, in place of a dataset of its own. */
  stack?: StackSlot;
}

/** Where a stacked image entry's row goes: its filler, and the row's target in the manifest. */
export interface StackSlot {
  target: string;
  /** Adds the entry's row: its image as prepared, and the entry's bytes. */
  add(image: DecodedImage, bytes: Uint8Array): Promise<void>;
}

/**
 * The entry's plan, or its manifest row when it is skipped (a link, a rule) or cannot be
 * converted (its rule or its name cannot place it, it is empty where its type cannot be).
 */
export function planEntry(options: ConvertOptions, compression: Compression, groupName: string, entry: SourceEntry, head: Buffer, index: number): EntryPlan | { done: ManifestRow } {
  const plan = planOf(options, compression, groupName, entry, head, index);
  // Every row of an input whose group had to be renamed says so, whatever became of the entry.
  if (entry.groupNote === undefined) return plan;
  const row = "done" in plan ? plan.done : plan.row;
  row.message = joinMessages(row.message, entry.groupNote);
  return plan;
}

function planOf(options: ConvertOptions, compression: Compression, groupName: string, entry: SourceEntry, head: Buffer, index: number): EntryPlan | { done: ManifestRow } {
  const row: ManifestRow = { source: entry.source, source_path: entry.sourcePath, target: "", status: "failed", bytes: entry.size ?? head.length, processor: "", message: "" };
  if (entry.notFile) return { done: { ...row, bytes: 0, status: "skipped", message: notFileMessage(entry.notFile) } };
  let route: Route | null = null;
  try {
    route = options.schema?.route(entry.sourcePath, { group: groupName, index }) ?? null;
  } catch (error) {
    return { done: { ...row, message: messageOf(error) } };
  }
  if (route?.skip) return { done: { ...row, status: "skipped", message: route.skip } };
  const kind = classify(path.posix.basename(entry.sourcePath), head.subarray(0, HEAD_BYTES), options);
  // A rule that names a processor has chosen the entry: allowed_types does not apply to it.
  if (!route?.processor) {
    const decision = decide(kind, options);
    if (decision.action === "skip") return { done: { ...row, status: "skipped", message: decision.reason ?? "skipped" } };
  }
  const processor = route?.processor ?? processorFor(kind, options).name;
  const safe = route?.target ? null : safePathOf(entry.sourcePath);
  // A loose file holding HDF5 is copied as a group, named as an archive's group is (copy-names.ts).
  const loose = groupName === "" && !route?.target ? looseRootOf(entry, processor === "hdf5" && kind.by === "magic") : null;
  const notes = joinMessages(keptAsBytesNote(processor, kind), nameNotes(entry, safe), loose?.note ?? "");
  if (safe && safe.parts.length === 0) return { done: { ...row, processor, message: joinMessages(noNameMessage(entry.sourcePath), nameNotes(entry, null)) } };
  const empty = head.length === 0 ? emptyEntryMessage(processor) : null;
  if (empty) return { done: { ...row, processor, message: joinMessages(empty, notes) } };
  return {
    processor,
    kind,
    // A loose file is at the root, where h5dat's own group's name is not its to take.
    target: route?.target ?? datasetPathOf(groupName, loose?.name ?? entry.sourcePath),
    sourcePath: entry.sourcePath,
    row: { ...row, processor, message: notes },
    layout: { compression: route?.compression ?? compression, chunks: route?.chunks, dtype: route?.dtype },
    options: { ...processorNamed(processor).defaults(options, { kind, sourcePath: entry.sourcePath }), ...route?.options },
    records: route?.records,
    stacked: (route?.layout ?? (route?.target ? "files" : options.layout)) === "stacked",
  };
}
