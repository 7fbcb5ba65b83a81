// A convert case of the bad-input corpus, declared as what it builds and what must come out; the
// checks every case shares live here: no crash (no signal, no uncaught error), the exit code,
// exactly one manifest row per entry with a message naming the cause, nothing written outside
// its input's group or without a row, the output readable by h5py, good entries' values intact.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { groupNameOf, rootNameOf } from "../../src/sources/source-entry";
import { looksLikeArchive } from "../../src/sources/open-source";
import { escapeName } from "../../src/output/hdf5-names";
import type { BadCase } from "./case";
import { readWithH5py, runConvert, type ConvertRun, type H5pyView, type ManifestRow } from "./run-convert";

export interface RowExpectation {
  /** The row's source_path, exactly as the input names the entry ("" for an input's own failure). */
  path: string;
  status: ManifestRow["status"];
  /** What the message must say. Without it a written row must have no message. */
  message?: RegExp;
  /** The dataset a written row must name. */
  target?: string;
  /** The input the row belongs to, by its index among the case's inputs (default 0). */
  input?: number;
}

/** A value to compare with what h5py reads: text or bytes for uint8 data, else h5py's value itself. */
export type ExpectedValue = string | Buffer | ((value: unknown) => void) | unknown;

export interface ConvertCaseSpec {
  name: string;
  expected: string;
  /** Builds the inputs under `dir`; returns their paths in the order convert gets them. */
  build(dir: string): string[] | Promise<string[]>;
  /** More flags for convert (--workers 0 is added unless they set it). */
  args?: string[];
  exit: 0 | 2;
  /** Every manifest row, in manifest order. */
  rows: RowExpectation[];
  /** Dataset path → value (see ExpectedValue). */
  values?: Record<string, ExpectedValue>;
  /** Further checks on the run and what h5py sees. */
  check?(view: H5pyView, run: ConvertRun): void;
}

/** Where an input's datasets may be: under its group, or (a loose file) its one root dataset. */
async function placeOf(input: string): Promise<{ prefix: string } | { exact: string[] }> {
  if (fs.statSync(input).isDirectory() || (await looksLikeArchive(input))) return { prefix: `/${escapeName(groupNameOf(input))}/` };
  // A loose file keeps its name; a loose HDF5 file's copy is named without its extension when free.
  const name = path.basename(input);
  return { exact: [name, name.slice(0, name.length - path.extname(name).length)].map((n) => `/${escapeName(rootNameOf(n))}`) };
}

