// Errors of the reading commands name the file: HDF5's messages name only the object ("cannot
// open object '/a/b': bad object header version number"), and whoever runs h5dat over many files
// needs to know which one is bad. A file that is not there (or not a file) is said in plain
// words before HDF5 is asked, whose own text is its C call's (`errno = 2, … o_flags = 0`).
import fs from "node:fs";

/** Runs `work` on `file`; an error whose message does not name the file gets it in front. */
export async function namingFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  await checkIsFile(file);
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error && !error.message.includes(file)) error.message = `${file}: ${error.message}`;
    throw error;
  }
}

/** Fails, saying why, unless `file` is a file this process may read. */
async function checkIsFile(file: string): Promise<void> {
  const stat = await fs.promises.stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") throw new Error(`no such file: ${file}`);
    if (error.code === "EACCES") throw new Error(`permission denied: ${file}`);
    throw error;
  });
  if (stat.isDirectory()) throw new Error(`${file} is a directory, not an HDF5 file`);
}
