// What crosses between the converter and its worker processes. Sent with Node's "advanced"
// serialization (structured clone): typed arrays travel as bytes, not as JSON text.
import type { Prepared, PrepareTask } from "../processors/prepare";
import type { SharedPixels } from "./pixel-files";

/**
 * Tasks for one worker, sent together (batch_chunk_size of them at most), with the pixel files of
 * its earlier replies that the writer is done with; or a question for its peak RSS.
 */
export type WorkRequest = { tasks: { id: number; task: PrepareTask }[]; reusable?: string[] } | { peakRss: true };

/**
 * One task's result; a worker replies once per task, as each finishes (an image's pixels in a
 * file named by `shared`, when they are large). Or its peak RSS in KiB.
 */
export type WorkReply =
  | { id: number; ok: true; result: Prepared; shared?: SharedPixels }
  | { id: number; ok: false; message: string }
  | { peakRssKb: number };
