// The JSON Schema of h5dat's --schema files (the "meta-schema"): groups to create with their
// attrs, and rules that route entries by a glob on their source path. Unknown keys are errors
// everywhere, so a typo never passes silently. What ajv cannot check here (globs, target
// templates, `records` being a valid JSON Schema) load-schema.ts checks after it.
import { COMPRESSION_PATTERN } from "../h5/compression";
// The processors' names and options are theirs: a rule may name any processor the registry lists.
import { PROCESSOR_NAMES, PROCESSOR_OPTIONS, type ProcessorName } from "../processors/registry";

/** Element types a rule may ask for (h5dat's dtype names). */
export const DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "bool"] as const;
/** The dtypes a --schema file may name. */
export type SchemaDtype = (typeof DTYPES)[number];

/** Variables of a target template; `{index:N}` pads the index to N digits. */
export const TEMPLATE_VARIABLES = ["dir", "stem", "ext", "name", "path", "index", "group"] as const;

const glob = { type: "string", minLength: 1 } as const;
const globs = { anyOf: [glob, { type: "array", minItems: 1, items: glob }] } as const;

/** The JSON Schema of --schema files (the meta-schema). */
export const SCHEMA_META = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "urn:h5dat:schema",
  title: "h5dat convert --schema file",
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { description: "The meta-schema this file follows (for editors); ignored.", type: "string" },
    description: { description: "What the schema is for; ignored.", type: "string" },
    groups: {
      description: "Groups to create, by absolute HDF5 path ('/' is the root), with the attrs to set on them.",
      type: "object",
      propertyNames: { pattern: "^/" },
      additionalProperties: { $ref: "#/definitions/group" },
    },
    rules: {
      description: "Routing rules, tried in order for every entry: the first whose `match` fits the entry's source path applies.",
      type: "array",
      items: { $ref: "#/definitions/rule" },
    },
    definitions: {
      description: "JSON Schemas that `records` may refer to as {\"$ref\": \"#/definitions/<name>\"}.",
      type: "object",
      additionalProperties: { type: ["object", "boolean"] },
    },
  },
  definitions: {
    group: {
      type: "object",
      additionalProperties: false,
      properties: {
        attrs: {
          description: "Attributes: text, numbers (integers are stored as int64, others as float64), booleans, or arrays of text or of numbers.",
          type: "object",
          additionalProperties: { $ref: "#/definitions/attr" },
        },
      },
    },
    attr: {
      anyOf: [
        { type: ["string", "number", "boolean"] },
        { type: "array", minItems: 1, items: { type: "string" } },
        { type: "array", minItems: 1, items: { type: "number" } },
      ],
    },
    rule: {
      type: "object",
      additionalProperties: false,
      required: ["match"],
      properties: {
        match: { description: "Glob(s) on the entry's source path inside its input (picomatch, dotfiles included; '**' crosses directories).", ...globs },
        input: { description: "Glob(s) on the input's group name ('' for a loose file): the rule applies to those inputs only.", ...globs },
        description: { description: "A note; ignored.", type: "string" },
        skip: { description: "true: matching entries are skipped (manifest status 'skipped').", type: "boolean" },
        reason: { description: "The skip's reason in the manifest (only with skip).", type: "string", minLength: 1 },
        target: {
          description: "The dataset path: a template with {dir} {stem} {ext} {name} {path} {index} {index:N} {group}; relative to the input's group unless it starts with '/'.",
          type: "string",
          minLength: 1,
        },
        processor: { description: "The processor to use instead of the one the entry's type picks.", enum: PROCESSOR_NAMES },
        options: { description: "The processor's options (needs `processor`).", type: "object" },
        dtype: { description: "The element type of the dataset written.", enum: DTYPES },
        chunks: { description: "Chunk shape, one size per axis.", type: "array", minItems: 1, maxItems: 32, items: { type: "integer", minimum: 1 } },
        compression: { description: "gzip[:0-9], zstd[:1-22], lz4, blosc[:CNAME[:0-9][:SHUFFLE]], bitshuffle[:lz4|:zstd[:1-22]] or none (with layout stacked: the stack's).", type: "string", pattern: COMPRESSION_PATTERN },
        layout: { description: "files or stacked: where matching images go (default: convert's layout). Stacked: rows of their input's one stack.", enum: ["files", "stacked"] },
        resize: { description: "With layout stacked: WxH[:cover|contain|fill] (as --resize).", type: "string" },
        labels: { description: "With layout stacked: dir, none or FILE:KEY:COLUMN (as --labels).", type: "string" },
        split: { description: "With layout stacked: NAME=SHARE,... (as --split).", type: "string" },
        seed: { description: "With layout stacked: the seed of the split's hash (as --seed).", type: "integer", minimum: 0 },
        records: {
          description: "A JSON Schema (draft-07) every record of a JSON/JSONL/CSV entry must satisfy; failing records go to /_h5dat/quarantine.",
          type: ["object", "boolean"],
        },
      },
      dependencies: { options: ["processor"], reason: ["skip"] },
      allOf: Object.entries(PROCESSOR_OPTIONS).map(([processor, properties]) => ({
        if: { required: ["processor"], properties: { processor: { const: processor } } },
        then: { properties: { options: { type: "object", additionalProperties: false, properties } } },
      })),
    },
  },
} as const;

/** An attribute value a --schema file may set. */
export type AttrValue = string | number | boolean | string[] | number[];

/** A --schema file's content, as the meta-schema admits it. */
export interface SchemaDocument {
  $schema?: string;
  description?: string;
  groups?: Record<string, { attrs?: Record<string, AttrValue> }>;
  rules?: SchemaRule[];
  definitions?: Record<string, object | boolean>;
}

/** One rule of a --schema file: which entries it matches and what it asks of them. */
export interface SchemaRule {
  match: string | string[];
  input?: string | string[];
  description?: string;
  skip?: boolean;
  reason?: string;
  target?: string;
  processor?: ProcessorName;
  options?: Record<string, unknown>;
  dtype?: SchemaDtype;
  chunks?: number[];
  compression?: string;
  layout?: "files" | "stacked";
  resize?: string;
  labels?: string;
  split?: string;
  seed?: number;
  records?: object | boolean;
}
