// sharp for the Sync helpers: one worker thread (started on first use, never keeping the process
// alive) runs decodeImage/encodeImage while the calling thread waits on an Atomics flag, then
// takes the reply from the message port synchronously.
import path from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { DecodedImage } from "../processors/image";
import type { EncodeOptions, ImageFormat, ImagePixels } from "./image-encode";

/** What the image worker is asked: decode bytes, or encode pixels. */
export type ImageRequest =
  | { kind: "decode"; bytes: Uint8Array }
  | { kind: "encode"; pixels: ImagePixels; format: ImageFormat; options: EncodeOptions };

/** The image worker's answer: the value, or the error's name and message. */
export type ImageReply = { ok: true; value: unknown } | { ok: false; name: string; message: string };

/** Longest wait for one image (a huge TIFF on a loaded machine). */
const TIMEOUT_MS = 5 * 60 * 1000;

// signal[0]: 0 while a request is out, 1 when its reply is posted, 2 once the worker is gone.
const REPLIED = 1;
const GONE = 2;

let channel: { port: MessagePort; signal: Int32Array } | null = null;

function start(): { port: MessagePort; signal: Int32Array } {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // Run from TypeScript sources (tsx), the worker registers tsx's require hook first. A worker
  // that cannot start, or dies, says so on the port and marks the flag: no call waits for it.
  const file = path.join(__dirname, `image-worker${path.extname(__filename)}`);
  const hook = file.endsWith(".ts") ? `require(${JSON.stringify(require.resolve("tsx/cjs"))});` : "";
  const bootstrap = `const { workerData } = require("node:worker_threads");
process.on("exit", () => { Atomics.store(workerData.signal, 0, ${GONE}); Atomics.notify(workerData.signal, 0); });
try { ${hook}require(${JSON.stringify(file)}); } catch (error) {
  workerData.port.postMessage({ ok: false, name: "Error", message: "the image worker could not start: " + (error && error.message) });
  process.exit(1);
}`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { port: port2, signal }, transferList: [port2] });
  worker.unref();
  port1.unref();
  worker.on("error", () => undefined); // the flag and the port tell the waiting call
  return { port: port1, signal };
}

function callSync<T>(request: ImageRequest): T {
  channel ??= start();
  const { port, signal } = channel;
  Atomics.compareExchange(signal, 0, REPLIED, 0);
  if (Atomics.load(signal, 0) !== GONE) port.postMessage(request);
  if (Atomics.wait(signal, 0, 0, TIMEOUT_MS) === "timed-out") {
    channel = null;
    throw new Error(`the image worker did not answer within ${TIMEOUT_MS / 1000} s`);
  }
  const reply = receiveMessageOnPort(port)?.message as ImageReply | undefined;
  if (Atomics.load(signal, 0) === GONE) channel = null; // the next call starts a new worker
  if (!reply) throw new Error("the image worker stopped without answering");
  if (!reply.ok) {
    const error = new Error(reply.message);
    error.name = reply.name;
    throw error;
  }
  return reply.value as T;
}

/** Decodes image bytes, blocking until the image worker is done. */
export function decodeImageSync(bytes: Uint8Array): DecodedImage {
  return callSync<DecodedImage>({ kind: "decode", bytes });
}

/** Encodes pixels, blocking until the image worker is done. */
export function encodeImageSync(pixels: ImagePixels, format: ImageFormat, options: EncodeOptions = {}): Buffer {
  const bytes = callSync<Uint8Array>({ kind: "encode", pixels, format, options });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
