// dataset.dims() and dimsSync() report what h5py's ds.dims does: per axis the label and the
// attached scales (NAME and path), the scales' sizes, and whether a dataset is itself a scale
// (and its NAME), on an h5py file and on a NetCDF-4 file.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Dataset, File } from "../../src";
import { makeDimensionFiles } from "../helpers/dimension-files";
import { python, tempDir } from "../helpers/h5py";

const files = makeDimensionFiles(tempDir("h5dat-dims-"));

interface Seen {
  isScale: boolean;
  scaleName: string | null;
  axes: { label: string; scales: { path: string; name: string; size: number; unlimited: boolean }[] }[];
}

/** h5py's view of every dataset's dims. */
function h5pyDims(file: string): Record<string, Seen> {
  return python(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
out = {}
def each(name, obj):
    if not isinstance(obj, h5py.Dataset): return
    is_scale = h5py.h5ds.is_scale(obj.id)
    scale_name = h5py.h5ds.get_scale_name(obj.id) if is_scale else None
    out["/" + name] = {
        "isScale": is_scale,
        "scaleName": None if scale_name is None else scale_name.decode(),
        "axes": [{"label": dim.label, "scales": [{"path": s.name, "name": k, "size": s.shape[0], "unlimited": s.maxshape[0] is None}
                                                for k, s in zip(dim.keys(), dim.values())]} for dim in obj.dims],
    }
f.visititems(each)
print(json.dumps(out))`, file);
}

for (const [label, file] of [["h5py", files.scales], ["NetCDF-4", files.netcdf]] as const) {
  test(`dims of every dataset of the ${label} file equal h5py's ds.dims, async and sync`, async () => {
    const expected = h5pyDims(file);
    const h5 = await File.open(file, "r");
    try {
      const seen: Record<string, Seen> = {};
      for (const path of Object.keys(expected)) {
        const dataset = await h5.get(path);
        assert.ok(dataset instanceof Dataset);
        const dims = await dataset.dims();
        assert.deepEqual(dataset.dimsSync(), dims);
        seen[path] = {
          isScale: dims.isScale,
          scaleName: dims.scaleName,
          axes: dims.axes.map((a) => ({ label: a.label, scales: a.scales.map((s) => ({ path: s.path, name: s.name, size: s.size!, unlimited: s.unlimited })) })),
        };
        await dataset.close();
      }
      assert.deepEqual(seen, expected);
      assert.ok(Object.values(seen).some((d) => d.axes.some((a) => a.scales.length > 0)), "the file has attached scales");
    } finally {
      await h5.close();
    }
  });
}

test("NetCDF-4 dimension names: coordinate variables by NAME, a dimension without a variable by its dataset's name", async () => {
  const h5 = await File.open(files.netcdf, "r");
  try {
    const bounds = (await h5.get("/lat_bnds")) as Dataset;
    const dims = await bounds.dims();
    assert.deepEqual(dims.axes.map((a) => a.scales.map((s) => [s.dimension, s.coordinate])), [[["lat", true]], [["nv", false]]]);
    const time = (await h5.get("/time")) as Dataset;
    assert.deepEqual([(await time.dims()).isScale, (await time.dims()).scaleName], [true, "time"]);
  } finally {
    await h5.close();
  }
});

test("dims() of a closed dataset fails with an H5Error, not a crash", async () => {
  const h5 = await File.open(files.scales, "r");
  const data = (await h5.get("/data")) as Dataset;
  await h5.close();
  await assert.rejects(data.dims(), /closed/);
});
