// Anything allowed that no other processor takes: its raw bytes as a uint8 dataset.
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import type { CreateDatasetOptions } from "../h5/dataset-creation";

/** Stores `bytes` as a 1-D uint8 dataset (chunked and compressed when `compression` is given). */
export async function writeBytes(group: Group, name: string, bytes: Uint8Array, compression: CreateDatasetOptions["compression"]): Promise<Dataset> {
  const filtered = compression !== undefined && compression !== "none" && bytes.length > 0;
  return group.createDataset(name, {
    dtype: "uint8",
    shape: [bytes.length],
    data: bytes,
    ...(filtered ? { compression, chunks: [Math.min(bytes.length, 1 << 20)] } : {}),
  });
}
