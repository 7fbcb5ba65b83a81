// Reads a --schema file: JSON-parses it (errors name line and column), validates it with ajv
// against SCHEMA_META (errors name the JSON path of the bad key), then compiles its globs,
// target templates and `records` schemas. Every problem is a SchemaError naming the file.
import fs from "node:fs";
import type { ErrorObject } from "ajv";
import { lazily } from "../lazily";
import { scanJsonLeaves } from "../processors/json-tokenizer";
import { invalidSchema, SchemaError } from "./errors";
import { newAjv } from "./new-ajv";
import { compileRecords } from "./records";
import { compileRules, Schema } from "./rules";
import { H5DAT_ROOT_ATTRS } from "./write-schema";
import { SCHEMA_META, type SchemaDocument } from "./schema-meta";

// Compiled on first use: compiling it took ~70 ms of every CLI start, and few runs have a schema.
const metaValidator = lazily(() => newAjv({ allErrors: true, strict: true, allowUnionTypes: true }).compile<SchemaDocument>(SCHEMA_META));

/** Reads, parses, validates and compiles a schema file. */
export async function loadSchema(file: string): Promise<Schema> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SchemaError(`cannot read schema '${file}': ${code === "ENOENT" ? "no such file" : (error as Error).message}`, file);
  }
  return parseSchema(text, file);
}

/** The same from the file's text (e.g. in a worker process that was sent it); `file` names it in errors. */
export function parseSchema(text: string, file = "schema"): Schema {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SchemaError(`schema '${file}' is not valid JSON: ${jsonErrorOf(text, error as Error)}`, file);
  }
  const validate = metaValidator();
  if (!validate(value)) throw invalidSchema(file, metaProblems(validate.errors ?? []));
  const problems: string[] = [];
  for (const group of Object.keys(value.groups ?? {})) {
    const components = group.split("/").filter((c) => c !== "" && c !== ".");
    if (components.includes("..")) problems.push(`${keyPath(["groups", group])}: '..' is not allowed in a group path`);
    else if (components[0] === "_h5dat") problems.push(`${keyPath(["groups", group])}: /_h5dat is h5dat's own group`);
    else if (components.length === 0) {
      for (const name of Object.keys(value.groups?.[group]?.attrs ?? {}).filter((n) => H5DAT_ROOT_ATTRS.includes(n))) {
        problems.push(`${keyPath(["groups", group, "attrs", name])}: '${name}' is a root attr h5dat writes about the run`);
      }
    }
  }
  for (const [name, definition] of Object.entries(value.definitions ?? {})) {
    try {
      compileRecords(definition, value.definitions);
    } catch (error) {
      problems.push(`${keyPath(["definitions", name])}: not a valid JSON Schema: ${(error as Error).message}`);
    }
  }
  const rules = compileRules(value, problems);
  if (problems.length > 0) throw invalidSchema(file, problems);
  return new Schema(file, text, value, rules);
}

/** "line L, column C: ..." from the project's JSON scanner (V8's messages give no position). */
function jsonErrorOf(text: string, error: Error): string {
  try {
    scanJsonLeaves(text, "", () => {});
  } catch (scanError) {
    return (scanError as Error).message.replace(/^invalid JSON at /, "");
  }
  return error.message;
}

/**
 * One line per problem, "<json path>: <message>". The if/then plumbing's own errors are dropped;
 * an anyOf's alternatives are folded into one line ("must be string or array"), or into the
 * errors inside the value when only one alternative got that far.
 */
function metaProblems(errors: ErrorObject[]): string[] {
  const problems: string[] = [];
  const add = (line: string) => void (problems.includes(line) || problems.push(line));
  const consumed = new Set<ErrorObject>();
  for (const anyOf of errors.filter((e) => e.keyword === "anyOf")) {
    const subs = errors.filter((e) => e.schemaPath.startsWith(`${anyOf.schemaPath}/`));
    subs.forEach((e) => consumed.add(e));
    const deep = subs.filter((e) => e.instancePath.length > anyOf.instancePath.length);
    const branches = new Set(deep.map((e) => e.schemaPath.slice(anyOf.schemaPath.length + 1).split("/")[0]));
    if (deep.length > 0 && branches.size === 1) {
      deep.forEach((e) => add(problemOf(e)));
      continue;
    }
    const types = subs.filter((e) => e.keyword === "type" && e.instancePath === anyOf.instancePath).map((e) => String((e.params as { type: string }).type).replace(/,/g, ", "));
    const inside = deep.length > 0 ? ` (${deep.map(problemOf).join("; ")})` : "";
    add(`${pathOf(anyOf)}: must be ${[...new Set(types)].join(" or ") || "one of the allowed forms"}${inside}`);
  }
  for (const e of errors) {
    if (e.keyword === "if" || e.keyword === "anyOf" || e.keyword === "propertyNames" || consumed.has(e)) continue;
    add(problemOf(e));
  }
  return problems;
}

function problemOf(e: ErrorObject): string {
  const where = pathOf(e);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties":
      return `${where}: unknown key '${params.additionalProperty}'`;
    case "enum":
      return `${where}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `${where}: must be ${String(params.type).split(",").join(" or ")}`;
    case "dependencies":
      return `${where}: '${params.property}' needs '${params.missingProperty}'`;
    default:
      // An error about a key's name (propertyNames) carries the key.
      return e.propertyName !== undefined ? `${where}: key '${e.propertyName}' ${e.message}` : `${where}: ${e.message}`;
  }
}

function pathOf(e: ErrorObject): string {
  return keyPath(e.instancePath.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~")));
}

/** A JSON path for messages: "rules/2/compression"; a key holding '/' is quoted ("groups/\"/photos\""); the root is "(root)". */
function keyPath(tokens: string[]): string {
  return tokens.length === 0 ? "(root)" : tokens.map((t) => (t.includes("/") || t === "" ? JSON.stringify(t) : t)).join("/");
}
