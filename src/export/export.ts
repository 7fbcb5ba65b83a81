// `h5dat export`: datasets back as files in their original formats, mirroring the tree, into a
// directory or an archive. What a dataset becomes follows what convert stored: images as their
// original bytes when kept (--images both / encoded) else as PNG, JSON/JSONL as their text,
// tables as CSV (TSV for .tsv), bytes as the bytes. Datasets convert did not make (no
// `processor` attr: h5py's, PyTables', NetCDF-4's) become .npy, .csv, .txt or .json by their
// element type (src/export/foreign.ts). Video, audio and anything that cannot be read are listed
// as skipped with the reason. Every dataset is a row of the manifest, export-manifest.json,
// written beside the files: the file it became and its format, or why it was skipped.
// Files get names no other file of the export has (export-names.ts: `x (1).png` for a second
// `x.png`, compared without case), and the manifest says which were renamed. Every dataset is
// read and written in bounded blocks (blocks.ts), so export's memory does not grow with it; a
// dataset that was never written and would be an absurd file of fill values is skipped
// (fill-guard.ts), as is one whose file cannot fit in the free disk space (at least a byte per
// element; a .npy's exact size). A stacked group (convert --layout stacked) becomes an ImageFolder
// tree, a file per row (stacked-export.ts); the files layout's datasets beside it export as above.
import path from "node:path";
import { File, type ExternalAccess } from "../h5/file";
import { readImage } from "../read/images";
import { readJSONText, readTable } from "../read/records";
import { RECORDS_FORMAT } from "../processors/record-table";
import { recordTextData } from "./record-text";
import { Dataset } from "../h5/dataset";
import { Group } from "../h5/group";
import { csvLines, csvText } from "./csv-text";
import { JSON_PAIRS_FORMAT, pairsToJsonText, readJsonPairs, type JsonPair } from "../processors/json";
import { isRaggedStrings } from "../h5/ragged-strings";
import { runAsync } from "../h5/operation";
import { messageOf } from "../error-message";
import type { ExportedFile, Made, StreamedData } from "./export-types";
import { exportForeign } from "./foreign";
import { encodeImage } from "../read/image-encode";
import { documentsOf } from "../read/value-preview";
import { WIDE_LAYOUT } from "../processors/wide-table";
import { BLOCK_BYTES, rowBlocks, rowsPerBlock } from "./blocks";
import { ExportNames } from "./export-names";
import { DEFAULT_MAX_FILL_BYTES, fillRefusal } from "./fill-guard";
import { archiveSink, directorySink, type Sink } from "./export-sinks";
import { exportStack, withStacks } from "./stacked-export";

export type { ExportedFile } from "./export-types";

/** The manifest's name, at the top of the directory or archive. */
export const EXPORT_MANIFEST = "export-manifest.json";

/** What export writes and where: a directory or an archive, which datasets, and how. */
export interface ExportOptions {
  /** A directory to write into (made if missing). */
  dir?: string;
  /** An archive to write instead (.tar, .tar.gz, .tgz, .zip). */
  archive?: string;
  /** Read external raw data, virtual sources and external links (File.open's `external`); denied by default. */
  external?: ExternalAccess;
  /** Bytes of fill values past which a never-written dataset is skipped (fill-guard.ts); 64 MiB. */
  maxFillBytes?: number;
}

/** What export wrote, and each dataset it skipped with the reason. */
export interface ExportResult {
  files: ExportedFile[];
  skipped: { dataset: string; reason: string }[];
}

/** Exports the datasets under `root` (a group or one dataset) of `h5file`. */
export async function exportDatasets(h5file: string, root: string, options: ExportOptions): Promise<ExportResult> {
  if (!options.dir === !options.archive) throw new Error("export needs either a directory (-o) or an archive (--archive)");
  const h5 = await File.open(h5file, "r", { external: options.external });
  const sink = options.archive ? await archiveSink(options.archive) : directorySink(options.dir!);
  const result: ExportResult = { files: [], skipped: [] };
  const names = new ExportNames();
  // The manifest's name is the export's own: a dataset that would have it gets another.
  names.claim(EXPORT_MANIFEST);
  const maxFillBytes = options.maxFillBytes ?? DEFAULT_MAX_FILL_BYTES;
  try {
    if (!(await h5.has(root))) throw new Error(`'${root}' is not in ${h5file}`);
    const { datasets, base, stacks } = await datasetsUnder(h5, root);
    for (const datasetPath of datasets) {
      const relative = path.posix.relative(base === "/" ? "/" : base, datasetPath);
      if (stacks.has(datasetPath)) {
        // A stack that fails partway keeps the rows written (in the manifest) and is skipped for the rest.
        const failed = await exportStackedGroup(h5, datasetPath, relative, { sink, names, maxFillBytes }, result.files).catch((error: unknown) => {
          if (error instanceof BrokenArchive) throw error;
          return messageOf(error);
        });
        if (failed) result.skipped.push({ dataset: datasetPath, reason: failed });
        continue;
      }
      // A dataset that cannot be exported (a type h5dat cannot read, a float32 image with no PNG
      // form) is skipped with the reason; the rest goes on.
      const done = await exportOne(h5, datasetPath, relative, { sink, names, maxFillBytes }).catch((error: unknown) => {
        if (error instanceof BrokenArchive) throw error;
        return { reason: messageOf(error) };
      });
      if ("reason" in done) result.skipped.push({ dataset: datasetPath, reason: done.reason });
      else result.files.push(done);
    }
    await sink.add(EXPORT_MANIFEST, Buffer.from(manifestText(h5file, root, result)));
    await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  } finally {
    await h5.close();
  }
  return result;
}

