// Where a conversion writes: always <output>.partial, renamed to the output only at a clean end.
// It is a new file; or the .partial an interrupted run left (--resume, resume-output.ts), whose
// done entries are kept; or the finished output itself, renamed to .partial while inputs are
// added (--append). One run at a time writes an output (output-lock.ts), and it renames only
// the .partial it opened, once that is on disk (fsync'd, then the directory too).
import fs from "node:fs";
import path from "node:path";
import { File } from "../h5/file";
import { hdf5Version } from "../h5/library";
import { H5DAT_VERSION } from "../version";
import { readStoredRows, type StoredRow } from "../output/manifest";
import type { ConvertOptions } from "./options";
import { fingerprintInputs } from "./input-fingerprint";
import { OutputLock } from "./output-lock";
import { resumeOutput } from "./resume-output";
import { recordRun } from "./run-record";
import { outcomeOptions, storedOptions } from "./option-table";
import { shardFingerprint, type ShardSpec } from "./shard";
import { OptionAdviceError } from "./option-advice";

/** The file a run writes, how it was opened, and what earlier runs left in it. */
export interface OutputFile {
  file: File;
  /** The path written: <output>.partial. */
  partial: string;
  /** How it was opened. */
  start: "new" | "resume" | "append";
  /** The number of this run's first entry: 0, or after the entries of the file appended to. */
  firstEntry: number;
  /** Manifest rows of earlier runs (an appended file) to keep as they are. */
  stored: StoredRow[];
  /** Rows of the entries an interrupted run finished (resume): skipped when met by name. */
  resumable: StoredRow[];
  /** Where this run numbers new entries from (above every number stored). */
  nextEntry: number;
  /** This run's hold on the output, given up by finishOutput() or releaseOutput(). */
  lock: OutputLock;
  /** The .partial's inode when opened: a run renames only its own file. */
  inode: number;
}

/** Where a conversion writes until it ends cleanly. */
export function partialPathOf(output: string): string {
  return `${output}.partial`;
}

/**
 * Opens (or creates) the .partial for a run of `inputs` into `options.output`, holding the
 * output's lock (a run writing it already: this one refuses, naming its pid).
 */
