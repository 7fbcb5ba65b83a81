// `show` of every object (h5py's visit) in PyTables' 46 test files — a corpus written by another
// library over 15 years — succeeds and starts with the object's line, whatever the object's
// type or its attributes' types: what cannot be read is shown with the reason, never an error.
// Run in one process through the show command itself (a process per object would take minutes).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { Command } from "commander";
import { addShowCommand } from "../../src/cli/show-command";
import { python } from "../helpers/h5py";

const DIRS = ["/usr/share/python-tables/tests", "/usr/share/python-tables/nodes/tests"];
const files = DIRS.flatMap((dir) => fs.readdirSync(dir).filter((name) => name.endsWith(".h5")).map((name) => path.join(dir, name))).sort();

/** Runs `h5dat show file path` in this process; its stdout lines, or the error it ends with. */
async function show(file: string, object: string): Promise<string[]> {
  const program = new Command().exitOverride();
  addShowCommand(program);
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(...args.map(String).join(" ").split("\n"));
  try {
    await program.parseAsync(["node", "h5dat", "show", file, object]);
  } finally {
    console.log = log;
  }
  return lines;
}

test("show of every object in PyTables' 46 test files exits without error and names the object", async (t) => {
  assert.equal(files.length, 46, "python-tables-data's test files are installed");
  const objects = python<Record<string, string[]>>(`import h5py, json, sys
out = {}
for name in sys.argv[1:]:
    with h5py.File(name, "r") as f:
        paths = ["/"]
        f.visit(lambda p: paths.append("/" + p))
        out[name] = paths
print(json.dumps(out))`, ...files);
  let shown = 0;
  const failures: string[] = [];
  let unreadable = 0;
  for (const file of files) {
    for (const object of objects[file]) {
      try {
        const lines = await show(file, object);
        if (!lines[0]?.startsWith(object === "/" ? "/" : `${object} `)) failures.push(`${file} ${object}: first line ${JSON.stringify(lines[0])}`);
        unreadable += lines.filter((line) => /<unreadable |^unreadable: |\(not listed: /.test(line)).length;
        shown++;
      } catch (error) {
        failures.push(`${file} ${object}: ${(error as Error).message}`);
      }
    }
  }
  t.diagnostic(`${shown} objects shown; ${unreadable} lines say what could not be read and why`);
  assert.deepEqual(failures, []);
  assert.ok(shown > 250, `${shown} objects`);
});
