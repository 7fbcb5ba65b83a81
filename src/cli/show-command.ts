// `h5dat show file.h5 path [--png out.png] [--rows N] [--json]`: one object's facts, dimensions
// (as ncdump -h names them) and attrs, and a preview of what it holds — a table's first rows, a JSON value, an image's summary (and
// with --png the image itself), a video's or audio's length, any other dataset's first values.
import type { Command } from "commander";
import { File } from "../h5/file";
import { Dataset } from "../h5/dataset";
import { Group } from "../h5/group";
import { readTable } from "../read/records";
import { runAsync } from "../h5/operation";
import { isRaggedStrings, raggedShape, readRaggedStrings } from "../h5/ragged-strings";
import { toFile } from "../read/images";
import { listingLines, listObject, listObjects, type ListedObject } from "../read/listing";
import { dimensionLines, groupDimensionLines, groupDimensions, type GroupDimension } from "../read/dimension-listing";
import { isAttributeHead, isUnreadableAttribute, readAttributes } from "../h5/attribute-info";
import { firstValues, jsonLinesHead, jsonTextHead } from "../read/value-preview";
import { formatBytes } from "../byte-size";
import type { Dimensions } from "../h5/dimension-scales";
import { dtypeName } from "../h5/dtype";
import { messageOf } from "../error-message";
import { csvText } from "../export/csv-text";
import { namingFile } from "./file-error";
import { terminalLines, terminalText } from "./terminal-text";
import { describeScaling } from "../read/image-scaling";
import { FOLLOW_EXTERNAL_HELP } from "./export-command";
import { missingPathError } from "./missing-path";
import { recordPreview } from "./record-preview";
import { stackedPreview } from "./stacked-preview";
import { isStacked } from "../read/stacked";
import { RECORDS_FORMAT } from "../processors/record-table";
import { countText, counted, cutLine, firstLines, previewBounds, wrapItems, wrapText, type PreviewBounds } from "./preview-bounds";

interface ShowOptions {
  png?: string;
  rows?: string;
  json?: boolean;
  followExternal?: boolean;
}

const JSON_PREVIEW_CHARS = 4000;
/** Values of a dataset, elements of an attribute, characters of a string shown at most. */
const PREVIEW_VALUES = 1000;
const PREVIEW_CHARS = 4000;

/** Adds `h5dat show`: an object's attrs and a bounded preview of its content. */
export function addShowCommand(program: Command): void {
  program
    .command("show")
    .description("an object's attrs and a preview of its content")
    .argument("<file>", "the HDF5 file")
    .argument("<path>", "a group or dataset")
    .option("--png <file>", "write an image dataset as PNG")
    .option("--rows <n>", "rows of a table, documents of a JSON Lines dataset (or values) to preview", "10")
    .option("--json", "the facts, attrs and preview as JSON")
    .option("--follow-external", FOLLOW_EXTERNAL_HELP)
    .action((file: string, path: string, options: ShowOptions) => namingFile(file, () => showObject(file, path, options)));
}

