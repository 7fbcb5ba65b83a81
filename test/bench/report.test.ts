// The bench report: results.json entries, the SVG chart (parsed by Python's XML parser, a second
// reader), the README table between its markers, and partial runs keeping the other benches.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { isReduced, toEntry, type BenchEntry, type Sizes } from "../../bench/report/bench-entry";
import type { BenchResult, MemoryResult, SpeedResult } from "../../bench/report/bench-result";
import type { MachineFacts } from "../../bench/report/machine-facts";
import { TABLE_END, TABLE_START, renderTable, replaceBetweenMarkers } from "../../bench/report/readme-table";
import { renderReport } from "../../bench/report/render-report";
import { orderedEntries, readResults, updateResults } from "../../bench/report/results-file";
import { renderChart } from "../../bench/report/svg-chart";
import { python, tempDir } from "../helpers/h5py";

const MACHINE: MachineFacts = {
  cores: 2,
  cpu: "Test CPU <model> & \"friends\"",
  platform: "linux test x64",
  node: "v22.0.0",
  hdf5: "1.14.5",
  h5py: "3.7.0",
  h5pyHdf5: "1.10.8",
  loadStart: [1.5, 1.2, 1.1],
  loadEnd: [1.7, 1.3, 1.1],
};

const P1: SpeedResult = { bench: "p1", unit: "MiB/s", h5dat: 191.2, h5py: 63.7, ratio: 3, mode: "async", h5datSync: 225.3, reps: 3, mib: 1024 };
const P2_SMALL: SpeedResult = { bench: "p2", unit: "datasets/s", h5dat: 3100, h5py: 2500, ratio: 1.24, mode: "async-pipelined", h5datOneAwaitAtATime: 2600, reps: 1, count: 500 };
const P3: SpeedResult = { bench: "p3", unit: "files/s", h5dat: 214.6, reference: 97.1, ratio: 2.21, reps: 3, files: 10001, images: 5000 };
const P5: MemoryResult = {
  bench: "p5", unit: "MB", h5dat: 247, reference: 8500, workers: 213, sizes_gb: [0.5, 1, 2],
  h5dat_by_size: [246, 251, 247], workers_by_size: [210, 211, 213], reference_by_size: [4484, 6195, 8500],
  limit_mb: 300, spread_mb: 5, within_limit: true, flat: true,
};

const TARGETS: Record<string, number> = { p1: 1.8, p2: 1.5, p3: 3, p5: 300 };
const FULL: Record<string, Sizes> = { p1: { mib: 1024 }, p2: { count: 10000 }, p3: { images: 5000 }, p5: { sizes_gb: [0.5, 1, 2] } };

function entryOf(result: BenchResult, date = "2026-11-25T10:00:00.000Z"): BenchEntry {
  return toEntry(result, { target: TARGETS[result.bench], fullSizes: FULL[result.bench], date, machine: MACHINE });
}

/** Python's ElementTree parses the SVG: bars and target markers per bench, by data-bench group. */
function parseSvg(svg: string): { root: string; groups: Record<string, { bars: number; targets: number }>; texts: string[] } {
  const file = path.join(tempDir(), "chart.svg");
  fs.writeFileSync(file, svg);
  const script = `
import json, sys, xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
groups = {}
for g in root.iter(NS + "g"):
    if "data-bench" in g.attrib:
        rects = [r for r in g.iter(NS + "rect") if r.get("class") == "bar"]
        lines = [l for l in g.iter(NS + "line") if l.get("class") == "target"]
        groups[g.get("data-bench")] = {"bars": len(rects), "targets": len(lines)}
print(json.dumps({"root": root.tag, "groups": groups, "texts": ["".join(t.itertext()) for t in root.iter(NS + "text")]}))
`;
  return python(script, file);
}

test("entries: speed ratio is h5dat ÷ anchor, P5's the reference's peak ÷ h5dat's, met against the target", () => {
  const p1 = entryOf(P1);
  assert.equal(p1.kind, "speed");
  assert.equal(p1.anchorValue, 63.7);
  assert.equal(p1.met, true);
  assert.equal(p1.target.ratio, 1.8);
  assert.equal(isReduced(p1), false);

  const p3 = entryOf(P3);
  assert.equal(p3.anchorValue, 97.1);
  assert.equal(p3.met, false, "2.21x misses the 3x target");

  const p5 = entryOf(P5);
  assert.equal(p5.kind, "memory");
  assert.equal(p5.ratio, 34.41);
  assert.equal(p5.met, true);
  assert.ok(Math.abs(p5.target.ratio - 8500 / 300) < 1e-9);
  assert.equal(entryOf({ ...P5, flat: false }).met, false, "under 300 MB but not flat misses");
  assert.equal(entryOf({ ...P5, within_limit: false }).met, false);

  const p2 = entryOf(P2_SMALL);
  assert.equal(isReduced(p2), true);
  assert.equal(p2.size, "500 datasets");
  assert.equal(p2.fullSize, "10,000 datasets");
});

