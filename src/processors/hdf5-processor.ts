// The hdf5 processor: an HDF5 input copied in whole, its tree (root attrs included) becoming the
// entry's group, references, dimension scales and soft links still meaning what they meant
// (Group.copyFile). A file on disk is copied from the file itself (as a whole file image it would
// be held in memory twice, once by HDF5); an archive member from its bytes.
import { File } from "../h5/file";
import type { Group } from "../h5/group";
import { hdf5SignatureOffset } from "../classify/magic";
import type { Written, WritingProcessor } from "./processor";

/** HDF5 inputs copied in whole, from their file when they have one. */
export const hdf5Processor: WritingProcessor<"hdf5"> = {
  name: "hdf5",
  options: {},
  takes: (kind) => kind.category === "hdf5",
  defaults: () => ({}),
  notEmpty: "an empty file is not an HDF5 file",
  // A copied file's root attrs are its own (CF files have a global `source`).
  keepsInputAttrs: true,
  prepares: "writer",
  streams: "never",
  write: copyHdf5Image,
  writeFile: copyHdf5File,
};

/** An HDF5 input held in memory (an archive member): nothing outside it is read, whatever it names. */
async function copyHdf5Image(parent: Group, name: string, bytes: Uint8Array, _layout: unknown, sourcePath: string): Promise<Written> {
  checkHdf5Signature(bytes);
  const image = await File.openImage(bytes, sourcePath);
  let notes: string[];
  try {
    notes = await parent.copyFile(image, name);
  } finally {
    await image.close();
  }
  return { object: await parent.get(name), notes };
}

/** An HDF5 file on disk; its external raw data and virtual sources may be read from `inputDirectory`. */
async function copyHdf5File(parent: Group, name: string, file: string, head: Uint8Array, inputDirectory: string | undefined): Promise<Written> {
  checkHdf5Signature(head);
  const source = await File.open(file, "r");
  try {
    const notes = await parent.copyFile(source, name, { inputDirectory });
    return { object: await parent.get(name), notes };
  } finally {
    await source.close();
  }
}

/** HDF5's own error for a file without its signature ("not a file ID") does not say so. */
function checkHdf5Signature(head: Uint8Array): void {
  if (hdf5SignatureOffset(head) === undefined) throw new Error("not an HDF5 file: no HDF5 signature at offset 0, 512, 1024, ... (only its name says HDF5)");
}
