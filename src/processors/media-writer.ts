// ffmpeg's raw output (rgb24 frames, f32le samples) into an extensible dataset made when the
// first bytes arrive, and the run around it shared by the video and audio processors: no
// output is an error naming ffmpeg's notes, and a failure leaves no dataset behind.
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import type { SetAttributeOptions } from "../h5/attrs";
import { GZIP, type DatasetLayout } from "./layout";
import { runFfmpeg, type FfmpegOptions } from "./ffmpeg";
import type { MediaInput } from "./ffmpeg-input";
import { FfmpegError } from "./ffmpeg-error";
import { ffNumber, type FfmpegJob } from "./ffmpeg-process";
import { describeStreams, type StreamInfo } from "./ffmpeg-log";

/** Where writeDecoded makes its dataset: `name` in `group`, stored as `layout` says. */
export interface DecodedTarget {
  group: Group;
  name: string;
  layout: DatasetLayout;
}

/** What a processor tells writeDecoded: ffmpeg's arguments, how to make its writer, and the attrs of a finished run. */
export interface DecodedStream<F, O> {
  kind: "video" | "audio";
  /** ffmpeg's output arguments (rawOutputArgs), after `-i <input>`; throws on a bad option. */
  args(options: O): string[];
  /** The output format from ffmpeg's output stream of the kind (`out`: none when its log has none); throws when it is not told. */
  format(out: StreamInfo | undefined, job: FfmpegJob): F;
  /** The writer making the dataset, for that format. */
  writer(target: DecodedTarget, format: F): RowWriter;
  /** The dataset's attrs, once every row is written. */
  attrs(job: FfmpegJob, format: F, rows: number, options: O): Record<string, unknown>;
  /** The dtypes of those attrs that are not strings or float64 by default. */
  attrTypes: Record<string, SetAttributeOptions>;
}

/**
 * ffmpeg's output arguments: the stream to `map`, the processor's `settings`, the time range's
 * `-t`, and the raw `format`, written to the pipe.
 */
export function rawOutputArgs(map: string, settings: string[], duration: number | undefined, format: string[]): string[] {
  return ["-map", map, ...settings, ...(duration !== undefined ? ["-t", ffNumber(duration)] : []), ...format, "pipe:1"];
}

/**
 * Decodes `input` (from `options.start`) as `stream` says and stores all ffmpeg outputs as
 * dataset `name` in `group` (gzip + shuffle unless the layout says "none"). Rejects, leaving no
 * dataset behind, when ffmpeg cannot decode it (its own words in the message) or the input has
 * no stream of the kind.
 */
export async function writeDecoded<F, O extends FfmpegOptions & { start?: number }>(
  stream: DecodedStream<F, O>, group: Group, name: string, input: MediaInput, options: O, layout: DatasetLayout = GZIP,
): Promise<Dataset> {
  const target = { group, name, layout };
  let writer: RowWriter | null = null;
  const run = { input, start: options.start, outputArgs: stream.args(options), strict: options.strict, signal: options.signal };
  try {
    return await runFfmpeg(run, async (job) => {
      let format: F | null = null;
      for await (const chunk of job.stdout) {
        if (!writer) {
          await job.outputReady();
          format = stream.format(job.banner.output.streams.find((s) => s.kind === stream.kind), job);
          writer = stream.writer(target, format);
        }
        await writer.write(chunk);
      }
      if (!writer || format === null) throw new Error(`no ${stream.kind === "video" ? "video frames" : "audio samples"} decoded from '${job.name}'${notesOf(job)}`);
      const finished: RowWriter = writer;
      await finished.end();
      const dataset = finished.dataset!;
      await dataset.attrs.update(stream.attrs(job, format, finished.rows, options), stream.attrTypes);
      return dataset;
    });
  } catch (error) {
    await (writer as RowWriter | null)?.discard(target.group, target.name);
    throw explain(error, stream.kind);
  }
}

/** ffmpeg's warnings, for a run that gave nothing ("Output file is empty, nothing was encoded"). */
function notesOf(job: FfmpegJob): string {
  const notes = [...new Set(job.notes.map((n) => n.text.trim()))].slice(-3);
  return notes.length ? ` (ffmpeg: ${notes.join("; ")})` : "";
}

/** "Stream map '0:V:0' matches no streams" said plainly: "no video stream in 'x.mp3' (streams: audio: mp3)". */
function explain(error: unknown, kind: "video" | "audio"): unknown {
  if (error instanceof FfmpegError && error.failure.causes.some((c) => /matches no streams/.test(c))) {
    const { failure } = error;
    return new FfmpegError(`no ${kind} stream in '${failure.input}' (streams: ${describeStreams(failure.banner)})`, failure);
  }
  return error;
}


/**
 * Regroups raw bytes into batches of whole rows (frames, or samples of all channels) and appends
 * each batch to a dataset made when the first batch is ready — a batch is one chunk, so every
 * append but the last writes whole chunks. One append is in flight while the next batch fills.
 */
export class RowWriter {
  dataset: Dataset | null = null;
  /** Rows appended (or being appended). */
  rows = 0;
  private buffers: Uint8Array[];
  private current: Uint8Array;
  private filled = 0;
  private inFlight: Promise<void> | null = null;
  private inFlightBuffer: Uint8Array | null = null;
  private readonly batchBytes: number;

  constructor(
    private readonly rowBytes: number,
    rowsPerBatch: number,
    private readonly create: () => Promise<Dataset>,
    /** The array append takes for `bytes` (a Float32Array view for float32 data). */
    private readonly view: (bytes: Uint8Array) => ArrayBufferView,
  ) {
    this.batchBytes = rowBytes * rowsPerBatch;
    // Own ArrayBuffers (aligned, never pooled): a Float32Array view needs that.
    this.current = new Uint8Array(new ArrayBuffer(this.batchBytes));
    this.buffers = [];
  }

  async write(chunk: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      const taken = Math.min(this.batchBytes - this.filled, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + taken), this.filled);
      this.filled += taken;
      offset += taken;
      if (this.filled === this.batchBytes) await this.flush();
    }
  }

  /** Appends what is left and waits for every append. */
  async end(): Promise<void> {
    if (this.filled % this.rowBytes !== 0) throw new Error(`ffmpeg's output ended inside a row (${this.filled % this.rowBytes} of ${this.rowBytes} bytes)`);
    if (this.filled > 0) await this.flush();
    await this.settle();
  }

  /** Waits for the append in flight, ignoring its failure (the dataset is going anyway), and removes the dataset. */
  async discard(group: Group, name: string): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    this.inFlight = null;
    if (!this.dataset) return;
    await this.dataset.close().catch(() => undefined);
    this.dataset = null;
    try {
      if (await group.has(name)) await group.delete(name);
    } catch {
      // The file itself failed: nothing more to remove.
    }
  }

  private async flush(): Promise<void> {
    const rows = this.filled / this.rowBytes;
    this.dataset ??= await this.create();
    await this.settle();
    const bytes = this.current.subarray(0, this.filled);
    const append = this.dataset.append(this.view(bytes), rows);
    append.catch(() => undefined); // awaited at the next flush or at the end
    this.inFlight = append;
    this.inFlightBuffer = this.current;
    this.rows += rows;
    this.current = this.buffers.pop() ?? new Uint8Array(new ArrayBuffer(this.batchBytes));
    this.filled = 0;
  }

  private async settle(): Promise<void> {
    const pending = this.inFlight;
    if (!pending) return;
    this.inFlight = null;
    const buffer = this.inFlightBuffer;
    this.inFlightBuffer = null;
    await pending;
    if (buffer) this.buffers.push(buffer);
  }
}
