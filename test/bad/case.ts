// One bad-input case of the corpus (issue 6): it builds its own small input, runs h5dat on it,
// and checks what came out. The same list runs as tests (`npm test`) and as a table
// (`npm run test:bad`).

export interface BadCase {
  /** Short and unique: "zip-truncated". */
  name: string;
  /** What should happen, in a few words: "exit 2; a.txt written, b.jpg failed: truncated". */
  expected: string;
  /**
   * Builds the input under `dir` (fresh and empty), runs h5dat, checks the result. Returns what
   * happened in the same few words; throws (with the difference) when it is not what was expected.
   */
  run(dir: string): Promise<string>;
}
