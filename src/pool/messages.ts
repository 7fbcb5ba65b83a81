// What crosses between the converter and its worker processes. Sent with Node's "advanced"
// serialization (structured clone): typed arrays travel as bytes, not as JSON text.
import type { DecodedImage, ImageOptions } from "../processors/image";

export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
  options: ImageOptions;
}

export type DecodeReply = { id: number; ok: true; image: DecodedImage } | { id: number; ok: false; message: string };
