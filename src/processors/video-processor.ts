// The video processor: videos (and animated GIFs with --gif-as-video) decoded by ffmpeg as they
// stream in, frames into a [T, H, W, 3] dataset as they come (video.ts).
import { isGifAsVideo } from "./image-processor";
import type { StreamingProcessor } from "./processor";
import { videoDecoding, type VideoOptions } from "./video";
import { writeDecoded } from "./media-writer";
import { camelKeys, snakeKeys } from "./option-keys";

const seconds = { type: "number", minimum: 0 } as const;

/** Videos to [T, H, W, 3] frames, decoded by ffmpeg as they stream in. */
export const videoProcessor: StreamingProcessor<"video"> = {
  name: "video",
  options: {
    fps: { description: "Frames per second to sample (default: the video's own rate).", type: "number", exclusiveMinimum: 0 },
    max_frames: { description: "Most frames to keep.", type: "integer", minimum: 1 },
    scale: { description: "Largest side in pixels: larger frames are scaled down, aspect ratio kept.", type: "integer", minimum: 1 },
    start: { description: "Seconds into the video to start at.", ...seconds },
    duration: { description: "Seconds of video to keep.", type: "number", exclusiveMinimum: 0 },
  },
  // `--images encoded` keeps an animated GIF as its bytes, --gif-as-video or not.
  takes: (kind, settings) => kind.category === "video" || (kind.category === "image" && settings.images !== "encoded" && isGifAsVideo(kind, settings)),
  // Rule options are snake_case (max_frames), as the config file and the stored attrs write them.
  defaults: (settings) => snakeKeys(settings.video ?? {}),
  notEmpty: "an empty file is not a video",
  prepares: "writer",
  streams: "always",
  writeStream: (group, name, input, options, layout, signal) => writeDecoded(videoDecoding, group, name, input, { ...camelKeys<VideoOptions>(options), signal }, layout),
};
