// Where h5dat's HDF5 filter plugins are (one .so per codec beyond gzip, built beside the addon:
// binding/filters/plugin_entry.cc), for programs with their own HDF5:
// `HDF5_PLUGIN_PATH=$(h5dat plugin-path) python -c "import h5py; ..."`.
import fs from "node:fs";
import path from "node:path";

const FOLDER = "hdf5-plugins";

/**
 * The folder of the plugins that go with the addon this process loads: beside a local build
 * (build/, which node-gyp-build prefers, or H5DAT_ADDON's build), else the prebuild's.
 */
export function pluginPath(): string {
  const root = path.join(__dirname, "..", "..");
  const override = process.env.H5DAT_ADDON;
  const candidates = override
    ? [path.join(path.dirname(path.resolve(override)), "..", FOLDER)]
    : [
        ...(fs.existsSync(path.join(root, "build", "Release", "h5dat.node")) ? [path.join(root, "build", FOLDER)] : []),
        path.join(root, "prebuilds", `${process.platform}-${process.arch}`, FOLDER),
      ];
  const found = candidates.find((dir) => fs.existsSync(dir) && fs.readdirSync(dir).some((name) => name.endsWith(".so")));
  if (!found) throw new Error(`h5dat: no HDF5 filter plugins for ${process.platform}-${process.arch} (looked in ${candidates.join(", ")})`);
  return found;
}
