// The tree below a group, links included: groups with their children, datasets with shape and
// dtype, named datatypes, soft and external links with their targets (shown as links, as h5py's
// `get(name, getlink=True)` sees them, whether they resolve or not). Each object appears once: a
// second hard link to an object already listed is marked `alias` and not descended into, so
// cycles of hard links end.
import { Dataset } from "../h5/dataset";
import { Datatype } from "../h5/datatype";
import { dtypeName } from "../h5/dtype";
import { Group, type VisitEntry } from "../h5/group";
import { runAsync, runSync } from "../h5/operation";
import { all, getObject, linkInfo, linkNames, release, step, type Flow } from "./flow";

/** One object of a file's tree, with its children when a group. */
export interface TreeNode {
  /** The link name ("/" for the root of a file). */
  name: string;
  /** Absolute path. */
  path: string;
  /** What the link leads to; soft and external links are not followed. */
  kind: "group" | "dataset" | "datatype" | "soft-link" | "external-link";
  /** Soft link: the path it points to. External link: the path inside `file`. */
  target?: string;
  /** External link: the file it points into. */
  file?: string;
  /** Another hard link to an object that appears elsewhere in the tree (not descended into). */
  alias?: boolean;
  /** Datasets: shape (null for an empty dataspace), dtype name ("uint8", "compound{...}"), chunks.
   * Named datatypes: dtype. */
  shape?: number[] | null;
  /** Datasets and named datatypes: the dtype's name. */
  dtype?: string;
  /** Datasets: the chunk shape, null when not chunked. */
  chunks?: number[] | null;
  /** Groups: their members in name order. */
  children?: TreeNode[];
}

const join = (base: string, name: string) => (base === "/" ? `/${name}` : `${base}/${name}`);

/** The tree below a group (or file): groups with children, datasets (shape, dtype), links with targets. */
export function readTree(group: Group): Promise<TreeNode> {
  return runAsync(treeFlow(group));
}
/** The Sync form of {@link readTree}. */
export function readTreeSync(group: Group): TreeNode {
  return runSync(treeFlow(group));
}

/** The tree below `group` (whose absolute path is `group.name`). */
function* treeFlow(group: Group): Flow<TreeNode> {
  // HDF5's object visit lists each object once, at its first path in name order, following hard
  // links only: a member listed there is a hard link of known kind; any other member is a soft
  // or external link, or a second hard link to an object listed elsewhere.
  const visited = yield* step<VisitEntry[]>(() => group.visitSync(), () => group.visit());
  const listed = new Map(visited.map((entry) => [join(group.name, entry.path), entry.kind]));
  const rootName = group.name === "/" ? "/" : group.name.slice(group.name.lastIndexOf("/") + 1);
  const root: TreeNode = { name: rootName, path: group.name, kind: "group", children: [] };
  const groups: TreeNode[] = [root];
  while (groups.length > 0) {
    const node = groups.shift()!;
    const opened = node === root ? group : yield* openGroup(group, node.path);
    try {
      const names = yield* linkNames(opened);
      node.children = yield* all(names.map((name) => () => member(opened, name, join(node.path, name), listed)));
    } finally {
      if (opened !== group) yield* release(opened);
    }
    for (const child of node.children) if (child.kind === "group" && !child.alias) groups.push(child);
  }
  return root;
}

function* openGroup(start: Group, path: string): Flow<Group> {
  const object = yield* getObject(start, path);
  if (object instanceof Group) return object;
  yield* release(object);
  throw new Error(`'${path}' changed kind while its tree was read`);
}

/** One member of `parent`, described. */
function* member(parent: Group, name: string, path: string, listed: Map<string, VisitEntry["kind"]>): Flow<TreeNode> {
  const kind = listed.get(path);
  if (kind === "group") return { name, path, kind: "group" };
  if (kind === undefined) {
    const link = yield* linkInfo(parent, name);
    if (link.type === "soft") return { name, path, kind: "soft-link", target: link.target };
    if (link.type === "external") return { name, path, kind: "external-link", target: link.target, file: link.file };
  }
  const object = yield* getObject(parent, name);
  yield* release(object);
  const node = describe(name, path, object);
  if (kind === undefined) node.alias = true;
  return node;
}

function describe(name: string, path: string, object: Group | Dataset | Datatype): TreeNode {
  if (object instanceof Dataset) return { name, path, kind: "dataset", shape: object.shape, dtype: dtypeName(object.dtype), chunks: object.chunks };
  if (object instanceof Datatype) return { name, path, kind: "datatype", dtype: dtypeName(object.dtype) };
  return { name, path, kind: "group" };
}

/** Every node below the root of `tree`, depth first in name order (the root itself left out). */
export function flattenTree(tree: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (node: TreeNode) => {
    for (const child of node.children ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(tree);
  return out;
}
