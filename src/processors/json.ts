// JSON and JSON Lines as a lossless key/value array: [N, 2] UTF-8 strings, column 0 the RFC 6901
// pointer of each leaf, column 1 the leaf's JSON text, in document order. Numbers keep the text
// they were written with (the scanner never goes through JSON.parse), so
// 12345678901234567890123, 1e400 and -0.0 survive as written.
//
// Stored as a ragged string array (h5/ragged-strings.ts): a group with a compressed uint8
// `bytes` dataset and a uint64 `offsets` dataset (pointer 0, value 0, pointer 1, ...), its attrs
// format "json-pointer-pairs", columns ["pointer", "value"], jsonl, layout "ragged-utf8",
// layout_version 1 and shape [N, 2]. Files written before it hold an [N, 2] dataset of
// variable-length strings with the same attrs (no layout); both read the same (readJsonPairs).
//
// Reading back applies the rows in order, like JSON Patch "add": a missing container is created
// as an array when the token below it is "0", else as an object; a `[]` or `{}` row sets an empty
// container that later rows may fill. The writer puts a `{}` row before each object whose first
// key is "0" (pointers alone cannot tell [1] from {"0": 1}), and before a repeated key's
// non-empty container, so that the last value wins as with JSON.parse.
import type { AttributeSet } from "../h5/attrs";
import type { Group } from "../h5/group";
import { runAsync, type Operation } from "../h5/operation";
import { StringsEncoder, type EncodedStrings } from "../h5/encoded-strings";
import { writeRaggedStrings } from "../h5/ragged-strings";
import { readStringRows, stringMatrixShape, type StringMatrix } from "../h5/string-rows";
import { H5Error } from "../h5/errors";
import { GZIP, storageOptions, type DatasetLayout } from "./layout";
import { escapePointerToken, NUMBER, pointerTokens, scanJsonLeaves } from "./json-tokenizer";
import { decodeText, type TextSource } from "./text-input";

export { JsonSyntaxError } from "./json-tokenizer";


/** One leaf: its JSON pointer and its JSON text. */
export type JsonPair = [pointer: string, value: string];

/** How JSON text is read: one document, or JSON Lines. */
export interface JsonOptions {
  /** JSON Lines: each non-empty line is a document, under the pointer prefix /0, /1, ... */
  jsonl?: boolean;
}

/** The `format` attribute of a pointer/value dataset. */
export const JSON_PAIRS_FORMAT = "json-pointer-pairs";

/**
 * The leaves of a JSON (or JSON Lines) text as [pointer, JSON text] pairs, in document order.
 * JSONL documents are numbered by their index among non-empty lines, so the whole reads back as
 * an array of the documents. Invalid JSON throws a JsonSyntaxError naming line and column.
 */
export function jsonToPairs(text: string, options: JsonOptions = {}): JsonPair[] {
  const pairs: JsonPair[] = [];
  forEachPair(text, options, (pointer, value) => void pairs.push([pointer, value]));
  return pairs;
}

/** Calls `emit` with each leaf's pointer and JSON text, in document order (as jsonToPairs lists them). */
function forEachPair(text: string, options: JsonOptions, emit: (pointer: string, value: string) => void): void {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!options.jsonl) return scanJsonLeaves(text, "", emit);
  const lines = text.split("\n");
  let documents = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith("\r") ? lines[i].slice(0, -1) : lines[i];
    if (/^[ \t\r]*$/.test(line)) continue;
    scanJsonLeaves(line, `/${documents++}`, emit, i + 1);
  }
}

/**
 * The value the pairs describe. Numbers: integers written without fraction or exponent come back
 * as a number when safe (|n| ≤ 2^53 - 1) and as a BigInt beyond; all others as the nearest double
 * (1e400 is Infinity). pairsToJsonText keeps every number's text. No pairs read as [] (an empty
 * JSONL file).
 */
