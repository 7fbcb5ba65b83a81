// ajv, loaded when the first validator is made: its modules are ~25 ms of every process start,
// and only runs with a --schema, a --config or records rules validate anything.
import type AjvClass from "ajv";
import type { Options } from "ajv";

/** A new ajv instance with `options` (ajv itself loaded by the first call). */
export function newAjv(options: Options): AjvClass {
  const { default: Ajv } = require("ajv") as typeof import("ajv");
  return new Ajv(options);
}