async function showObject(file: string, path: string, options: ShowOptions): Promise<void> {
  const h5 = await File.open(file, "r", { external: options.followExternal ? "follow" : "deny" });
  try {
    if (!(await h5.has(path))) throw await missingPathError(h5, path, file);
    const bounds = previewBounds();
    const rows = Number(options.rows ?? 10);
    if (!Number.isInteger(rows) || rows < 0) throw new Error(`--rows must be a whole number, not '${options.rows}'`);
    const member = await h5.get(path);
    // One attribute that cannot be read (NetCDF-4's DIMENSION_LIST until vlen reads) is shown
    // as its type and the reason; it must not hide the object.
    const attrs = await readAttributes(member, PREVIEW_VALUES);
    // listObjects gives a dataset's own facts, and a group's members.
    // (Without the vlen heap count, which reads every value: a preview costs what it shows.)
    const listed = await listObjects(h5, path, false, { vlenHeap: false });
    let facts: ListedObject;
    let preview: Preview;
    let dims: Dimensions | undefined;
    let groupDims: GroupDimension[] = [];
    let dimensionText: string[] = [];
    if (member instanceof Dataset) {
      facts = listed[0];
      // Dimension scales a corrupt file cannot give are a line, not the end of show.
      const read = await member.dims().catch((error: unknown) => messageOf(error));
      dims = typeof read === "string" ? undefined : read;
      dimensionText = typeof read === "string" ? [`  dimensions: unreadable: ${read}`] : dimensionLines(read);
      // A preview that cannot be read says why; a --png asked for and not written is an error.
      preview = await previewOf(member, rows, attrs, options.png, bounds).catch((error: unknown): Preview => {
        if (options.png) throw error;
        return { kind: "unreadable", reason: messageOf(error), text: `unreadable: ${messageOf(error)}` };
      });
      await member.close();
    } else if (member instanceof Group && (await runAsync(isRaggedStrings(member)))) {
      // A ragged string array (JSON pairs, kv CSV cells) is one value: shown as a dataset is.
      facts = await listObject(h5, path, { vlenHeap: false });
      preview = await raggedPreview(member, rows, attrs, bounds).catch((error: unknown): Preview => ({ kind: "unreadable", reason: messageOf(error), text: `unreadable: ${messageOf(error)}` }));
      await member.close();
    } else if (member instanceof Group && (await isStacked(member))) {
      // A stacked group: what ls says of it, its classes with counts, its splits and members.
      facts = await listObject(h5, path, { vlenHeap: false });
      preview = facts.stacked
        ? await stackedPreview(member, facts, listed, bounds).catch((error: unknown): Preview => ({ kind: "unreadable", reason: messageOf(error), text: `unreadable: ${messageOf(error)}` }))
        : { kind: "unreadable", reason: facts.unreadable, text: `unreadable: ${facts.unreadable}` };
      await member.close();
    } else if (member instanceof Group) {
      facts = { path, kind: "group", attrs: Object.keys(attrs).length };
      groupDims = await groupDimensions(h5, listed);
      dimensionText = groupDimensionLines(groupDims);
      preview = { kind: "group", members: listed.map((o) => o.path), text: firstLines(listingLines(listed), bounds.lines, "members").join("\n") };
    } else {
      facts = listed[0];
      preview = { kind: "datatype", dtype: dtypeName(member.dtype), text: `datatype ${dtypeName(member.dtype)}` };
      await member.close();
    }
    if (options.json) {
      console.log(JSON.stringify({ object: facts, attrs, ...(dims ? { dims } : {}), ...(groupDims.length > 0 ? { dimensions: groupDims } : {}), preview }, jsonValue));
      return;
    }
    // Names, attrs and values come from the file: printed safe (terminal-text.ts), each line
    // cut to the terminal's width (preview-bounds.ts); why something is unreadable is said whole.
    const print = (line: string, whole = false) => console.log(whole ? terminalText(line) : cutLine(terminalText(line), bounds.width));
    print(listingLines([facts])[0]);
    for (const line of dimensionText) print(line, line.startsWith("  dimensions: unreadable: "));
    for (const [key, value] of Object.entries(attrs)) print(`  @${key} = ${display(value)}`, isUnreadableAttribute(value));
    for (const line of terminalLines(preview.text).split("\n")) print(line, preview.kind === "unreadable");
  } finally {
    await h5.close();
  }
}

/** JSON of attrs and values: BigInts as text, TypedArrays as arrays. */
function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>, (v) => (typeof v === "bigint" ? v.toString() : v));
  return value;
}

type Preview = { kind: string; text: string; [key: string]: unknown };

