// What a new user meets first in the README works as written: its first lines say how to run the
// command after `npm install h5dat`, the quick start's commands are this package's own scripts
// (no placeholder paths), and every TypeScript example is a module this Node parses (no syntax,
// such as `await using`, that Node 18/20 rejects).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { tempDir } from "../helpers/h5py";

const ROOT = path.join(__dirname, "..", "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** The fenced blocks of `language`, in order. */
const blocks = (language: string) => [...README.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);

test("the README's first lines say how to run the command after npm install: npx, or a global install", () => {
  const head = README.split("\n").slice(0, 15).join("\n");
  assert.match(head, /npm install h5dat/);
  assert.match(head, /npx h5dat /);
  assert.match(head, /npm install -g h5dat/);
});

test("the quick start is two commands: the main job on data the repo brings, then the tests", () => {
  const quick = blocks("sh").find((block) => block.includes("npm ci"));
  assert.ok(quick, "a block with npm ci");
  const commands = quick.split("\n").map((line) => line.replace(/#.*$/, "").trim()).filter((line) => line !== "");
  assert.deepEqual(commands, ["npm ci && npm run sample", "npm test"]);
  // `npm run sample` makes its archive before converting it: no input the user must bring.
  assert.match(scripts.sample, /^node --import tsx samples\/make-sample-data\.ts && .*convert samples\/out\/sample\.tar\.gz /);
  assert.ok(fs.existsSync(path.join(ROOT, "samples", "make-sample-data.ts")));
  assert.ok(scripts.test);
});

test("every TypeScript example of the README is a module this Node parses", () => {
  const dir = tempDir("h5dat-readme-");
  const examples = blocks("ts");
  assert.ok(examples.length >= 2);
  for (const [i, example] of examples.entries()) {
    // Types stripped, nothing downlevelled (ESNext): what is left is the syntax a user's runtime must parse.
    const js = ts.transpileModule(example, { compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext } }).outputText;
    const file = path.join(dir, `example-${i}.mjs`);
    fs.writeFileSync(file, js);
    const check = spawnSync(process.execPath, ["--check", file], { encoding: "utf8" });
    assert.equal(check.status, 0, `README example ${i + 1}:\n${example}\n${check.stderr}`);
  }
});
