// Issue 17, points 1 and 2: `--resume` after the input changed, and a second run on an output a
// live run is writing. A run is cut off for real (the process exits at its third checkpoint
// journal, H5DAT_TEST_CRASH_AFTER_JOURNAL, as a kill -9 would leave it, every time at the same
// place), the input is changed, and `--resume` must end with what a run from scratch on the new
// input makes: every entry listed once in the manifest, in listing order, with its current
// value (h5py reads them all), or refuse when the change cannot be matched entry by entry.
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { compiledCli } from "../../helpers/compiled-cli";
import { python } from "../../helpers/h5py";
import type { BadCase } from "../case";
import { writeTar } from "../inputs/tar";

const ROOT = path.join(__dirname, "..", "..", "..");
/** Files per input: enough for three checkpoints of CHECKPOINT entries and more after them. */
const FILES = 600;
const CHECKPOINT = 100;

interface CliRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, compiledCli(...args), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

function finished(child: ChildProcess): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
}

function convert(inputs: string[], output: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return finished(start(["convert", ...inputs, "-o", output, "--json", "--workers", "0", "--checkpoint-entries", String(CHECKPOINT), ...args], env));
}

/** `count` small text files f000.txt… under `root`; name → content. */
function writeFiles(root: string, count: number): Record<string, string> {
  fs.mkdirSync(root, { recursive: true });
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const name = `f${String(i).padStart(3, "0")}.txt`;
    files[name] = `file ${i}\n`;
    fs.writeFileSync(path.join(root, name), files[name]);
  }
  return files;
}

/** The run cut off at its third checkpoint: a .partial holding some of the entries, none of the rest. */
async function crashPartway(inputs: string[], output: string): Promise<void> {
  const run = await convert(inputs, output, [], { H5DAT_TEST_CRASH_AFTER_JOURNAL: "3" });
  assert.equal(run.exitCode, 86, `the run was to stop at its third checkpoint: ${run.stderr}`);
  assert.ok(fs.existsSync(`${output}.partial`), "the cut-off run left no .partial");
  assert.ok(!fs.existsSync(output), "the cut-off run left an output");
}

interface Resumed {
  resumed: number;
  entries: number;
}

async function resume(inputs: string[], output: string): Promise<Resumed> {
  const run = await convert(inputs, output, ["--resume"]);
  assert.equal(run.signal, null);
  assert.equal(run.exitCode, 0, `--resume exited ${run.exitCode}: ${run.stderr}`);
  const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Resumed;
  // Some entries were taken from the cut-off run, some done now: resuming was put to the test.
  assert.ok(summary.resumed > 0 && summary.resumed < summary.entries, `resumed ${summary.resumed} of ${summary.entries}`);
  return summary;
}

interface Stored {
  rows: { source_path: string; status: string; target: string; message: string; entry: number }[];
  /** Dataset path → its bytes as text. */
  values: Record<string, string>;
}

