// Every exported name in src/ has a doc comment (issue 18: "every exported name has a one-line
// doc comment"). The public API's members are held to it by `npm run docs` (TypeDoc's
// notDocumented check); this test covers the rest of src/, which TypeDoc does not see.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { undocumentedExports } from "./doc-comments";

const SRC = path.join(__dirname, "..", "..", "src");

test("every exported declaration in src/ has a doc comment", () => {
  assert.deepEqual(undocumentedExports(SRC), []);
});

test("the checker sees each kind of declaration, and skips re-exports and documented ones", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h5dat-docs-"));
  fs.writeFileSync(
    path.join(dir, "a.ts"),
    [
      "export function f() {}",
      "export class C {}",
      "export interface I {}",
      "export type T = number;",
      "export const x = 1, y = 2;",
      "export enum E { A }",
      "export abstract class D {}",
      "export default function g() {}",
      "/** Documented. */ export function ok() {}",
      "/** Documented. */\nexport const fine = 1;",
      "// A line comment is not a doc comment.\nexport function lined() {}",
      "function local() {}",
      'export { local };\nexport * from "./b";\nexport { f as h } from "./a";',
    ].join("\n"),
  );
  try {
    assert.deepEqual(undocumentedExports(dir), [
      "a.ts: f", "a.ts: C", "a.ts: I", "a.ts: T", "a.ts: x", "a.ts: y", "a.ts: E", "a.ts: D", "a.ts: g", "a.ts: lined",
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