export async function openOutput(inputs: string[], options: ConvertOptions): Promise<OutputFile> {
  await checkWritableDirectory(options.output);
  const lock = OutputLock.take(options.output);
  try {
    const opened = await openLocked(inputs, options);
    return { ...opened, lock, inode: fs.statSync(opened.partial).ino };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openLocked(inputs: string[], options: ConvertOptions): Promise<Omit<OutputFile, "lock" | "inode">> {
  const { output } = options;
  const partial = partialPathOf(output);
  if (options.resume && fs.existsSync(partial)) {
    const { file, firstEntry, earlier, resumable, nextEntry } = await resumeOutput(partial, inputs, options);
    return { file, partial, start: "resume", firstEntry, stored: earlier, resumable, nextEntry };
  }
  // The lock is this run's: no live run is writing this .partial.
  if (fs.existsSync(partial) && !options.overwrite) {
    throw new OptionAdviceError((option) => `'${partial}' is left from an interrupted run: pass ${option("resume")} to continue it, or ${option("overwrite")} to start again`);
  }
  if (options.append && fs.existsSync(output)) return append(output, partial, inputs, options);
  if (fs.existsSync(output) && !options.overwrite) {
    throw new OptionAdviceError((option) => `output '${output}' exists: pass ${option("overwrite")} to replace it, or ${option("append")} to add to it`);
  }
  const fingerprints = await fingerprintInputs(inputs);
  // Made under another name and renamed once flushed: a .partial always opens, even when the
  // run is killed at its very start.
  const fresh = `${partial}.new`;
  const made = await File.open(fresh, "w", { checkpoints: true });
  try {
    await writeRootAttrs(made, inputs, options);
    if (options.shard) await writeShardAttrs(made, options.shard, shardFingerprint(inputs, fingerprints, options.shard.count, outcomeOptions({ ...options, shard: undefined })));
    await recordRun(made, inputs, options, 0, fingerprints);
  } finally {
    await made.close();
  }
  await fs.promises.rename(fresh, partial);
  const file = await File.open(partial, "r+", { checkpoints: true });
  return { file, partial, start: "new", firstEntry: 0, stored: [], resumable: [], nextEntry: 0 };
}

/**
 * The clean end of a run whose file is closed: the .partial, still the one this run opened and
 * still under its lock, is fsync'd, renamed to the output, and the directory fsync'd, so that
 * success is reported only for a file that is on disk under its name (as SQLite does).
 */
export async function finishOutput(out: OutputFile, output: string): Promise<void> {
  const now = await fs.promises.stat(out.partial).catch(() => null);
  if (!out.lock.isHeld() || now?.ino !== out.inode) {
    throw new Error(`'${out.partial}' is no longer the file this run wrote (another run replaced or removed it): not renamed to '${output}'`);
  }
  await syncPath(out.partial, "r+");
  await fs.promises.rename(out.partial, output);
  await syncPath(path.dirname(path.resolve(output)), "r");
  out.lock.release();
}

/** fsync of a file, or of a directory (a rename is durable once its directory is). */
async function syncPath(target: string, flags: "r" | "r+"): Promise<void> {
  // Windows cannot flush a directory (FlushFileBuffers on its handle fails with EPERM); NTFS
  // journals the rename itself.
  if (flags === "r" && process.platform === "win32") return;
  const handle = await fs.promises.open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** HDF5 says only "unable to open file": the cause, said before anything is written. */
async function checkWritableDirectory(output: string): Promise<void> {
  const directory = path.dirname(path.resolve(output));
  const stat = await fs.promises.stat(directory).catch(() => null);
  if (!stat) throw new Error(`cannot write '${output}': directory '${directory}' does not exist`);
  if (!stat.isDirectory()) throw new Error(`cannot write '${output}': '${directory}' is not a directory`);
  await fs.promises.access(directory, fs.constants.W_OK).catch(() => {
    throw new Error(`cannot write '${output}': directory '${directory}' is not writable`);
  });
}

/** What a file made by convert says about itself: versions, when, from what, how. */
async function writeRootAttrs(file: File, inputs: string[], options: ConvertOptions): Promise<void> {
  await file.attrs.set("h5dat_version", H5DAT_VERSION);
  await file.attrs.set("hdf5_version", hdf5Version());
  await file.attrs.set("created", new Date().toISOString());
  await file.attrs.set("inputs", inputs);
  await file.attrs.set("command", options.command ?? `convert ${inputs.join(" ")}`);
  await file.attrs.set("options", JSON.stringify(storedOptions(options)));
}

/** What `h5dat merge` checks a shard by: its index, the count, and the run's fingerprint (shard.ts). */
async function writeShardAttrs(file: File, shard: ShardSpec, fingerprint: string): Promise<void> {
  await file.attrs.update({ shard_index: shard.index, shard_count: shard.count, shard_fingerprint: fingerprint }, { shard_index: { dtype: "int64" }, shard_count: { dtype: "int64" } });
}

/** Adds to a finished output: renamed to .partial for the run, back at its end. */
async function append(output: string, partial: string, inputs: string[], options: ConvertOptions): Promise<Omit<OutputFile, "lock" | "inode">> {
  const fingerprints = await fingerprintInputs(inputs);
  await fs.promises.rename(output, partial);
  const file = await File.open(partial, "r+", { checkpoints: true });
  try {
    const stored = (await readStoredRows(file)) ?? [];
    const firstEntry = stored.reduce((max, { entry }) => Math.max(max, entry + 1), 0);
    const earlier = await file.attrs.find("inputs");
    await file.attrs.set("inputs", [...(Array.isArray(earlier) ? earlier.map(String) : []), ...inputs]);
    const appended = await file.attrs.find("appended");
    await file.attrs.set("appended", [...(Array.isArray(appended) ? appended.map(String) : []), `${new Date().toISOString()} ${options.command ?? `convert --append ${inputs.join(" ")}`}`]);
    await recordRun(file, inputs, options, firstEntry, fingerprints);
    return { file, partial, start: "append", firstEntry, stored, resumable: [], nextEntry: firstEntry };
  } catch (error) {
    await file.close();
    throw error;
  }
}
