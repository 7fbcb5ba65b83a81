// What sending work to the fork pool costs the parent process, against doing the work in it.
// The parent is the one HDF5 writer, so its CPU time is what bounds a conversion: a task is worth
// sending to a worker only when the parent spends less on the transfer (structured-clone
// serialization of the request, deserialization of the reply) than on the work itself.
//
//   node --import tsx bench/pool-transfer.ts
//
// Prints, per kind and size: the parent's CPU time per task when preparing locally, and when the
// pool prepares it (the parent then only sends and receives), in microseconds.
import { prepare, type PrepareTask } from "../src/processors/prepare";
import { ForkPool } from "../src/pool/fork-pool";
import sharp from "sharp";

function jsonOf(bytes: number): Buffer {
  const records: unknown[] = [];
  let text = "[]";
  for (let i = 0; text.length < bytes; i++) {
    records.push({ id: i, name: `item ${i}`, tags: [i % 7, "t"], price: i / 8, nested: { ok: i % 2 === 0 } });
    if (i % 16 === 0) text = JSON.stringify(records);
  }
  return Buffer.from(JSON.stringify(records));
}

function csvOf(bytes: number): Buffer {
  const lines = ["id,name,price,in_stock"];
  for (let i = 0, size = 0; size < bytes; i++) {
    const line = `${i},"item ${i}",${i / 8},${i % 2 === 0}`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join("\n"));
}

async function jpegOf(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 31 + (i >> 9)) & 255;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function parentCost(run: (task: PrepareTask) => Promise<unknown>, task: PrepareTask, count: number): Promise<number> {
  await Promise.all(Array.from({ length: 4 }, () => run(task))); // warm up
  const before = cpuMicros();
  // Four in flight, as convert keeps a few entries in flight per worker.
  for (let done = 0; done < count; done += 4) await Promise.all(Array.from({ length: 4 }, () => run(task)));
  return (cpuMicros() - before) / count;
}

async function main(): Promise<void> {
  const pool = new ForkPool({ size: 2 });
  const cases: [string, PrepareTask, number][] = [];
  for (const kb of [1, 16, 64, 256, 1024]) {
    cases.push([`json ${kb} KiB`, { processor: "json", bytes: jsonOf(kb * 1024) }, kb >= 256 ? 40 : 400]);
    cases.push([`csv ${kb} KiB`, { processor: "csv", bytes: csvOf(kb * 1024), options: { mode: "table", delimiter: "," } }, kb >= 256 ? 40 : 400]);
  }
  cases.push(["jpeg 400x600", { processor: "image", bytes: await jpegOf(400, 600), options: {} }, 200]);
  console.log("case                 local µs   pool µs (parent CPU per task)   ratio");
  for (const [name, task, count] of cases) {
    const local = await parentCost(prepare, task, count);
    const remote = await parentCost((t) => pool.run(t), task, count);
    console.log(`${name.padEnd(20)} ${local.toFixed(0).padStart(9)} ${remote.toFixed(0).padStart(9)}   ${(local / remote).toFixed(2).padStart(30)}`);
  }
  await pool.close();
}

void main();
