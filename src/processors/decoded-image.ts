// What decoding an image gives, shared by the decoders (image.ts through sharp, tiff.ts) and
// their readers: types only, so that the decoders need not import one another for them.
import type { PixelArray, PixelType } from "./pixel-type";

/** What the channels are (alpha aside): stored as the Image spec's IMAGE_COLORMODEL unless grey. */
export type ColourModel = "GREY" | "RGB" | "CMYK";

/** An image's decoded pixels, and what they are. */
export interface DecodedImage {
  data: PixelArray;
  /** [height, width] for grey, [height, width, channels] otherwise; [frames, ...] when animated. */
  shape: number[];
  /** Frames decoded (1 unless `animated` and the image has more). */
  frames: number;
  width: number;
  height: number;
  channels: number;
  /** Bits per sample: 8 or 16 (unsigned), or 32/64 with `sampleType`. */
  bitDepth: 8 | 16 | 32 | 64;
  /** The samples' type when not unsigned 8/16-bit (a float32 or int32 TIFF); default by `bitDepth`. */
  sampleType?: PixelType;
  /** What the channels are (alpha aside): stored as the Image spec's IMAGE_COLORMODEL unless grey. */
  colourModel: ColourModel;
  /** The source format as sharp names it (png, jpeg, gif, tiff, webp, heif, svg, ...). */
  format: string;
  /**
   * Pages in the file, when `animated` asked for all but only page 0 is stored: the pages of a
   * multi-page TIFF differ in size, so no [P, H, W, C] holds them (stored as the attr page_count).
   */
  pageCount?: number;
  /** Decoded for a stack with --resize: a grey, alpha or CMYK image was made 8-bit RGB (stack-image.ts). */
  convertedToRgb?: boolean;
}
