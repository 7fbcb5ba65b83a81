// A named (committed) datatype: a dtype stored as an object of its own, as h5py's
// `f["t"] = np.dtype("f4")` makes.
import { fromTypeSpec, type Dtype } from "./dtype";
import { H5Object } from "./h5-object";
import type { NativeHandle } from "../native/addon-types";
import type { TypeSpec } from "../native/type-spec";

/** A named (committed) datatype: a dtype stored as an object of its own. */
export class Datatype extends H5Object {
  /** @internal */
  constructor(handle: NativeHandle, file: H5Object["file"], private readonly spec: TypeSpec) {
    super(handle, file);
  }

  /** The stored element type. */
  get dtype(): Dtype {
    return fromTypeSpec(this.spec);
  }

  override toString(): string {
    return `<Datatype ${this.name} ${JSON.stringify(this.dtype)}>`;
  }
}
