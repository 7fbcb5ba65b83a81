// Resuming a run that was writing stacks (--layout stacked): each stack in the .partial is cut
// back to the rows whose entries the interrupted run recorded, so the resumed run adds after
// them. A stack's arrays grow row by row and its paths reach the file at each checkpoint
// (StackedWriter.checkpoint), so after a crash they hold the recorded rows in input order, then
// perhaps rows whose entries were not recorded yet (in flight at the checkpoint) — those go.
// A recorded entry whose row is not among the rows kept (its path had not reached the file) is
// done again. A stack's row cannot be taken out of the middle: an image of a stack that changed
// since the interrupted run makes resuming refuse (start again with --overwrite).
import type { Dataset } from "../h5/dataset";
import type { File } from "../h5/file";
import { Group } from "../h5/group";
import { decodeStrings } from "../h5/encoded-strings";
import type { StoredRow } from "../output/manifest";
import { STACKED_LAYOUT } from "../stacked/stacked-writer";

/** The arrays of a stack that grow with its rows (image_format and paths are ragged string arrays). */
const ROW_ARRAYS = ["images", "image_shapes", "source_size"];
const RAGGED_ARRAYS = ["paths", "image_format"];

/**
 * Cuts each stack of `file` back to its recorded rows; returns the stored rows to do again.
 * `changed`: the stored rows of entries that changed since; one of them in a stack refuses.
 */
export async function resumeStacks(file: File, stored: readonly StoredRow[], changed: (row: StoredRow) => boolean): Promise<Set<StoredRow>> {
  const redo = new Set<StoredRow>();
  for (const name of await file.keys()) {
    const group = await file.get(name);
    if (!(group instanceof Group)) {
      await group.close();
      continue;
    }
    try {
      if ((await group.attrs.find("layout")) !== STACKED_LAYOUT) continue;
      const target = `${group.name}/images`;
      const rows = stored.filter(({ row }) => row.target === target && row.status === "written");
      const moved = rows.find(changed);
      if (moved) throw new Error(`'${moved.row.source_path}' changed since the interrupted run, and it is row of the stack '${group.name}': start again with --overwrite`);
      for (const row of await cutBack(group, rows)) redo.add(row);
    } finally {
      await group.close();
    }
  }
  return redo;
}

/** Cuts the stack in `group` to its first rows whose paths are recorded in `recorded`; returns the recorded rows past them. */
async function cutBack(group: Group, recorded: readonly StoredRow[]): Promise<StoredRow[]> {
  await undoRaggedTurn(group);
  if (!(await group.has("paths"))) return [...recorded];
  const paths = await readPaths(await group.group("paths"));
  let rows = paths.length;
  for (const name of ROW_ARRAYS) if (await group.has(name)) rows = Math.min(rows, await lengthOf(group, name));
  if (await group.has("image_format")) rows = Math.min(rows, (await lengthOf(await group.group("image_format"), "offsets", true)) - 1);
  // Recorded rows by path (an archive may hold two entries of one name): the kept rows take theirs.
  const byPath = new Map<string, StoredRow[]>();
  for (const row of recorded) byPath.set(row.row.source_path, [...(byPath.get(row.row.source_path) ?? []), row]);
  let kept = 0;
  while (kept < rows && (byPath.get(paths[kept])?.length ?? 0) > 0) byPath.get(paths[kept++])!.shift();
  for (const name of ROW_ARRAYS) if (await group.has(name)) await resizeRows(group, name, kept);
  for (const name of RAGGED_ARRAYS) if (await group.has(name)) await cutRagged(await group.group(name), kept);
  return [...byPath.values()].flat();
}

/**
 * A checkpoint may have flushed a fixed stack half-way to ragged (image-rows.ts' fromFixed: the
 * fixed array linked as images.fixed, the ragged pair being made): the fixed array is put back
 * and the ragged pair dropped; the resumed run turns it ragged again when it meets the image.
 */
async function undoRaggedTurn(group: Group): Promise<void> {
  if (!(await group.has("images.fixed"))) return;
  for (const name of ["images", "image_shapes"]) if (await group.has(name)) await group.delete(name);
  await group.hardLink("images", "images.fixed");
  await group.delete("images.fixed");
}

/** Rows of dataset `name` in `group` (`closeGroup`: the group too, once read). */
async function lengthOf(group: Group, name: string, closeGroup = false): Promise<number> {
  const dataset = (await group.get(name)) as Dataset;
  try {
    return dataset.shape![0];
  } finally {
    await dataset.close();
    if (closeGroup) await group.close();
  }
}

/**
 * The strings of a ragged array as far as its offsets go, read from its datasets (an unfinished
 * one has no shape attr yet); the group closed.
 */
async function readPaths(ragged: Group): Promise<string[]> {
  try {
    const read = async (name: string) => {
      const dataset = (await ragged.get(name)) as Dataset;
      try {
        return (await dataset.read()).data;
      } finally {
        await dataset.close();
      }
    };
    const offsets = Float64Array.from(await read("offsets") as BigUint64Array, Number);
    const bytes = (await read("bytes")) as Uint8Array;
    return decodeStrings(bytes, offsets, ragged.name);
  } finally {
    await ragged.close();
  }
}

async function resizeRows(group: Group, name: string, rows: number): Promise<void> {
  const dataset = (await group.get(name)) as Dataset;
  try {
    await dataset.resize(rows, 0);
  } finally {
    await dataset.close();
  }
}

/** A ragged string array cut to its first `rows` strings (offsets to rows + 1, bytes to where they end), its shape said. */
async function cutRagged(ragged: Group, rows: number): Promise<void> {
  try {
    const offsets = (await ragged.get("offsets")) as Dataset;
    const end = Number(((await offsets.read({ start: [rows], count: [1] })).data as BigUint64Array)[0]);
    await offsets.resize(rows + 1, 0);
    await offsets.close();
    await resizeRows(ragged, "bytes", end);
    await ragged.attrs.set("shape", [rows], { dtype: "uint64" });
  } finally {
    await ragged.close();
  }
}
