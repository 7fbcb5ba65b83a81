// `npm run bench:report`: re-renders bench/results.svg and the README's benchmark table from
// bench/results.json, without running any bench (after editing the renderers, or a merge).
import { REPORT_PATHS, renderReport } from "./report/render-report";

try {
  const { benches, readmeChanged } = renderReport(REPORT_PATHS);
  console.log(`bench report: ${benches} benches -> ${REPORT_PATHS.chart}; README table ${readmeChanged ? "updated" : "unchanged"}`);
} catch (error) {
  console.error(`bench report: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
