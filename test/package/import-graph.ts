// The import graph of a TypeScript tree, and the two faults the layering test looks for in it:
// circles (type-only imports count: they tie modules together for a reader as much as any) and
// imports from a lower layer up into a higher one.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** File → the files it imports, every path relative to the tree's root with '/' separators. */
export type ImportGraph = Map<string, string[]>;

/** The graph of every .ts file under `root`: `import`, `import type`, `export … from`, `import()`, `require()`. */
export function importGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of tsFiles(root)) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    graph.set(file, specifiers.flatMap((s) => resolved(root, file, s) ?? []));
  }
  return graph;
}

/** Every .ts file under `root` (declaration files aside), relative with '/' separators, sorted. */
export function tsFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.split(path.sep).join("/"))
    .sort();
}

/** A relative specifier's file (`./a` → `a.ts` or `a/index.ts`); null for packages and non-TS files. */
function resolved(root: string, from: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  const base = path.posix.join(path.posix.dirname(from), specifier);
  return [`${base}.ts`, `${base}/index.ts`].find((f) => fs.existsSync(path.join(root, f))) ?? null;
}

/** The graph's circles: each strongly connected set of two or more files (or a file importing itself). */
export function circlesOf(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components, started from each file in order.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const members: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      members.push(member);
    } while (member !== file);
    if (members.length > 1 || (graph.get(file) ?? []).includes(file)) circles.push(members.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return circles;
}

/** The graph between folders (`h5/file.ts` → `h5`; a root file is its own unit): edges between different units only. */
export function unitGraph(graph: ImportGraph, unitOf: (file: string) => string): ImportGraph {
  const units: ImportGraph = new Map();
  for (const [file, imports] of graph) {
    const from = unitOf(file);
    const targets = new Set([...(units.get(from) ?? []), ...imports.map(unitOf).filter((to) => to !== from)]);
    units.set(from, [...targets].sort());
  }
  return units;
}

/** `src/h5/file.ts` → `h5`; `index.ts` → `index.ts`: the unit the layers are made of. */
export function unitOf(file: string): string {
  const slash = file.indexOf("/");
  return slash < 0 ? file : file.slice(0, slash);
}

/**
 * Every import `from → to` whose target unit sits in a higher layer than the importer's, as
 * "from → to"; `layers` lists the units bottom to top, a layer's units side by side.
 */
export function upwardImports(graph: ImportGraph, layers: readonly (readonly string[])[]): string[] {
  const rank = new Map(layers.flatMap((units, i) => units.map((unit) => [unit, i] as const)));
  const rankOf = (file: string): number => {
    const r = rank.get(unitOf(file));
    if (r === undefined) throw new Error(`'${unitOf(file)}' (of ${file}) is in no layer: add it to the layer table`);
    return r;
  };
  return [...graph].flatMap(([from, imports]) => imports.filter((to) => rankOf(to) > rankOf(from)).map((to) => `${from} → ${to}`));
}
