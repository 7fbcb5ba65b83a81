// The worker thread behind the Sync image helpers (image-sync.ts): sharp has only a Promise API,
// so a Sync call posts its request here and sleeps on a shared flag until the reply is posted.
import { workerData, type MessagePort } from "node:worker_threads";
import { decodeImage } from "../processors/image";
import { encodeImage } from "./image-encode";
import type { ImageRequest, ImageReply } from "./image-sync";
import { messageOf } from "../error-message";

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

port.on("message", async (request: ImageRequest) => {
  let reply: ImageReply;
  try {
    const value = request.kind === "decode" ? await decodeImage(request.bytes) : await encodeImage(request.pixels, request.format, request.options);
    reply = { ok: true, value };
  } catch (error) {
    reply = { ok: false, name: error instanceof Error ? error.name : "Error", message: messageOf(error) };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
