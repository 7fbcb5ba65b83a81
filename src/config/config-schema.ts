// The JSON Schema of h5dat's --config file (printed by `h5dat config --schema`), made from convert's
// option table (convert/option-table.ts): each option's config key (the original tool's, with its
// meaning) and its schema. Unknown keys are errors, so a typo never passes silently.
import { configProperties } from "../convert/option-table";

/** A config file's contents (convert/option-table.ts): each option under its snake_case key. */
export type { Config } from "../convert/option-table";

/** The config file's JSON Schema (draft-07), checked by ajv in load-config.ts. */
export const CONFIG_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "urn:h5dat:config",
  title: "h5dat convert configuration",
  type: "object",
  additionalProperties: false,
  properties: configProperties(),
} as const;
