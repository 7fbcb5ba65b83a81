// What files, groups and datasets share: the native handle, the file, the path, attributes.
import { Attributes } from "./attrs";
import { H5Error } from "./errors";
import type { NativeHandle } from "../native/addon-types";
import { call, runAsync, runSync } from "./operation";

// `file` (the File an object belongs to) is declared by file.ts, onto this class (a module
// augmentation): File is the root group that makes every object, so were its type imported
// here, the objects and File would import each other.
/** What files, groups, datasets and named datatypes share: path, attributes, close. */
export abstract class H5Object {
  /** Attributes of this object. */
  readonly attrs: Attributes;

  protected constructor(
    protected readonly nativeHandle: NativeHandle,
    file: H5Object["file"],
  ) {
    (this as { file: H5Object["file"] }).file = file;
    this.attrs = new Attributes(() => this.handle);
  }

  /** Absolute HDF5 path of this object ("/" for a file). */
  get name(): string {
    return this.nativeHandle.path;
  }

  /** Whether the object (and its file) is still open. */
  get isOpen(): boolean {
    return this.nativeHandle.isOpen;
  }

  /** The native handle; throws an H5Error when closed (so JS never passes a dead id down). */
  protected get handle(): NativeHandle {
    if (!this.nativeHandle.isOpen) throw new H5Error(`${this.nativeHandle.kind} '${this.name}' is closed`, this.name);
    return this.nativeHandle;
  }

  /** @internal The open native handle, for operations that take two objects (copy). */
  get openHandle(): NativeHandle {
    return this.handle;
  }

  /** Releases the object now instead of at garbage collection. */
  close(): Promise<void> {
    return runAsync(call("handleClose", this.nativeHandle));
  }
  /** The Sync form of {@link H5Object.close}. */
  closeSync(): void {
    runSync(call("handleClose", this.nativeHandle));
  }
}
