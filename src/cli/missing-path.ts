// The error for a path `ls` or `show` was given that is not there. Behind an external link not
// followed (no --follow-external) the path is not there either, and opening it says why: the
// error names the link's target and the flag.
import type { Group } from "../h5/group";
import { messageOf } from "../error-message";

/** Why `path` is not in `root`'s file (`file` as the user named it). */
export async function missingPathError(root: Group, path: string, file: string): Promise<unknown> {
  const error = await root.get(path).then(async (found) => void (await found.close()), (e: unknown) => e);
  return error !== undefined && /external link/.test(messageOf(error)) ? error : new Error(`'${path}' is not in ${file}`);
}
