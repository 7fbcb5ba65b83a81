// Video frames, audio samples and raw bytes back out of a file. Video and audio are read by
// hyperslab along axis 0 (axis-range.ts): `readVideoFrames(ds, [10, 20])` reads those ten frames.
import { H5Error } from "../h5/errors";
import type { Dataset } from "../h5/dataset";
import { runAsync, runSync } from "../h5/operation";
import { resolveRange, rowsOf, type AxisRange } from "./axis-range";
import { attrNames, attrValue, readData, type Flow } from "./flow";

/** Frames read from a video dataset, with their range and size. */
export interface VideoFrames {
  /** RGB frames, row-major [frames, height, width, 3]. */
  data: Uint8Array;
  /** [frames, height, width, 3]. */
  shape: number[];
  /** Frames read, and where they start and stop in the video. */
  frames: number;
  /** The first frame read. */
  start: number;
  /** The frame the read stopped before. */
  stop: number;
  /** Frame width in pixels. */
  width: number;
  /** Frame height in pixels. */
  height: number;
  /** Frames per second (attr fps), NaN when not recorded. */
  fps: number;
}

/** Samples read from an audio dataset, with their range and channels. */
export interface AudioSamples {
  /** Interleaved float32 samples, [length, channels]. */
  samples: Float32Array;
  /** [length, channels]. */
  shape: number[];
  /** Sample frames read (samples per channel), and where they start and stop. */
  length: number;
  /** The first sample frame read. */
  start: number;
  /** The sample frame the read stopped before. */
  stop: number;
  /** Channels per sample frame. */
  channels: number;
  /** Hz (attr sample_rate), NaN when not recorded. */
  sampleRate: number;
}

const numberOf = (value: unknown): number => (typeof value === "number" || typeof value === "bigint" ? Number(value) : Number.NaN);

function* numericAttr(dataset: Dataset, name: string): Flow<number> {
  return (yield* attrNames(dataset)).includes(name) ? numberOf(yield* attrValue(dataset, name)) : Number.NaN;
}

/** Frames [start, stop) of a video (all when omitted), read without the rest. */
export function readVideoFrames(dataset: Dataset, range?: AxisRange): Promise<VideoFrames> {
  return runAsync(readVideoFramesFlow(dataset, range));
}
/** The Sync form of {@link readVideoFrames}. */
export function readVideoFramesSync(dataset: Dataset, range?: AxisRange): VideoFrames {
  return runSync(readVideoFramesFlow(dataset, range));
}

/** Audio samples (float32, [N, channels]) with the sample rate; `range` of sample frames. */
export function readAudio(dataset: Dataset, range?: AxisRange): Promise<AudioSamples> {
  return runAsync(readAudioFlow(dataset, range));
}
/** The Sync form of {@link readAudio}. */
export function readAudioSync(dataset: Dataset, range?: AxisRange): AudioSamples {
  return runSync(readAudioFlow(dataset, range));
}

/** The bytes of a 1-D uint8 dataset (a file kept as it was). */
export function readBytes(dataset: Dataset): Promise<Buffer> {
  return runAsync(readBytesFlow(dataset));
}
/** The Sync form of {@link readBytes}. */
export function readBytesSync(dataset: Dataset): Buffer {
  return runSync(readBytesFlow(dataset));
}

function* readVideoFramesFlow(dataset: Dataset, range?: AxisRange): Flow<VideoFrames> {
  const shape = dataset.shape;
  if (!shape || shape.length !== 4 || shape[3] !== 3 || dataset.dtype !== "uint8") {
    throw new H5Error(`'${dataset.name}' is not a uint8 [T, H, W, 3] video (shape [${shape?.join(", ") ?? "empty"}], ${JSON.stringify(dataset.dtype)})`, dataset.name);
  }
  const [start, stop] = resolveRange(range, shape[0], "frame");
  const fps = yield* numericAttr(dataset, "fps");
  const { data, shape: got } = yield* rowsOf(dataset, start, stop);
  return { data: data as Uint8Array, shape: got, frames: stop - start, start, stop, width: shape[2], height: shape[1], fps };
}

function* readAudioFlow(dataset: Dataset, range?: AxisRange): Flow<AudioSamples> {
  const shape = dataset.shape;
  if (!shape || (shape.length !== 1 && shape.length !== 2) || dataset.dtype !== "float32") {
    throw new H5Error(`'${dataset.name}' is not float32 [samples, channels] audio (shape [${shape?.join(", ") ?? "empty"}], ${JSON.stringify(dataset.dtype)})`, dataset.name);
  }
  const [start, stop] = resolveRange(range, shape[0], "sample");
  const sampleRate = yield* numericAttr(dataset, "sample_rate");
  const { data, shape: got } = yield* rowsOf(dataset, start, stop);
  return { samples: data as Float32Array, shape: got, length: stop - start, start, stop, channels: shape[1] ?? 1, sampleRate };
}

/** The bytes of a 1-D uint8 (or int8) dataset: a file kept as it was, or encoded image bytes. */
function* readBytesFlow(dataset: Dataset): Flow<Buffer> {
  if (dataset.shape?.length !== 1 || (dataset.dtype !== "uint8" && dataset.dtype !== "int8")) {
    throw new H5Error(`'${dataset.name}' is not a 1-D uint8 dataset of bytes (shape [${dataset.shape?.join(", ") ?? "empty"}], ${JSON.stringify(dataset.dtype)})`, dataset.name);
  }
  const { data } = yield* readData(dataset);
  const view = data as Uint8Array;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}
