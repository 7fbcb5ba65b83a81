// Storage outside a file through the API (issue 17.5): File.open refuses to read a
// dataset's external raw data, a virtual dataset's sources and external links unless the file was
// opened with { external: "follow" }; Group.copyFile contains them unless { external: "keep" }.
// Files are written by h5py, and h5py reads the copies.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { File } from "../../src";
import { H5Error } from "../../src/h5/errors";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-external-");
const source = path.join(dir, "in", "src.h5");
const outside = path.join(dir, "outside.h5");

python(
  String.raw`import h5py, numpy as np, os, sys
d = sys.argv[1]; os.makedirs(f"{d}/in")
open(f"{d}/in/raw.bin", "wb").write(bytes(range(10, 26)))
with h5py.File(f"{d}/outside.h5", "w") as f: f["d"] = np.arange(4, dtype="i4") + 100
with h5py.File(f"{d}/in/src.h5", "w") as f:
    f.create_dataset("raw", shape=(4, 4), dtype="u1", external=[(f"{d}/in/raw.bin", 0, 16)])
    layout = h5py.VirtualLayout(shape=(4,), dtype="i4")
    layout[:] = h5py.VirtualSource(f"{d}/outside.h5", "d", shape=(4,))
    f.create_virtual_dataset("virtual", layout, fillvalue=-1)
    f["link"] = h5py.ExternalLink(f"{d}/outside.h5", "/d")
    f["plain"] = np.arange(3, dtype="i2")
print("{}")`,
  dir,
);

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof H5Error, `an H5Error, not ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test("File.open denies by default: reads of external raw data and virtual sources fail naming the file; an external link is not followed", async () => {
  const f = await File.open(source, "r");
  try {
    const raw = await f.dataset("raw");
    assert.equal(raw.outside, `external raw data '${dir}/in/raw.bin'`);
    assert.deepEqual(raw.shape, [4, 4], "its facts are known without reading");
    await rejectsWith(raw.read(), new RegExp(`^not read: its values are external raw data '${dir}/in/raw\\.bin' outside the file; .*"follow".*\\('/raw'\\)$`));
    const virtual = await f.dataset("virtual");
    assert.equal(virtual.outside, `virtual dataset sources '${outside}:d'`);
    await rejectsWith(virtual.read(), /^not read: its values are virtual dataset sources '.*outside\.h5:d' outside the file/);
    assert.equal(await f.has("link"), false, "a link not followed leads nowhere, as a dangling one");
    assert.deepEqual(await f.linkInfo("link"), { type: "external", file: outside, target: "/d" });
    await rejectsWith(f.get("link"), new RegExp(`^not followed: an external link to '${outside}:/d' is on the path; .*\\('/link'\\)$`));
    assert.deepEqual(Array.from((await (await f.dataset("plain")).read()).data as Int16Array), [0, 1, 2]);
  } finally {
    await f.close();
  }
});

test('{ external: "follow" } reads them as h5py does; a bad value is refused', async () => {
  const f = await File.open(source, "r", { external: "follow" });
  try {
    assert.deepEqual(Array.from((await (await f.dataset("raw")).read()).data as Uint8Array), Array.from({ length: 16 }, (_, i) => 10 + i));
    assert.deepEqual(Array.from((await (await f.dataset("virtual")).read()).data as Int32Array), [100, 101, 102, 103]);
    assert.deepEqual(Array.from((await (await f.dataset("link")).read()).data as Int32Array), [100, 101, 102, 103]);
  } finally {
    await f.close();
  }
  const denied = await File.open(source, "r");
  await rejectsWith(denied.get("link"), /not followed: an external link/);
  await denied.close();
  const followed = await File.open(source, "r", { external: "follow" });
  assert.equal(await followed.has("link"), true);
  await followed.close();
  await rejectsWith(File.open(source, "r", { external: "yes" as never }), /^invalid external access 'yes' \(use deny or follow\)/);
});

test('Group.copyFile contains storage outside the source by default and returns notes; { external: "keep" } copies it as h5py does', async () => {
  const output = path.join(dir, "copies.h5");
  const out = await File.open(output, "w");
  const src = await File.open(source, "r");
  try {
    const contained = await out.copyFile(src, "contained", { inputDirectory: fs.realpathSync(path.join(dir, "in")) });
    assert.deepEqual(contained, [
      "/contained/raw: external raw data '" + `${dir}/in/raw.bin` + "' copied from the input",
      `/contained/virtual: virtual dataset source '${outside}:d' is outside the input: not copied (fill values stand in, attr h5dat_not_copied)`,
      `/contained/link: external link to '${outside}:/d' is outside the input: not copied`,
    ]);
    assert.deepEqual(await out.copyFile(src, "nothingRead"), [
      `/nothingRead/raw: external raw data '${dir}/in/raw.bin' is outside the input: not copied (fill values stand in, attr h5dat_not_copied)`,
      `/nothingRead/virtual: virtual dataset source '${outside}:d' is outside the input: not copied (fill values stand in, attr h5dat_not_copied)`,
      `/nothingRead/link: external link to '${outside}:/d' is outside the input: not copied`,
    ]);
    assert.deepEqual(await out.copyFile(src, "kept", { external: "keep" }), []);
  } finally {
    await src.close();
    await out.close();
  }
  const seen = python<Record<string, unknown>>(
    String.raw`import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
def d(p): x = f[p]; return {"values": x[()].ravel().tolist(), "external": x.external is not None, "virtual": x.is_virtual}
print(json.dumps({"contained": [d("contained/raw"), d("contained/virtual"), sorted(f["contained"].keys())],
  "nothingRead": [d("nothingRead/raw"), f["nothingRead/raw"].attrs["h5dat_not_copied"]],
  "kept": [d("kept/raw"), d("kept/virtual"), type(f["kept"].get("link", getlink=True)).__name__]}))`,
    output,
  );
  const bytes = Array.from({ length: 16 }, (_, i) => 10 + i);
  assert.deepEqual(seen, {
    contained: [{ values: bytes, external: false, virtual: false }, { values: [-1, -1, -1, -1], external: false, virtual: false }, ["plain", "raw", "virtual"]],
    nothingRead: [{ values: new Array(16).fill(0), external: false, virtual: false }, `external raw data '${dir}/in/raw.bin' is outside the input: not copied`],
    kept: [{ values: bytes, external: true, virtual: false }, { values: [100, 101, 102, 103], external: false, virtual: true }, "ExternalLink"],
  });
});
