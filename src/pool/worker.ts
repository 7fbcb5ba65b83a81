// A worker process: prepares entries sent by the parent (decodes images, parses JSON and CSV)
// and sends the results back, one reply per task. It never touches the HDF5 file: the parent is
// the one writer.
import { loadSharp } from "../processors/sharp-module";
import { prepare } from "../processors/prepare";
import type { WorkReply, WorkRequest } from "./messages";
import { pixelTarget, reuseFiles, SHARED_DIR_ENV, sharePixels } from "./pixel-files";
import { messageOf } from "../error-message";

const sharedDir = process.env[SHARED_DIR_ENV];
/** Plain JPEGs are decoded straight into a pixel file. */
const pixels = (byteLength: number) => pixelTarget(sharedDir, byteLength);

// Set before any image is decoded, so a worker loads sharp as it starts.
const sharp = loadSharp();
// Parallelism comes from the worker processes; libvips threads inside each would oversubscribe.
sharp.concurrency(1);
// libvips caches recent operations (up to 50 MB): every entry is new, so the cache only holds memory.
sharp.cache(false);

// The worker runs in a session of its own (fork-pool.ts), so no terminal signal ends it: the
// parent closing the IPC channel (it exited, or was killed) does. Pixel files left behind are the
// parent's shared directory to remove.
process.on("disconnect", () => process.exit(0));

// Tasks run one after another, in the order they came, so the parent knows which one a crash hit.
let queue: Promise<void> = Promise.resolve();

process.on("message", (request: WorkRequest) => {
  if ("peakRss" in request) {
    process.send!({ peakRssKb: process.resourceUsage().maxRSS } satisfies WorkReply);
    return;
  }
  if (request.reusable) reuseFiles(request.reusable);
  for (const { id, task } of request.tasks) {
    queue = queue.then(() =>
      prepare(task, pixels).then(
        (result) => {
          const shared = sharePixels(result, sharedDir);
          process.send!({ id, ok: true, result, ...(shared ? { shared } : {}) } satisfies WorkReply);
        },
        (error: unknown) => void process.send!({ id, ok: false, message: messageOf(error) } satisfies WorkReply),
      ),
    );
  }
});