async function previewOf(dataset: Dataset, rows: number, attrs: Record<string, unknown>, png: string | undefined, bounds: PreviewBounds): Promise<Preview> {
  // The attrs already read for the listing: none is read again, or whole (one past the preview's
  // limit, or unreadable, counts as absent).
  const attr = async (name: string) => {
    const value = Object.hasOwn(attrs, name) ? attrs[name] : undefined;
    return isAttributeHead(value) || isUnreadableAttribute(value) ? undefined : value;
  };
  const processor = await attr("processor");
  if (processor === "image" || (await attr("CLASS")) === "IMAGE") {
    // An image not made by convert (h5py's, PyTables') has the Image spec's attrs only: its
    // [H, W(, C)] shape gives the geometry.
    const [h, w, c] = (dataset.shape?.length ?? 0) <= 3 ? dataset.shape ?? [] : [];
    const [width, height, channels, bitDepth, format] = [(await attr("width")) ?? w, (await attr("height")) ?? h, (await attr("channels")) ?? (h === undefined ? undefined : c ?? 1), await attr("bit_depth"), await attr("image_format")];
    const written = png ? await toFile(dataset, png, { reencode: true }) : null;
    const text = `image: ${width ?? "?"}×${height ?? "?"}, ${channels ?? "?"} channels, ${bitDepth ?? "?"}-bit${format ? `, from ${format}` : ""}${written ? `\nwritten: ${written.file} (${written.bytes} bytes)` : ""}${written?.scaling ? `\nscaled: ${describeScaling(written.scaling)}` : ""}`;
    return { kind: "image", width, height, channels, bitDepth, format, png: written?.file, ...(written?.scaling && { scaling: written.scaling }), text };
  }
  if ((await attr("format")) === RECORDS_FORMAT) return recordPreview(dataset, rows, (await attr("jsonl")) === true, bounds);
  if ((await attr("format")) === "json-pointer-pairs") return jsonPreview(dataset, rows, (await attr("jsonl")) === true, bounds);
  if (processor === "video" || processor === "audio") {
    const facts = Object.fromEntries(await Promise.all(["fps", "frame_count", "duration_s", "sample_rate", "channels", "codec"].map(async (k) => [k, await attr(k)] as const)));
    const known = Object.entries(facts).filter(([, v]) => v !== undefined);
    return { kind: processor, ...Object.fromEntries(known), text: `${processor}: ${known.map(([k, v]) => `${k} ${display(v)}`).join(", ")}` };
  }
  if ((dataset.dtype as { kind?: string }).kind === "compound" || (await attr("mode")) === "kv") return tablePreview(dataset, rows, bounds);
  const shape = dataset.shape ?? [];
  if (shape.length === 0) {
    const { data } = await dataset.read();
    return { kind: "values", values: Array.from(data as ArrayLike<unknown>), text: display(Array.from(data as ArrayLike<unknown>)) };
  }
  const values = await firstValues(dataset, rows, PREVIEW_VALUES);
  // The exact length: 2^60 as a number would print as 1152921504606847000.
  const along = shape[0] > rows ? `(${dataset.exactShape![0]} along the first axis)` : "";
  return { kind: "values", values, text: valuesText(values, along, bounds) };
}

/** A table's first `rows` rows as CSV lines. */
async function tablePreview(source: Dataset | Group, rows: number, bounds: PreviewBounds): Promise<Preview> {
  // Only the rows shown are read: a table may be huge, or claim to be in a corrupt file.
  const table = await readTable(source, [0, rows]);
  const first = [...table.rows()].map((row) => Object.values(row));
  // A row per line (one with a line break in a field takes more), as many as --rows asks.
  const lines = firstLines(csvText(table.columns, first).trimEnd().split("\n"), Math.max(bounds.lines, rows + 1), "lines");
  if (table.total > rows) lines.push(`… ${counted(table.total - rows, "more rows")} (${countText(table.total)} in all)`);
  return { kind: "table", columns: table.columns, rows: first, length: table.total, text: lines.join("\n") };
}

