// No function over 80 lines in src/ or binding/ (issue 18): a longer one is read by scrolling,
// and almost always does two jobs. TypeScript is measured by the compiler's own syntax tree;
// C++ by the braces of each function body (a definition's line ends with `) … {`).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { tsFiles } from "./import-graph";

const ROOT = path.join(__dirname, "..", "..");
const MOST_LINES = 80;

/** A function and its length in lines: "src/a.ts:12 (95 lines)". */
type LongFunction = string;

/** Every function-like node of a TypeScript file with a body longer than MOST_LINES lines. */
function longTsFunctions(file: string): LongFunction[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const lines = source.getLineAndCharacterOfPosition(node.end).line - first + 1;
      if (lines > MOST_LINES) found.push(`${file}:${first + 1} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// A line that opens a function body: `) {`, `) const {`, `) override {`, `-> T {` … but not a
// control statement's.
const BODY_OPEN = /\)\s*(const|override|noexcept|final|mutable|->\s*[\w:<>*&]+|\s)*\{$/;
const CONTROL = /^\s*(if|for|while|switch|else|catch|do)\b|\b(if|for|while|switch|catch)\s*\(/;

/** Every C++ function body in `file` longer than MOST_LINES lines. */
function longCppFunctions(file: string): LongFunction[] {
  // Comments, strings and character literals hold braces that are not code.
  const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n")
    .map((line) => line.replace(/\/\/.*$/, "").replace(/"(\\.|[^"\\])*"/g, '""').replace(/'(\\.|[^'\\])'/g, "''").trimEnd());
  const found: LongFunction[] = [];
  lines.forEach((line, start) => {
    if (!BODY_OPEN.test(line) || CONTROL.test(line)) return;
    let depth = 0;
    for (let end = start; end < lines.length; end++) {
      depth += (lines[end].match(/\{/g)?.length ?? 0) - (lines[end].match(/\}/g)?.length ?? 0);
      if (depth > 0) continue;
      if (end - start + 1 > MOST_LINES) found.push(`${file}:${start + 1} (${end - start + 1} lines)`);
      return;
    }
  });
  return found;
}

/** Every .cc and .h file under binding/, relative to the root. */
function cppFiles(): string[] {
  return (fs.readdirSync(path.join(ROOT, "binding"), { recursive: true }) as string[])
    .filter((f) => /\.(cc|h)$/.test(f))
    .map((f) => path.posix.join("binding", f.split(path.sep).join("/")))
    .sort();
}

test("no function in src/ is longer than 80 lines", () => {
  const files = tsFiles(path.join(ROOT, "src")).map((f) => `src/${f}`);
  assert.ok(files.length > 100, `read ${files.length} files`);
  assert.deepEqual(files.flatMap(longTsFunctions), []);
});

test("no function in binding/ is longer than 80 lines", () => {
  const files = cppFiles();
  assert.ok(files.length > 40, `read ${files.length} files`);
  assert.deepEqual(files.flatMap(longCppFunctions), []);
});

test("the measures see a long function (they are not blind)", () => {
  const body = Array.from({ length: 90 }, (_, i) => `  x += ${i};`).join("\n");
  const dir = fs.mkdtempSync(path.join(ROOT, "test", "package", ".long-"));
  try {
    fs.writeFileSync(path.join(dir, "a.ts"), `export function f(): number {\n  let x = 0;\n${body}\n  return x;\n}\n`);
    fs.writeFileSync(path.join(dir, "a.cc"), `int F(int x) {\n  if (x) {\n${body}\n  }\n  return x;\n}\nint G() {\n  return 1;\n}\n`);
    const relative = path.relative(ROOT, dir).split(path.sep).join("/");
    assert.deepEqual(longTsFunctions(`${relative}/a.ts`), [`${relative}/a.ts:1 (94 lines)`]);
    assert.deepEqual(longCppFunctions(`${relative}/a.cc`), [`${relative}/a.cc:1 (95 lines)`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
