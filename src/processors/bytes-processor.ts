// The bytes processor: what no other processor takes, and what an entry its processor failed on is
// kept as (the fallback), stored as its raw bytes; large entries stream in as they are read.
import { writeBytes, writeByteStream } from "./bytes";
import type { WritingProcessor } from "./processor";

/** Raw bytes, whole or streamed: the fallback. */
export const bytesProcessor: WritingProcessor<"bytes"> = {
  name: "bytes",
  options: {},
  // It takes nothing itself: it is the registry's fallback, for what no processor takes.
  takes: () => false,
  defaults: () => ({}),
  prepares: "writer",
  streams: "large",
  write: async (group, name, bytes, layout) => ({ object: await writeBytes(group, name, bytes, layout), notes: [] }),
  writeBlocks: writeByteStream,
};
