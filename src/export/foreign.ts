// Export of datasets h5dat did not make (h5py's, PyTables', NetCDF-4 variables, the API's), by
// what their elements are:
//   numbers (any rank, int/float/bool/enum, big-endian read in native order) → .npy, streamed
//     in row blocks so a dataset larger than memory is never read whole;
//   compound (records) → .csv, a column per field, nested fields flattened as "outer.inner",
//     array fields as JSON in the cell; N-D record arrays as their elements in C order;
//   strings → .txt, one value per line, when 1-D and no value holds a line break (a first pass
//     over the blocks tells); otherwise .json (nested arrays by shape), since lines could not be
//     told apart;
//   scalars (and empty dataspaces, as null) → .json; opaque → .bin, the elements' bytes;
//   any other type h5dat reads → .json of the values.
// Every kind but scalars is read and written a block of rows at a time (blocks.ts): export's
// memory does not grow with the dataset.
// NaN in a CSV cell is an empty cell (as h5dat's tables); in JSON it is NaN (Python's json).
import { isTypedArray, type TypedArray } from "../h5/array-data";
import type { CompoundDtype, Dtype } from "../h5/dtype";
import type { Dataset } from "../h5/dataset";
import { BLOCK_BYTES, BLOCK_RECORDS, elementRuns, product, rowBlocks, rowsPerBlock } from "./blocks";
import { csvLines, csvText } from "./csv-text";
import type { Made, StreamedData } from "./export-types";
import { jsonText, nestByShape } from "./json-text";
import { bytesOf, npyDescr, npyHeader } from "./npy";

type ElementKind = "numeric" | "compound" | "string" | "opaque" | "other";

function elementKind(d: Dtype): ElementKind {
  if (typeof d === "string") return d === "string" ? "string" : "numeric";
  switch (d.kind) {
    case "string": return "string";
    case "compound": return "compound";
    case "enum": return "numeric";
    case "opaque": return "opaque";
    case "array": return elementKind(d.base) === "numeric" ? "numeric" : "other";
    default: return "other";
  }
}

const withExtension = (file: string, ext: string) => (file.toLowerCase().endsWith(ext) ? file : `${file}${ext}`);

/** What `dataset` (not made by h5dat convert) is exported as, at `relative` plus an extension. */
export async function exportForeign(dataset: Dataset, relative: string): Promise<Made> {
  const shape = dataset.shape;
  if (shape === null) return { file: withExtension(relative, ".json"), format: "json", data: Buffer.from("null\n") };
  const kind = elementKind(dataset.dtype);
  if (shape.length === 0 && kind !== "opaque") {
    const { data } = await dataset.read();
    const element = isTypedArray(data) && typeof dataset.dtype === "object" && dataset.dtype.kind === "array" ? data : (data as ArrayLike<unknown>)[0];
    const value = dataset.dtype === "bool" ? Boolean(element) : element;
    return { file: withExtension(relative, ".json"), format: "json", data: Buffer.from(jsonText(value) + "\n") };
  }
  switch (kind) {
    case "numeric": {
      const npy = await npyData(dataset, shape);
      if (npy) return { file: withExtension(relative, ".npy"), format: "npy", data: npy };
      break;
    }
    case "compound":
      return { file: withExtension(relative, ".csv"), format: "csv", data: recordsCsv(dataset, shape, dataset.dtype as CompoundDtype) };
    case "string":
      return stringsFile(dataset, shape, relative);
    case "opaque":
      return { file: withExtension(relative, ".bin"), format: "bytes", data: opaqueBytes(dataset) };
  }
  return { file: withExtension(relative, ".json"), format: "json", data: jsonArray(dataset, shape, (v) => v) };
}

/** Booleans (a bool dataset may read as them) as the 0/1 bytes numpy's bool is. */
function asTypedArray(data: ArrayLike<unknown>): TypedArray | null {
  if (isTypedArray(data)) return data;
  if (Array.from(data).every((v) => typeof v === "boolean")) return Uint8Array.from(data as ArrayLike<boolean>, Number);
  return null;
}

/**
 * The .npy of a numeric dataset, its values read in blocks of rows while they are written; null
 * when its values do not read as a TypedArray (then it is exported as JSON).
 */
