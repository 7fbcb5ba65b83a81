// Anything allowed that no other processor takes: its raw bytes as a uint8 dataset. Small
// entries are written in one go; large ones are streamed in, a chunk at a time, so no entry is
// ever held whole in memory.
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import type { CreateDatasetOptions } from "../h5/dataset-creation";

/** Chunk size of byte datasets: one chunk holds up to 1 MiB. */
export const BYTES_CHUNK = 1 << 20;

type Compression = CreateDatasetOptions["compression"];

const isFiltered = (compression: Compression) => compression !== undefined && compression !== "none";

/** Stores `bytes` as a 1-D uint8 dataset (chunked and compressed when `compression` is given). */
export async function writeBytes(group: Group, name: string, bytes: Uint8Array, compression: Compression): Promise<Dataset> {
  const filtered = isFiltered(compression) && bytes.length > 0;
  return group.createDataset(name, {
    dtype: "uint8",
    shape: [bytes.length],
    data: bytes,
    ...(filtered ? { compression, chunks: [Math.min(bytes.length, BYTES_CHUNK)] } : {}),
  });
}

/**
 * Streams `blocks` into an extensible 1-D uint8 dataset. Blocks of any size are regrouped into
 * whole chunks before they are appended: a write covering part of a compressed chunk would make
 * HDF5 read, inflate and rewrite that chunk for every block.
 */
export async function writeByteStream(group: Group, name: string, blocks: AsyncIterable<Uint8Array>, compression: Compression): Promise<Dataset> {
  const dataset = await group.createDataset(name, {
    dtype: "uint8",
    shape: [0],
    maxshape: [null],
    chunks: [BYTES_CHUNK],
    ...(isFiltered(compression) ? { compression } : {}),
  });
  try {
    const pending = Buffer.allocUnsafe(BYTES_CHUNK);
    let filled = 0;
    for await (const block of blocks) {
      let offset = 0;
      while (offset < block.length) {
        const left = block.length - offset;
        if (filled === 0 && left >= BYTES_CHUNK) {
          // Whole chunks straight from the block, without a copy.
          const whole = left - (left % BYTES_CHUNK);
          await dataset.append(block.subarray(offset, offset + whole));
          offset += whole;
          continue;
        }
        const taken = Math.min(BYTES_CHUNK - filled, left);
        pending.set(block.subarray(offset, offset + taken), filled);
        filled += taken;
        offset += taken;
        if (filled === BYTES_CHUNK) {
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
