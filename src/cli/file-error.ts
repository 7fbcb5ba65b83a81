// Errors of the reading commands name the file: HDF5's messages name only the object ("cannot
// open object '/a/b': bad object header version number"), and whoever runs h5dat over many files
// needs to know which one is bad.

/** Runs `work` on `file`; an error whose message does not name the file gets it in front. */
export async function namingFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error && !error.message.includes(file)) error.message = `${file}: ${error.message}`;
    throw error;
  }
}
