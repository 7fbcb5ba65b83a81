// The one interface every processor implements (registry.ts lists them, one file each): its name,
// the entries it takes, the options a --schema rule may give it and their defaults from the run's
// settings, where its work runs (prepared in a worker, or done by the writer), how it writes an
// entry, and whether it streams. The converter asks a processor these things; it never branches
// on a processor's name.
import type { Classification } from "../classify";
import type { AttributeSet } from "../h5/attrs";
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import type { H5Object } from "../h5/h5-object";
import type { AudioOptions } from "./audio";
import type { MediaInput } from "./ffmpeg-input";
import type { PixelTarget } from "./image";
import type { DatasetLayout } from "./layout";
import type { PixelArray } from "./pixel-type";
import type { RecordAccess } from "./record-set";
import type { VideoOptions } from "./video";

/** The run's settings processors take their defaults from (a part of convert's options). */
export interface ProcessorSettings {
  images?: "pixels" | "encoded" | "both";
  layout?: "files" | "stacked";
  animated?: boolean;
  gifAsVideo?: boolean;
  truncatedImages?: boolean;
  maxPixels?: number;
  csv?: "table" | "kv";
  csvDelimiter?: string;
  decimalComma?: boolean;
  json?: "table" | "kv";
  maxCsvField?: number;
  video?: VideoOptions;
  audio?: AudioOptions;
}

/** What a processor is told of an entry when it gives its defaults. */
export interface EntryKind {
  kind: Classification;
  /** Path inside the input (`train/cat_01.jpg`). */
  sourcePath: string;
}

/** What every processor declares, whatever way it writes. */
interface ProcessorBase<Name extends string> {
  readonly name: Name;
  /** The options a --schema rule may give it, as JSON Schema properties (any other key is an error). */
  readonly options: Readonly<Record<string, object>>;
  /** Whether it takes an entry of this kind when no rule names a processor (none takes the rest: the fallback does). */
  takes(kind: Classification, settings: ProcessorSettings): boolean;
  /** Its options from the run's settings, before a rule's go on top. */
  defaults(settings: ProcessorSettings, entry: EntryKind): Record<string, unknown>;
  /** Why an empty entry cannot be of its kind ("an empty file is not an image"); absent: empty is a value. */
  readonly notEmpty?: string;
  /**
   * The object it writes may carry the input's own attrs (a copied HDF5 file's root): h5dat's attrs
   * of the same names go beside them as `h5dat_<name>` instead of replacing them.
   */
  readonly keepsInputAttrs?: boolean;
}

/** The footprint of an entry in flight, and for one too large to prepare whole, how to write it in pieces. */
export interface Footprint {
  /** Its bytes, with what preparing it holds (an image's decoded pixels, or the bands of one written in pieces). */
  bytes: number;
  /** A plan for writePieces, in the writer; null: it is prepared whole. */
  pieces: unknown;
}

/** What a processor's writeBlocks may use besides the entry's blocks. */
export interface BlockContext {
  /** Reads the entry once more from its start (a processor that rereads). */
  again?: () => AsyncIterable<Uint8Array>;
  /** Runs the processor's prepare on a piece of the entry (plain data both ways), in a worker process when the run has them. */
  prepare(bytes: Uint8Array, options: unknown): Promise<unknown>;
}

/**
 * Prepares (decodes, parses) the whole entry into plain data, in a worker process when there are
 * workers (the task's options and the result cross by structured clone), then the writer writes it.
 */
