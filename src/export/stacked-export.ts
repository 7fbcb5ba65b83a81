// `h5dat export` of a stacked group (convert --layout stacked): its rows back as an ImageFolder
// tree, torchvision's convention, `SPLIT/CLASS/STEM.png` under the group's own directory:
//  - SPLIT is the row's split (`splits/NAME`); the level is left out when the stack has no
//    splits, and a row in none of them (a stack written elsewhere) goes under `_unsplit`.
//  - CLASS is the row's class name; a row with no label (-1) goes under `_unlabelled`. A '/' or
//    '\' in a name (a label column's value) becomes '_', so a class is one directory, and two
//    names alike but for case get ` (1)` on the second (directoryNames).
//  - STEM is the stem of the row's source path; the file is its PNG, or with the "encoded"
//    storage the source file's own bytes under its own name. Two rows of one name in one
//    directory get ` (1)`, ` (2)`, … in row order (export-names.ts), so every run names alike.
// Rows are read a block at a time (fixed stacks through readBatch, several chunks at once),
// encoded side by side, and written in row order; each file is a row of the export manifest.
// withStacks finds the stacked groups among the datasets export is to write: a stack's arrays
// are one entry, and the group's other datasets (the files layout beside it) stay as they are.
import path from "node:path";
import type { File } from "../h5/file";
import { Group } from "../h5/group";
import { encodeImage } from "../read/image-encode";
import { isStacked, openStack, type StackedGroup } from "../read/stacked";
import type { ExportedFile } from "./export-types";

/** Rows read, encoded and written together: a bound on memory and on encodes at once. */
const BLOCK_ROWS = 64;
/** The class directory of a row with no label. */
export const UNLABELLED_DIR = "_unlabelled";
/** The split directory of a row in no split, when the stack has splits. */
export const UNSPLIT_DIR = "_unsplit";

/** A file of a row, ready to be written. */
export interface RowFile {
  file: string;
  format: "png" | "original";
  data: Buffer;
}

/**
 * Writes `group`'s rows as files named `base/…` through `write` (which names them uniquely and
 * writes them); yields each file written, with its row, as it is written.
 */
export async function* exportStack(group: Group, base: string, write: (made: RowFile) => Promise<ExportedFile>): AsyncGenerator<ExportedFile> {
  const stack = await openStack(group);
  try {
    const splitOf = await splitOfRows(stack);
    const classDirs = directoryNames(stack.classNames, UNLABELLED_DIR);
    for (let start = 0; start < stack.rows; start += BLOCK_ROWS) {
      const rows = Array.from({ length: Math.min(BLOCK_ROWS, stack.rows - start) }, (_, i) => start + i);
      const [made, labels, sources] = await Promise.all([rowFiles(stack, rows), stack.labels(rows), stack.paths(rows)]);
      for (const [i, row] of rows.entries()) {
        const label = labels[i];
        const dir = [base, ...(splitOf ? [splitOf(row)] : []), label < 0 ? UNLABELLED_DIR : classDirs[label]];
        const name = made[i].format === "original" ? path.posix.basename(sources[i]) : `${stemOf(sources[i])}.png`;
        yield { ...(await write({ ...made[i], file: path.posix.join(...dir.filter((part) => part !== ""), name) })), row };
      }
    }
  } finally {
    await stack.close();
  }
}

/** Rows' files, without names yet: PNGs encoded side by side, or the files' own bytes. */
async function rowFiles(stack: StackedGroup, rows: number[]): Promise<Omit<RowFile, "file">[]> {
  if (stack.storage === "encoded") return (await stack.readImages(rows)).map(({ data }) => ({ format: "original", data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) }));
  const images =
    stack.storage === "fixed"
      ? await (async () => {
          const batch = await stack.readBatch(rows);
          const [, h, w, c] = batch.shape;
          return rows.map((_, i) => ({ data: batch.images.subarray(i * h * w * c, (i + 1) * h * w * c), shape: [h, w, c] }));
        })()
      : await stack.readImages(rows);
  return Promise.all(
    images.map(async ({ data, shape: [height, width, channels] }) => ({
      format: "png" as const,
      data: await encodeImage({ data, shape: [height, width, channels], width, height, channels, bitDepth: 8, frames: 1, colourModel: channels <= 2 ? "GREY" : "RGB" }, "png"),
    })),
  );
}

/** Each row's split directory, from the splits' indices (a byte per row); null when the stack has no splits. */
async function splitOfRows(stack: StackedGroup): Promise<((row: number) => string) | null> {
  if (stack.splitNames.length === 0) return null;
  const names = directoryNames(stack.splitNames, UNSPLIT_DIR);
  if (names.length > 255) throw new Error(`'${stack.group.name}' has ${names.length} splits; export takes at most 255`);
  const of = new Uint8Array(stack.rows);
  for (const [s, name] of stack.splitNames.entries()) {
    for (const row of await stack.split(name)) if (row >= 0 && row < stack.rows) of[row] = s + 1;
  }
  return (row) => (of[row] === 0 ? UNSPLIT_DIR : names[of[row] - 1]);
}

/**
 * Class or split names as one directory each, all different without case (exports go onto
 * Windows and macOS disks, where `Cat` and `cat` are one directory: two classes must not merge):
 * a slash or backslash becomes '_', an empty name is '_', and a name taken (or `reserved`) gets
 * ` (1)`, … in the names' order (sorted in the file, so every run names alike).
 */
function directoryNames(names: readonly string[], reserved: string): string[] {
  const taken = new Set([reserved.toLowerCase()]);
  return names.map((name) => {
    const base = name.replace(/[/\\]/g, "_") || "_";
    let dir = base;
    for (let n = 1; taken.has(dir.toLowerCase()); n++) dir = `${base} (${n})`;
    taken.add(dir.toLowerCase());
    return dir;
  });
}

/** The file name of a source path without its extension ('train/cat/001.jpg' → '001'). */
function stemOf(source: string): string {
  const name = path.posix.basename(source.replace(/\\/g, "/"));
  const extension = path.posix.extname(name);
  return name.slice(0, name.length - extension.length) || name;
}

/** A stacked group's arrays, relative to it (stacked/stacked-writer.ts, and the ragged and encoded storages). */
const STACK_MEMBER = /^(images|labels|source_size|image_shapes|(paths|image_format)\/(bytes|offsets)|splits\/[^/]+)$/;

/** `datasets` with each stacked group's arrays replaced by the group (at its images' place), and those groups. */
export async function withStacks(h5: File, datasets: string[]): Promise<{ rest: string[]; stacks: Set<string> }> {
  const stacks = new Set<string>();
  for (const images of datasets.filter((p) => p.endsWith("/images"))) {
    const group = await h5.get(path.posix.dirname(images));
    if (group instanceof Group && (await isStacked(group))) stacks.add(group.name);
    await group.close();
  }
  if (stacks.size === 0) return { rest: datasets, stacks };
  const stackOf = (p: string) => [...stacks].find((s) => p.startsWith(s === "/" ? "/" : `${s}/`) && STACK_MEMBER.test(p.slice(s === "/" ? 1 : s.length + 1)));
  const rest: string[] = [];
  for (const p of datasets) {
    const stack = stackOf(p);
    if (stack === undefined) rest.push(p);
    else if (p === `${stack === "/" ? "" : stack}/images`) rest.push(stack);
  }
  return { rest, stacks };
}
