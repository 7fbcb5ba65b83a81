// open(path): an HDF5 file (h5dat's or any other) opened read-only for the reader API.
import { File, type ExternalAccess } from "../h5/file";
import { H5Reader } from "./reader";

export interface ReaderOpenOptions {
  /**
   * "deny" (the default): reads that would reach another file — a dataset's external raw data,
   * a virtual dataset's sources, an external link — fail, naming the dataset or link and the
   * file (a file from elsewhere can name any file on this host, /etc/passwd say). "follow":
   * read them, as h5py does, for a file you trust.
   */
  external?: ExternalAccess;
}

/** Opens `path` read-only: `const f = await open("out.h5"); await f.readImage("/photos/cat.jpg")`. */
export async function open(path: string, options: ReaderOpenOptions = {}): Promise<H5Reader> {
  return new H5Reader(await File.open(path, "r", { external: options.external }));
}

export function openSync(path: string, options: ReaderOpenOptions = {}): H5Reader {
  return new H5Reader(File.openSync(path, "r", { external: options.external }));
}
