// Input paths → HDF5 paths, reversibly. An HDF5 link name is any UTF-8 text except one holding
// '/' (the separator), NUL (C strings end there) or the name "." (the group itself); '%' is
// escaped too so that every escape can be undone.

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

/** The dataset path of an entry: `/<group>/<dirs...>/<file name>`, every component escaped
 * (no group component for a loose file, whose group name is ""). */
export function datasetPathOf(groupName: string, sourcePath: string): string {
  // Empty and "." components say nothing (tar paths often start "./").
  const parts = sourcePath.split("/").filter((part) => part !== "" && part !== ".");
  return "/" + (groupName === "" ? parts : [groupName, ...parts]).map(escapeName).join("/");
}

/** The inverse of datasetPathOf: [group name, source path]. */
export function sourcePathOf(datasetPath: string): [string, string] {
  const [group, ...rest] = datasetPath.replace(/^\/+/, "").split("/").map(unescapeName);
  return [group, rest.join("/")];
}
