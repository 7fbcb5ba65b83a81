// Finding the ffmpeg executable the media processors run: $H5DAT_FFMPEG, or the static build of
// @ffmpeg-installer/ffmpeg; a missing or unusable one is an error that names the path.
import fs from "node:fs";

let located: string | null = null;

/**
 * The ffmpeg executable: $H5DAT_FFMPEG when set, else @ffmpeg-installer/ffmpeg's static build.
 * Throws a clear error (with the path) when it is missing or not executable.
 */
export function ffmpegPath(): string {
  if (located) return located;
  let candidate = process.env.H5DAT_FFMPEG;
  if (!candidate) {
    try {
      candidate = (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
    } catch (error) {
      throw new Error(`ffmpeg not found: the package @ffmpeg-installer/ffmpeg is not installed for this platform (${process.platform}-${process.arch}): ${(error as Error).message}`);
    }
  }
  try {
    if (!fs.statSync(candidate).isFile()) throw new Error("not a file");
    fs.accessSync(candidate, fs.constants.X_OK);
  } catch (error) {
    throw new Error(`ffmpeg at '${candidate}' is missing or not executable: ${(error as Error).message}`);
  }
  located = candidate;
  return candidate;
}
