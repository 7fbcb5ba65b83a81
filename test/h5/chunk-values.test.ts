// Dataset.readChunkValues against h5py's slices: every chunk of datasets h5py wrote with each
// filter pipeline (none, gzip, shuffle+gzip, fletcher32), edge chunks cut to the dataset's end,
// and offsets that are not a chunk's refused.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { File } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-chunk-values-");
const file = path.join(dir, "pipelines.h5");
const PIPELINES: Record<string, string> = { plain: "", gzip: ', compression="gzip"', shuffled: ', compression="gzip", shuffle=True', checked: ', fletcher32=True' };

test("each chunk's values equal h5py's slice of it, whatever the pipeline; edge chunks are cut", async () => {
  const want = python<Record<string, Record<string, number[]>>>(`import h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], "w")
values = (np.arange(7 * 5, dtype=np.int32) * 1000 - 9000).reshape(7, 5)
out = {}
for name, extra in json.loads(sys.argv[2]).items():
    d = eval(f'f.create_dataset(name, data=values, chunks=(3, 2){extra})')
    out[name] = {f"{r},{c}": values[r:r + 3, c:c + 2].flatten().tolist() for r in range(0, 7, 3) for c in range(0, 5, 2)}
print(json.dumps(out))`, file, JSON.stringify(PIPELINES));
  const h5 = await File.open(file, "r");
  try {
    for (const name of Object.keys(PIPELINES)) {
      const dataset = await h5.dataset(name);
      for (const [offset, values] of Object.entries(want[name])) {
        const [r, c] = offset.split(",").map(Number);
        const chunk = await dataset.readChunkValues([r, c]);
        assert.deepEqual([Array.from(chunk.data as Int32Array), chunk.shape], [values, [Math.min(3, 7 - r), Math.min(2, 5 - c)]], `${name} [${offset}]`);
        assert.deepEqual(Array.from(dataset.readChunkValuesSync([r, c]).data as Int32Array), values);
      }
      await assert.rejects(dataset.readChunkValues([1, 0]), /\[1, 0\] is not the offset of a chunk of \[7, 5\] in chunks of \[3, 2\]/);
      await assert.rejects(dataset.readChunkValues([9, 0]), /is not the offset of a chunk/);
      await dataset.close();
    }
  } finally {
    await h5.close();
  }
});
