// One naming rule for inputs: each becomes a root member named after the input. An archive or a
// directory is a group named without its container extension (`imgds.zip` → `/imgds`), and so
// is a loose HDF5 file, which is copied in as a group (`sci.h5` → `/sci`, `clim.nc` → `/clim`).
// Other loose files are datasets and keep their whole name (`notes.txt` → `/notes.txt`): there
// the extension still says what the bytes are.
//
// Two inputs asking for one group name share it when both are groups of entries (two
// `photos.zip` from different folders), as before. A copied HDF5 file *is* its group, so it
// cannot share: when another input of the run asks for its name (`sci.h5` beside `sci.zip`, or
// `sci.nc`), it keeps its whole name (`/sci.h5`), so both are kept whatever their order.
import fs from "node:fs";
import path from "node:path";
import { classify, HEAD_BYTES } from "../classify";
import { renamedNote, rootNameOf, type SourceEntry } from "./source-entry";

/** `sci.h5` → `sci`: the group a loose HDF5 file asks for; undefined when it has no extension to drop. */
export function copyGroupNameOf(fileName: string): string | undefined {
  const extension = path.posix.extname(fileName);
  return extension === "" ? undefined : fileName.slice(0, -extension.length);
}

/** An input as the naming rule sees it: its group's name, or for a loose file ("" group) its file name. */
export interface InputName {
  groupName: string;
  /** The loose file's name (no directories); unset for a directory or an archive. */
  fileName?: string;
  /** The loose file holds HDF5 (holdsHdf5): it asks for its name without the extension too. */
  hdf5?: boolean;
}

/**
 * For each input, the group its HDF5 copy takes when it is a loose HDF5 file (its name without
 * the extension), or undefined: not one, no extension, or a name another input asks for.
 */
export function copyGroupNames(inputs: readonly InputName[]): (string | undefined)[] {
  const own = inputs.map(({ fileName, hdf5 }) => (fileName !== undefined && hdf5 ? copyGroupNameOf(fileName) : undefined));
  const asked = inputs.map(({ groupName, fileName }, i) => (fileName === undefined ? [groupName] : [fileName, own[i] ?? fileName].map(rootNameOf)));
  return own.map((name, i) => (name !== undefined && asked.some((names, j) => j !== i && names.includes(rootNameOf(name))) ? undefined : name));
}

/** Whether a loose file's first bytes say HDF5, as convert's classification will (plan.ts). */
export async function holdsHdf5(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, "r");
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    const kind = classify(path.basename(file), head.subarray(0, bytesRead));
    return kind.category === "hdf5" && kind.by === "magic";
  } finally {
    await handle.close();
  }
}

/** A loose file's name at the root, and the row's note when it had to take another than its own. */
export interface LooseRoot {
  name: string;
  note: string;
}

/**
 * Where a loose file goes at the root: the group of its HDF5 copy when `copied` (its file holds
 * HDF5 and is copied as such) and the name is free, else its own name (a dataset's).
 */
export function looseRootOf(entry: SourceEntry, copied: boolean): LooseRoot {
  if (!copied || entry.copyGroupName === undefined) return { name: rootNameOf(entry.sourcePath), note: "" };
  return { name: rootNameOf(entry.copyGroupName), note: renamedNote(entry.copyGroupName, "group") ?? "" };
}