/** A ragged string array's preview: its JSON text, a kv table's rows, or its first strings. */
async function raggedPreview(group: Group, rows: number, attrs: Record<string, unknown>, bounds: PreviewBounds): Promise<Preview> {
  if (attrs.format === "json-pointer-pairs") return jsonPreview(group, rows, attrs.jsonl === true, bounds);
  const shape = await runAsync(raggedShape(group));
  if (shape.length === 2) return tablePreview(group, rows, bounds);
  const values = (await runAsync(readRaggedStrings(group, 0, Math.min(rows, PREVIEW_VALUES)))).data;
  return { kind: "values", values, text: valuesText(values, shape[0] > values.length ? `(${shape[0]} along the first axis)` : "", bounds) };
}

/** Values as `[a, b, …]` over as many lines as the bounds allow, then what was not shown. */
function valuesText(values: readonly unknown[], along: string, bounds: PreviewBounds): string {
  const items = values.map(display);
  if (items.length === 0) return `[]${along ? ` … ${along}` : ""}`;
  items[0] = `[${items[0]}`;
  items[items.length - 1] += "]";
  const { lines, shown } = wrapItems(items, bounds);
  if (shown < items.length) lines.push(`… ${countText(items.length - shown)} more of the ${counted(items.length, "values")} read${along ? ` ${along}` : ""}`);
  else if (along && [...`${lines[lines.length - 1]} … ${along}`].length <= bounds.width) lines[lines.length - 1] += ` … ${along}`;
  else if (along) lines.push(`… ${along}`);
  return lines.join("\n");
}

/**
 * A JSON dataset's text, rebuilt from its first pairs alone, wrapped to the bounds; a JSON Lines
 * dataset's first `rows` documents, one a line.
 */
async function jsonPreview(dataset: Dataset | Group, rows: number, jsonl: boolean, bounds: PreviewBounds): Promise<Preview> {
  if (jsonl) {
    const { lines, whole, total } = await jsonLinesHead(dataset, rows, JSON_PREVIEW_CHARS);
    const more = total - lines.length;
    const text = [...lines, ...(more > 0 ? [`… ${counted(more, "more documents")} (${countText(total)} in all)`] : []), ...(whole ? [] : ["… (the last document shown goes on)"])];
    return { kind: "json", documents: lines, length: total, text: text.join("\n") };
  }
  const { text: json, whole, total } = await jsonTextHead(dataset, JSON_PREVIEW_CHARS);
  const lines = wrapText(json.slice(0, JSON_PREVIEW_CHARS), bounds);
  if (json.length > JSON_PREVIEW_CHARS || !whole) lines.push(`… (${whole ? `${countText(json.length)} characters` : `${countText(total)} pairs`} in all)`);
  return { kind: "json", json: json.slice(0, JSON_PREVIEW_CHARS), text: lines.join("\n") };
}

function display(value: unknown): string {
  if (isAttributeHead(value)) return `<${value.dtype} [${value.shape.join(", ")}], ${value.count} elements, ${formatBytes(value.bytes)}: the first ${PREVIEW_VALUES}> ${display(value.values)} …`;
  if (typeof value === "string" && value.length > PREVIEW_CHARS) return `${JSON.stringify(value.slice(0, PREVIEW_CHARS))} … (${value.length} characters)`;
  if (isUnreadableAttribute(value)) return `<unreadable ${value.typeClass} ${value.shape === null ? "empty" : `[${value.shape.join(", ")}]`}: ${value.reason}>`;
  if (typeof value === "string") return JSON.stringify(value);
  if (ArrayBuffer.isView(value)) return `[${Array.from(value as unknown as ArrayLike<unknown>).map(display).join(", ")}]`;
  if (Array.isArray(value)) return `[${value.map(display).join(", ")}]`;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "object" && value !== null) return `{${Object.entries(value).map(([k, v]) => `${k}: ${display(v)}`).join(", ")}}`;
  return String(value);
}
