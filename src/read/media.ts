// Video frames, audio samples and raw bytes back out of a file. Video and audio are read by
// hyperslab along axis 0 (axis-range.ts): `readVideoFrames(p, [10, 20])` reads those ten frames.
import { H5Error } from "../h5/errors";
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { resolveRange, rowsOf, type AxisRange } from "./axis-range";
import { attrNames, attrValue, release, type Flow } from "./flow";
import { openDataset, type Target } from "./images";
import { readWhole } from "./whole-chunk";

export interface VideoFrames {
  /** RGB frames, row-major [frames, height, width, 3]. */
  data: Uint8Array;
  shape: number[];
  /** Frames read, and where they start and stop in the video. */
  frames: number;
  start: number;
  stop: number;
  width: number;
  height: number;
  /** Frames per second (attr fps), NaN when not recorded. */
  fps: number;
}

export interface AudioSamples {
  /** Interleaved float32 samples, [length, channels]. */
  samples: Float32Array;
  shape: number[];
  /** Sample frames read (samples per channel), and where they start and stop. */
  length: number;
  start: number;
  stop: number;
  channels: number;
  /** Hz (attr sample_rate), NaN when not recorded. */
  sampleRate: number;
}

const numberOf = (value: unknown): number => (typeof value === "number" || typeof value === "bigint" ? Number(value) : Number.NaN);

function* numericAttr(dataset: Dataset, name: string): Flow<number> {
  return (yield* attrNames(dataset)).includes(name) ? numberOf(yield* attrValue(dataset, name)) : Number.NaN;
}

/** Frames [start, stop) of the video at `target` (all by default), read alone. */
export function* readVideoFramesFlow(group: Group, target: Target, range?: AxisRange): Flow<VideoFrames> {
  const { dataset, opened } = yield* openDataset(group, target, "readVideoFrames");
  try {
    const shape = dataset.shape;
    if (!shape || shape.length !== 4 || shape[3] !== 3 || dataset.dtype !== "uint8") {
      throw new H5Error(`'${dataset.name}' is not a uint8 [T, H, W, 3] video (shape [${shape?.join(", ") ?? "empty"}], ${JSON.stringify(dataset.dtype)})`, dataset.name);
    }
    const [start, stop] = resolveRange(range, shape[0], "frame");
    const fps = yield* numericAttr(dataset, "fps");
    const { data, shape: got } = yield* rowsOf(dataset, start, stop);
    return { data: data as Uint8Array, shape: got, frames: stop - start, start, stop, width: shape[2], height: shape[1], fps };
  } finally {
    if (opened) yield* release(dataset);
  }
}

/** Samples [start, stop) (all by default) of the audio at `target`, with the sample rate. */
export function* readAudioFlow(group: Group, target: Target, range?: AxisRange): Flow<AudioSamples> {
  const { dataset, opened } = yield* openDataset(group, target, "readAudio");
  try {
    const shape = dataset.shape;
    if (!shape || (shape.length !== 1 && shape.length !== 2) || dataset.dtype !== "float32") {
      throw new H5Error(`'${dataset.name}' is not float32 [samples, channels] audio (shape [${shape?.join(", ") ?? "empty"}], ${JSON.stringify(dataset.dtype)})`, dataset.name);
    }
    const [start, stop] = resolveRange(range, shape[0], "sample");
    const sampleRate = yield* numericAttr(dataset, "sample_rate");
    const { data, shape: got } = yield* rowsOf(dataset, start, stop);
    return { samples: data as Float32Array, shape: got, length: stop - start, start, stop, channels: shape[1] ?? 1, sampleRate };
  } finally {
    if (opened) yield* release(dataset);
  }
}

/** The bytes of a 1-D uint8 (or int8) dataset: a file kept as it was, or encoded image bytes. */
export function* readBytesFlow(group: Group, target: Target): Flow<Buffer> {
  const { dataset, opened } = yield* openDataset(group, target, "readBytes");
  try {
    if (dataset.shape?.length !== 1 || (dataset.dtype !== "uint8" && dataset.dtype !== "int8")) {
      throw new H5Error(`'${dataset.name}' is not a 1-D uint8 dataset of bytes (shape [${dataset.shape?.join(", ") ?? "empty"}], ${JSON.stringify(dataset.dtype)})`, dataset.name);
    }
    const { data } = yield* readWhole(dataset);
    const view = data as Uint8Array;
    return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  } finally {
    if (opened) yield* release(dataset);
  }
}
