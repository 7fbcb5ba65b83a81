// What a conversion reports: its progress, one event per entry, and the summary at its end;
// apart from convert.ts so that the run's modules can name them without importing the job itself.
import type { ManifestRow } from "../output/manifest";

/** Entries by what became of them: a run's (an appended file's earlier entries are not its). */
export interface EntryCounts {
  /** Entries met in the inputs, whatever became of them. */
  entries: number;
  /** Entries written in their typed form (or as bytes by their kind). */
  written: number;
  /** Entries written as their original bytes because their processor failed (see `onError`). */
  keptAsBytes: number;
  /** Entries not written, each with its reason in the manifest (symlinks, excluded types, ...). */
  skipped: number;
  /** Entries that failed, each with its cause in the manifest. */
  failed: number;
}

/** What convert() resolves to: this run's counts, rates, memory, failures and entries kept as bytes. */
export interface ConvertSummary extends EntryCounts {
  /** The file written: the output, or its .partial when the run was interrupted. */
  output: string;
  /** The run was stopped by `signal`: entries not yet read are not in the manifest. */
  interrupted: boolean;
  /** Entries an interrupted run had done, kept by this resumed one. */
  resumed: number;
  /**
   * Set when `resume` found the output finished (no .partial left): nothing was done, and the
   * counts are those of the file's manifest.
   */
  alreadyComplete?: true;
  /** With `append`: the entries of the whole file, earlier runs' and this one's. */
  inFile?: EntryCounts;
  /** Bytes of this run's entries. */
  bytes: number;
  /** Wall time of the run, in seconds. */
  seconds: number;
  /** This run's entries per second of wall time. */
  filesPerSecond: number;
  /** This run's entry bytes (MB, 10^6) per second of wall time. */
  megabytesPerSecond: number;
  /** This process's peak RSS (MB). */
  peakRssMb: number;
  /** The worker processes' peak RSS (MB), summed. */
  workersPeakRssMb: number;
  /** The largest peak RSS of one worker process (MB). */
  largestWorkerRssMb: number;
  /** The rows that failed, with their messages. */
  failures: ManifestRow[];
  /** The rows kept as bytes, with their processors' errors. */
  kept: ManifestRow[];
  /** --layout stacked: each input's stack. */
  stacks?: StackSummary[];
}

/** How far a run is, measured in input bytes (an archive's compressed bytes): the basis of an ETA. */
export interface ConvertProgress {
  /** Input bytes read so far, over all inputs. */
  inputBytesRead: number;
  /** Input bytes in all (the sizes of the archives, directories and files given). */
  inputBytesTotal: number;
}

/** Progress: one event per entry, as its manifest row, with the run's progress then. */
export interface ConvertEvents {
  /** An entry is done (written, kept, skipped or failed): its row, and the run's progress. */
  entry: [ManifestRow, ConvertProgress];
}

/** What one input's stack holds (--layout stacked). */
export interface StackSummary {
  /** Its group (`/photos`). */
  group: string;
  /** Images in it. */
  rows: number;
  /** Images without a label (-1): no parent directory, no table row, or an empty label cell. */
  unlabelled: number;
  /** The --labels table joined. */
  labelTable?: string;
  /** That table's rows no image matched. */
  tableRowsWithoutImage?: number;
}
