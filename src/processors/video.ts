// Videos (mp4, mov, mkv, webm, avi, mpeg-ts, animated GIF...) decoded by ffmpeg into RGB frames,
// streamed straight into an extensible uint8 dataset [T, H, W, 3]: never the whole video in
// memory. Frame size, rate and codec come from ffmpeg's own log of the same run.
import { storageOptions } from "./layout";
import { checkOption, type FfmpegOptions } from "./ffmpeg";
import { ffNumber, type FfmpegJob } from "./ffmpeg-process";
import { sourceStream, type StreamInfo } from "./ffmpeg-log";
import { rawOutputArgs, RowWriter, type DecodedStream, type DecodedTarget } from "./media-writer";

export type { MediaInput } from "./ffmpeg-input";

/** How video is decoded: frame rate, frame count, frame size and time range. */
export interface VideoOptions extends FfmpegOptions {
  /** Resample to this many frames per second (ffmpeg's fps filter: frames dropped or repeated). */
  fps?: number;
  /** Stop after this many frames. */
  maxFrames?: number;
  /** Largest side in pixels: larger frames are scaled down, aspect ratio kept (never up). */
  scale?: number;
  /** Start at this time (seconds). */
  start?: number;
  /** Take this many seconds (from `start`). */
  duration?: number;
}

/** A chunk holds this many frame bytes at most when frames are small (a few frames per chunk). */
const SMALL_CHUNK_BYTES = 1 << 20;
/** Frames per chunk at most. */
const MAX_FRAMES_PER_CHUNK = 32;
/** Frames larger than this are chunked in bands of rows. */
const LARGE_CHUNK_BYTES = 4 << 20;

/** Chunk shape and frames per append for frames of width × height. */
export function videoChunks(width: number, height: number): { chunks: number[]; framesPerBatch: number } {
  const frameBytes = width * height * 3;
  if (frameBytes <= LARGE_CHUNK_BYTES) {
    const frames = Math.max(1, Math.min(MAX_FRAMES_PER_CHUNK, Math.floor(SMALL_CHUNK_BYTES / frameBytes)));
    return { chunks: [frames, height, width, 3], framesPerBatch: frames };
  }
  const bands = Math.ceil(frameBytes / LARGE_CHUNK_BYTES);
  return { chunks: [1, Math.ceil(height / bands), width, 3], framesPerBatch: 1 };
}

/** ffmpeg's output arguments for the options (the start time is runFfmpeg's to place). */
export function videoArgs(options: VideoOptions): string[] {
  checkOption("fps", options.fps);
  checkOption("max_frames", options.maxFrames, { integer: true });
  checkOption("scale", options.scale, { integer: true });
  checkOption("start", options.start, { zero: true });
  checkOption("duration", options.duration);
  const filters: string[] = [];
  if (options.fps !== undefined) filters.push(`fps=fps=${ffNumber(options.fps)}`);
  if (options.scale !== undefined) {
    const s = options.scale;
    filters.push(`scale=w='min(iw,${s})':h='min(ih,${s})':force_original_aspect_ratio=decrease`);
  }
  const settings = [...(filters.length ? ["-vf", filters.join(",")] : []), ...(options.maxFrames !== undefined ? ["-frames:v", String(options.maxFrames)] : [])];
  // 0:V:0 is the first video stream that is not cover art.
  return rawOutputArgs("0:V:0", settings, options.duration, ["-f", "rawvideo", "-pix_fmt", "rgb24"]);
}

/**
 * How writeDecoded stores the first video stream of an input: uint8
 * [T, H, W, 3] RGB, chunked a frame (or a few small frames) per chunk, gzip-compressed unless
 * the layout says "none". Attrs: fps (float64), frame_count, width, height (int64), duration_s
 * (float64: frame_count / fps, what is stored), codec (string: the source's codec, e.g. h264).
 *
 */
export const videoDecoding: DecodedStream<FrameSize, VideoOptions> = {
  kind: "video",
  args: videoArgs,
  format: outputSize,
  writer: (target, { width, height }) => videoWriter(target, width, height),
  attrs: (job, { width, height }, frames, options) => {
    const source = sourceStream(job.banner, "video");
    const fps = options.fps ?? job.banner.output.streams.find((s) => s.kind === "video")?.fps ?? source?.fps ?? Number.NaN;
    return { fps, frame_count: frames, duration_s: frames / fps, codec: source?.codec ?? "unknown", width, height };
  },
  attrTypes: { fps: { dtype: "float64" }, duration_s: { dtype: "float64" }, frame_count: { dtype: "int64" }, width: { dtype: "int64" }, height: { dtype: "int64" } },
};

/** The decoded frames' size. */
interface FrameSize {
  width: number;
  height: number;
}

/** The output frame size from ffmpeg's "Output #0 ... Video: rawvideo ..., rgb24, WxH" line. */
function outputSize(out: StreamInfo | undefined, job: FfmpegJob): FrameSize {
  if (!out?.width || !out.height) throw new Error(`ffmpeg did not tell the frame size of '${job.name}' (no output video stream in its log)`);
  return { width: out.width, height: out.height };
}

function videoWriter({ group, name, layout }: DecodedTarget, width: number, height: number): RowWriter {
  // A rule's chunks decide the frames per append too: appends stay whole chunks.
  const { chunks, framesPerBatch } = layout.chunks ? { chunks: layout.chunks, framesPerBatch: layout.chunks[0] } : videoChunks(width, height);
  const create = () =>
    group.createDataset(name, {
      shape: [0, height, width, 3],
      maxshape: [null, height, width, 3],
      ...storageOptions({ ...layout, chunks }, { dtype: "uint8" }, true),
    });
  return new RowWriter(width * height * 3, framesPerBatch, create, (bytes) => bytes);
}