/** The manifest and every dataset's text, as h5py reads them. */
function stored(output: string): Stored {
  return python<Stored>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
text = lambda v: v.decode() if isinstance(v, bytes) else v
rows = [{"source_path": text(r["source_path"]), "status": text(r["status"]), "target": text(r["target"]), "message": text(r["message"]), "entry": int(r["entry"])} for r in f["_h5dat/manifest"][()]]
values = {}
def visit(name, obj):
    if isinstance(obj, h5py.Dataset) and not name.startswith("_h5dat"):
        values["/" + name] = obj[()].tobytes().decode()
f.visititems(visit)
print(json.dumps({"rows": rows, "values": values}))`, output);
}

/**
 * What a run from scratch on `files` (the input as it is now) makes, `vanished` aside: one row per
 * entry in name order, numbered 0…, each written with its current content; then a row for
 * each vanished entry, and nothing of it in the file. Nothing but the output is left beside it.
 */
function checkOutput(output: string, group: string, files: Record<string, string>, vanished: string[] = []): void {
  const { rows, values } = stored(output);
  const names = Object.keys(files).sort();
  assert.equal(rows.length, names.length + vanished.length, `${rows.length} manifest rows for ${names.length} files and ${vanished.length} vanished`);
  assert.deepEqual(rows.map((row) => row.entry), rows.map((_, i) => i), "entry numbers are not 0… in manifest order");
  assert.deepEqual(rows.slice(0, names.length).map((row) => row.source_path), names, "the rows are not one per file in listing order");
  for (const row of rows.slice(0, names.length)) {
    assert.equal(row.status, "written", `${row.source_path}: ${row.status} ${row.message}`);
    assert.equal(row.target, `/${group}/${row.source_path}`);
  }
  rows.slice(names.length).forEach((row, i) => {
    assert.equal(row.source_path, vanished[i]);
    assert.equal(row.status, "skipped");
    assert.match(row.message, /no longer in the input: removed after the interrupted run had done it/);
    assert.equal(row.target, "");
  });
  assert.deepEqual(Object.keys(values).sort(), names.map((name) => `/${group}/${name}`), "the datasets are not exactly the files");
  for (const name of names) assert.equal(values[`/${group}/${name}`], files[name], `${name} holds another value`);
  const dir = path.dirname(output);
  const beside = fs.readdirSync(dir).filter((name) => name.startsWith(path.basename(output)));
  assert.deepEqual(beside, [path.basename(output)], "a .partial, journal or lock was left beside the output");
}

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** A directory cut off part way, changed by `change` (which returns the files it then holds), resumed. */
function directoryCase(name: string, expected: string, change: (root: string, files: Record<string, string>) => { files: Record<string, string>; vanished?: string[] }): BadCase {
  return {
    name,
    expected,
    async run(dir) {
      const root = path.join(dir, "d");
      const output = path.join(dir, "out.h5");
      const before = writeFiles(root, FILES);
      await crashPartway([root], output);
      const { files, vanished = [] } = change(root, before);
      await resume([root], output);
      checkOutput(output, "d", files, vanished);
      return `exit 0; ${Object.keys(files).length} written${vanished.length ? `, ${vanished.length} vanished` : ""}`;
    },
  };
}

export const resumeCases: BadCase[] = [
  directoryCase("resume-added-first-file", "exit 0; a file sorting first added after the crash is converted, the done ones kept: 601 rows in name order", (root, files) => {
    fs.writeFileSync(path.join(root, "a_first.txt"), "added first\n");
    return { files: { ...files, "a_first.txt": "added first\n" } };
  }),
  directoryCase("resume-removed-file", "exit 0; a done file removed after the crash: its dataset removed, a skipped row says it vanished", (root, files) => {
    fs.rmSync(path.join(root, "f005.txt"));
    const { "f005.txt": _, ...rest } = files;
    return { files: rest, vanished: ["f005.txt"] };
  }),
  directoryCase("resume-changed-file", "exit 0; done files changed after the crash (size; same size, new mtime) are done again with their new content", (root, files) => {
    fs.writeFileSync(path.join(root, "f007.txt"), "a longer new content\n");
    // Same size, other bytes: the mtime tells (set apart, so even a coarse clock shows it).
    fs.writeFileSync(path.join(root, "f008.txt"), "FILE 8!\n");
    fs.utimesSync(path.join(root, "f008.txt"), new Date(), new Date(Date.now() + 60_000));
    return { files: { ...files, "f007.txt": "a longer new content\n", "f008.txt": "FILE 8!\n" } };
  }),
  {
    name: "resume-replaced-archive",
    expected: "exit 1 naming the archive and --overwrite, the .partial untouched; with the archive restored, --resume completes it",
    async run(dir) {
      const tar = path.join(dir, "data.tar");
      const output = path.join(dir, "out.h5");
      const files = writeFiles(path.join(dir, "tree"), FILES);
      const members = Object.entries(files).map(([name, data]) => ({ name, data }));
      writeTar(tar, members);
      // cp -p keeps the mtime to the nanosecond, which utimes from JS cannot.
      const original = path.join(dir, "original.tar");
      execFileSync("cp", ["-p", tar, original]);
      await crashPartway([tar], output);
      writeTar(tar, members.map(({ name }) => ({ name, data: `replaced ${name}\n` })));
      const refused = async () => {
        const run = await convert([tar], output, ["--resume"]);
        assert.equal(run.exitCode, 1, `a resume over a replaced archive exited ${run.exitCode}: ${run.stderr}`);
        assert.match(run.stderr, /cannot resume '.*out\.h5\.partial': archive '.*data\.tar' changed since the interrupted run \(.*content\)/);
        assert.match(run.stderr, /--overwrite/);
        assert.ok(fs.existsSync(`${output}.partial`) && !fs.existsSync(output), "the .partial is gone or an output was made");
      };
      // The first open finishes the checkpoint the crash cut off; from then on a refusal changes no byte.
      await refused();
      const partial = sha256(`${output}.partial`);
      await refused();
      assert.equal(sha256(`${output}.partial`), partial, "a refused resume changed the .partial");
      execFileSync("cp", ["-p", original, tar]);
      await resume([tar], output);
      checkOutput(output, "data", files);
      return "exit 1 (archive changed), .partial unchanged; restored: exit 0, 600 written";
    },
  },
  {
    name: "overwrite-live-run",
    expected: "exit 1 naming the live run's pid for --overwrite, --resume and a plain run; the live run ends rc 0 with all its entries",
    async run(dir) {
      const root = path.join(dir, "d");
      const output = path.join(dir, "out.h5");
      const files = writeFiles(root, 2000);
      const a = start(["convert", root, "-o", output, "--json", "--workers", "0", "--checkpoint-entries", String(CHECKPOINT)]);
      const aDone = finished(a);
      // Run A is stopped (SIGSTOP) once it is writing entries, so that B surely meets it live.
      while (!(fs.existsSync(`${output}.partial`) && fs.statSync(`${output}.partial`).size > 32 << 10) && a.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      a.kill("SIGSTOP");
      try {
        for (const flags of [["--overwrite"], ["--resume"], []]) {
          const b = await convert([root], output, flags);
          assert.equal(b.exitCode, 1, `B (${flags.join(" ") || "no flag"}) exited ${b.exitCode}: ${b.stderr}`);
          assert.match(b.stderr, new RegExp(`is being written by another run \\(pid ${a.pid}\\)`));
          assert.doesNotMatch(b.stderr, /left from an interrupted run/);
        }
      } finally {
        a.kill("SIGCONT");
      }
      const runA = await aDone;
      assert.equal(runA.exitCode, 0, `A exited ${runA.exitCode}: ${runA.stderr}`);
      checkOutput(output, "d", files);
      return `B exit 1 naming pid ×3; A exit 0, 2000 written`;
    },
  },
];