test("the SVG is well-formed XML with one bar and one target marker per bench", () => {
  const entries = [P1, P2_SMALL, P3, P5].map((result) => entryOf(result));
  const svg = renderChart(entries);
  const parsed = parseSvg(svg);
  assert.equal(parsed.root, "{http://www.w3.org/2000/svg}svg");
  assert.deepEqual(Object.keys(parsed.groups).sort(), ["p1", "p2", "p3", "p5"]);
  for (const [bench, counts] of Object.entries(parsed.groups)) assert.deepEqual(counts, { bars: 1, targets: 1 }, bench);
  assert.ok(parsed.texts.includes("3.00×"), "p1's ratio is labelled");
  assert.ok(parsed.texts.includes("34.4×"), "p5's ratio is labelled");
  assert.ok(parsed.texts.some((text) => text.includes("Test CPU <model> & \"friends\"")), "machine text is escaped, not dropped");
  assert.ok(parsed.texts.some((text) => text.startsWith("Reduced: p2")), "the reduced run is called out");
  // Self-contained: nothing fetched, no script, no CSS.
  assert.doesNotMatch(svg, /<script|<style|href=|url\(/);

  const empty = parseSvg(renderChart([]));
  assert.deepEqual(empty.groups, {});
});

test("the README table has one row per bench and names reduced sizes", () => {
  const entries = [P1, P2_SMALL, P3, P5].map((result) => entryOf(result));
  const table = renderTable(entries, "bench/results.svg");
  const rows = table.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| bench |") && !line.startsWith("| --- |"));
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((row) => row.split(" | ")[0].slice(2)), ["p1", "p2", "p3", "p5"]);
  assert.match(rows[0], /191\.2 MiB\/s \(sync 225\.3\) \| h5py: 63\.7 MiB\/s \| \*\*3\.00×\*\* \| ≥ 1\.8×: met/);
  assert.match(rows[1], /500 datasets \(reduced; full 10,000 datasets\)/);
  assert.match(rows[2], /≥ 3×: \*\*missed\*\*/);
  assert.match(rows[3], /246 \/ 251 \/ 247 MB .*4,484 \/ 6,195 \/ 8,500 MB \| \*\*34\.4×\*\* \| ≤ 300 MB and flat: met/);
  for (const row of rows) assert.equal(row.split(" | ").length, 9, row);
  assert.match(table, /!\[[^\]]*\]\(bench\/results\.svg\)/);
  assert.match(table, /Not in bench\/results\.json yet: p1-raw, p1-zstd, p1-blosc, p4/);
});

test("a partial run replaces its benches' entries and keeps the others", () => {
  const file = path.join(tempDir(), "results.json");
  updateResults(file, [entryOf(P5), entryOf(P1), entryOf(P2_SMALL)], "2026-11-25T10:00:00.000Z");
  const before = readResults(file);
  assert.deepEqual(Object.keys(before.benches), ["p1", "p2", "p5"], "kept in the suite's order");

  const newP2 = entryOf({ ...P2_SMALL, h5dat: 5900, ratio: 2.31, reps: 3, count: 10000 }, "2026-11-26T09:00:00.000Z");
  updateResults(file, [newP2], newP2.date);
  const after = readResults(file);
  assert.deepEqual(Object.keys(after.benches), ["p1", "p2", "p5"]);
  assert.deepEqual(after.benches.p1, before.benches.p1);
  assert.deepEqual(after.benches.p5, before.benches.p5);
  assert.deepEqual(after.benches.p2, newP2);
  assert.equal(isReduced(after.benches.p2), false);
  assert.equal(after.updated, "2026-11-26T09:00:00.000Z");
  assert.deepEqual(orderedEntries(after.benches).map((entry) => entry.bench), ["p1", "p2", "p5"]);
});

test("the markers' contents are replaced and nothing else in the README changes", () => {
  const before = "# Project\n\nIntro | with a pipe.\n\n## Benchmarks\n\nSome prose.\n\n";
  const after = "\nMore prose after the table.\n\n## Next section\n\ntext without a final newline";
  const readme = `${before}${TABLE_START}\n| old | table |\n| --- | --- |\n${TABLE_END}${after}`;
  const body = renderTable([entryOf(P1)], "bench/results.svg");
  const updated = replaceBetweenMarkers(readme, body);
  assert.ok(updated.startsWith(`${before}${TABLE_START}\n`));
  assert.ok(updated.endsWith(`\n${TABLE_END}${after}`));
  assert.equal(updated, `${before}${TABLE_START}\n${body}\n${TABLE_END}${after}`);
  assert.doesNotMatch(updated, /\| old \| table \|/);
  assert.equal(replaceBetweenMarkers(updated, body), updated, "rendering twice changes nothing");

  assert.throws(() => replaceBetweenMarkers("# no markers\n", body), /bench-table:start/);
  assert.throws(() => replaceBetweenMarkers(`${TABLE_END}\n${TABLE_START}\n`, body), /bench-table:start/);
  assert.throws(() => replaceBetweenMarkers(`${TABLE_START}\n${TABLE_START}\n${TABLE_END}\n`, body), /bench-table:start/);
});

