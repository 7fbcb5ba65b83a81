// open(path): an HDF5 file (h5dat's or any other) opened read-only for the reader API.
import { File } from "../h5/file";
import { H5Reader } from "./reader";

/** Opens `path` read-only: `const f = await open("out.h5"); await f.readImage("/photos/cat.jpg")`. */
export async function open(path: string): Promise<H5Reader> {
  return new H5Reader(await File.open(path, "r"));
}

export function openSync(path: string): H5Reader {
  return new H5Reader(File.openSync(path, "r"));
}