async function npyData(dataset: Dataset, datasetShape: number[]): Promise<StreamedData | null> {
  const d = dataset.dtype;
  // An array dtype's element shape follows the dataset's, as numpy shows it.
  const shape = typeof d === "object" && d.kind === "array" ? [...datasetShape, ...d.shape] : datasetShape;
  const runs = elementRuns(dataset, BLOCK_BYTES / 8 / Math.max(1, product(shape.slice(datasetShape.length))));
  const firstRun = await runs.next();
  // An empty dataset reads as its zero-length block (its TypedArray names the type).
  const first = asTypedArray(firstRun.done ? (await dataset.read(datasetShape.map(() => "0:0").join(","))).data as ArrayLike<unknown> : firstRun.value);
  if (!first) {
    await runs.return(undefined);
    return null;
  }
  const header = npyHeader(npyDescr(first, d === "bool"), shape);
  const Kind = first.constructor;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield header;
    yield bytesOf(first!);
    let at = first!.length;
    for await (const values of runs) {
      const block = asTypedArray(values);
      if (!block || block.constructor !== Kind) throw new Error(`values from element ${at} of '${dataset.name}' read as another type than the first`);
      at += block.length;
      yield bytesOf(block);
    }
  }
  return { size: header.length + product(shape) * first.BYTES_PER_ELEMENT, chunks: chunks() };
}

/** One CSV column: the path of fields to it in a record, and an array field's shape. */
interface Column {
  header: string;
  path: string[];
  arrayShape: number[] | null;
}

function columnsOf(d: CompoundDtype, prefix: string[] = []): Column[] {
  return d.fields.flatMap((field): Column[] => {
    const path = [...prefix, field.name];
    const t = field.dtype;
    if (typeof t === "object" && t.kind === "compound") return columnsOf(t, path);
    return [{ header: path.join("."), path, arrayShape: typeof t === "object" && t.kind === "array" ? t.shape : null }];
  });
}

function cellOf(record: unknown, column: Column): unknown {
  let value = record;
  for (const name of column.path) value = (value as Record<string, unknown>)?.[name];
  if (column.arrayShape) return jsonText(nestByShape(value as ArrayLike<unknown>, column.arrayShape));
  if (typeof value === "object" && value !== null) return jsonText(value);
  return value;
}

/** A CSV of the records, read and written BLOCK_RECORDS at a time (C order for N-D). */
function recordsCsv(dataset: Dataset, shape: number[], d: CompoundDtype): StreamedData {
  const columns = columnsOf(d);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(csvText(columns.map((c) => c.header), []));
    for await (const values of elementRuns(dataset, BLOCK_RECORDS)) {
      yield Buffer.from(csvLines(Array.from(values, (record) => columns.map((c) => cellOf(record, c)))));
    }
  }
  return { chunks: chunks() };
}

/** Strings as lines (1-D, no line breaks in them: a first pass over the blocks tells) or as JSON nested by shape. */
async function stringsFile(dataset: Dataset, shape: number[], relative: string): Promise<Made> {
  const blockRows = rowsPerBlock(dataset, BLOCK_RECORDS);
  let asLines = shape.length === 1;
  if (asLines) {
    for await (const { values } of rowBlocks(dataset, blockRows)) {
      if (Array.from(values).some((v) => /[\r\n]/.test(String(v)))) {
        asLines = false;
        break;
      }
    }
  }
  if (!asLines) return { file: withExtension(relative, ".json"), format: "json", data: jsonArray(dataset, shape, String) };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const { values } of rowBlocks(dataset, blockRows)) yield Buffer.from(Array.from(values, (v) => `${String(v)}\n`).join(""));
  }
  return { file: withExtension(relative, ".txt"), format: "text", data: { chunks: chunks() } };
}

/**
 * The values as JSON nested by shape, written a block of rows at a time: the same text as
 * jsonText(nestByShape(all values, shape)), without holding all values.
 */
function jsonArray(dataset: Dataset, shape: number[], value: (v: unknown) => unknown): StreamedData {
  const perRow = shape.slice(1);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield Buffer.from("[");
    let first = true;
    for await (const { count, values } of rowBlocks(dataset, rowsPerBlock(dataset, BLOCK_RECORDS))) {
      const nested = nestByShape(Array.from(values, value), [count, ...perRow]) as unknown[];
      const text = nested.map(jsonText).join(",");
      if (text === "") continue;
      yield Buffer.from(first ? text : `,${text}`);
      first = false;
    }
    yield Buffer.from("]\n");
  }
  return { chunks: chunks() };
}

/** An opaque dataset's elements' bytes, one after another. */
function opaqueBytes(dataset: Dataset): StreamedData {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const shape = dataset.shape!;
    if (shape.length === 0) {
      for (const element of (await dataset.read()).data as Uint8Array[]) yield element;
      return;
    }
    for await (const values of elementRuns(dataset, BLOCK_RECORDS)) yield Buffer.concat(Array.from(values as ArrayLike<Uint8Array>));
  }
  return { chunks: chunks() };
}
