// The one file a `h5dat view` server serves, open read-only for the server's life. Routes reach
// its objects only through `withObject`, by HDF5 path: nothing a request says names a file on disk.
import { File } from "../h5/file";
import type { H5Member } from "../h5/group";
import { ViewError } from "./view-error";

/** The file being viewed, and the objects of it that requests open. */
export class ViewedFile {
  private constructor(
    /** The open file. */
    readonly h5: File,
    /** The file's name as given on the command line (shown in the page's title). */
    readonly name: string,
  ) {}

  /** Opens `file` read-only; external links are not followed (only this file is served). */
  static async open(file: string): Promise<ViewedFile> {
    return new ViewedFile(await File.open(file, "r", { external: "deny" }), file);
  }

  /** Runs `work` on the object at `path` and closes it; a path not in the file is a 404. */
  async withObject<T>(path: string, work: (member: H5Member) => Promise<T>): Promise<T> {
    if (!(await this.h5.has(path).catch(() => false))) throw new ViewError(404, `no object '${path}' in the file`);
    const member = await this.h5.get(path);
    try {
      return await work(member);
    } finally {
      if (member.isOpen) await member.close();
    }
  }

  /** Closes the file. */
  close(): Promise<void> {
    return this.h5.close();
  }
}
