// Entry paths: '/'-separated, relative, no '.' or '..' components, valid UTF-8; a safe form of
// a path made of names from elsewhere (an HDF5 file's links); and a registry that refuses the
// same path twice, or a file where another entry implies a directory.

/** Why `p` is not a valid archive entry path, or null when it is. */
export function entryPathProblem(p: unknown): string | null {
  if (typeof p !== "string") return "it is not a string";
  if (p === "") return "it is empty";
  if (p.includes("\u0000")) return "it contains a NUL character";
  if (Buffer.from(p, "utf8").toString("utf8") !== p) return "it is not valid Unicode (a lone surrogate)";
  if (p.startsWith("/")) return "it is absolute (starts with '/')";
  if (p.endsWith("/")) return "it ends with '/' (entries are files; directories are implied)";
  for (const part of p.split("/")) {
    if (part === "") return "it has an empty component ('//')";
    if (part === ".") return "it has a '.' component";
  }
  // '..' also between backslashes: Windows extractors treat '\' as a separator.
  if (p.split(/[\\/]/).includes("..")) return "it has a '..' component";
  return null;
}

/**
 * `p` as a valid entry path: a component that is exactly '.' or '..' (also between backslashes,
 * which Windows extractors split on) becomes '_.' / '_..', empty components go. A name that
 * only starts with dots ('..hidden', '...') is a name, not an escape, and is kept as it is.
 */
export function safeEntryPath(p: string): string {
  const parts = p.split("/").filter((part) => part !== "");
  const safe = parts.map((part) => part.split("\\").map((piece) => (piece === "." || piece === ".." ? `_${piece}` : piece)).join("\\"));
  return safe.join("/") || "_";
}

/** The paths added so far, and the directories they imply. */
export class EntryRegistry {
  private readonly files = new Set<string>();
  private readonly dirs = new Set<string>();

  /** Why `p` cannot be added after the entries so far, or null (and then records it). */
  claim(p: string): string | null {
    if (this.files.has(p)) return "an entry with this path was already added";
    if (this.dirs.has(p)) return "an earlier entry lies under this path (it is a directory)";
    const parents: string[] = [];
    for (let i = p.indexOf("/"); i >= 0; i = p.indexOf("/", i + 1)) parents.push(p.slice(0, i));
    for (const parent of parents) {
      if (this.files.has(parent)) return `its parent '${parent}' was added as a file`;
    }
    this.files.add(p);
    for (const parent of parents) this.dirs.add(parent);
    return null;
  }
}
