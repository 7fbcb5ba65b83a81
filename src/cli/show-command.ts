// `h5dat show file.h5 path [--png out.png] [--rows N] [--json]`: one object's facts and attrs,
// and a preview of what it holds — a table's first rows, a JSON value, an image's summary (and
// with --png the image itself), a video's or audio's length, any other dataset's first values.
import type { Command } from "commander";
import { open, ReaderDataset, type H5Reader } from "../read";
import { listingLines, listObjects, type ListedObject } from "../read/listing";
import { csvText } from "../export/csv-text";
import { namingFile } from "./file-error";
import { describeScaling } from "../read/image-scaling";

interface ShowOptions {
  png?: string;
  rows?: string;
  json?: boolean;
}

const JSON_PREVIEW_CHARS = 4000;

export function addShowCommand(program: Command): void {
  program
    .command("show")
    .description("an object's attrs and a preview of its content")
    .argument("<file>", "the HDF5 file")
    .argument("<path>", "a group or dataset")
    .option("--png <file>", "write an image dataset as PNG")
    .option("--rows <n>", "rows of a table (or values) to preview", "10")
    .option("--json", "the facts, attrs and preview as JSON")
    .action((file: string, path: string, options: ShowOptions) => namingFile(file, () => showObject(file, path, options)));
}

async function showObject(file: string, path: string, options: ShowOptions): Promise<void> {
  const reader = await open(file);
  try {
    if (!(await reader.has(path))) throw new Error(`'${path}' is not in ${file}`);
    const rows = Number(options.rows ?? 10);
    if (!Number.isInteger(rows) || rows < 0) throw new Error(`--rows must be a whole number, not '${options.rows}'`);
    const member = await reader.get(path);
    const attrs = await member.attrs.toObject();
    // listObjects gives a dataset's own facts, and a group's members.
    const listed = await listObjects(reader.file, path);
    let facts: ListedObject;
    let preview: Preview;
    if (member instanceof ReaderDataset) {
      facts = listed[0];
      preview = await previewOf(reader, member, rows, options.png);
      await member.close();
    } else {
      facts = { path, kind: "group", attrs: Object.keys(attrs).length };
      preview = { kind: "group", members: listed.map((o) => o.path), text: listingLines(listed).join("\n") };
    }
    if (options.json) {
      console.log(JSON.stringify({ object: facts, attrs, preview }, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
      return;
    }
    console.log(listingLines([facts])[0]);
    for (const [key, value] of Object.entries(attrs)) console.log(`  @${key} = ${display(value)}`);
    console.log(preview.text);
  } finally {
    await reader.close();
  }
}

type Preview = { kind: string; text: string; [key: string]: unknown };

async function previewOf(reader: H5Reader, dataset: ReaderDataset, rows: number, png?: string): Promise<Preview> {
  const attr = (name: string) => dataset.attrs.find(name);
  const processor = await attr("processor");
  if (processor === "image" || (await attr("CLASS")) === "IMAGE") {
    // An image not made by convert (h5py's, PyTables') has the Image spec's attrs only: its
    // [H, W(, C)] shape gives the geometry.
    const [h, w, c] = (dataset.shape?.length ?? 0) <= 3 ? dataset.shape ?? [] : [];
    const [width, height, channels, bitDepth, format] = [(await attr("width")) ?? w, (await attr("height")) ?? h, (await attr("channels")) ?? (h === undefined ? undefined : c ?? 1), await attr("bit_depth"), await attr("image_format")];
    const written = png ? await reader.toFile(dataset, png, { reencode: true }) : null;
    const text = `image: ${width ?? "?"}×${height ?? "?"}, ${channels ?? "?"} channels, ${bitDepth ?? "?"}-bit${format ? `, from ${format}` : ""}${written ? `\nwritten: ${written.file} (${written.bytes} bytes)` : ""}${written?.scaling ? `\nscaled: ${describeScaling(written.scaling)}` : ""}`;
    return { kind: "image", width, height, channels, bitDepth, format, png: written?.file, ...(written?.scaling && { scaling: written.scaling }), text };
  }
  if ((await attr("format")) === "json-pointer-pairs") {
    const json = await reader.readJSONText(dataset);
    return { kind: "json", json: json.slice(0, JSON_PREVIEW_CHARS), text: json.length > JSON_PREVIEW_CHARS ? `${json.slice(0, JSON_PREVIEW_CHARS)} … (${json.length} characters)` : json };
  }
  if (processor === "video" || processor === "audio") {
    const facts = Object.fromEntries(await Promise.all(["fps", "frame_count", "duration_s", "sample_rate", "channels", "codec"].map(async (k) => [k, await attr(k)] as const)));
    const known = Object.entries(facts).filter(([, v]) => v !== undefined);
    return { kind: processor, ...Object.fromEntries(known), text: `${processor}: ${known.map(([k, v]) => `${k} ${display(v)}`).join(", ")}` };
  }
  if ((dataset.dtype as { kind?: string }).kind === "compound" || (await attr("mode")) === "kv") {
    // Only the rows shown are read: a table may be huge, or claim to be in a corrupt file.
    const table = await reader.readTable(dataset, [0, rows]);
    const first = [...table.rows()].map((row) => Object.values(row));
    return { kind: "table", columns: table.columns, rows: first, length: table.total, text: `${csvText(table.columns, first).trimEnd()}${table.total > rows ? `\n… ${table.total} rows` : ""}` };
  }
  const shape = dataset.shape ?? [];
  if (shape.length === 0) {
    const { data } = await dataset.read();
    return { kind: "values", values: Array.from(data as ArrayLike<unknown>), text: display(Array.from(data as ArrayLike<unknown>)) };
  }
  const { data } = await dataset.get(`0:${Math.min(rows, shape[0])}`);
  const values = Array.from(data as ArrayLike<unknown>).slice(0, 1000);
  return { kind: "values", values, text: `${display(values)}${shape[0] > rows ? ` … (${shape[0]} along the first axis)` : ""}` };
}

function display(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (ArrayBuffer.isView(value)) return `[${Array.from(value as unknown as ArrayLike<unknown>).map(display).join(", ")}]`;
  if (Array.isArray(value)) return `[${value.map(display).join(", ")}]`;
  if (typeof value === "bigint") return value.toString();
  return String(value);
}