/**
 * The datasets at or below `root` (each once, in name order: HDF5's object visit, which a soft
 * link or a second hard link does not repeat), and the group their files are named from. Only
 * paths and kinds: a dataset whose type h5dat cannot read is still found, and skipped later.
 * A stacked group's arrays are one entry, the group's path, named in `stacks`.
 */
async function datasetsUnder(h5: File, root: string): Promise<{ datasets: string[]; base: string; stacks: Set<string> }> {
  const object = await h5.get(root);
  try {
    const none = new Set<string>();
    if (!(object instanceof Group)) return { datasets: object instanceof Dataset ? [object.name] : [], base: path.posix.dirname(object.name), stacks: none };
    if (await isOneFile(object)) return { datasets: [object.name], base: path.posix.dirname(object.name), stacks: none };
    const prefix = object.name === "/" ? "/" : `${object.name}/`;
    const entries = await object.visit();
    const datasets = entries.filter((e) => e.kind === "dataset").map((e) => prefix + e.path).filter((p) => !p.startsWith("/_h5dat/"));
    const { rest, stacks } = await withStacks(h5, datasets);
    return { datasets: await withOneFileGroups(h5, rest), base: object.name, stacks };
  } finally {
    await object.close();
  }
}

/** Exports a stacked group's rows as an ImageFolder tree under `named`, adding each file to `files` as it is written. */
async function exportStackedGroup(h5: File, groupPath: string, named: string, target: Target, files: ExportedFile[]): Promise<void> {
  const group = await h5.group(groupPath);
  // Each file is the manifest's row of the stack's images dataset, with the row it holds.
  const images = `${groupPath === "/" ? "" : groupPath}/images`;
  try {
    for await (const file of exportStack(group, named, (made) => written(images, made, target))) files.push(file);
  } finally {
    await group.close();
  }
}

/** Whether `group` is a wide table (processors/wide-table.ts): exported as one CSV. */
async function isWideTable(group: Group): Promise<boolean> {
  return (await group.attrs.find("layout")) === WIDE_LAYOUT && (await group.attrs.find("processor")) === "csv";
}

/** Whether `group` is exported as one file: a wide table, or a ragged string array (JSON pairs, kv CSV cells). */
async function isOneFile(group: Group): Promise<boolean> {
  return (await isWideTable(group)) || (await runAsync(isRaggedStrings(group)));
}

/** The member every one-file group has, which finds it among the datasets. */
const ONE_FILE_MEMBER = /\/(column_types|offsets)$/;

/** `datasets` with the members of each one-file group (a wide table, a ragged array) replaced by the group. */
async function withOneFileGroups(h5: File, datasets: string[]): Promise<string[]> {
  const groups = new Set<string>();
  for (const member of datasets.filter((p) => ONE_FILE_MEMBER.test(p))) {
    const group = await h5.get(path.posix.dirname(member));
    if (group instanceof Group && (await isOneFile(group))) groups.add(group.name);
    await group.close();
  }
  if (groups.size === 0) return datasets;
  const out: string[] = [];
  for (const p of datasets) {
    const parent = path.posix.dirname(p);
    if (!groups.has(parent)) out.push(p);
    else if (ONE_FILE_MEMBER.test(p)) out.push(parent);
  }
  return out;
}

/** Where one dataset's file goes and the limits it is held to. */
interface Target {
  sink: Sink;
  names: ExportNames;
  maxFillBytes: number;
}

