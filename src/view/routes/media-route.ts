// Video and audio for the page: one frame of a video as PNG (the scrubber asks for the frame it
// shows), a range of an audio clip as WAV (for <audio>), and an audio clip's waveform as the
// min and max of each of N bins, read a block of samples at a time so any length is fine.
import { readAudio, readVideoFrames } from "../../read/media";
import { encodeImage } from "../../read/image-encode";
import { VIEW_LIMITS } from "../limits";
import { jsonReply, pngReply } from "../reply";
import { checkBound, ViewError } from "../view-error";
import { wavOf } from "../wav";
import { asDataset } from "./datasets";
import type { Route } from "./route";

/** Sample frames read at a time for a waveform. */
const WAVEFORM_BLOCK = 1 << 16;
/** The rate a WAV says when the clip has no sample_rate attr. */
const FALLBACK_RATE = 16_000;

/**
 * GET /api/frame.png?path=P&frame=k: frame k of a video (the reader's readVideoFrames), or row k
 * of any uint8/uint16 [N, H, W, C ≤ 4] array (a stack's images, frames of another source).
 */
export const frameRoute: Route = (file, query) => {
  const path = query.objectPath();
  return file.withObject(path, async (member) => {
    const dataset = asDataset(member, path);
    const shape = dataset.shape ?? [];
    const [, height, width, channels] = shape;
    if (shape.length !== 4 || channels < 1 || channels > 4 || (dataset.dtype !== "uint8" && dataset.dtype !== "uint16")) {
      throw new ViewError(400, `'${path}' is not an array of frames (uint8 or uint16 [N, H, W, C ≤ 4]), but ${JSON.stringify(dataset.dtype)} [${shape.join(", ")}]`);
    }
    const frame = query.integer("frame", 0, 0, Math.max(0, shape[0] - 1));
    const data = dataset.dtype === "uint8" && channels === 3 ? (await readVideoFrames(dataset, frame)).data : ((await dataset.read({ start: [frame, 0, 0, 0], count: [1, height, width, channels] })).data as Uint8Array | Uint16Array);
    const bitDepth = dataset.dtype === "uint16" ? 16 : 8;
    return pngReply(await encodeImage({ data, shape: [height, width, channels], width, height, channels, bitDepth, frames: 1, colourModel: channels <= 2 ? "GREY" : "RGB" }, "png"));
  });
};

/** GET /api/audio.wav?path=P&start=&stop=: sample frames [start, stop) of an audio clip as WAV. */
export const audioRoute: Route = (file, query) => {
  const path = query.objectPath();
  return file.withObject(path, async (member) => {
    const dataset = asDataset(member, path);
    const length = dataset.shape?.[0] ?? 0;
    const channels = dataset.shape?.[1] ?? 1;
    const start = Math.min(query.integer("start", 0), length);
    const stop = Math.min(query.integer("stop", length, start), length);
    checkBound((stop - start) * channels, VIEW_LIMITS.audioSamples, "audio samples");
    const audio = await readAudio(dataset, [start, stop]);
    const rate = Number.isFinite(audio.sampleRate) ? audio.sampleRate : FALLBACK_RATE;
    return { type: "audio/wav", body: wavOf(audio.samples, audio.channels, rate) };
  });
};

/** GET /api/waveform?path=P&bins=N: each bin's min and max over the channels, and the clip's facts. */
export const waveformRoute: Route = (file, query) => {
  const path = query.objectPath();
  const bins = query.integer("bins", 1000, 1, VIEW_LIMITS.waveformBins);
  return file.withObject(path, async (member) => {
    const dataset = asDataset(member, path);
    const length = dataset.shape?.[0] ?? 0;
    const min = new Float32Array(bins).fill(Infinity);
    const max = new Float32Array(bins).fill(-Infinity);
    let sampleRate = Number.NaN;
    let channels = 1;
    for (let start = 0; start < length; start += WAVEFORM_BLOCK) {
      const audio = await readAudio(dataset, [start, Math.min(length, start + WAVEFORM_BLOCK)]);
      ({ sampleRate, channels } = audio);
      for (let i = 0; i < audio.samples.length; i++) {
        const bin = Math.min(bins - 1, Math.floor(((start + Math.floor(i / channels)) * bins) / length));
        const v = audio.samples[i];
        if (v < min[bin]) min[bin] = v;
        if (v > max[bin]) max[bin] = v;
      }
    }
    const finite = (a: Float32Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : 0));
    return jsonReply({ length, channels, sampleRate: Number.isFinite(sampleRate) ? sampleRate : null, min: finite(min), max: finite(max) });
  });
};
