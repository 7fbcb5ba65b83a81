// Every processor, by name: the one list the converter, the --schema meta-schema and the config
// ask. Adding a processor touches one file and the registry line:
//
//   1. src/processors/npy-processor.ts implements Processor (processor.ts), e.g.
//        export const npyProcessor: PreparingProcessor<"npy", NpyOptions, PreparedNpy> = {
//          name: "npy", options: {}, takes: (kind) => kind.nameExtension === "npy", ...
//        };
//      (copy csv-processor.ts for one a worker prepares, bytes-processor.ts for one the writer
//      does, audio-processor.ts for one that decodes as the entry streams in);
//   2. here: its import, and `npyProcessor` in PROCESSORS.
//
// Its name then is a ProcessorName, a --schema rule may name it (with the options it declares),
// and convert routes to it the entries it `takes`, preparing and writing them as it says.
import { audioProcessor } from "./audio-processor";
import { bytesProcessor } from "./bytes-processor";
import { csvProcessor } from "./csv-processor";
import { hdf5Processor } from "./hdf5-processor";
import { imageProcessor } from "./image-processor";
import { jsonlProcessor, jsonProcessor } from "./json-processor";
import type { PreparingProcessor, Processor, ProcessorSettings } from "./processor";
import type { RecordAccess } from "./record-set";
import { videoProcessor } from "./video-processor";
import type { Classification } from "../classify";

/** Every processor, in the order the meta-schema lists them. */
export const PROCESSORS = [imageProcessor, jsonProcessor, jsonlProcessor, csvProcessor, bytesProcessor, hdf5Processor, videoProcessor, audioProcessor] as const;

/** A processor's name: "image", "json", "jsonl", "csv", "bytes", "hdf5", "video", "audio". */
export type ProcessorName = (typeof PROCESSORS)[number]["name"];

/** Every processor's name, in PROCESSORS' order. */
export const PROCESSOR_NAMES: readonly ProcessorName[] = PROCESSORS.map((processor) => processor.name);

/** What an entry no processor takes is written by, and an entry its processor failed on kept as (its bytes). */
export const FALLBACK_PROCESSOR: Processor<ProcessorName> = bytesProcessor;

const byName = new Map<string, Processor<ProcessorName>>(PROCESSORS.map((processor) => [processor.name, processor]));

/** The processor named `name`. */
export function processorNamed(name: ProcessorName): Processor<ProcessorName> {
  const processor = byName.get(name);
  if (!processor) throw new Error(`no processor named '${name}' (there are ${PROCESSOR_NAMES.join(", ")})`);
  return processor;
}

/** The processor preparing tasks of `name` (in a worker); throws for one that prepares nothing. */
export function preparingProcessor(name: ProcessorName): PreparingProcessor<ProcessorName> {
  const processor = processorNamed(name);
  if (processor.prepares !== "worker") throw new Error(`the ${name} processor has no preparing step`);
  return processor;
}

/** How a --schema rule's `records` reach the records of `name`'s entries; undefined: they have none. */
export function recordAccess(name: ProcessorName): RecordAccess<unknown> | undefined {
  const processor = processorNamed(name);
  return processor.prepares === "worker" ? processor.records : undefined;
}

/** The processors whose entries have records (json, jsonl, csv). */
export const RECORD_PROCESSORS: readonly ProcessorName[] = PROCESSOR_NAMES.filter((name) => recordAccess(name) !== undefined);

/** The processor an entry of this kind goes to when no rule names one: the one that takes it, else the fallback. */
export function processorFor(kind: Classification, settings: ProcessorSettings): Processor<ProcessorName> {
  return PROCESSORS.find((processor) => processor.takes(kind, settings)) ?? FALLBACK_PROCESSOR;
}

/** Each processor's options, as JSON Schema properties (a --schema rule's `options`; the config's video/audio defaults). */
export const PROCESSOR_OPTIONS = Object.fromEntries(PROCESSORS.map((processor) => [processor.name, processor.options])) as Record<ProcessorName, Readonly<Record<string, object>>>;
