// allocate(): zeroed typed arrays whose memory, from 2 MiB up, is marked for transparent huge pages
// (binding/memory/large_block.h), and reads, whose buffers come from the same allocator. The mark is
// checked in the kernel's own account (/proc/self/smaps, VmFlags "hg"); values are checked
// against h5py's reading of what h5dat wrote, and h5dat's reading of what h5py wrote.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { allocate, File } from "../../src";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-allocate-");
const hasThp = fs.existsSync("/sys/kernel/mm/transparent_hugepage/enabled");

/** KiB of this process's mappings marked MADV_HUGEPAGE. */
function hugePageMarkedKiB(): number {
  let total = 0;
  let size = 0;
  for (const line of fs.readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const sized = /^Size:\s+(\d+) kB/.exec(line);
    if (sized) size = Number(sized[1]);
    if (line.startsWith("VmFlags:") && line.split(/\s+/).includes("hg")) total += size;
  }
  return total;
}

test("allocate gives a zeroed array of the dtype's class and length", () => {
  const cases = [
    ["int8", Int8Array], ["int16", Int16Array], ["int32", Int32Array], ["int64", BigInt64Array],
    ["uint8", Uint8Array], ["uint16", Uint16Array], ["uint32", Uint32Array], ["uint64", BigUint64Array],
    ["float32", Float32Array], ["float64", Float64Array],
  ] as const;
  for (const [name, View] of cases) {
    for (const length of [0, 1, 1000, (3 << 20) / View.BYTES_PER_ELEMENT + 5]) {
      const array = allocate(name, length);
      assert.ok(array instanceof View, `${name} gives a ${View.name}`);
      assert.equal(array.length, length);
      assert.ok(array.every((v: number | bigint) => v == 0), `${name}[${length}] starts zeroed`);
    }
  }
});

test("allocate refuses what is not a numeric dtype or not a length", () => {
  assert.throws(() => allocate("string" as "uint8", 4), { name: "TypeError", message: /'string' is not a numeric dtype/ });
  assert.throws(() => allocate("uint8", -1), { name: "RangeError", message: /length must be a whole number >= 0, not -1/ });
  assert.throws(() => allocate("uint8", 1.5), { name: "RangeError", message: /not 1.5/ });
});

test("a large allocation is marked for huge pages; a small one and a plain Float32Array are not", { skip: !hasThp && "no transparent huge pages here" }, () => {
  const before = hugePageMarkedKiB();
  const small = allocate("float32", 1000);
  const plain = new Float32Array(8 << 20);
  plain.fill(1);
  assert.equal(hugePageMarkedKiB(), before, "neither a small allocation nor V8's own memory is marked");
  const large = allocate("float32", 8 << 20);
  large.fill(1);
  assert.ok(hugePageMarkedKiB() - before >= 32 << 10, "the 32 MiB array's pages are marked");
  assert.equal(small.length + plain.length, 1000 + (8 << 20));
});

test("an allocated array writes what h5py reads, and a large read returns what h5py wrote", async () => {
  const file = path.join(dir, "large.h5");
  const values = allocate("float32", 4 << 20);
  for (let i = 0; i < values.length; i++) values[i] = (i % 4099) * 0.25 - 7;
  const f = await File.open(file, "w");
  await f.createDataset("written", { data: values, shape: [4096, 1024], chunks: [256, 1024] });
  await f.close();
  const seen = python<{ sum: number; first: number[]; last: number }>(
    `
import sys, json, h5py, numpy as np
with h5py.File(sys.argv[1], "a") as f:
    d = f["written"][...]
    f["by_h5py"] = np.arange(3 << 20, dtype="<i8") * 3 - 5
print(json.dumps({"sum": float(d.astype("f8").sum()), "first": d[0, :3].tolist(), "last": float(d[-1, -1])}))
`,
    file,
  );
  let sum = 0;
  for (const v of values) sum += v;
  assert.equal(seen.sum, sum);
  assert.deepEqual(seen.first, [-7, -6.75, -6.5]);
  assert.equal(seen.last, values[values.length - 1]);

  const g = await File.open(file, "r");
  const { data } = await (await g.dataset("by_h5py")).read();
  await g.close();
  assert.ok(data instanceof BigInt64Array);
  assert.equal(data.length, 3 << 20);
  for (let i = 0; i < data.length; i += 4093) assert.equal(data[i], BigInt(i) * 3n - 5n);
  assert.equal(data[data.length - 1], BigInt((3 << 20) - 1) * 3n - 5n);
});
