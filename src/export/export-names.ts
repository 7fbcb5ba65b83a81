// The names export writes under: each dataset's file gets a path no other file of the export has,
// compared without case (exports go into zips and onto Windows and macOS disks, where `x.png`
// and `X.PNG` are one file), and no file sits where another's directory is. A name taken gets
// ` (1)`, ` (2)`, … before its extension (`x (1).png`), as file managers do; datasets come in
// name order, so the names given are the same on every run.
import path from "node:path";
import { safeEntryPath } from "../archive-writer/entry-path";

/** The paths given so far (and the directories they make), keyed without case. */
export class ExportNames {
  private readonly files = new Set<string>();
  /** A directory wanted (lower case, as resolved so far) → the name it was given. */
  private readonly dirs = new Map<string, string>();

  /** A path for a file wanted at `wanted` ('/'-separated, relative), not given before; recorded. */
  claim(wanted: string): string {
    const parts = safeEntryPath(wanted).split("/");
    const name = parts.pop()!;
    let dir = "";
    for (const part of parts) dir = this.directory(dir, part);
    const file = this.free(dir, name, (candidate) => !this.files.has(key(candidate)) && !this.dirs.has(key(candidate)));
    this.files.add(key(file));
    return file;
  }

  /** The directory `part` under `parent` (already resolved): the same one for every file in it. */
  private directory(parent: string, part: string): string {
    const wanted = join(parent, part);
    const given = this.dirs.get(key(wanted));
    if (given !== undefined) return given;
    // A file already has this name: the directory takes the next free one instead.
    const dir = this.free(parent, part, (candidate) => !this.files.has(key(candidate)) && (!this.dirs.has(key(candidate)) || candidate === wanted));
    this.dirs.set(key(wanted), dir);
    if (dir !== wanted) this.dirs.set(key(dir), dir);
    return dir;
  }

  private free(dir: string, name: string, isFree: (candidate: string) => boolean): string {
    if (isFree(join(dir, name))) return join(dir, name);
    // `.hidden` has no extension (path.extname says so): the number goes at its end.
    const ext = path.posix.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    for (let n = 1; ; n++) {
      const candidate = join(dir, `${stem} (${n})${ext}`);
      if (isFree(candidate)) return candidate;
    }
  }
}

const key = (p: string) => p.toLowerCase();
const join = (dir: string, name: string) => (dir === "" ? name : `${dir}/${name}`);
