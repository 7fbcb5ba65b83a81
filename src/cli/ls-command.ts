// `h5dat ls [-r] [--json] file.h5 [path]`: the objects of an HDF5 file (any file, not only
// h5dat's) with kinds, shapes, dtypes, chunking, filters, sizes and dimensions, like `h5ls -r` but readable.
import type { Command } from "commander";
import { File } from "../h5/file";
import { listingJson, listingLines, listObjects } from "../read/listing";
import { dimensionSuffix, withDimensions } from "../read/dimension-listing";
import { namingFile } from "./file-error";
import { terminalText } from "./terminal-text";
import { FOLLOW_EXTERNAL_HELP } from "./export-command";
import { missingPathError } from "./missing-path";

/** Adds `h5dat ls`: the groups and datasets of a file. */
export function addLsCommand(program: Command): void {
  program
    .command("ls")
    .description("list the groups and datasets of an HDF5 file")
    .argument("<file>", "the HDF5 file")
    .argument("[path]", "a group (its members are listed) or a dataset", "/")
    .option("-r, --recursive", "everything below the path")
    .option("--json", "one JSON array of the objects")
    .option("--follow-external", FOLLOW_EXTERNAL_HELP)
    .action((file: string, path: string, options: { recursive?: boolean; json?: boolean; followExternal?: boolean }) =>
      namingFile(file, async () => {
        const h5 = await File.open(file, "r", { external: options.followExternal ? "follow" : "deny" });
        try {
          if (!(await h5.has(path))) throw await missingPathError(h5, path, file);
          const objects = await withDimensions(h5, await listObjects(h5, path, options.recursive));
          const lines = listingLines(objects).map((line, i) => terminalText(line + dimensionSuffix(objects[i])));
          console.log(options.json ? JSON.stringify(objects, listingJson) : lines.join("\n"));
        } finally {
          await h5.close();
        }
      }),
    );
}
