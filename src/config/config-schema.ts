// The JSON Schema of h5dat's --config file (printed by `h5dat config --schema`). The keys of the
// original tool keep their meaning; unknown keys are errors, so a typo never passes silently.

import { PROCESSOR_OPTIONS } from "../processors/registry";
import { COMPRESSION_PATTERN } from "../processors/layout";
import { MOST_CSV_FIELD } from "../processors/csv-limits";
import { ON_ERROR_MODES } from "../convert/fallback";
import type { ConvertOptions } from "../convert/options";

export const CONFIG_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "urn:h5dat:config",
  title: "h5dat convert configuration",
  type: "object",
  additionalProperties: false,
  properties: {
    image_extensions: {
      description: "Extensions (without the dot) treated as images when magic bytes do not decide.",
      type: "array",
      items: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9.+-]*$" },
      uniqueItems: true,
    },
    video_extensions: {
      description: "Extensions (without the dot) treated as video when magic bytes do not decide.",
      type: "array",
      items: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9.+-]*$" },
      uniqueItems: true,
    },
    allowed_types: {
      description: "Categories (image, video, audio, json, jsonl, csv, tsv, hdf5, archive, bytes), media types or wildcards (image/*) to convert; other files are skipped with a reason.",
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
    },
    checkpoint_entries: {
      description: "Store the manifest and flush the file (crash-consistent on disk) every this many entries (default 1000).",
      type: "integer",
      minimum: 1,
    },
    checkpoint_seconds: {
      description: "... or every this many seconds, whichever comes first (default 10).",
      type: "number",
      exclusiveMinimum: 0,
    },
    batch_chunk_size: {
      description: "Entries handed to a worker at a time.",
      type: "integer",
      minimum: 1,
    },
    batch_process_limit: {
      description: "Most entries in flight between the readers, the workers and the writer.",
      type: "integer",
      minimum: 1,
    },
    compression: {
      description: "gzip, gzip:0-9 or none.",
      type: "string",
      pattern: COMPRESSION_PATTERN,
    },
    csv: { description: "table (typed columns) or kv (cell text).", enum: ["table", "kv"] },
    animated: { description: "Every frame of animated GIF/WebP images as [T, H, W, C], every page of a multi-page TIFF as [P, H, W, C] (default: the first).", type: "boolean" },
    on_error: {
      description: "An entry its processor cannot convert: keep (default) stores its original bytes at its path (attrs processor \"bytes\", media_type, fallback_reason; manifest \"kept as bytes: <error>\"); fail fails it. Limits (max_*) fail either way.",
      enum: ON_ERROR_MODES,
    },
    truncated_images: { description: "Decode truncated JPEGs as far as their data goes, as PIL's LOAD_TRUNCATED_IMAGES (default false: they fail, or are kept as bytes).", type: "boolean" },
    images: { description: "pixels (decoded), encoded (the file's bytes) or both.", enum: ["pixels", "encoded", "both"] },
    gif_as_video: { description: "Decode animated GIFs as video ([T, H, W, 3] through ffmpeg, with the video options) instead of as images.", type: "boolean" },
    video: { description: "Video processor defaults (a --schema rule's options go on top).", type: "object", additionalProperties: false, properties: PROCESSOR_OPTIONS.video },
    audio: { description: "Audio processor defaults (a --schema rule's options go on top).", type: "object", additionalProperties: false, properties: PROCESSOR_OPTIONS.audio },
    workers: { description: "Worker processes decoding images and parsing large JSON/CSV (default: the number of cores; 0 = all in the main process).", type: "integer", minimum: 0 },
    max_entry_bytes: { description: "An entry holding more bytes (decompressed) fails, read no further (default 64 GiB; 0 = no limit).", type: "integer", minimum: 0 },
    max_ratio: { description: "An archive entry expanding more than this many times its compressed bytes fails, judged once it has produced 32 MiB (default 200; 0 = no limit).", type: "integer", minimum: 0 },
    max_pixels: { description: "An image of more pixels (width × height × frames) fails before decoding (default 268402689; 0 = no limit).", type: "integer", minimum: 0 },
    max_csv_field: { description: "A CSV/TSV with a field of more bytes fails, not parsed (default 64 MiB; at most and 0 = 80 MiB, the most the parser holds).", type: "integer", minimum: 0, maximum: MOST_CSV_FIELD },
  },
} as const;

/** A config file's contents: convert's options under the config's snake_case keys (compression as text). */
export interface Config {
  image_extensions?: readonly string[];
  video_extensions?: readonly string[];
  allowed_types?: readonly string[];
  checkpoint_entries?: number;
  checkpoint_seconds?: number;
  batch_chunk_size?: number;
  batch_process_limit?: number;
  compression?: string;
  csv?: ConvertOptions["csv"];
  animated?: boolean;
  on_error?: ConvertOptions["onError"];
  truncated_images?: boolean;
  images?: ConvertOptions["images"];
  gif_as_video?: boolean;
  video?: ConvertOptions["video"];
  audio?: ConvertOptions["audio"];
  workers?: number;
  max_entry_bytes?: number;
  max_ratio?: number;
  max_pixels?: number;
  max_csv_field?: number;
}
