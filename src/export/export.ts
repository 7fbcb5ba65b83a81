// `h5dat export`: datasets back as files in their original formats, mirroring the tree, into a
// directory or an archive. What a dataset becomes follows what convert stored: images as their
// original bytes when kept (--images both / encoded) else as PNG, JSON/JSONL as their text,
// tables as CSV (TSV for .tsv), bytes as the bytes. Datasets convert did not make (no
// `processor` attr: h5py's, PyTables', NetCDF-4's) become .npy, .csv, .txt or .json by their
// element type (src/export/foreign.ts). Video, audio and anything that cannot be read are listed
// as skipped with the reason. Every dataset is a row of the manifest, export-manifest.json,
// written beside the files: the file it became and its format, or why it was skipped.
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { openArchiveWriter, type ArchiveWriter } from "../archive-writer";
import { open } from "../read";
import type { ExternalAccess } from "../h5/file";
import { ReaderDataset, ReaderGroup, type DatasetTarget, type H5Reader } from "../read";
import { Dataset } from "../h5/dataset";
import { Group } from "../h5/group";
import { formatBytes } from "../read/listing";
import { csvLines, csvText } from "./csv-text";
import { pairsToJsonText, readJsonPairs, type JsonPair } from "../processors/json";
import { messageOf } from "../error-message";
import type { ExportedFile, Made, StreamedData } from "./export-types";
import { exportForeign } from "./foreign";
import { encodeImage } from "../read/image-encode";
import { WIDE_LAYOUT } from "../processors/wide-table";

export type { ExportedFile } from "./export-types";

/** The manifest's name, at the top of the directory or archive. */
export const EXPORT_MANIFEST = "export-manifest.json";

export interface ExportOptions {
  /** A directory to write into (made if missing). */
  dir?: string;
  /** An archive to write instead (.tar, .tar.gz, .tgz, .zip). */
  archive?: string;
  /** Read external raw data, virtual sources and external links (open()'s `external`); denied by default. */
  external?: ExternalAccess;
}

export interface ExportResult {
  files: ExportedFile[];
  skipped: { dataset: string; reason: string }[];
}

