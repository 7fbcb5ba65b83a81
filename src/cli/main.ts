#!/usr/bin/env node
// The h5dat command line. For now it reports versions; `convert` (raw files → HDF5) and the
// readers (`ls`, `show`, `export`, `info`) are built on the HDF5 API in src/h5/.
import { hdf5Version } from "../index";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { version } = require("../../package.json") as { version: string };

const USAGE = `usage: h5dat [--version] [--help]

h5dat turns raw files into chunked, compressed HDF5 and reads them back.
The HDF5 API: import { File } from "h5dat" (see the README).`;

function main(argv: string[]): number {
  if (argv.includes("--version") || argv.includes("-V")) {
    console.log(`h5dat ${version} (HDF5 ${hdf5Version()})`);
    return 0;
  }
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  console.error(`h5dat: unknown command '${argv[0]}'\n${USAGE}`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
