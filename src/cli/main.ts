#!/usr/bin/env node
// The h5dat command line: `convert` turns raw files into HDF5; the readers (`ls`, `show`,
// `export`, `info`) come with the reading issue.
import { Command } from "commander";
import { hdf5Version } from "../h5/library";
import { H5DAT_VERSION } from "../version";
import { CONFIG_SCHEMA } from "../config/config-schema";
import { addConvertCommand } from "./convert-command";

const program = new Command("h5dat")
  .description("turn raw files into chunked, compressed HDF5, and read them back")
  .version(`h5dat ${H5DAT_VERSION} (HDF5 ${hdf5Version()})`, "-V, --version")
  .showHelpAfterError();
addConvertCommand(program);
program
  .command("config")
  .description("about the --config file")
  .option("--schema", "print the JSON Schema a config file must satisfy")
  .action((options: { schema?: boolean }) => {
    if (!options.schema) throw new Error("config: pass --schema");
    console.log(JSON.stringify(CONFIG_SCHEMA, null, 2));
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`h5dat: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
