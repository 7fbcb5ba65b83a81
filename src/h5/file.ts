// An HDF5 file: opened with h5py's mode letters; it is also its root group.
import { Group } from "./group";
import { H5Error } from "./errors";
import type { NativeHandle } from "../native/addon-types";
import { call, runAsync, runSync, type Operation } from "./operation";

/**
 * r: read only, must exist · r+: read/write, must exist · w: create, truncate if it exists ·
 * w- or x: create, fail if it exists · a: read/write if it exists, create otherwise.
 */
export type FileMode = "r" | "r+" | "w" | "w-" | "x" | "a";

declare module "./h5-object" {
  interface H5Object {
    /** The file this object belongs to (a File is its own file). */
    readonly file: File;
  }
}

const MODES: readonly FileMode[] = ["r", "r+", "w", "w-", "x", "a"];

/** How File.open treats crashes and storage outside the file. */
export interface FileOpenOptions {
  /**
   * Crash-consistent writing: the bytes the file holds at a flush() stay as they are on disk
   * until the next flush() is complete, so after a crash (kill -9, OOM kill) the file is what
   * the last flush left, and opens. Changes in between are held in memory where they touch
   * those bytes; a flush goes through `<file>.journal`, which the next open finishes if the
   * crash came in the middle of one. Each step is fsync'd: a power loss leaves the same.
   */
  checkpoints?: boolean;
  /**
   * Storage outside the file — a dataset's external raw data (H5Pset_external), a virtual
   * dataset's sources, external links — names files anywhere on this host, and reading it reads
   * them (an HDF5 file from elsewhere can make `/etc/passwd` a dataset). "deny" (the default)
   * fails such a read with an error naming the dataset or link and the file; "follow" reads
   * them, as h5py does, for files you trust.
   */
  external?: ExternalAccess;
}

/** Whether reads may follow storage outside the file (FileOpenOptions.external). */
export type ExternalAccess = "deny" | "follow";

const EXTERNAL_ACCESS: readonly ExternalAccess[] = ["deny", "follow"];

/** What File.info gives: the file's path, size and free space. */
export interface FileInfo {
  /** The file's path, as HDF5 opened it. */
  path: string;
  /** Whether the file is open for writing. */
  writable: boolean;
  /** File size in bytes. */
  size: number;
  /** Bytes of free space inside the file. */
  freeSpace: number;
}

/** An HDF5 file, opened with h5py's mode letters; it is also its root group. */
export class File extends Group {
  private constructor(
    handle: NativeHandle,
    /** The path the file was opened with (the name given, for a file opened from memory). */
    readonly filename: string,
    /** The mode the file was opened with. */
    readonly mode: FileMode,
  ) {
    super(handle, null);
    (this as { file: File }).file = this;
  }

  /**
   * Opens (or creates) an HDF5 file. Files are written with HDF5 1.8–1.10 object formats, so
   * HDF5 1.10 readers (h5py on Debian 12) open them.
   */
  static open(path: string, mode: FileMode = "r", options: FileOpenOptions = {}): Promise<File> {
    return runAsync(File.openOp(path, mode, options));
  }
  /** The Sync form of {@link File.open}. */
  static openSync(path: string, mode: FileMode = "r", options: FileOpenOptions = {}): File {
    return runSync(File.openOp(path, mode, options));
  }

  private static *openOp(path: string, mode: FileMode, options: FileOpenOptions): Operation<File> {
    if (!MODES.includes(mode)) throw new H5Error(`invalid file mode '${mode}' (use ${MODES.join(", ")})`, path);
    if (options.external !== undefined && !EXTERNAL_ACCESS.includes(options.external)) {
      throw new H5Error(`invalid external access '${String(options.external)}' (use ${EXTERNAL_ACCESS.join(" or ")})`, path);
    }
    return new File(yield* call("fileOpen", path, mode, options), path, mode);
  }

  /**
   * Opens an HDF5 file held in memory (e.g. read from an archive), read-only; `name` labels it
   * in messages. HDF5 keeps its own copy of the bytes.
   */
  static openImage(bytes: Uint8Array, name = "(memory)"): Promise<File> {
    return runAsync(File.openImageOp(bytes, name));
  }
  /** The Sync form of {@link File.openImage}. */
  static openImageSync(bytes: Uint8Array, name = "(memory)"): File {
    return runSync(File.openImageOp(bytes, name));
  }

  private static *openImageOp(bytes: Uint8Array, name: string): Operation<File> {
    return new File(yield* call("fileOpenImage", bytes, name), name, "r");
  }

  /**
   * Writes buffered data and metadata to the file (the OS's page cache; not an fsync). With
   * `checkpoints`, the file on disk is consistent from here until the next flush.
   */
  async flush(): Promise<void> {
    return runAsync(call("fileFlush", this.handle));
  }
  /** The Sync form of {@link File.flush}. */
  flushSync(): void {
    runSync(call("fileFlush", this.handle));
  }

  /** Size and free space of the file. */
  async info(): Promise<FileInfo> {
    return runAsync(call("fileInfo", this.handle));
  }
  /** The Sync form of {@link File.info}. */
  infoSync(): FileInfo {
    return runSync(call("fileInfo", this.handle));
  }

  /** Closes the file and every object still open in it; later use of them throws. */
  override close(): Promise<void> {
    return super.close();
  }

  /** `await using f = await File.open(...)` closes the file at scope end. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.isOpen) await this.close();
  }
  /** `using f = File.openSync(...)` closes the file at scope end. */
  [Symbol.dispose](): void {
    if (this.isOpen) this.closeSync();
  }

  override toString(): string {
    return `<File ${this.filename} (${this.mode})>`;
  }
}