test("renderReport writes the chart and the README table from the results file", () => {
  const dir = tempDir();
  const paths = { results: path.join(dir, "bench", "results.json"), chart: path.join(dir, "bench", "results.svg"), readme: path.join(dir, "README.md") };
  fs.mkdirSync(path.dirname(paths.results));
  assert.throws(() => renderReport(paths), /npm run bench/);
  updateResults(paths.results, [entryOf(P1), entryOf(P5)], "2026-11-25T10:00:00.000Z");
  const readme = `# R\n\n## Benchmarks\n\n${TABLE_START}\n${TABLE_END}\n\n## After\n`;
  fs.writeFileSync(paths.readme, readme);

  assert.deepEqual(renderReport(paths), { benches: 2, readmeChanged: true });
  const written = fs.readFileSync(paths.readme, "utf8");
  assert.match(written, /\| p1 \| .*\n\| p5 \| /);
  assert.match(written, /\(bench\/results\.svg\)/, "the chart is linked relative to the README");
  assert.ok(written.endsWith(`${TABLE_END}\n\n## After\n`));
  assert.deepEqual(Object.keys(parseSvg(fs.readFileSync(paths.chart, "utf8")).groups), ["p1", "p5"]);
  assert.deepEqual(renderReport(paths), { benches: 2, readmeChanged: false });
});

test("P9's two entries (p9-jsonl, p9-csv): rows/s against pandas, sized in source MB, reduced below 1,024 MB", () => {
  const result: SpeedResult = { bench: "p9-csv", unit: "rows/s", h5dat: 29590, reference: 32770, ratio: 0.9, reps: 3, mb: 100, rows: 1230278 };
  const entry = toEntry(result, { target: 2, fullSizes: { mb: 1024 }, date: "2026-12-06T22:37:50.834Z", machine: MACHINE });
  assert.deepEqual([entry.kind, entry.anchorValue, entry.met, entry.size, entry.fullSize, isReduced(entry)], ["speed", 32770, false, "100 MB", "1,024 MB", true]);
  assert.match(entry.anchor, /^pandas \(read_csv/);
  assert.match(toEntry({ ...result, bench: "p9-jsonl" }, { target: 2, fullSizes: { mb: 1024 }, date: entry.date, machine: MACHINE }).anchor, /^pandas \(read_json/);
});

test("P8's entry: gzip's read ratio as the headline, zstd's and the unfiltered file's beside it in the table", () => {
  const result: SpeedResult = {
    bench: "p8", unit: "GiB/s", h5dat: 0.16, h5py: 0.09, ratio: 1.86, mode: "async", h5datSync: 0.15,
    zstd_h5dat: 0.22, zstd_h5py: 0.13, zstd_ratio: 1.73, none_h5dat: 1.05, none_h5py: 0.18, none_ratio: 5.97, reps: 1, mib: 32,
  };
  const entry = toEntry(result, { target: 2, fullSizes: { mib: 1024 }, date: "2026-12-07T10:56:00.000Z", machine: MACHINE });
  assert.deepEqual([entry.anchorValue, entry.ratio, entry.met, entry.size, isReduced(entry)], [0.09, 1.86, false, "32 MiB", true]);
  const row = renderTable([entry], "bench/results.svg").split("\n").find((line) => line.startsWith("| p8 |")) ?? "";
  assert.match(row, /0\.16 GiB\/s \(sync 0\.15, zstd 0\.22 vs h5py 0\.13, 1\.73×, unfiltered 1\.05 vs h5py 0\.18, 5\.97×\)/);
  assert.match(row, /≥ 2×: \*\*missed\*\*/);
});

test("P3 zstd has no goal: 'no goal', always met, no target marker on the chart; the file sizes are in its row", () => {
  const result: SpeedResult = { bench: "p3-zstd", unit: "files/s", h5dat: 81.1, reference: 73.9, ratio: 1.1, zstd_mib: 100.7, gzip_mib: 91.8, size_ratio: 1.097, reps: 1, files: 401, images: 200 };
  const entry = toEntry(result, { target: 0, fullSizes: { images: 5000 }, date: "2026-12-07T10:57:00.000Z", machine: MACHINE });
  assert.deepEqual([entry.target.text, entry.met, entry.size], ["no goal", true, "200 JPEG + 200 JSON"]);
  assert.match(toEntry({ ...result, ratio: 0.8 }, { target: 0, fullSizes: { images: 5000 }, date: entry.date, machine: MACHINE }).target.text, /^no goal$/);
  assert.deepEqual(parseSvg(renderChart([entry])).groups["p3-zstd"], { bars: 1, targets: 0 });
  assert.match(renderTable([entry], "bench/results.svg"), /81\.1 files\/s \(file 100\.7 MiB vs gzip:4's 91\.8 MiB\) \| the same with gzip:4 \(the default\): 73\.9 files\/s/);
});