/** Exports one dataset (or a wide table's group) into the sink: the file written, or why it was skipped. */
async function exportOne(h5: File, datasetPath: string, named: string, target: Target): Promise<ExportedFile | { reason: string }> {
  const member = await h5.get(datasetPath);
  if (member instanceof Group) {
    // A wide table or a ragged string array is the one group exported: as its CSV, or its JSON.
    try {
      const relative = withSourceExtension(named, await member.attrs.find("source_path"));
      if ((await member.attrs.find("format")) === JSON_PAIRS_FORMAT) return await written(datasetPath, await jsonFile(member, relative), target);
      const file = tableName(relative);
      return await written(datasetPath, { file, format: "csv", data: tableData(member, file) }, target);
    } finally {
      await member.close();
    }
  }
  if (!(member instanceof Dataset)) {
    await member.close();
    throw new Error(`'${datasetPath}' is a named datatype, not a dataset`);
  }
  const dataset = member;
  try {
    const refused = await fillRefusal(dataset, target.maxFillBytes);
    if (refused) return { reason: refused };
    // Values written as text, .npy or bytes take at least a byte per element: refused before a
    // block is read when even that cannot fit. (Not images: their PNG or original bytes are
    // compressed.)
    const room = () => target.sink.requireRoom(dataset.size, `${dataset.size} elements, shape [${dataset.shape?.join(", ") ?? ""}],`);
    const made = await exportedForm(h5, dataset, named, room);
    if ("reason" in made) return made;
    // Written before the dataset closes: a streamed file reads its blocks while it is written.
    return await written(datasetPath, made, target);
  } finally {
    await dataset.close();
  }
}

/** Writes what a dataset became under a name no other file of the export has. */
async function written(datasetPath: string, made: Exclude<Made, { reason: string }>, { sink, names }: Target): Promise<ExportedFile> {
  const file = names.claim(made.file);
  const bytes = await sink.add(file, made.data).catch(async (error: unknown) => {
    if (Buffer.isBuffer(made.data)) throw error;
    // A block that fails to read halfway: a directory loses the partial file and goes on; an
    // archive cannot take the entry back, so the export stops.
    if (!(await sink.discard(file))) throw new BrokenArchive(`${file} failed halfway into the archive: ${messageOf(error)}`);
    throw error;
  });
  return { dataset: datasetPath, file, format: made.format, bytes, ...(file !== made.file && { renamedFrom: made.file }), ...(made.scaling && { scaling: made.scaling }) };
}

/** What `dataset` becomes; `room()` fails when its values, a byte each, cannot fit. */
async function exportedForm(h5: File, dataset: Dataset, named: string, room: () => Promise<void>): Promise<Made> {
  const attr = (name: string) => dataset.attrs.find(name);
  // A dataset a schema rule renamed without an extension gets its source's back.
  const relative = withSourceExtension(named, await attr("source_path"));
  const processor = await attr("processor");
  if (processor === "image" || (await attr("CLASS")) === "IMAGE") {
    const encoded = await attr("encoded_path");
    if (typeof encoded === "string" && (await h5.has(encoded))) {
      const original = await h5.dataset(encoded);
      // The stream reads from it while it is written: closed when the last block is read.
      return { file: relative, format: "original", data: bytesData(original, () => original.close()) };
    }
    // Another library's image that has no PNG form (an odd shape, strings) is still its values.
    const pixels = await readImage(dataset).catch((error: unknown) => (processor === undefined ? null : Promise.reject(error)));
    if (pixels) {
      const png = await encodeImage(pixels, "png");
      return { file: pngName(relative, processor === "image"), format: "png", data: png, ...(pixels.scaling && { scaling: pixels.scaling }) };
    }
  }
  if ((await attr("ragged_text_of")) !== undefined) return { reason: `the text of a column of the record table '${String(await attr("ragged_text_of"))}', exported with it` };
  if ((await attr("format")) === RECORDS_FORMAT) return { file: relative, format: "json", data: recordTextData(dataset, (await attr("jsonl")) === true) };
  if ((await attr("format")) === JSON_PAIRS_FORMAT) return jsonFile(dataset, relative);
  if (processor === "video" || processor === "audio") return { reason: `${processor} has no file format to export to (read it with readVideoFrames/readAudio)` };
  if (processor === "hdf5") return { reason: "an HDF5 input copied in is a group, not a file" };
  await room();
  if (processor === undefined) return exportForeign(dataset, relative);
  if (processor === "csv" || (dataset.dtype as { kind?: string }).kind === "compound") return { file: tableName(relative), format: "csv", data: tableData(dataset, relative) };
  if (processor === "bytes" || isBytes(dataset)) return { file: relative, format: "bytes", data: bytesData(dataset) };
  return exportForeign(dataset, relative);
}

