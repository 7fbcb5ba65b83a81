#!/usr/bin/env node
// The h5dat command line: `convert` turns raw files into HDF5 (`merge` joins its shards); `ls`,
// `show`, `info` and `export` read them back (`view` in the browser); `plugin-path` lets other HDF5 programs read its codecs.
import { Command } from "commander";
import { hdf5Version } from "../h5/library";
import { H5DAT_VERSION } from "../version";
import { CONFIG_SCHEMA } from "../config/config-schema";
import { SCHEMA_META } from "../schema";
import { addConvertCommand } from "./convert-command";
import { addLsCommand } from "./ls-command";
import { addInfoCommand } from "./info-command";
import { addExportCommand } from "./export-command";
import { addMergeCommand } from "./merge-command";
import { addShowCommand } from "./show-command";
import { addViewCommand } from "./view-command";
import { messageOf } from "../error-message";
import { cliMessageOf } from "../convert/option-advice";
import { terminalLines } from "./terminal-text";
import { pluginPath } from "../native/plugin-path";

const program = new Command("h5dat")
  .description("turn raw files into chunked, compressed HDF5, and read them back")
  .version(`h5dat ${H5DAT_VERSION} (HDF5 ${hdf5Version()})`, "-V, --version")
  .showHelpAfterError();
addConvertCommand(program);
addLsCommand(program);
addInfoCommand(program);
addShowCommand(program);
addExportCommand(program);
addMergeCommand(program);
addViewCommand(program);
program
  .command("plugin-path")
  .description("print the folder of h5dat's HDF5 filter plugins (zstd, lz4, blosc, bitshuffle), for HDF5_PLUGIN_PATH")
  .action(() => console.log(pluginPath()));
addSchemaPrinter("schema", "--meta", "the --schema file", SCHEMA_META);
addSchemaPrinter("config", "--schema", "the --config file", CONFIG_SCHEMA);

/** `h5dat <command> <flag>`: prints the JSON Schema that `what` must satisfy. */
function addSchemaPrinter(command: string, flag: "--meta" | "--schema", what: string, schema: object): void {
  program
    .command(command)
    .description(`about ${what}`)
    .option(flag, `print the JSON Schema ${what} must satisfy`)
    .action((options: Record<string, boolean | undefined>) => {
      if (!options[flag.slice(2)]) throw new Error(`${command}: pass ${flag}`);
      console.log(JSON.stringify(schema, null, 2));
    });
}

// `h5dat ls -r big.h5 | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

program.parseAsync(process.argv).catch((error: unknown) => {
  // A message may quote a name from a file: printed safe (terminal-text.ts).
  // The API's messages name its options (`overwrite: true`): the CLI's user reads its flags.
  console.error(terminalLines(`h5dat: ${cliMessageOf(error) ?? messageOf(error)}`));
  process.exitCode = 1;
});