export function pairsToJson(pairs: Iterable<readonly [string, string]>): unknown {
  const object = (): Record<string, unknown> => ({});
  return buildTree<Record<string, unknown>>(pairs, {
    object,
    isObject: (v): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v),
    get: (o, key) => (Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined),
    set: (o, key, v) => {
      // A plain assignment to "__proto__" would set the prototype instead of a key; defining
      // every key would turn each object into a slow dictionary.
      if (key === "__proto__") Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
      else o[key] = v;
    },
    leaf: leafValue,
  });
}

/** The pairs as compact JSON text, every number exactly as it was written in the source. */
export function pairsToJsonText(pairs: Iterable<readonly [string, string]>): string {
  const root = buildTree<Map<string, unknown>>(pairs, {
    object: () => new Map(),
    isObject: (v): v is Map<string, unknown> => v instanceof Map,
    get: (o, key) => o.get(key),
    set: (o, key, v) => void o.set(key, v),
    leaf: (text) => {
      leafValue(text); // validates
      return new LeafText(text);
    },
  });
  return serialize(root);
}

/** Writes the pointer/value array `name` into `group` (a ragged string array, gzip) with its attributes. */
export async function writeJson(group: Group, name: string, source: TextSource, options: JsonOptions = {}, layout: DatasetLayout = GZIP): Promise<Group> {
  return writePreparedJson(group, name, prepareJson(source, options), layout);
}

/** A JSON text parsed and ready to store: the pairs' UTF-8 as pointer, value, pointer, ... */
export interface PreparedJson {
  pairs: EncodedStrings;
  jsonl: boolean;
}

/** The parsing half of writeJson (it may run in a worker process): the pairs encoded as they are found. */
export function prepareJson(source: TextSource, options: JsonOptions = {}): PreparedJson {
  const encoder = new StringsEncoder();
  forEachPair(decodeText(source), options, (pointer, value) => {
    encoder.add(pointer);
    encoder.add(value);
  });
  return { pairs: encoder.result(), jsonl: !!options.jsonl };
}

/** The writing half of writeJson: the [N, 2] ragged string array and its attrs (the group, open). */
export async function writePreparedJson(group: Group, name: string, prepared: PreparedJson, layout: DatasetLayout = GZIP, more?: AttributeSet): Promise<Group> {
  // A rule's dtype cannot apply to text (storageOptions says so); its chunks are for a dataset's
  // axes, which the ragged array's datasets do not share.
  const { compression } = storageOptions({ ...layout, chunks: undefined }, { dtype: "string" }, false);
  const rows = prepared.pairs.ends.length / 2;
  return writeRaggedStrings(group, name, prepared.pairs, [rows, 2], {
    compression: compression ?? "none",
    attrs: { columns: ["pointer", "value"], format: JSON_PAIRS_FORMAT, jsonl: prepared.jsonl, ...more?.values },
    attrOptions: more?.options,
  });
}

/** The pairs stored in a pointer/value array of either layout (see the header), rows [start, stop) of it. */
export async function readJsonPairs(target: StringMatrix, start?: number, stop?: number): Promise<JsonPair[]> {
  return runAsync(jsonPairRows(target, start, stop));
}

/** Pairs in a pointer/value array: its [N, 2] shape checked, rows [start, stop) (all by default) read. */
export function* jsonPairRows(target: StringMatrix, start?: number, stop?: number): Operation<JsonPair[]> {
  const shape = yield* stringMatrixShape(target);
  if (shape.length !== 2 || shape[1] !== 2) throw new H5Error(`'${target.name}' is not an [N, 2] array of (pointer, JSON text) rows (shape [${shape.join(", ")}])`, target.name);
  const { data, shape: read } = yield* readStringRows(target, start, stop);
  const pairs: JsonPair[] = new Array(read[0]);
  for (let i = 0; i < read[0]; i++) pairs[i] = [data[2 * i], data[2 * i + 1]];
  return pairs;
}

// ------------------------------------------------------------------------------ reading back

