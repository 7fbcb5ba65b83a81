// What one stack row costs the writer: appending a [1, 224, 224, 3] gzip image alone, and with the
// one-element label and size appends StackedWriter.write makes per row (chunks of 65,536, gzip),
// against the same columns unfiltered and in 4,096-element chunks. bench/NOTES.md (P3 stacked)
// quotes it. ms per row, 2,000 rows, each variant twice:
//
//   node --import tsx bench/stack-append-cost.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { File } from "../src";

interface Columns {
  chunk: number;
  gzip: boolean;
}

const ROWS = 2000;

async function msPerRow(file: string, columns: Columns | null): Promise<number> {
  const f = await File.open(file, "w");
  const images = await f.createDataset("images", { shape: [0, 224, 224, 3], maxshape: [null, 224, 224, 3], chunks: [1, 224, 224, 3], dtype: "uint8", compression: "gzip" });
  const filters = columns?.gzip ? { compression: "gzip" as const } : {};
  const labels = columns && (await f.createDataset("labels", { shape: [0], maxshape: [null], chunks: [columns.chunk], dtype: "int64", ...filters }));
  const sizes = columns && (await f.createDataset("source_size", { shape: [0], maxshape: [null], chunks: [columns.chunk], dtype: "uint64", ...filters }));
  const pixels = Uint8Array.from({ length: 224 * 224 * 3 }, (_, i) => (i * 7 + (i >> 9)) & 255);
  const t0 = performance.now();
  for (let row = 0; row < ROWS; row++) {
    await images.append(pixels, 1);
    await labels?.append(BigInt64Array.of(BigInt(row % 10)), 1);
    await sizes?.append(BigUint64Array.of(BigInt(row)), 1);
  }
  await f.close();
  return (performance.now() - t0) / ROWS;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h5dat-stack-append-"));
  const variants: [string, Columns | null][] = [
    ["images only", null],
    ["+ labels, sizes: 65,536 gzip (the writer's)", { chunk: 65536, gzip: true }],
    ["+ labels, sizes: 65,536 unfiltered", { chunk: 65536, gzip: false }],
    ["+ labels, sizes: 4,096 gzip", { chunk: 4096, gzip: true }],
  ];
  try {
    for (const [label, columns] of variants) {
      const times = [await msPerRow(path.join(dir, "a.h5"), columns), await msPerRow(path.join(dir, "b.h5"), columns)];
      console.log(`${label.padEnd(46)} ${times.map((t) => t.toFixed(2)).join(" / ")} ms a row`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
