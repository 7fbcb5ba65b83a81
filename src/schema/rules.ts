// A loaded --schema file and its routing: the first rule whose globs match an entry's source path
// (and its input's group name, when the rule says `input`) decides the entry's fate — skipped
// with a reason, or written at the rule's target template with its processor and settings.
import path from "node:path";
import picomatch from "picomatch";
import { datasetPathOf, escapeName } from "../output/hdf5-names";
import type { Compression } from "../processors/layout";
import { parseCompression, type CompressionSetting } from "../h5/compression";
import { parseResize, type ResizeSpec } from "../processors/resize-spec";
import { parseLabelSource, type LabelSource } from "../stacked/labels";
import { parseSplitRule, type SplitShare } from "../stacked/split-rule";
import { recordAccess, RECORD_PROCESSORS, type ProcessorName } from "../processors/registry";
import { SchemaError } from "./errors";
import { compileRecords, type RecordValidator } from "./records";
import { TEMPLATE_VARIABLES, type SchemaDocument, type SchemaDtype, type SchemaRule } from "./schema-meta";

/** Where an entry comes from, besides its source path. */
export interface RouteContext {
  /** The input's top-level group name ("" for a loose file). */
  group: string;
  /** The entry's index within its input, 0-based. */
  index: number;
}

/** What the matching rule says about an entry. */
export interface Route {
  /** Index of the rule in `rules`. */
  rule: number;
  /** Set when the entry is skipped: the reason, for the manifest. Nothing else is set then. */
  skip?: string;
  /** The dataset's absolute HDF5 path, components escaped (the rule's template, else the default
   * `datasetPathOf(group, sourcePath)`). Set unless skipped. */
  target?: string;
  processor?: ProcessorName;
  options?: Record<string, unknown>;
  dtype?: SchemaDtype;
  chunks?: number[];
  /** As ConvertOptions.compression: a parsed setting (see h5/compression.ts). */
  compression?: CompressionSetting;
  /** The rule's `records` validator: null when a record is valid, else ajv's error text. */
  records?: RecordValidator;
  /** The rule's `layout`: "stacked" makes a matching image a row of its input's stack. */
  layout?: "files" | "stacked";
}

/** A stacking rule's own options for its input's stack, parsed as their flags are; absent: the run's. */
export interface RuleStack {
  resize?: ResizeSpec;
  labels?: LabelSource;
  split?: SplitShare[];
  seed?: number;
  compression?: Compression;
}

/** A rule with layout "stacked": its index and its options for the stack. */
export interface StackingRule {
  rule: number;
  stack: RuleStack;
}

/** The options a rule may give an input's stack, with their parsers. */
const STACK_KEYS = { resize: parseResize, labels: parseLabelSource, split: parseSplitRule } as const;

/** Globs match the whole source path; dotfiles included; unbalanced brackets are errors. */
const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true, strictBrackets: true };

/** A parsed target template: per path component, literal text and variables. */
export interface Template {
  text: string;
  absolute: boolean;
  components: (string | { name: string; pad: number })[][];
}

/** A rule ready to match: its globs and template parsed, its records schema compiled. */
export interface CompiledRule {
  rule: SchemaRule;
  matches: (sourcePath: string) => boolean;
  inputMatches: ((group: string) => boolean) | null;
  template: Template | null;
  compression?: Route["compression"];
  records?: RecordValidator;
  /** Set for a rule with layout "stacked". */
  stack?: RuleStack;
}

/** A loaded --schema file: its rules, matched against entries. */
export class Schema {
  /** @internal use loadSchema / parseSchema */
  constructor(
    /** The schema file (named in errors). */
    readonly file: string,
    /** Its text, as read: stored in the output as the /_h5dat attr `schema`. */
    readonly text: string,
    /** @internal The file's content, as parsed. */
    readonly document: SchemaDocument,
    private readonly rules: CompiledRule[],
  ) {}

  /** @internal The groups to create, by absolute HDF5 path, with their attrs. */
  get groups(): NonNullable<SchemaDocument["groups"]> {
    return this.document.groups ?? {};
  }

