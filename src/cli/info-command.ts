// `h5dat info file.h5`: what a converted file holds and how it was made — the manifest's counts
// by status and processor, the failures with their messages, the options and command used, the
// versions, the file's size and free space. Any HDF5 file works; one without a manifest says so.
import type { Command } from "commander";
import { File } from "../h5/file";
import { hdf5Version } from "../h5/library";
import { formatBytes } from "../byte-size";
import { readManifest, type ManifestRow } from "../output/manifest";
import { entryLine } from "./progress";
import { namingFile } from "./file-error";
import { terminalText } from "./terminal-text";
import { isKeptAsBytes, KEPT_AS_BYTES } from "../convert/fallback";

/** What `h5dat info` reports about a file: sizes, versions, every run that wrote it, its entries. */
export interface FileReport {
  file: string;
  size: number;
  freeSpace: number;
  /** The HDF5 library reading the file now. */
  library: string;
  /** Root attrs convert writes (absent on other files). */
  madeBy: { h5datVersion?: string; hdf5Version?: string; created?: string; command?: string; options?: unknown };
  /** Every run that wrote the file, first to last: the one that made it, then each --append. */
  runs: ConvertRun[];
  /** null: the file has no /_h5dat/manifest. */
  /** `written` counts clean writes; `keptAsBytes` the entries written as their bytes because their processor failed. */
  entries: { total: number; written: number; keptAsBytes: number; skipped: number; failed: number; byProcessor: Record<string, Record<string, number>> } | null;
  failures: ManifestRow[];
  /** The rows kept as bytes, with their processors' errors. */
  kept: ManifestRow[];
}

/** One run of convert on a file: when it started, and its command line. */
export interface ConvertRun {
  started: string;
  command: string;
}

/** The runs a file's root attrs record: `created`/`command`, then each `appended` ("<time> <command>"). */
async function runsOf(attr: (name: string) => Promise<unknown>): Promise<ConvertRun[]> {
  const [created, command, appended] = [await attr("created"), await attr("command"), await attr("appended")];
  const first = typeof command === "string" ? [{ started: String(created ?? "?"), command }] : [];
  const later = (Array.isArray(appended) ? appended.map(String) : []).map((line) => {
    const space = line.indexOf(" ");
    return { started: line.slice(0, space), command: line.slice(space + 1) };
  });
  return [...first, ...later];
}

/** The report of the HDF5 file at `path`. */
export async function fileReport(path: string): Promise<FileReport> {
  const file = await File.open(path, "r");
  try {
    const info = await file.info();
    const attr = (name: string) => file.attrs.find(name);
    const options = await attr("options");
    const rows = await readManifest(file);
    const report: FileReport = {
      file: path,
      size: info.size,
      freeSpace: info.freeSpace,
      library: hdf5Version(),
      madeBy: {
        h5datVersion: (await attr("h5dat_version")) as string | undefined,
        hdf5Version: (await attr("hdf5_version")) as string | undefined,
        created: (await attr("created")) as string | undefined,
        command: (await attr("command")) as string | undefined,
        options: typeof options === "string" ? JSON.parse(options) : options,
      },
      runs: await runsOf(attr),
      entries: null,
      failures: rows?.filter((row) => row.status === "failed") ?? [],
      kept: rows?.filter(isKeptAsBytes) ?? [],
    };
    if (rows) {
      const byProcessor: Record<string, Record<string, number>> = {};
      for (const row of rows) {
        const counts = (byProcessor[row.processor || "(none)"] ??= {});
        const status = isKeptAsBytes(row) ? KEPT_AS_BYTES : row.status;
        counts[status] = (counts[status] ?? 0) + 1;
      }
      const count = (status: string) => rows.filter((row) => row.status === status).length;
      const kept = report.kept.length;
      report.entries = { total: rows.length, written: count("written") - kept, keptAsBytes: kept, skipped: count("skipped"), failed: count("failed"), byProcessor };
    }
    return report;
  } finally {
    await file.close();
  }
}

/** The report as the lines `h5dat info` prints. */
export function reportLines(report: FileReport): string[] {
  const lines = [`${report.file}: ${formatBytes(report.size)}, ${formatBytes(report.freeSpace)} free inside (HDF5 ${report.library})`];
  const made = report.madeBy;
  if (made.h5datVersion) lines.push(`made by h5dat ${made.h5datVersion} (HDF5 ${made.hdf5Version ?? "?"}) on ${made.created ?? "?"}`);
  if (report.runs.length === 1) lines.push(`command: ${report.runs[0].command}`);
  // Appended to, a file was made by several runs: each is listed, oldest first.
  if (report.runs.length > 1) lines.push(`runs: ${report.runs.length}`, ...report.runs.map((run) => `  ${run.started}  ${run.command}`));
  if (made.options) lines.push(`options: ${JSON.stringify(made.options)}`);
  if (!report.entries) {
    lines.push("no /_h5dat/manifest: not a file made by h5dat convert");
    return lines;
  }
  const { total, written, keptAsBytes, skipped, failed, byProcessor } = report.entries;
  lines.push(`entries: ${total} (${written} written, ${keptAsBytes} kept as bytes, ${skipped} skipped, ${failed} failed)`);
  for (const [processor, counts] of Object.entries(byProcessor).sort()) {
    lines.push(`  ${processor.padEnd(10)} ${Object.entries(counts).map(([status, n]) => `${n} ${status}`).join(", ")}`);
  }
  if (report.kept.length > 0) lines.push("kept as bytes:", ...report.kept.map((row) => `  ${entryLine(row)}`));
  if (report.failures.length > 0) lines.push("failures:", ...report.failures.map((row) => `  ${entryLine(row)}`));
  return lines;
}

/** Adds `h5dat info`: a file's summary, options, versions and free space. */
export function addInfoCommand(program: Command): void {
  program
    .command("info")
    .description("the manifest's summary, the options used, versions and free space of an HDF5 file")
    .argument("<file>", "the HDF5 file")
    .option("--json", "the report as JSON")
    .action((file: string, options: { json?: boolean }) =>
      namingFile(file, async () => {
        const report = await fileReport(file);
        console.log(options.json ? JSON.stringify(report) : reportLines(report).map(terminalText).join("\n"));
      }),
    );
}
