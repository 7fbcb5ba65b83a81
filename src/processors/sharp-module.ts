// sharp (libvips), loaded on first use: loading it is ~50 ms of every process start, and most
// runs of most commands (ls, show, merge, JSON and CSV conversions, a writer whose workers
// decode) never touch an image.
import type SharpFunction from "sharp";
import { lazily } from "../lazily";

/** sharp's default export, loaded by the first call. */
export const loadSharp = lazily(() => require("sharp") as typeof SharpFunction);
