// Anything allowed that no other processor takes: its raw bytes as a uint8 dataset. Small
// entries are written in one go; large ones are streamed in, a chunk at a time, so no entry is
// ever held whole in memory.
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { storageOptions, type DatasetLayout } from "./layout";

/** Chunk size of byte datasets: one chunk holds up to 1 MiB. */
export const BYTES_CHUNK = 1 << 20;

/** Stores `bytes` as a 1-D uint8 dataset (chunked and compressed unless the layout says "none"). */
export async function writeBytes(group: Group, name: string, bytes: Uint8Array, layout: DatasetLayout): Promise<Dataset> {
  return group.createDataset(name, {
    shape: [bytes.length],
    data: bytes,
    ...storageOptions(layout, { dtype: "uint8", chunks: [Math.max(1, Math.min(bytes.length, BYTES_CHUNK))] }, true),
  });
}

/**
 * Streams `blocks` into an extensible 1-D uint8 dataset. Blocks of any size are regrouped into
 * whole chunks before they are appended: a write covering part of a compressed chunk would make
 * HDF5 read, inflate and rewrite that chunk for every block.
 */
export async function writeByteStream(group: Group, name: string, blocks: AsyncIterable<Uint8Array>, layout: DatasetLayout): Promise<Dataset> {
  const chunk = layout.chunks?.[0] ?? BYTES_CHUNK;
  const dataset = await group.createDataset(name, {
    shape: [0],
    maxshape: [null],
    ...storageOptions({ ...layout, chunks: [chunk] }, { dtype: "uint8" }, true),
  });
  try {
    const pending = Buffer.allocUnsafe(chunk);
    let filled = 0;
    for await (const block of blocks) {
      let offset = 0;
      while (offset < block.length) {
        const left = block.length - offset;
        if (filled === 0 && left >= chunk) {
          // Whole chunks straight from the block, without a copy.
          const whole = left - (left % chunk);
          await dataset.append(block.subarray(offset, offset + whole));
          offset += whole;
          continue;
        }
        const taken = Math.min(chunk - filled, left);
        pending.set(block.subarray(offset, offset + taken), filled);
        filled += taken;
        offset += taken;
        if (filled === chunk) {
          await dataset.append(pending);
          filled = 0;
        }
      }
    }
    if (filled > 0) await dataset.append(pending.subarray(0, filled));
    return dataset;
  } catch (error) {
    await dataset.close();
    throw error;
  }
}
