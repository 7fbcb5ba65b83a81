// The tree below a group, links included: groups with their children, datasets with shape and
// dtype, named datatypes, soft and external links with their targets (followed or not, they are
// shown as links, as h5py's `get(name, getlink=True)` sees them). Each object appears once: a
// second hard link to an object already listed is marked `alias` and not descended into, so
// cycles of hard links end.
import { Dataset } from "../h5/dataset";
import { Datatype } from "../h5/datatype";
import { dtypeName } from "../h5/dtype";
import { Group } from "../h5/group";
import { getObject, linkInfo, linkNames, release, step, type Flow } from "./flow";

export interface TreeNode {
  /** The link name ("/" for the start of the walk). */
  name: string;
  /** Absolute path. */
  path: string;
  kind: "group" | "dataset" | "datatype" | "soft-link" | "external-link";
  /** Soft link: the path it points to. External link: the path inside `file`. */
  target?: string;
  /** External link: the file it points into. */
  file?: string;
  /** Another hard link to an object that appears elsewhere in the tree (not descended into). */
  alias?: boolean;
  /** Datasets: shape (null for an empty dataspace), dtype name ("uint8", "compound{...}"), chunks. */
  shape?: number[] | null;
  dtype?: string;
  chunks?: number[] | null;
  /** Groups: their members in name order. */
  children?: TreeNode[];
}

const join = (base: string, name: string) => (base === "/" ? `/${name}` : `${base}/${name}`);

/** The tree below `group` (whose absolute path is `group.name`). */
export function* treeFlow(group: Group): Flow<TreeNode> {
  // HDF5's object visit lists each object once, at its first path in name order: a hard link
  // whose path is not in it leads to an object listed elsewhere.
  const listed = new Set((yield* step(() => group.visitSync(), () => group.visit())).map((entry) => join(group.name, entry.path)));
  const root: TreeNode = { name: group.name === "/" ? "/" : group.name.slice(group.name.lastIndexOf("/") + 1), path: group.name, kind: "group", children: [] };
  const pending: [Group, TreeNode][] = [[group, root]];
  while (pending.length > 0) {
    const [current, node] = pending.shift()!;
    for (const name of yield* linkNames(current)) {
      const path = join(node.path, name);
      const link = yield* linkInfo(current, name);
      let child: TreeNode;
      if (link.type === "soft") child = { name, path, kind: "soft-link", target: link.target };
      else if (link.type === "external") child = { name, path, kind: "external-link", target: link.target, file: link.file };
      else {
        const object = yield* getObject(current, name);
        child = describe(name, path, object);
        if (!listed.has(path)) child.alias = true;
        if (object instanceof Group && !child.alias) {
          child.children = [];
          pending.push([object, child]);
        } else {
          yield* release(object);
        }
      }
      node.children!.push(child);
    }
    if (current !== group) yield* release(current);
  }
  return root;
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
