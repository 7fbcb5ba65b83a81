// Decoded pixels from a worker to the writer through tmpfs instead of the IPC pipe (this is the
// writer's half; pixel-files.ts the worker's). The worker writes them to a file in the pool's
// /dev/shm directory and replies with its name; the writer maps the file
// (binding/memory/mapped_file.cc), and the dataset write filters straight from the mapping, which ends
// once the dataset is written; the file then goes back to its worker to be written over by later
// pixels. Files live until the pool closes (or, after a crash, until the next pool starts).
// Through the pipe the same pixels
// were copied five times (serialize, write, read, reassemble, deserialize), each into freshly
// faulted pages. Where /dev/shm is missing or full, pixels go through the pipe as before.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { native } from "../native/addon";
import { setSharedData, sharedDataOf, type Prepared } from "../processors/prepare";
import type { SharedPixels } from "./pixel-files";
import { pixelArray } from "../processors/pixel-type";

const SHM = "/dev/shm";
/** This process's pool directories, removed at exit if their pools did not close. */
const liveDirs = new Set<string>();
process.on("exit", () => liveDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/**
 * A fresh directory in /dev/shm for one pool, removed by removeSharedDir or at exit; null where
 * there is no writable tmpfs there (or H5DAT_SHARED_PIXELS=0 turns sharing off).
 */
export function makeSharedDir(): string | null {
  if (process.env.H5DAT_SHARED_PIXELS === "0" || os.platform() !== "linux") return null;
  removeDeadWritersDirs();
  try {
    const dir = fs.mkdtempSync(path.join(SHM, `h5dat-${process.pid}-`));
    liveDirs.add(dir);
    return dir;
  } catch {
    return null;
  }
}

/**
 * Directories of writers that were killed (kill -9 leaves its pool's directory, with the pixels
 * then in flight): whoever starts a pool next removes them.
 */
function removeDeadWritersDirs(): void {
  let names: string[];
  try {
    names = fs.readdirSync(SHM);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^h5dat-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    fs.rmSync(path.join(SHM, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

/** Removes a shared-pixels directory and forgets it (null: nothing to remove). */
export function removeSharedDir(dir: string | null): void {
  if (!dir) return;
  fs.rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

/** Mapped pixel buffers, each with what hands its file back once unmapped. */
const mapped = new WeakMap<ArrayBufferLike, () => void>();

/**
 * Writer side: puts shared pixels back into the result, mapped from their file. `giveBack` gets
 * the file when releasePixels has ended the mapping.
 */
export function takePixels(result: Prepared, shared: SharedPixels, giveBack: (file: string) => void): void {
  if (!sharedDataOf(result)) return;
  let buffer: ArrayBuffer;
  try {
    buffer = native.mapFile(shared.file, shared.byteLength);
  } catch (error) {
    giveBack(shared.file);
    throw error;
  }
  mapped.set(buffer, () => giveBack(shared.file));
  setSharedData(result, pixelArray(shared.sampleType, buffer));
}

/** Ends the mapping of a result's shared pixels once they are written (nothing for others). */
export function releasePixels(result: Prepared): void {
  const data = sharedDataOf(result);
  if (!data) return;
  const { buffer } = data;
  const giveBack = mapped.get(buffer);
  if (!giveBack) return;
  mapped.delete(buffer);
  native.unmapBuffer(buffer as ArrayBuffer);
  giveBack();
}
