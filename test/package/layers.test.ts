// The layering of src/ (README, "Architecture"): no import circle, type-only ones included, and
// no import from a lower layer up into a higher one. A layer's units (folders of src/, and the
// root files, each its own unit) may import each other too, as long as the units form no circle.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { circlesOf, importGraph, unitGraph, unitOf, upwardImports, type ImportGraph } from "./import-graph";

/** Bottom to top: each layer imports only from itself and the layers below. */
const LAYERS = [
  // The addon: its loader, its typing and the errors it throws. Imports nothing of ours.
  ["native"],
  // The TypeScript face of HDF5, and root files that import nothing of ours.
  ["h5", "error-message.ts", "byte-size.ts", "version.ts", "lazily.ts"],
  // Inputs (directories, archives), what an entry is, how each kind is written, the output's
  // names, manifest and write turns (output/), the stacked layout's arrays, and archives written
  // for export.
  ["sources", "classify", "processors", "output", "stacked", "archive-writer"],
  // The worker pool; reading HDF5 back (typed helpers over the processors' formats); schemas.
  ["pool", "read", "schema"],
  // The main job, export (read's reverse of it), merge (joining a sharded job's files), and
  // view (the browser viewer's server and page, over read).
  ["convert", "export", "merge", "view"],
  // The config file, whose schema is built from convert's and the processors' options.
  ["config"],
  // The commands, and the package's entry point.
  ["cli", "index.ts"],
];

/** Every fault of `graph`: its file circles, its unit circles and its upward imports. */
function faultsOf(graph: ImportGraph, layers: readonly (readonly string[])[]): string[] {
  const circles = [...circlesOf(graph), ...circlesOf(unitGraph(graph, unitOf))];
  return [...circles.map((members) => `circle: ${members.join(" ↔ ")}`), ...upwardImports(graph, layers)];
}

test("src/ has no import circle and no upward import", () => {
  const faults = faultsOf(importGraph(path.join(__dirname, "..", "..", "src")), LAYERS);
  assert.deepEqual(faults, []);
});

test("src/native imports nothing of ours outside src/native", () => {
  const graph = importGraph(path.join(__dirname, "..", "..", "src"));
  const outside = [...graph].flatMap(([from, to]) => (unitOf(from) === "native" ? to.filter((t) => unitOf(t) !== "native") : []));
  assert.deepEqual(outside, []);
});

test("every unit of src/ is in a layer", () => {
  const units = new Set([...importGraph(path.join(__dirname, "..", "..", "src")).keys()].map(unitOf));
  assert.deepEqual([...units].filter((u) => !LAYERS.flat().includes(u)), []);
});

// The checker itself, on small trees and graphs, so that a passing run above means something.

test("the graph holds import type, export … from, export *, import(), require() and index files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h5dat-layers-"));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write("a/one.ts", 'import type { T } from "../b/two";\nexport { U } from "../c";\nexport * from "./three";\nimport fs from "node:fs";\n');
  write("a/three.ts", 'const lazy = () => import("../b/two");\nconst old = require("../d/four");\n');
  write("b/two.ts", "export type T = number;\n");
  write("c/index.ts", "export type U = string;\n");
  write("d/four.ts", "export {};\n");
  try {
    const graph = importGraph(dir);
    assert.deepEqual(graph.get("a/one.ts"), ["b/two.ts", "c/index.ts", "a/three.ts"]);
    assert.deepEqual(graph.get("a/three.ts"), ["b/two.ts", "d/four.ts"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the checker finds circles, type-only or not, and imports up a layer", () => {
  const graph: ImportGraph = new Map([
    ["low/a.ts", ["low/b.ts"]],
    ["low/b.ts", ["low/a.ts"]], // a type-only import back is an edge like any other
    ["low/c.ts", ["low/c.ts"]],
    ["high/d.ts", ["low/a.ts"]],
    ["low/e.ts", ["high/d.ts"]],
    ["side/f.ts", ["low/b.ts"]],
  ]);
  assert.deepEqual(faultsOf(graph, [["low", "side"], ["high"]]), [
    "circle: low/a.ts ↔ low/b.ts",
    "circle: low/c.ts",
    "circle: high ↔ low",
    "low/e.ts → high/d.ts",
  ]);
  const layered: ImportGraph = new Map([
    ["high/d.ts", ["low/a.ts", "side/f.ts"]],
    ["side/f.ts", ["low/a.ts"]],
    ["low/a.ts", []],
  ]);
  assert.deepEqual(faultsOf(layered, [["low", "side"], ["high"]]), []);
  assert.throws(() => upwardImports(layered, [["low"], ["high"]]), /'side' \(of side\/f\.ts\) is in no layer/);
});