/** A leaf's value: the JSON text of a scalar or an empty container. */
function leafValue(text: string): unknown {
  switch (text) {
    case "true":
      return true;
    case "false":
      return false;
    case "null":
      return null;
    case "[]":
      return [];
    case "{}":
      return {};
  }
  if (text[0] === '"') {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === "string") return value;
    } catch {
      // reported below
    }
  } else {
    NUMBER.lastIndex = 0;
    const m = NUMBER.exec(text);
    if (m && m[0].length === text.length) {
      if (/^-?[0-9]+$/.test(text)) {
        const n = Number(text);
        return Number.isSafeInteger(n) ? n : BigInt(text);
      }
      return Number(text);
    }
  }
  throw new Error(`invalid leaf value ${JSON.stringify(text)}: expected a JSON scalar, [] or {}`);
}

/** How one tree flavour makes and fills objects (arrays are always JS arrays). */
interface TreeOps<O> {
  object(): O;
  isObject(value: unknown): value is O;
  get(object: O, key: string): unknown;
  set(object: O, key: string, value: unknown): void;
  leaf(text: string): unknown;
}

function buildTree<O>(pairs: Iterable<readonly [string, string]>, ops: TreeOps<O>): unknown {
  const container = (nextToken: string) => (nextToken === "0" ? [] : ops.object());
  const isContainer = (v: unknown) => Array.isArray(v) || ops.isObject(v);
  let root: unknown = undefined;
  let rows = 0;
  for (const [pointer, text] of pairs) {
    rows++;
    const fail = (why: string): never => {
      throw new Error(`row ${rows - 1} (pointer '${pointer}'): ${why}`);
    };
    const tokens = pointerTokens(pointer);
    const value = text === "[]" ? [] : text === "{}" ? ops.object() : ops.leaf(text);
    if (tokens.length === 0) {
      root = value;
      continue;
    }
    if (root === undefined) root = container(tokens[0]);
    else if (!isContainer(root)) fail("the root is a leaf");
    let node = root as unknown[] | O;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const last = i === tokens.length - 1;
      let child: unknown;
      if (Array.isArray(node)) {
        if (!/^(0|[1-9][0-9]*)$/.test(token)) fail(`'${token}' is not an array index`);
        const index = Number(token);
        if (index > node.length) fail(`index ${index} skips past the array's end (${node.length})`);
        child = last ? value : index < node.length ? node[index] : container(tokens[i + 1]);
        node[index] = child;
      } else {
        const existing = last ? undefined : ops.get(node, token);
        child = last ? value : existing !== undefined ? existing : container(tokens[i + 1]);
        if (child !== existing) ops.set(node, token, child);
      }
      if (!last && !isContainer(child)) fail(`'${pointerOf(tokens.slice(0, i + 1))}' is a leaf, not a container`);
      node = child as unknown[] | O;
    }
  }
  return root === undefined ? [] : root;
}

class LeafText {
  constructor(readonly text: string) {}
}

/** Compact JSON of a text tree (arrays, Maps, LeafText); iterative, so depth is unbounded. */
function serialize(root: unknown): string {
  const out: string[] = [];
  const stack: { entries: Iterator<[string | null, unknown]>; close: string; first: boolean }[] = [];
  const open = (node: unknown) => {
    if (node instanceof LeafText) {
      out.push(node.text);
    } else if (Array.isArray(node)) {
      out.push("[");
      stack.push({ entries: node.map((v): [null, unknown] => [null, v])[Symbol.iterator](), close: "]", first: true });
    } else {
      out.push("{");
      stack.push({ entries: (node as Map<string, unknown>).entries(), close: "}", first: true });
    }
  };
  open(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const next = top.entries.next();
    if (next.done) {
      out.push(top.close);
      stack.pop();
      continue;
    }
    if (!top.first) out.push(",");
    top.first = false;
    const [key, value] = next.value;
    if (key !== null) out.push(JSON.stringify(key), ":");
    open(value);
  }
  return out.join("");
}

/** A pointer built from unescaped tokens (the inverse of pointerTokens). */
export function pointerOf(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => "/" + escapePointerToken(String(t))).join("");
}
