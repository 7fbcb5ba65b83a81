// Renders bench/results.json into the chart (bench/results.svg) and the README's table; run by
// `npm run bench` after each bench and alone by `npm run bench:report`.
import fs from "node:fs";
import path from "node:path";
import { replaceBetweenMarkers, renderTable } from "./readme-table";
import { orderedEntries, readResults } from "./results-file";
import { renderChart } from "./svg-chart";

export interface ReportPaths {
  results: string;
  chart: string;
  readme: string;
}

const ROOT = path.join(__dirname, "..", "..");

/** The repository's own: bench/results.json, bench/results.svg, README.md. */
export const REPORT_PATHS: ReportPaths = {
  results: path.join(ROOT, "bench", "results.json"),
  chart: path.join(ROOT, "bench", "results.svg"),
  readme: path.join(ROOT, "README.md"),
};

/** Writes the chart and the README table from the results file; says how many benches and whether the README changed. */
export function renderReport(paths: ReportPaths): { benches: number; readmeChanged: boolean } {
  if (!fs.existsSync(paths.results)) throw new Error(`no ${paths.results} yet: run 'npm run bench' first`);
  const entries = orderedEntries(readResults(paths.results).benches);
  fs.writeFileSync(paths.chart, renderChart(entries));
  const chartLink = path.relative(path.dirname(paths.readme), paths.chart).split(path.sep).join("/");
  // Read right before writing: the README's other sections are edited by hand, meanwhile too.
  const readme = fs.readFileSync(paths.readme, "utf8");
  const updated = replaceBetweenMarkers(readme, renderTable(entries, chartLink));
  if (updated !== readme) fs.writeFileSync(paths.readme, updated);
  return { benches: entries.length, readmeChanged: updated !== readme };
}