  /**
   * @internal
   * The route of the entry at `sourcePath` (relative to its input), or null when no rule matches
   * (convert's defaults apply). Throws a SchemaError when the matching rule's target template
   * gives this entry no valid path (a '..' component, an empty name, a path under /_h5dat).
   */
  route(sourcePath: string, context: RouteContext): Route | null {
    const parts = pathParts(sourcePath);
    const normal = parts.join("/");
    const index = this.rules.findIndex((r) => r.matches(normal) && (!r.inputMatches || r.inputMatches(context.group)));
    if (index < 0) return null;
    const { rule, template, compression, records } = this.rules[index];
    if (rule.skip) return { rule: index, skip: rule.reason ?? `skipped by schema rule ${index} (${describeMatch(rule.match)})` };
    const route: Route = { rule: index, target: template ? this.expand(index, template, parts, context) : datasetPathOf(context.group, normal) };
    if (rule.processor !== undefined) route.processor = rule.processor;
    if (rule.options !== undefined) route.options = rule.options;
    if (rule.dtype !== undefined) route.dtype = rule.dtype;
    if (rule.chunks !== undefined) route.chunks = rule.chunks;
    if (compression !== undefined) route.compression = compression;
    if (records !== undefined) route.records = records;
    if (rule.layout !== undefined) route.layout = rule.layout;
    return route;
  }

  /** @internal The rules with layout "stacked" that may route entries of the input whose group is `group` (undefined: of any input). */
  stackingRules(group?: string): StackingRule[] {
    return this.rules.flatMap(({ stack, inputMatches }, rule) => (stack && (group === undefined || !inputMatches || inputMatches(group)) ? [{ rule, stack }] : []));
  }

  private expand(index: number, template: Template, parts: string[], context: RouteContext): string {
    const name = parts.at(-1) ?? "";
    const ext = path.posix.extname(name).slice(1);
    const values: Record<string, string> = {
      dir: parts.slice(0, -1).join("/"),
      name,
      ext,
      stem: ext ? name.slice(0, -(ext.length + 1)) : name,
      path: parts.join("/"),
      group: context.group,
      index: String(context.index),
    };
    const text = template.components
      .map((pieces) => pieces.map((p) => (typeof p === "string" ? p : p.name === "index" ? values.index.padStart(p.pad, "0") : values[p.name])).join(""))
      .join("/");
    const fail = (why: string): never => {
      throw new SchemaError(`schema '${this.file}': rules/${index}/target '${template.text}' gives '${parts.join("/")}' no valid HDF5 path: ${why}`, this.file, [`rules/${index}/target: ${why}`]);
    };
    const components = text.split("/").filter((c) => c !== "" && c !== ".");
    if (components.includes("..")) fail(`'..' in '${text}'`);
    if (components.length === 0) fail("the name is empty");
    const full = template.absolute || context.group === "" ? components : [context.group, ...components];
    if (full[0] === RESERVED) fail(`/${RESERVED} is h5dat's own group`);
    return "/" + full.map(escapeName).join("/");
  }
}

/** h5dat's own group (manifest, quarantine, schema): no rule may write into it. */
const RESERVED = "_h5dat";

/**
 * Compiles the rules of a document that fits the meta-schema; problems (bad globs, templates,
 * `records` schemas) are pushed to `problems`, each starting with the JSON path of the key.
 */
export function compileRules(document: SchemaDocument, problems: string[]): CompiledRule[] {
  return (document.rules ?? []).map((rule, i) => compileRule(rule, `rules/${i}`, document.definitions ?? {}, problems));
}

function compileRule(rule: SchemaRule, where: string, definitions: Record<string, object | boolean>, problems: string[]): CompiledRule {
  const compiled: CompiledRule = {
    rule,
    matches: compileGlobs(rule.match, `${where}/match`, problems, true),
    inputMatches: rule.input === undefined ? null : compileGlobs(rule.input, `${where}/input`, problems, false),
    template: null,
  };
  if (rule.skip) {
    const extra = Object.keys(rule).filter((key) => !["match", "input", "description", "skip", "reason"].includes(key));
    if (extra.length > 0) problems.push(`${where}: a skip rule takes only match, input, reason and description, not ${extra.map((k) => `'${k}'`).join(", ")}`);
  } else if (rule.reason !== undefined) {
    problems.push(`${where}/reason: a reason goes with "skip": true`);
  }
  if (rule.target !== undefined) {
    try {
      compiled.template = parseTemplate(rule.target);
    } catch (error) {
      problems.push(`${where}/target: ${(error as Error).message}`);
    }
  }
  if (rule.compression !== undefined) compiled.compression = parseCompression(rule.compression);
  if (rule.layout === "stacked") compiled.stack = compileStack(rule, where, compiled.compression, problems);
  else {
    const given = Object.keys(STACK_KEYS).concat("seed").filter((key) => rule[key as keyof SchemaRule] !== undefined);
    if (given.length > 0) problems.push(`${where}: ${given.map((k) => `'${k}'`).join(", ")} shape${given.length === 1 ? "s" : ""} a stack: give "layout": "stacked" too`);
  }
  if (rule.records !== undefined) {
    if (rule.processor !== undefined && !recordAccess(rule.processor)) {
      problems.push(`${where}/records: records are checked for ${RECORD_PROCESSORS.slice(0, -1).join(", ")} and ${RECORD_PROCESSORS.at(-1)} entries only, not ${rule.processor}`);
    }
    try {
      compiled.records = compileRecords(rule.records, definitions);
    } catch (error) {
      problems.push(`${where}/records: not a valid JSON Schema: ${(error as Error).message}`);
    }
  }
  return compiled;
}

