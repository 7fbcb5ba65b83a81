// The audio processor: audio decoded by ffmpeg as it streams in, float32 samples into a
// [samples, channels] dataset as they come (audio.ts).
import { audioDecoding, type AudioOptions } from "./audio";
import { writeDecoded } from "./media-writer";
import { camelKeys, snakeKeys } from "./option-keys";
import type { StreamingProcessor } from "./processor";

const seconds = { type: "number", minimum: 0 } as const;

/** Audio to float32 [samples, channels], decoded by ffmpeg as it streams in. */
export const audioProcessor: StreamingProcessor<"audio"> = {
  name: "audio",
  options: {
    start: { description: "Seconds into the audio to start at.", ...seconds },
    duration: { description: "Seconds of audio to keep.", type: "number", exclusiveMinimum: 0 },
    sample_rate: { description: "Resample to this rate (Hz).", type: "integer", minimum: 1 },
  },
  takes: (kind) => kind.category === "audio",
  // Rule options are snake_case (max_frames), as the config file and the stored attrs write them.
  defaults: (settings) => snakeKeys(settings.audio ?? {}),
  notEmpty: "an empty file is not audio",
  prepares: "writer",
  streams: "always",
  writeStream: (group, name, input, options, layout, signal) => writeDecoded(audioDecoding, group, name, input, { ...camelKeys<AudioOptions>(options), signal }, layout),
};
