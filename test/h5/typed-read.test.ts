// read()'s data typed by the dtype (issue 18): group.dataset(path, dtype) checks the dtype when it
// opens the dataset and types read() by it, as createDataset does with a literal dtype. The
// assignments below are the type test (tsc --noEmit fails when a type is wrong); the values are
// checked against h5py.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { File, H5Error, type Dataset } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const file = path.join(tempDir(), "typed.h5");

test("a dtype given to dataset() types read(), and a wrong one is refused", async () => {
  const w = await File.open(file, "w");
  const made = await w.createDataset("f32", { dtype: "float32", shape: [2, 3], data: [1.5, 2, 3, 4, 5, 6.25] });
  const madeData: Float32Array = (await made.read()).data;
  assert.ok(madeData instanceof Float32Array);
  await w.createDataset("i64", { dtype: ">int64", data: BigInt64Array.of(-1n, 2n ** 40n) });
  await w.createDataset("names", { dtype: "string", data: ["a", "bé"] });
  await w.close();

  const expected = python<{ f32: number[][]; i64: string[]; names: string[] }>(`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(json.dumps({"f32": f["f32"][()].tolist(), "i64": [str(v) for v in f["i64"][()]], "names": [s.decode() for s in f["names"][()]]}))`, file);

  const f = await File.open(file, "r");
  try {
    const f32 = await f.dataset("f32", "float32");
    const whole: Float32Array = (await f32.read()).data;
    assert.deepEqual(Array.from(whole), expected.f32.flat());
    const column: Float32Array = f32.sliceSync(null, 2).data;
    assert.deepEqual(Array.from(column), expected.f32.map((row) => row[2]));
    // @ts-expect-error: a float32 dataset's data is no Int16Array
    const wrong: Int16Array = (await f32.read()).data;
    assert.ok(wrong instanceof Float32Array);

    const i64: BigInt64Array = (await f.dataset("i64", ">int64")).readSync().data;
    assert.deepEqual(Array.from(i64, String), expected.i64);
    const names: string[] = (await (await f.dataset("names", "string")).read("1:")).data;
    assert.deepEqual(names, expected.names.slice(1));

    // Without a dtype the data is unknown, as before; a typed dataset is still a Dataset.
    const plain = await f.dataset("f32");
    const data: unknown = (await plain.read()).data;
    assert.ok(data instanceof Float32Array);
    const any: Dataset = f32;
    assert.equal(any.name, "/f32");

    await assert.rejects(f.dataset("f32", "int16"), (e: unknown) => e instanceof H5Error && /'\/f32' is float32, not int16/.test(e.message));
    assert.throws(() => f.datasetSync("i64", "int64"), /'\/i64' is >int64, not int64/);
  } finally {
    await f.close();
  }
});
