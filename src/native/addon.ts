// Loads the native addon: the committed prebuild for this platform, or a local build.
import path from "node:path";
import type { NativeBinding } from "./addon-types";
import { ArchiveError, H5Error } from "./errors";

function load(): NativeBinding {
  const root = path.join(__dirname, "..", "..");
  try {
    // H5DAT_ADDON points at another build of the addon (e.g. the AddressSanitizer one).
    const override = process.env.H5DAT_ADDON;
    const binding = (override ? require(path.resolve(override)) : require("node-gyp-build")(root)) as NativeBinding;
    binding.setErrorClasses(H5Error, ArchiveError);
    return binding;
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(
      `h5dat: could not load its native addon for ${process.platform}-${process.arch} (Node ${process.version}).\n` +
        `  cause: ${cause}\n` +
        `  fix: reinstall with 'npm install h5dat --build-from-source' (needs cmake and a C++ compiler), ` +
        `or use a platform with a prebuild (linux-x64).`,
    );
  }
}

/** The native addon (one instance per process). */
export const native: NativeBinding = load();
