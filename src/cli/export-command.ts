// `h5dat export file.h5 [path] -o dir/ | --archive out.tar.gz|zip`: datasets back as files in
// their original formats, other libraries' datasets as .npy/.csv/.txt/.json (see
// src/export/export.ts), mirroring the tree, a stacked group as an ImageFolder tree
// (src/export/stacked-export.ts), with export-manifest.json listing every dataset.
import type { Command } from "commander";
import { exportDatasets } from "../export/export";
import { DEFAULT_MAX_FILL_BYTES } from "../export/fill-guard";
import { namingFile } from "./file-error";
import { terminalText } from "./terminal-text";
import { describeScaling } from "../read/image-scaling";

/** --follow-external, on export and show: the one place its meaning is said. */
export const FOLLOW_EXTERNAL_HELP =
  "read datasets whose values are in other files (external raw data, virtual datasets) and follow external links; without it they are refused, as they may name any file on this host";

/** Adds `h5dat export`: datasets back as files, into a directory or an archive. */
export function addExportCommand(program: Command): void {
  program
    .command("export")
    .description("write datasets back as files (images, JSON, CSV, bytes; other libraries' arrays as .npy; a stacked group as an ImageFolder tree split/class/stem.png), into a directory or an archive, with export-manifest.json")
    .argument("<file>", "the HDF5 file")
    .argument("[path]", "a group (everything below it) or one dataset", "/")
    .option("-o, --output <dir>", "the directory to write into")
    .option("--archive <file>", "write an archive instead (.tar, .tar.gz, .tgz, .zip)")
    .option("--max-fill <bytes>", "skip a never-written dataset (all fill values) larger than this many bytes", String(DEFAULT_MAX_FILL_BYTES))
    .option("--json", "the files written and the datasets skipped, as JSON")
    .option("--follow-external", FOLLOW_EXTERNAL_HELP)
    .action(async (file: string, path: string, options: { output?: string; archive?: string; maxFill: string; json?: boolean; followExternal?: boolean }) => {
      const maxFillBytes = Number(options.maxFill);
      if (!Number.isSafeInteger(maxFillBytes) || maxFillBytes < 0) throw new Error(`--max-fill must be a whole number of bytes, not '${options.maxFill}'`);
      const external = options.followExternal ? "follow" : "deny";
      const result = await namingFile(file, () => exportDatasets(file, path, { dir: options.output, archive: options.archive, external, maxFillBytes }));
      if (options.json) {
        console.log(JSON.stringify(result));
        return;
      }
      for (const made of result.files) if (made.renamedFrom) console.log(terminalText(`renamed: ${made.dataset} → ${made.file} (${made.renamedFrom} was taken)`));
      for (const made of result.files) if (made.scaling) console.log(terminalText(`scaled: ${made.dataset} → ${made.file}: ${describeScaling(made.scaling)}`));
      for (const skipped of result.skipped) console.error(terminalText(`skipped: ${skipped.dataset}: ${skipped.reason}`));
      console.log(`${result.files.length} files written to ${options.archive ?? options.output}, ${result.skipped.length} datasets skipped`);
    });
}
