// The one error type of the HDF5 layer. The class lives in src/native (the binding creates these
// and must be handed the class when it loads); this is where the HDF5 layer's users find it.
export { H5Error } from "../native/errors";
