// GET /api/bytes?path=P&offset=&length=: a window of a 1-D byte dataset (a file kept as it was,
// encoded image bytes), read by hyperslab, for the hex preview.
import { VIEW_LIMITS } from "../limits";
import { jsonReply } from "../reply";
import { checkBound, ViewError } from "../view-error";
import { asDataset } from "./datasets";
import type { Route } from "./route";

/** Bytes [offset, offset + length) as base64, with the dataset's length. */
export const bytesRoute: Route = (file, query) => {
  const path = query.objectPath();
  const offset = query.integer("offset", 0);
  const length = query.integer("length", 4096, 0);
  checkBound(length, VIEW_LIMITS.hexBytes, "bytes");
  return file.withObject(path, async (member) => {
    const dataset = asDataset(member, path);
    if (dataset.shape?.length !== 1 || dataset.itemsize !== 1 || typeof dataset.dtype !== "string") throw new ViewError(400, `'${path}' is not a 1-D dataset of bytes`);
    const total = dataset.shape[0];
    const start = Math.min(offset, total);
    const count = Math.min(length, total - start);
    const data = count > 0 ? ((await dataset.read({ start: [start], count: [count] })).data as Uint8Array | Int8Array) : new Uint8Array(0);
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return jsonReply({ total, offset: start, base64: bytes.toString("base64") });
  });
};