export interface PreparingProcessor<Name extends string = string, Options = unknown, Result = unknown> extends ProcessorBase<Name> {
  readonly prepares: "worker";
  /** "large": an entry too large to hold whole goes through writeBlocks, in the writer, as it is read. */
  readonly streams: "never" | "large";
  /** The task's options (plain data) from the entry's processor options. */
  taskOptions(options: Record<string, unknown>): Options;
  /** The CPU-heavy half; `pixels` may take decoded pixels (see PixelTarget). */
  prepare(bytes: Uint8Array, options: Options, pixels?: PixelTarget): Promise<Result>;
  /** The writing half, with `more` attrs (the entry's source) in the same call. */
  writePrepared(group: Group, name: string, result: Result, layout: DatasetLayout, more?: AttributeSet): Promise<Dataset | Group>;
  /** A result's large typed array (decoded pixels), which may come from a worker through shared memory instead of its pipe. */
  readonly sharedData?: { get(result: Result): PixelArray; set(result: Result, data: PixelArray): void };
  /** What the entry holds in flight (counted against the budget before it is prepared); default: its bytes. */
  footprint?(bytes: Uint8Array, options: Record<string, unknown>): Promise<Footprint>;
  /** Writes an entry whose footprint planned pieces, preparing it piece by piece in the writer. */
  writePieces?(group: Group, name: string, pieces: unknown, layout: DatasetLayout, more?: AttributeSet): Promise<Dataset>;
  /** Writes a large entry block by block as it is read (streams "large"), with the entry's processor options. */
  writeBlocks?(group: Group, name: string, blocks: AsyncIterable<Uint8Array>, layout: DatasetLayout, options: Record<string, unknown>, context?: BlockContext): Promise<Dataset | Group>;
  /**
   * A large entry it streams may be read again (writeBlocks' `again`), and one it fails on is kept
   * as its bytes: an archive's entry is copied to a temporary file as it streams in (entry-spill.ts).
   */
  readonly rereads?: boolean;
  /** The entry's encoded bytes are kept too, under /_h5dat/encoded (`--images both`). */
  keepsEncoded?(settings: ProcessorSettings): boolean;
  /** Its entries have records a --schema rule's `records` may check (JSON, JSONL, CSV), reached so. */
  readonly records?: RecordAccess<Result>;
}

/** What a writer-side write made: the object, and notes for the manifest (storage outside the file). */
export interface Written {
  object: H5Object;
  notes: string[];
}

/** Writes the entry in the writer process: from its bytes held whole, from its blocks, or from its file on disk. */
export interface WritingProcessor<Name extends string = string> extends ProcessorBase<Name> {
  readonly prepares: "writer";
  /** "large": an entry too large to hold whole goes through writeBlocks as it is read. */
  readonly streams: "never" | "large";
  /** Writes the whole entry; `sourcePath` names it in messages. */
  write(group: Group, name: string, bytes: Uint8Array, layout: DatasetLayout, sourcePath: string): Promise<Written>;
  /** Writes the entry block by block (streams "large"), with the entry's processor options. */
  writeBlocks?(group: Group, name: string, blocks: AsyncIterable<Uint8Array>, layout: DatasetLayout, options: Record<string, unknown>): Promise<Dataset | Group>;
  /**
   * Writes an entry that is a file on disk from the file itself, never read by the converter;
   * `head` is its first bytes, `inputDirectory` the directory it may reach other files in.
   */
  writeFile?(group: Group, name: string, file: string, head: Uint8Array, inputDirectory: string | undefined): Promise<Written>;
}

/** Decodes the entry as it streams in (ffmpeg), from its file or its blocks, in the writer process. */
export interface StreamingProcessor<Name extends string = string> extends ProcessorBase<Name> {
  readonly prepares: "writer";
  readonly streams: "always";
  /** Writes the decoded entry; aborting `signal` cuts it off. */
  writeStream(group: Group, name: string, input: MediaInput, options: Record<string, unknown>, layout: DatasetLayout, signal?: AbortSignal): Promise<Dataset>;
}

/** A processor: one of the three ways of writing an entry. */
export type Processor<Name extends string = string> = PreparingProcessor<Name> | WritingProcessor<Name> | StreamingProcessor<Name>;

/** A failure of a processor's own work (decoding, not writing the file): the entry may still be kept as its bytes. */
export class ProcessorError extends Error {
  override name = "ProcessorError";
}
