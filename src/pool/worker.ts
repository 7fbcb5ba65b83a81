// A worker process: decodes images sent by the parent and sends the pixels back. It never
// touches the HDF5 file: the parent is the one writer.
import sharp from "sharp";
import { decodeImage } from "../processors/image";
import type { DecodeReply, DecodeRequest } from "./messages";

// Parallelism comes from the worker processes; libvips threads inside each would oversubscribe.
sharp.concurrency(1);

process.on("message", (request: DecodeRequest) => {
  decodeImage(request.bytes, request.options).then(
    (image) => process.send!({ id: request.id, ok: true, image } satisfies DecodeReply),
    (error: unknown) => process.send!({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies DecodeReply),
  );
});
