// The inputs named on a command line or to convert() must exist before anything is made: a
// mistyped path is the user's mistake to fix (a usage error), not an entry to record as failed in
// an output file that should not have been created.
import fs from "node:fs";

/** Throws, naming every input path that cannot be found (and why), when any is missing. */
export function checkInputsExist(inputs: readonly string[]): void {
  const missing = inputs.flatMap((input) => {
    try {
      fs.statSync(input);
      return [];
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return [`'${input}': ${code === "ENOENT" ? "no such file or directory" : code === "ENOTDIR" ? "a part of the path is not a directory" : (error as Error).message}`];
    }
  });
  // Worded as openSource words it (the same cause, found earlier).
  if (missing.length > 0) throw new Error(`cannot read input${missing.length > 1 ? "s" : ""} ${missing.join("; ")} (nothing was written)`);
}