/**
 * A stacking rule's options for its input's stack. Its images become rows, not datasets of their
 * own: what places or shapes a dataset (target, dtype, chunks, options, records) is a problem.
 */
function compileStack(rule: SchemaRule, where: string, compression: Compression | undefined, problems: string[]): RuleStack {
  for (const key of ["target", "dtype", "chunks", "options", "records"] as const) {
    if (rule[key] !== undefined) problems.push(`${where}/${key}: a rule with "layout": "stacked" makes its images rows of their input's stack, which takes no ${key}`);
  }
  if (rule.processor !== undefined && rule.processor !== "image") problems.push(`${where}/processor: "layout": "stacked" stacks images, not ${rule.processor} entries`);
  const stack: RuleStack = {};
  for (const [key, parse] of Object.entries(STACK_KEYS) as [keyof typeof STACK_KEYS, (text: string) => never][]) {
    const text = rule[key];
    if (text === undefined) continue;
    try {
      stack[key] = parse(text);
    } catch (error) {
      // The parsers' messages name the flag (--resize: ...): here the key is named instead.
      problems.push(`${where}/${key}: ${(error as Error).message.replace(/^--[a-z-]+: /, "")}`);
    }
  }
  if (rule.seed !== undefined) stack.seed = rule.seed;
  if (compression !== undefined) stack.compression = compression;
  return stack;
}

function compileGlobs(globs: string | string[], where: string, problems: string[], relative: boolean): (value: string) => boolean {
  const matchers = (Array.isArray(globs) ? globs : [globs]).map((glob, i) => {
    const at = Array.isArray(globs) ? `${where}/${i}` : where;
    if (relative && (glob.startsWith("/") || glob.startsWith("./"))) {
      problems.push(`${at}: '${glob}' never matches: source paths are relative to their input (drop the leading '${glob.startsWith("/") ? "/" : "./"}')`);
      return () => false;
    }
    try {
      return picomatch(glob, GLOB_OPTIONS);
    } catch (error) {
      problems.push(`${at}: invalid glob '${glob}': ${(error as Error).message}`);
      return () => false;
    }
  });
  return (value) => matchers.some((m) => m(value));
}

const VARIABLE = /\{([^{}]*)\}/g;

/** Parses a target template; throws an Error saying what is wrong with it. */
export function parseTemplate(text: string): Template {
  const absolute = text.startsWith("/");
  const components: Template["components"] = [];
  for (const component of text.split("/")) {
    if (component === "") continue;
    const pieces: Template["components"][number] = [];
    let last = 0;
    for (const match of component.matchAll(VARIABLE)) {
      pieces.push(component.slice(last, match.index));
      const [, name, pad] = /^([a-z]+)(?::([0-9]{1,2}))?$/.exec(match[1]) ?? [];
      if (!name || !(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
        throw new Error(`unknown variable '${match[0]}' (use ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(" ")} or {index:N})`);
      }
      if (pad !== undefined && name !== "index") throw new Error(`only {index} takes a width ('${match[0]}')`);
      pieces.push({ name, pad: pad === undefined ? 0 : Number(pad) });
      last = match.index! + match[0].length;
    }
    pieces.push(component.slice(last));
    const literal = pieces.filter((p): p is string => typeof p === "string" && p !== "");
    if (literal.some((p) => p.includes("{") || p.includes("}"))) throw new Error(`unbalanced '{' or '}' in '${component}'`);
    if (pieces.every((p) => typeof p === "string")) {
      if (component === "..") throw new Error(`'..' is not allowed (targets cannot climb out of their group)`);
      if (component === ".") continue;
    }
    components.push(pieces.filter((p) => p !== ""));
  }
  if (components.length === 0) throw new Error(`'${text}' names no dataset`);
  if (absolute && components[0].length === 1 && components[0][0] === RESERVED) throw new Error(`/${RESERVED} is h5dat's own group`);
  return { text, absolute, components };
}

/** The components of a source path: empty and "." ones say nothing (tar paths often start "./"). */
function pathParts(sourcePath: string): string[] {
  return sourcePath.split("/").filter((part) => part !== "" && part !== ".");
}

function describeMatch(match: string | string[]): string {
  return Array.isArray(match) ? match.join(", ") : match;
}