const CRASH = /uncaught|unhandled|fatal error|maximum call stack|segmentation|core dumped|out of memory|\n\s+at \S+ \(/i;

export function convertCase(spec: ConvertCaseSpec): BadCase {
  return {
    name: spec.name,
    expected: spec.expected,
    async run(dir: string): Promise<string> {
      const inputs = await spec.build(dir);
      const run = await runConvert(inputs, path.join(dir, "out.h5"), spec.args);
      const tail = run.stderr.trim().split("\n").slice(-4).join(" | ");
      assert.equal(run.signal, null, `convert was killed by ${run.signal}: ${tail}`);
      assert.ok(run.exitCode === 0 || run.exitCode === 2, `convert exited ${run.exitCode} (fatal): ${tail}`);
      assert.doesNotMatch(run.stderr, CRASH, `convert's stderr shows a crash: ${tail}`);
      assert.equal(run.exitCode, spec.exit, `exit ${run.exitCode}, expected ${spec.exit}: ${tail}`);
      const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { entries: number };
      const view = readWithH5py(run.output, Object.keys(spec.values ?? {}));
      checkRows(spec, inputs, view);
      assert.equal(summary.entries, view.rows.length, "the summary and the manifest count different entries");
      await checkPlacement(inputs, view);
      for (const [target, expected] of Object.entries(spec.values ?? {})) checkValue(target, view.values[target], expected);
      spec.check?.(view, run);
      return gotText(run, view, dir);
    },
  };
}

function checkRows(spec: ConvertCaseSpec, inputs: string[], view: H5pyView): void {
  const listed = view.rows.map((r) => `${r.status} '${r.source_path}'`).join(", ");
  assert.equal(view.rows.length, spec.rows.length, `${view.rows.length} manifest rows, expected ${spec.rows.length}: ${listed}`);
  spec.rows.forEach((expected, i) => {
    const row = view.rows[i];
    const where = `row ${i} ('${row.source_path}', ${row.status}: ${row.message})`;
    assert.equal(row.source, inputs[expected.input ?? 0], `${where}: source`);
    assert.equal(row.source_path, expected.path, `${where}: source_path`);
    assert.equal(row.status, expected.status, `${where}: status`);
    if (expected.message) assert.match(row.message, expected.message, `${where}: message`);
    else if (row.status === "written") assert.equal(row.message, "", `${where}: a written row without notes has no message`);
    else assert.fail(`${where}: the case must say what a ${row.status} row's message names`);
    if (row.status === "written") {
      assert.ok(row.target in view.datasets || isCopiedFile(row, view), `${where}: its target '${row.target}' is no dataset h5py sees`);
      if (expected.target !== undefined) assert.equal(row.target, expected.target, `${where}: target`);
    } else {
      assert.equal(row.target, "", `${where}: a ${row.status} row names no target`);
    }
  });
}

/** Every dataset lies in its input's group and is some written row's target: nothing else was written. */
async function checkPlacement(inputs: string[], view: H5pyView): Promise<void> {
  const places = await Promise.all(inputs.map(placeOf));
  const targets = new Set(view.rows.filter((r) => r.status === "written").map((r) => r.target));
  const copies = view.rows.filter((r) => isCopiedFile(r, view)).map((r) => `${r.target}/`);
  for (const dataset of Object.keys(view.datasets)) {
    assert.ok(targets.has(dataset) || copies.some((copy) => dataset.startsWith(copy)), `dataset '${dataset}' is in the file but no manifest row wrote it`);
    // A loose HDF5 file's copy is a group at its one place, its datasets below it.
    assert.ok(places.some((p) => ("prefix" in p ? dataset.startsWith(p.prefix) : p.exact.some((exact) => dataset === exact || dataset.startsWith(`${exact}/`)))), `dataset '${dataset}' lies outside every input's group`);
  }
  for (const row of view.rows.filter((r) => r.status === "written")) {
    const place = places[inputs.indexOf(row.source)];
    assert.ok("prefix" in place ? row.target.startsWith(place.prefix) : place.exact.includes(row.target), `'${row.target}' lies outside its input's group`);
  }
}

/** A copied HDF5 input's row: its target is a group, holding the copy's datasets. */
function isCopiedFile(row: ManifestRow, view: H5pyView): boolean {
  return row.status === "written" && row.processor === "hdf5" && Object.keys(view.datasets).some((d) => d.startsWith(`${row.target}/`));
}

function checkValue(target: string, value: unknown, expected: ExpectedValue): void {
  assert.ok(value !== undefined, `h5py read no value at '${target}'`);
  if (typeof expected === "function") return void (expected as (value: unknown) => void)(value);
  if (typeof expected === "string" || Buffer.isBuffer(expected)) {
    const bytes = Buffer.from((value as { base64: string }).base64, "base64");
    assert.ok(bytes.equals(Buffer.from(expected)), `'${target}' holds ${JSON.stringify(bytes.toString().slice(0, 60))}, expected ${JSON.stringify(Buffer.from(expected).toString().slice(0, 60))}`);
    return;
  }
  assert.deepEqual(value, expected, `'${target}'`);
}

/** "exit 2; 1 written, 2 failed: truncated gzip input…" — the first cause, the case's paths cut to names. */
function gotText(run: ConvertRun, view: H5pyView, dir: string): string {
  const counts = (["written", "skipped", "failed"] as const)
    .map((status) => [status, view.rows.filter((r) => r.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const cause = view.rows.find((r) => r.status !== "written")?.message ?? view.rows.find((r) => r.message !== "")?.message;
  // "cannot read entry data of '/tmp/…/cut.zip': truncated" says no more than "truncated".
  const short = cause?.replace(/^cannot read entry data of '[^']*': /, "").split(`${dir}/`).join("");
  return `exit ${run.exitCode}; ${counts.join(", ")}${short ? `: ${short.length > 60 ? `${short.slice(0, 59)}…` : short}` : ""}`;
}
