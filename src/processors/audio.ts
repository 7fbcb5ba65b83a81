// Audio (mp3, wav, flac, ogg, opus, m4a — or the audio track of a video) decoded by ffmpeg into
// float32 samples, streamed straight into an extensible dataset [samples, channels]. Sample rate,
// channels and codec come from ffmpeg's own log of the same run.
import { isCompressed, storageOptions } from "./layout";
import { checkOption, type FfmpegOptions } from "./ffmpeg";
import type { FfmpegJob } from "./ffmpeg-process";
import { sourceStream, type StreamInfo } from "./ffmpeg-log";
import { rawOutputArgs, RowWriter, type DecodedStream, type DecodedTarget } from "./media-writer";

export type { MediaInput } from "./ffmpeg-input";

/** How audio is decoded: the time range and the sample rate. */
export interface AudioOptions extends FfmpegOptions {
  /** Start at this time (seconds). */
  start?: number;
  /** Take this many seconds (from `start`). */
  duration?: number;
  /** Resample to this rate (Hz); default: the source's rate. */
  sampleRate?: number;
}

/** Samples per chunk when uncompressed. */
const UNCOMPRESSED_CHUNK_ROWS = 4096;

/** Samples per chunk: 1 MiB of them, between 64 Ki and 256 Ki samples. */
export function audioChunkRows(channels: number): number {
  return Math.min(256 * 1024, Math.max(64 * 1024, Math.floor((1 << 20) / (4 * channels))));
}

/** ffmpeg's output arguments for the options (the start time is runFfmpeg's to place). */
export function audioArgs(options: AudioOptions): string[] {
  checkOption("start", options.start, { zero: true });
  checkOption("duration", options.duration);
  checkOption("sample_rate", options.sampleRate, { integer: true });
  const resample = options.sampleRate !== undefined ? ["-ar", String(options.sampleRate)] : [];
  return rawOutputArgs("0:a:0", resample, options.duration, ["-f", "f32le", "-acodec", "pcm_f32le"]);
}

/**
 * How writeDecoded stores the first audio stream of an input: float32
 * [samples, channels] (channels interleaved as ffmpeg decodes them, in the source's layout
 * order), chunked 64 Ki–256 Ki samples per chunk (or a rule's chunks), gzip + shuffle unless the
 * layout says "none".
 * Attrs: sample_rate, channels (int64), duration_s (float64: samples / sample_rate, what is
 * stored), codec (string: the source's codec, e.g. mp3).
 */
export const audioDecoding: DecodedStream<AudioFormat, AudioOptions> = {
  kind: "audio",
  args: audioArgs,
  format: outputFormat,
  writer: (target, format) => audioWriter(target, format.channels),
  attrs: (job, { sampleRate, channels }, samples) => ({
    sample_rate: sampleRate, channels, duration_s: samples / sampleRate, codec: sourceStream(job.banner, "audio")?.codec ?? "unknown",
  }),
  attrTypes: { sample_rate: { dtype: "int64" }, channels: { dtype: "int64" }, duration_s: { dtype: "float64" } },
};

/** The decoded audio's sample rate and channel count. */
interface AudioFormat {
  sampleRate: number;
  channels: number;
}

/** Rate and channels from ffmpeg's "Output #0 ... Audio: pcm_f32le, 16000 Hz, mono, flt" line. */
function outputFormat(out: StreamInfo | undefined, job: FfmpegJob): AudioFormat {
  if (!out?.sampleRate) throw new Error(`ffmpeg did not tell the sample rate of '${job.name}' (no output audio stream in its log)`);
  if (!out.channels) throw new Error(`unknown channel layout '${out.channelLayout ?? ""}' in ffmpeg's log for '${job.name}'`);
  return { sampleRate: out.sampleRate, channels: out.channels };
}

function audioWriter({ group, name, layout }: DecodedTarget, channels: number): RowWriter {
  // A rule's chunks decide the samples per append too: appends stay whole chunks. Uncompressed
  // chunks take their full size on disk, so they are small (a 1 s clip is not given 1 MiB).
  const rows = layout.chunks?.[0] ?? (isCompressed(layout) ? audioChunkRows(channels) : UNCOMPRESSED_CHUNK_ROWS);
  const create = () =>
    group.createDataset(name, {
      shape: [0, channels],
      maxshape: [null, channels],
      ...storageOptions({ ...layout, chunks: layout.chunks ?? [rows, channels] }, { dtype: "float32", shuffle: true }, true),
    });
  // ffmpeg writes little-endian floats (f32le); x64 and arm64 are little-endian too.
  return new RowWriter(4 * channels, rows, create, (bytes) => new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
}
