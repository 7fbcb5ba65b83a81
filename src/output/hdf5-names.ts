// Input paths → HDF5 paths, reversibly for every name that stays inside its group (safePathOf
// drops what would not; the manifest keeps the name as given). An HDF5 link name is any UTF-8
// text except one holding '/' (the separator), NUL (C strings end there) or the name "." (the
// group itself); '%' is escaped too so that every escape can be undone.

const ESCAPED = /[%/\u0000]/g;

/** One path component as an HDF5 link name (`a/b` → `a%2Fb`, `.` → `%2E`, `%` → `%25`). */
export function escapeName(component: string): string {
  if (component === ".") return "%2E";
  if (component === "") return "%";
  return component.replace(ESCAPED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** The inverse of escapeName. */
export function unescapeName(name: string): string {
  if (name === "%") return "";
  return name.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A source path made safe to place under its input's group: what is left, and what was changed. */
export interface SafePath {
  /** Its components: none is '', '.', '..' or a drive ('C:'). Empty when nothing is left. */
  parts: string[];
  /** What was dropped or changed to keep the entry inside its group ("dropped '..'", ...). */
  changes: string[];
}

/**
 * An archive's names are the archive's author's: `../../x`, `/etc/x`, `C:\x` must not reach
 * outside the input's group. '..' components, a leading '/' or '\\', and a leading drive are
 * dropped (not resolved: `a/../b` is `a/b`), and '\' separates like '/' as Windows tools write
 * it. Empty and '.' components are dropped without note: they say nothing (tar's "./" prefix).
 */
export function safePathOf(sourcePath: string): SafePath {
  const changes: string[] = [];
  if (/^[\\/]/.test(sourcePath)) changes.push(`dropped the leading '${sourcePath[0]}'`);
  if (sourcePath.includes("\\")) changes.push("read '\\' as '/'");
  const parts = sourcePath.split(/[\\/]/).filter((part) => part !== "" && part !== ".");
  if (parts.length > 0 && /^[A-Za-z]:$/.test(parts[0]) && /^[A-Za-z]:([\\/]|$)/.test(sourcePath)) changes.push(`dropped the drive '${parts.shift()}'`);
  const kept = parts.filter((part) => part !== "..");
  if (kept.length < parts.length) changes.push("dropped '..'");
  return { parts: kept, changes };
}

/** The dataset path of an entry: `/<group>/<dirs...>/<file name>`, made safe (safePathOf), every
 * component escaped (no group component for a loose file, whose group name is ""). */
export function datasetPathOf(groupName: string, sourcePath: string): string {
  const { parts } = safePathOf(sourcePath);
  return "/" + (groupName === "" ? parts : [groupName, ...parts]).map(escapeName).join("/");
}

/** The inverse of datasetPathOf: [group name, source path]. */
export function sourcePathOf(datasetPath: string): [string, string] {
  const [group, ...rest] = datasetPath.replace(/^\/+/, "").split("/").map(unescapeName);
  return [group, rest.join("/")];
}
