// What every input yields, whatever it is (a directory, a loose file, an archive): entries with
// a path inside the input and their bytes, read one after another.

/** One file of an input. Read its data before asking the source for the next entry. */
export interface SourceEntry {
  /** The input's name as given (`photos.zip`, `data/`). */
  source: string;
  /** Path inside the input, '/'-separated, no leading '/' (`train/cat_01.jpg`). */
  sourcePath: string;
  /** Bytes, when known before reading (a lone .gz does not say). */
  size: number | null;
  /** Bytes of the input consumed once this entry is read (compressed bytes, in an archive). */
  position: number;
  /** The file on disk holding the data, for entries that are files (not archive members). */
  file?: string;
  /**
   * Set for an entry that is not a regular file (a symlink, a hardlink, a fifo, a device): what it
   * is, and a link's target. It has no data, and is never followed or read.
   */
  notFile?: { type: string; link?: string };
  /** The name's bytes, when they are not valid UTF-8 (`sourcePath` then has U+FFFD in their place). */
  rawName?: Uint8Array;
  /** What the archive reader warned about this entry's header (a name it could not convert, ...). */
  warning?: string;
  /** Set when the input's group had to take another name than its own (see rootNameOf): says so. */
  groupNote?: string;
  /**
   * For a loose file: the group its copy takes when it holds HDF5 (`sci.h5` → `sci`, see
   * copy-names.ts); unset when it has no extension or another input asks for that name.
   */
  copyGroupName?: string;
  /**
   * Entries of this input left out before this one because another shard owns them (see
   * SourceShard); they count in the entries' positions all the same ({index} of a schema target).
   */
  passedOver?: number;
  /** The data in blocks. */
  blocks(): AsyncIterable<Buffer>;
  /** All the data (for entries a processor needs whole). */
  readAll(): Promise<Buffer>;
}

/**
 * The shard a task converts (convert --shard): a source may leave out entries another shard owns
 * (an archive does, in its native reader), counting them in the next entry's `passedOver`. It
 * may also yield them: the caller still checks each entry's shard.
 */
export interface SourceShard {
  /** This task's shard, 0-based. */
  index: number;
  /** How many shards the run has. */
  count: number;
  /** Told the input bytes read while only other shards' entries go by (for progress). */
  onPassing?(position: number): void;
  /** Once aborted, a pass over other shards' entries ends the entries. */
  signal?: AbortSignal;
}

/** An input: its entries in a stable order (directories sorted by name, archives in stored order). */
export interface Source {
  readonly name: string;
  /** The top-level group the input becomes (`photos.zip` → `photos`); "" for a loose file. */
  readonly groupName: string;
  /** Bytes of the input (of the archive file itself, for an archive): progress is measured in them. */
  readonly size: number;
  /** The entries; with `shard`, those of other shards may be left out (see SourceShard). */
  entries(shard?: SourceShard): AsyncIterable<SourceEntry>;
  close(): Promise<void>;
}

/** Archive and compression suffixes stripped from an input's name to make its group name. */
const ARCHIVE_SUFFIXES = [".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst", ".tgz", ".tbz2", ".txz", ".tar", ".zip", ".7z", ".gz", ".bz2", ".xz"];

/**
 * `photos.zip` → `photos`, `data/` → `data`, `logs.tar.gz` → `logs`, `table.csv.gz` → `table.csv`;
 * `_h5dat.zip` → `_h5dat_1` (see rootNameOf).
 */
export function groupNameOf(input: string): string {
  return rootNameOf(ownGroupNameOf(input));
}

/** The group name an input asks for, before rootNameOf: `_h5dat.zip` → `_h5dat`. */
export function ownGroupNameOf(input: string): string {
  const base = input.replace(/[/\\]+$/, "").split(/[/\\]/).pop() || input;
  const lower = base.toLowerCase();
  const suffix = ARCHIVE_SUFFIXES.find((s) => lower.endsWith(s) && lower.length > s.length);
  return suffix ? base.slice(0, base.length - suffix.length) : base;
}

/** h5dat's own group at the root of every output: the manifest, the quarantine, the run's state. */
export const H5DAT_GROUP_NAME = "_h5dat";
/** The root name an input named like h5dat's own group takes instead. */
export const RENAMED_H5DAT_GROUP = "_h5dat_1";

/**
 * The name an input's group (or a loose file's dataset) takes at the root: its own, unless that is
 * h5dat's own group, whose manifest an input's `manifest` entry would clash with (a fatal run) and
 * whose other members are not the input's. HDF5 names are case-sensitive: `_H5DAT` is another name.
 * A second input named `_h5dat_1` shares the group, as any two inputs of one name do.
 */
export function rootNameOf(name: string): string {
  return name === H5DAT_GROUP_NAME ? RENAMED_H5DAT_GROUP : name;
}

/**
 * The note every row of an input carries when its root name `own` (a group's, or a loose file's
 * dataset's) had to change; undefined when it keeps it.
 */
export function renamedNote(own: string, what: "group" | "dataset"): string | undefined {
  const root = rootNameOf(own);
  if (root === own) return undefined;
  return `renamed: '/${own}' is h5dat's own group, so this input's ${what} is '/${root}'`;
}
