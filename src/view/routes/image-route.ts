// GET /api/image.png?path=P&frame=k: an image dataset as PNG through the reader's own path
// (readImage, then the PNG encoder: 16-bit kept, grey kept). CMYK pixels, which the encoder
// refuses to turn into a file, are shown turned into RGB the naive way (no colour profile):
// a picture to look at, not a conversion.
import { readImage } from "../../read/images";
import { encodeImage, type ImagePixels } from "../../read/image-encode";
import { VIEW_LIMITS } from "../limits";
import { pngReply } from "../reply";
import { checkBound } from "../view-error";
import { asDataset } from "./datasets";
import type { Route } from "./route";

/** CMYK samples (0 = no ink) as RGB for the screen: R = (1 − C)(1 − K), and so on. */
export function cmykToRgb(pixels: ImagePixels): ImagePixels {
  const max = pixels.bitDepth === 16 ? 65535 : 255;
  const count = pixels.width * pixels.height * pixels.frames;
  const rgb = pixels.bitDepth === 16 ? new Uint16Array(count * 3) : new Uint8Array(count * 3);
  const from = pixels.data;
  for (let i = 0; i < count; i++) {
    const white = 1 - from[i * 4 + 3] / max;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round(max * (1 - from[i * 4 + c] / max) * white);
  }
  return { ...pixels, data: rgb, channels: 3, colourModel: "RGB", shape: [...pixels.shape.slice(0, -1), 3] };
}

/** An image (a frame of an animation) as PNG. */
export const imageRoute: Route = (file, query) => {
  const path = query.objectPath();
  return file.withObject(path, async (member) => {
    const dataset = asDataset(member, path);
    checkBound(dataset.size, VIEW_LIMITS.imageSamples, "image samples");
    let pixels = await readImage(dataset);
    const frame = query.integer("frame", 0, 0, pixels.frames - 1);
    if (pixels.colourModel === "CMYK") pixels = cmykToRgb(pixels);
    return pngReply(await encodeImage(pixels, "png", { frame }));
  });
};
