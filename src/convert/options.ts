// What a conversion is given: ConvertOptions, apart from convert.ts so that the modules a run is
// made of (plan, run, output-file, ...) can name its options without importing the job itself.
import type { LabelSource } from "../stacked/labels";
import type { ResizeSpec } from "../processors/resize-spec";
import type { SplitShare } from "../stacked/split-rule";
import type { ShardSpec } from "./shard";
import type { ClassifyOptions } from "../classify";
import type { CreateDatasetOptions } from "../h5/dataset-creation";
import type { Schema } from "../schema";
import type { VideoOptions } from "../processors/video";
import type { AudioOptions } from "../processors/audio";
import type { OnError } from "./fallback";

/** Options of convert(); the CLI's flags and the config file's keys map onto them. */
export interface ConvertOptions extends ClassifyOptions {
  /** The HDF5 file to write. */
  output: string;
  /**
   * Replace an existing output, or a .partial left by an interrupted run (otherwise converting
   * refuses to); never the .partial of a run still writing it (<output>.lock names its pid).
   */
  overwrite?: boolean;
  /**
   * Continue the run that left <output>.partial (same inputs and options): entries it wrote are
   * not done again; the result is what an uninterrupted run makes. Files added, changed (size or
   * mtime) or removed since are converted, done again or recorded as gone; an archive that
   * changed refuses (exit 1, the .partial untouched). Without a .partial, a new run.
   */
  resume?: boolean;
  /** Add the inputs to an existing output (what it holds stays untouched); a new file otherwise. */
  append?: boolean;
  /**
   * Convert only this shard of the entries (--shard i/N; convert/shard.ts says which are whose):
   * `{i}` and `{N}` in `output` are filled in, and the root attrs say the shard for `h5dat merge`.
   */
  shard?: ShardSpec;
  /** Checkpoint (manifest stored, file flushed, crash-consistent on disk) every N entries (default 1000)... */
  checkpointEntries?: number;
  /** ...or every T seconds (default 10), whichever comes first. */
  checkpointSeconds?: number;
  /** Compression of the datasets: "gzip" (level 4), "zstd:5", "blosc:lz4:5:bitshuffle", ... or "none" (as createDataset's). */
  compression?: CreateDatasetOptions["compression"];
  /** CSV as a typed table (default) or the original tool's key/value strings. */
  csv?: "table" | "kv";
  /**
   * JSONL and JSON arrays whose records are objects as a typed record table (default), or every
   * JSON as (pointer, value) pairs (processors/record-table.ts). CLI flag: --json-layout (--json
   * is the summary's switch).
   */
  json?: "table" | "kv";
  /**
   * How images are laid out: "files" (default), one dataset per file at its path; "stacked", one
   * `images` [N, H, W, 3] array per input with `labels`, `paths`, `source_size` and `splits/*`
   * beside it (stacked/stacked-writer.ts). Other kinds keep the files layout either way.
   */
  layout?: "files" | "stacked";
  /** Stacked layout: every image brought to this box by sharp (--resize WxH[:cover|contain|fill]). */
  resize?: ResizeSpec;
  /** Stacked layout: where labels come from (--labels dir|none|FILE:KEY:COLUMN; default dir). */
  labels?: LabelSource;
  /** Stacked layout: the split rule by a stable hash (--split train=0.8,val=0.1,test=0.1); split directories win. */
  split?: SplitShare[];
  /** Stacked layout: the seed of the split's hash (default 0). */
  seed?: number;
  /**
   * Images as decoded pixels (default), as their encoded bytes (uint8), or both: pixels at the
   * entry's path and the bytes at the same path under /_h5dat/encoded (attr `encoded_path`).
   */
  images?: "pixels" | "encoded" | "both";
  /**
   * Every frame of animated GIF/WebP images as [T, H, W, C], and every page of a multi-page TIFF
   * as [P, H, W, C] (default: the first frame or page).
   */
  animated?: boolean;
  /**
   * An entry its processor cannot convert (an image that does not decode, a CSV that is no
   * table): "keep" (default) stores its original bytes at its path (attrs processor "bytes",
   * media_type, fallback_reason; manifest "kept as bytes: <error>"); "fail" fails it. Limits
   * (--max-*) fail either way.
   */
  onError?: OnError;
  /** Decode truncated JPEGs as far as their data goes, as PIL's LOAD_TRUNCATED_IMAGES (default: they fail, or are kept as bytes). */
  truncatedImages?: boolean;
  /** Decode animated GIFs as video (the video processor and its options) instead of as images. */
  gifAsVideo?: boolean;
  /** Video processor defaults (a schema rule's options go on top). */
  video?: VideoOptions;
  /** Audio processor defaults (a schema rule's options go on top). */
  audio?: AudioOptions;
  /** An entry holding more bytes (decompressed) fails, read no further (default 64 GiB; 0 = no limit). */
  maxEntryBytes?: number;
  /**
   * An archive entry expanding more than this many times its compressed bytes fails, judged once
   * it has produced 32 MiB (default 200; 0 = no limit): decompression bombs stop cheaply.
   */
  maxRatio?: number;
  /** An image of more pixels (width × height × frames) fails before decoding (default 268402689, sharp's; 0 = no limit). */
  maxPixels?: number;
  /** The CSV/TSV cell separator, one character, for every file (default: sniffed per file among , ; tab |; a schema rule's `delimiter` goes on top). */
  csvDelimiter?: string;
  /** Read "12,5" as 12.5 in CSV/TSV files not separated by commas (default false). */
  decimalComma?: boolean;
  /** A CSV/TSV with a field of more bytes fails before parsing (default 64 MiB; 0 and at most 80 MiB, the parser's bound; csv-limits.ts). */
  maxCsvField?: number;
  /** A loaded --schema: declared groups and attrs, routing rules, record checks. */
  schema?: Schema;
  /**
   * Worker processes decoding images and parsing JSON/CSV (default: the number of cores; 0 does
   * everything in this process).
   */
  workers?: number;
  /**
   * Entries in flight at most between reading, decoding and writing (default 4 × workers ×
   * batchChunkSize, at least 8: fewer left workers waiting in P3). Their data is also capped.
   */
  batchProcessLimit?: number;
  /** Entries sent to a worker in one message (default 1). */
  batchChunkSize?: number;
  /**
   * Stops the run: no new entry is read, video/audio in progress is cut off (its entry fails),
   * the rest in flight is written, the manifest too, and the file stays as <output>.partial.
   */
  signal?: AbortSignal;
  /** What to record as the command in the root attrs (the CLI passes its argv). */
  command?: string;
}