/** The manifest: the source, and per dataset the file written (format, bytes) or the reason skipped. */
function manifestText(h5file: string, root: string, result: ExportResult): string {
  const rows = [
    ...result.files.map((f) => ({ dataset: f.dataset, ...(f.row !== undefined && { row: f.row }), status: "written", file: f.file, format: f.format, bytes: f.bytes, ...(f.renamedFrom && { renamedFrom: f.renamedFrom }) })),
    ...result.skipped.map((s) => ({ dataset: s.dataset, status: "skipped", reason: s.reason })),
  ].sort((a, b) => (a.dataset < b.dataset ? -1 : a.dataset > b.dataset ? 1 : 0));
  // One dataset per line: easy to grep, and still one JSON document.
  return `{"source":${JSON.stringify(path.basename(h5file))},"root":${JSON.stringify(root)},"datasets":[\n${rows.map((r) => JSON.stringify(r)).join(",\n")}\n]}\n`;
}

/** A JSON pointer/value array (either layout) back as its JSON or JSON Lines text. */
async function jsonFile(pairs: Dataset | Group, relative: string): Promise<Exclude<Made, { reason: string }>> {
  const text = (await pairs.attrs.find("jsonl")) ? jsonLines(await readJsonPairs(pairs)) : await readJSONText(pairs);
  return { file: relative, format: "json", data: Buffer.from(text) };
}

/** JSON Lines back from the pairs of a JSONL dataset (pointers /0/..., /1/...): a line per document. */
function jsonLines(pairs: readonly JsonPair[]): string {
  return documentsOf(pairs).map((document) => pairsToJsonText(document) + "\n").join("");
}

function withSourceExtension(file: string, sourcePath: unknown): string {
  if (typeof sourcePath !== "string" || path.posix.extname(file) !== "") return file;
  return file + path.posix.extname(sourcePath);
}

function isBytes(dataset: Dataset): boolean {
  return dataset.dtype === "uint8" && dataset.ndim === 1;
}

/**
 * An image's PNG file name. An entry h5dat converted is named after its source, whose extension
 * named the format it was in: that extension is replaced (`cat.jpg` → `cat.png`). Another
 * library's dataset gets `.png` added, since a dot in an HDF5 name need not start an extension.
 */
function pngName(file: string, fromSource: boolean): string {
  if (file.toLowerCase().endsWith(".png")) return file;
  const extension = fromSource ? path.posix.extname(file) : "";
  return `${file.slice(0, file.length - extension.length)}.png`;
}

function tableName(file: string): string {
  return /\.(csv|tsv|tab)(\.gz)?$/i.test(file) ? file.replace(/\.gz$/i, "") : `${file}.csv`;
}

/**
 * Rows per read of a table. A table is read and written block by block, so export holds one
 * block's rows and their CSV text, never the whole table (a million rows as JS values took
 * 3.6 GB; a block of 16,384 rows keeps export near 370 MB even on a file of 2-row chunks).
 */
const TABLE_BLOCK_ROWS = 16_384;

/** Cells per read of a table, so that a wide table (a million columns) reads a few rows at a time. */
const TABLE_BLOCK_CELLS = 2 ** 22;

/** A table's CSV (TSV for .tsv/.tab), streamed a block of rows at a time. */
function tableData(source: Dataset | Group, file: string): StreamedData {
  const delimiter = /\.(tsv|tab)(\.gz)?$/i.test(file) ? "\t" : ",";
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const first = await readTable(source, [0, 1]);
    const block = Math.max(1, Math.min(TABLE_BLOCK_ROWS, Math.floor(TABLE_BLOCK_CELLS / Math.max(1, first.columns.length))));
    yield Buffer.from(csvText(first.columns, [], delimiter));
    for (let table = first; ; ) {
      // rowValues() gives each row's values in column order (array fields as one value per row).
      yield Buffer.from(csvLines(table.rowValues(), delimiter));
      if (table.stop >= table.total) break;
      table = await readTable(source, [table.stop, table.stop + block]);
    }
  }
  return { chunks: chunks() };
}

/** A 1-D uint8 (or int8) dataset's bytes, BLOCK_BYTES at a time; `done` runs after the last. */
function bytesData(dataset: Dataset, done?: () => Promise<void>): StreamedData {
  if (dataset.shape?.length !== 1 || (dataset.dtype !== "uint8" && dataset.dtype !== "int8")) {
    throw new Error(`'${dataset.name}' is not a 1-D uint8 dataset of bytes (shape [${dataset.shape?.join(", ") ?? "empty"}], ${JSON.stringify(dataset.dtype)})`);
  }
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const { values } of rowBlocks(dataset, rowsPerBlock(dataset, BLOCK_BYTES))) {
        const view = values as Uint8Array | Int8Array;
        yield new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      }
    } finally {
      await done?.();
    }
  }
  return { size: dataset.shape[0], chunks: chunks() };
}

/** An archive entry failed after part of it was written: the archive is unusable. */
class BrokenArchive extends Error {}
