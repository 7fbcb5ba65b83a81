// The CPU-heavy half of converting an entry, split from the writing half so that it can run in a
// worker process: decoding an image, parsing a JSON or CSV text, by the processor the task names
// (registry.ts). A task and its result are plain data (typed arrays, strings), which cross to and
// from a worker by structured clone.
import type { AttributeSet } from "../h5/attrs";
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import type { PixelTarget } from "./image";
import type { DatasetLayout } from "./layout";
import type { PixelArray } from "./pixel-type";
import type { Footprint } from "./processor";
import { preparingProcessor, processorNamed, type ProcessorName } from "./registry";

/** An entry's preparing work: its bytes, and its processor's task options (taskOptions). */
export interface PrepareTask {
  processor: ProcessorName;
  bytes: Uint8Array;
  options?: unknown;
}

/** What preparing made: the processor's result, to write with writePrepared. */
export interface Prepared {
  processor: ProcessorName;
  value: unknown;
}

/** Prepares a task; `pixels` may take an image's decoded pixels (see PixelTarget). */
export async function prepare(task: PrepareTask, pixels?: PixelTarget): Promise<Prepared> {
  const value = await preparingProcessor(task.processor).prepare(task.bytes, task.options ?? {}, pixels);
  return { processor: task.processor, value };
}

/** Writes a prepared entry, with its own attrs and `more` (the entry's source) in the same call. */
export function writePrepared(group: Group, name: string, prepared: Prepared, layout: DatasetLayout, more?: AttributeSet): Promise<Dataset | Group> {
  return preparingProcessor(prepared.processor).writePrepared(group, name, prepared.value, layout, more);
}

/** The result's large typed array (decoded pixels), when its processor has one to share; else null. */
export function sharedDataOf(prepared: Prepared): PixelArray | null {
  return preparingProcessor(prepared.processor).sharedData?.get(prepared.value) ?? null;
}

/** Puts the result's large typed array back (mapped from shared memory, or emptied once moved there). */
export function setSharedData(prepared: Prepared, data: PixelArray): void {
  preparingProcessor(prepared.processor).sharedData?.set(prepared.value, data);
}

/** What an entry holds in flight before it is prepared: its processor's footprint, else its bytes. */
export async function footprintOf(processor: ProcessorName, bytes: Uint8Array, options: Record<string, unknown>): Promise<Footprint> {
  const preparing = processorNamed(processor);
  if (preparing.prepares !== "worker" || !preparing.footprint) return { bytes: bytes.length, pieces: null };
  return preparing.footprint(bytes, options);
}