/** Exports the datasets under `root` (a group or one dataset) of `h5file`. */
export async function exportDatasets(h5file: string, root: string, options: ExportOptions): Promise<ExportResult> {
  if (!options.dir === !options.archive) throw new Error("export needs either a directory (-o) or an archive (--archive)");
  const reader = await open(h5file, { external: options.external });
  const sink = options.archive ? await archiveSink(options.archive) : directorySink(options.dir!);
  const result: ExportResult = { files: [], skipped: [] };
  try {
    if (!(await reader.has(root))) throw new Error(`'${root}' is not in ${h5file}`);
    const { datasets, base } = await datasetsUnder(reader, root);
    for (const datasetPath of datasets) {
      const relative = path.posix.relative(base === "/" ? "/" : base, datasetPath);
      // A dataset that cannot be exported (a type h5dat cannot read, a float32 image with no PNG
      // form) is skipped with the reason; the rest goes on.
      const done = await exportOne(reader, datasetPath, relative, sink).catch((error: unknown) => {
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
    await reader.close();
  }
  return result;
}

/**
 * The datasets at or below `root` (each once, in name order: HDF5's object visit, which a soft
 * link or a second hard link does not repeat), and the group their files are named from. Only
 * paths and kinds: a dataset whose type h5dat cannot read is still found, and skipped later.
 */
async function datasetsUnder(reader: H5Reader, root: string): Promise<{ datasets: string[]; base: string }> {
  const object = await reader.file.get(root);
  try {
    if (!(object instanceof Group)) return { datasets: object instanceof Dataset ? [object.name] : [], base: path.posix.dirname(object.name) };
    if (await isWideTable(object)) return { datasets: [object.name], base: path.posix.dirname(object.name) };
    const prefix = object.name === "/" ? "/" : `${object.name}/`;
    const entries = await object.visit();
    const datasets = entries.filter((e) => e.kind === "dataset").map((e) => prefix + e.path).filter((p) => !p.startsWith("/_h5dat/"));
    return { datasets: await withWideTables(reader, datasets), base: object.name };
  } finally {
    await object.close();
  }
}

/** Whether `group` is a wide table (processors/wide-table.ts): exported as one CSV. */
async function isWideTable(group: Group): Promise<boolean> {
  return (await group.attrs.find("layout")) === WIDE_LAYOUT && (await group.attrs.find("processor")) === "csv";
}

/** `datasets` with the members of each wide table (found by its column_types) replaced by the table's group. */
async function withWideTables(reader: H5Reader, datasets: string[]): Promise<string[]> {
  const wide = new Set<string>();
  for (const member of datasets.filter((p) => p.endsWith("/column_types"))) {
    const group = await reader.file.get(path.posix.dirname(member));
    if (group instanceof Group && (await isWideTable(group))) wide.add(group.name);
    await group.close();
  }
  if (wide.size === 0) return datasets;
  const out: string[] = [];
  for (const p of datasets) {
    const parent = path.posix.dirname(p);
    if (!wide.has(parent)) out.push(p);
    else if (p.endsWith("/column_types")) out.push(parent);
  }
  return out;
}

/** Exports one dataset into `sink`: the file written, or why it was skipped. */
async function exportOne(reader: H5Reader, datasetPath: string, named: string, sink: Sink): Promise<ExportedFile | { reason: string }> {
  const member = await reader.get(datasetPath);
  if (member instanceof ReaderGroup) {
    // A wide table is the one group exported, as its CSV.
    const file = tableName(withSourceExtension(named, await member.attrs.find("source_path")));
    await member.group.close();
    const data = await tableBytes(reader, datasetPath, file);
    return { dataset: datasetPath, file, format: "csv", bytes: await sink.add(file, data) };
  }
  if (!(member instanceof ReaderDataset)) {
    await member.close();
    throw new Error(`'${datasetPath}' is a named datatype, not a dataset`);
  }
  const dataset = member;
  try {
    const made = await exportedForm(reader, dataset, named);
    if ("reason" in made) return made;
    // Written before the dataset closes: a streamed file reads its blocks while it is written.
    const bytes = await sink.add(made.file, made.data).catch(async (error: unknown) => {
      if (Buffer.isBuffer(made.data)) throw error;
      // A block that fails to read halfway: a directory loses the partial file and goes on; an
      // archive cannot take the entry back, so the export stops.
      if (!(await sink.discard(made.file))) throw new BrokenArchive(`${made.file} failed halfway into the archive: ${messageOf(error)}`);
      throw error;
    });
    return { dataset: datasetPath, file: made.file, format: made.format, bytes, ...(made.scaling && { scaling: made.scaling }) };
  } finally {
    await dataset.close();
  }
}

async function exportedForm(reader: H5Reader, dataset: ReaderDataset, named: string): Promise<Made> {
  const attr = (name: string) => dataset.attrs.find(name);
  // A dataset a schema rule renamed without an extension gets its source's back.
  const relative = withSourceExtension(named, await attr("source_path"));
  const processor = await attr("processor");
  if (processor === "image" || (await attr("CLASS")) === "IMAGE") {
    const encoded = await attr("encoded_path");
    if (typeof encoded === "string" && (await reader.has(encoded))) return { file: relative, format: "original", data: await reader.readBytes(encoded) };
    // Another library's image that has no PNG form (an odd shape, strings) is still its values.
    const pixels = await reader.readImage(dataset).catch((error: unknown) => (processor === undefined ? null : Promise.reject(error)));
    if (pixels) {
      const png = await encodeImage(pixels, "png");
      return { file: withExtension(relative, ".png"), format: "png", data: png, ...(pixels.scaling && { scaling: pixels.scaling }) };
    }
  }
  if ((await attr("format")) === "json-pointer-pairs") {
    const text = (await attr("jsonl")) ? jsonLines(await readJsonPairs(dataset.dataset)) : await reader.readJSONText(dataset);
    return { file: relative, format: "json", data: Buffer.from(text) };
  }
  if (processor === undefined) return exportForeign(dataset, relative);
  if (processor === "csv" || (dataset.dtype as { kind?: string }).kind === "compound") return { file: tableName(relative), format: "csv", data: await tableBytes(reader, dataset, relative) };
  if (processor === "bytes" || isBytes(dataset)) return { file: relative, format: "bytes", data: await reader.readBytes(dataset) };
  if (processor === "video" || processor === "audio") return { reason: `${processor} has no file format to export to (read it with readVideoFrames/readAudio)` };
  if (processor === "hdf5") return { reason: "an HDF5 input copied in is a group, not a file" };
  return exportForeign(dataset, relative);
}

/** The manifest: the source, and per dataset the file written (format, bytes) or the reason skipped. */
function manifestText(h5file: string, root: string, result: ExportResult): string {
  const rows = [
    ...result.files.map((f) => ({ dataset: f.dataset, status: "written", file: f.file, format: f.format, bytes: f.bytes })),
    ...result.skipped.map((s) => ({ dataset: s.dataset, status: "skipped", reason: s.reason })),
  ].sort((a, b) => (a.dataset < b.dataset ? -1 : a.dataset > b.dataset ? 1 : 0));
  // One dataset per line: easy to grep, and still one JSON document.
  return `{"source":${JSON.stringify(path.basename(h5file))},"root":${JSON.stringify(root)},"datasets":[\n${rows.map((r) => JSON.stringify(r)).join(",\n")}\n]}\n`;
}

/** JSON Lines back from the pairs of a JSONL dataset (pointers /0/..., /1/...): a line per document. */
function jsonLines(pairs: readonly JsonPair[]): string {
  const documents: JsonPair[][] = [];
  for (const [pointer, value] of pairs) {
    const slash = pointer.indexOf("/", 1);
    const index = Number(pointer.slice(1, slash < 0 ? undefined : slash));
    (documents[index] ??= []).push([slash < 0 ? "" : pointer.slice(slash), value]);
  }
  return documents.map((document) => pairsToJsonText(document) + "\n").join("");
}

function withSourceExtension(file: string, sourcePath: unknown): string {
  if (typeof sourcePath !== "string" || path.posix.extname(file) !== "") return file;
  return file + path.posix.extname(sourcePath);
}

function isBytes(dataset: ReaderDataset): boolean {
  return dataset.dtype === "uint8" && dataset.ndim === 1;
}

function withExtension(file: string, ext: string): string {
  return file.toLowerCase().endsWith(ext) ? file : `${file}${ext}`;
}

function tableName(file: string): string {
  return /\.(csv|tsv|tab)(\.gz)?$/i.test(file) ? file.replace(/\.gz$/i, "") : `${file}.csv`;
}

/**
 * Rows per read of a table. A table is read and written block by block, so export holds the CSV
 * bytes and one block's rows, never the whole table as JS values (a million rows as JS values
 * took 3.6 GB; a block of 16,384 rows keeps export near 370 MB even on a file of 2-row chunks).
 */
const TABLE_BLOCK_ROWS = 16_384;

/** Cells per read of a table, so that a wide table (a million columns) reads a few rows at a time. */
const TABLE_BLOCK_CELLS = 2 ** 22;

async function tableBytes(reader: H5Reader, dataset: DatasetTarget, file: string): Promise<Buffer> {
  const delimiter = /\.(tsv|tab)(\.gz)?$/i.test(file) ? "\t" : ",";
  let block = 1;
  const first = await reader.readTable(dataset, [0, block]);
  block = Math.max(1, Math.min(TABLE_BLOCK_ROWS, Math.floor(TABLE_BLOCK_CELLS / Math.max(1, first.columns.length))));
  const parts = [Buffer.from(csvText(first.columns, [], delimiter))];
  for (let table = first; ; ) {
    // rowValues() gives each row's values in column order (array fields as one value per row).
    parts.push(Buffer.from(csvLines(table.rowValues(), delimiter)));
    if (table.stop >= table.total) break;
    table = await reader.readTable(dataset, [table.stop, table.stop + block]);
  }
  return Buffer.concat(parts);
}

/** An archive entry failed after part of it was written: the archive is unusable. */
class BrokenArchive extends Error {}

interface Sink {
  /** Writes one file; resolves to its size in bytes. */
  add(file: string, data: Buffer | StreamedData): Promise<number>;
  /** Removes a partly written file; false when it cannot (an archive). */
  discard(file: string): Promise<boolean>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

function directorySink(dir: string): Sink {
  return {
    async add(file, data) {
      const target = path.join(dir, ...file.split("/"));
      // Names come from the HDF5 file: never let one climb out of the directory.
      if (path.relative(dir, target).startsWith("..")) throw new Error(`refusing to write '${file}' outside ${dir}`);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      if (Buffer.isBuffer(data)) {
        await fs.promises.writeFile(target, data);
        return data.length;
      }
      // A streamed file may be huge (or claim to be, in a corrupt file): refuse before writing
      // one that cannot fit rather than fill the disk.
      const space = await fs.promises.statfs(path.dirname(target));
      if (data.size !== undefined && data.size > space.bavail * space.bsize) throw new Error(`needs ${formatBytes(data.size)}, ${formatBytes(space.bavail * space.bsize)} free in ${dir}`);
      let bytes = 0;
      const counted = async function* () {
        for await (const chunk of data.chunks) {
          bytes += chunk.length;
          yield chunk;
        }
      };
      await pipeline(counted(), fs.createWriteStream(target));
      return bytes;
    },
    async discard(file) {
      await fs.promises.rm(path.join(dir, ...file.split("/")), { force: true });
      return true;
    },
    async close() {},
    async abort() {},
  };
}

async function archiveSink(file: string): Promise<Sink> {
  const writer: ArchiveWriter = await openArchiveWriter(file);
  return {
    async add(name, data) {
      if (Buffer.isBuffer(data)) return writer.add(name, data).then(() => data.length);
      if (data.size !== undefined) return writer.add(name, data.chunks, { size: data.size }).then(() => data.size!);
      // An entry's size goes before its data in a tar header: text of unknown length is
      // collected first.
      const parts: Uint8Array[] = [];
      for await (const chunk of data.chunks) parts.push(chunk);
      const whole = Buffer.concat(parts);
      await writer.add(name, whole);
      return whole.length;
    },
    discard: async () => false,
    close: () => writer.close(),
    abort: () => writer.abort(),
  };
}
