// Audio (mp3, wav, flac, ogg, opus, m4a — or the audio track of a video) decoded by ffmpeg into
// float32 samples, streamed straight into an extensible dataset [samples, channels]. Sample rate,
// channels and codec come from ffmpeg's own log of the same run.
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { GZIP, isCompressed, storageOptions, type DatasetLayout } from "./layout";
import { checkOption, type FfmpegOptions } from "./ffmpeg";
import type { MediaInput } from "./ffmpeg-input";
import type { FfmpegJob } from "./ffmpeg-process";
import { sourceStream } from "./ffmpeg-log";
import { rawOutputArgs, RowWriter, writeDecoded } from "./media-writer";

export type { MediaInput } from "./ffmpeg-input";

/** How audio is decoded: the time range and the sample rate. */
export interface AudioOptions extends FfmpegOptions {
  /** Start at this time (seconds). */
  start?: number;
  /** Take this many seconds (from `start`). */
  duration?: number;
  /** Resample to this rate (Hz); default: the source's rate. */
  sample_rate?: number;
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
  checkOption("sample_rate", options.sample_rate, { integer: true });
  const resample = options.sample_rate !== undefined ? ["-ar", String(options.sample_rate)] : [];
  return rawOutputArgs("0:a:0", resample, options.duration, ["-f", "f32le", "-acodec", "pcm_f32le"]);
}

/**
 * Decodes the first audio stream of `input` and stores it as `name` in `group`: float32
 * [samples, channels] (channels interleaved as ffmpeg decodes them, in the source's layout
 * order), chunked 64 Ki–256 Ki samples per chunk (or a rule's chunks), gzip + shuffle unless the
 * layout says "none".
 * Attrs: sample_rate, channels (int64), duration_s (float64: samples / sample_rate, what is
 * stored), codec (string: the source's codec, e.g. mp3). Rejects, leaving no dataset behind, when
 * ffmpeg cannot decode it (its own words in the message) or there is no audio stream.
 */
export async function writeAudio(group: Group, name: string, input: MediaInput, options: AudioOptions, layout: DatasetLayout = GZIP): Promise<Dataset> {
  return writeDecoded(group, name, input, options, {
    kind: "audio",
    outputArgs: audioArgs(options),
    async open(job) {
      const format = await outputFormat(job);
      return { format, writer: audioWriter(group, name, format.channels, layout) };
    },
    attrs(job, { sampleRate, channels }, samples) {
      return [
        { sample_rate: sampleRate, channels, duration_s: samples / sampleRate, codec: sourceStream(job.banner, "audio")?.codec ?? "unknown" },
        { sample_rate: { dtype: "int64" }, channels: { dtype: "int64" }, duration_s: { dtype: "float64" } },
      ];
    },
  });
}

/** Rate and channels from ffmpeg's "Output #0 ... Audio: pcm_f32le, 16000 Hz, mono, flt" line. */
async function outputFormat(job: FfmpegJob): Promise<{ sampleRate: number; channels: number }> {
  await job.outputReady();
  const out = job.banner.output.streams.find((s) => s.kind === "audio");
  if (!out?.sampleRate) throw new Error(`ffmpeg did not tell the sample rate of '${job.name}' (no output audio stream in its log)`);
  if (!out.channels) throw new Error(`unknown channel layout '${out.channelLayout ?? ""}' in ffmpeg's log for '${job.name}'`);
  return { sampleRate: out.sampleRate, channels: out.channels };
}

function audioWriter(group: Group, name: string, channels: number, layout: DatasetLayout): RowWriter {
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
