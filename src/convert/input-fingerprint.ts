// Input fingerprints: what each input was when a run started, so a resumed run can tell what it
// may skip. A loose file: its size and mtime. A directory: its listing, each entry's size and
// mtime (lstat: links are listed, never followed, as the directory source does). An archive: its
// size, mtime and a hash of its first and last MiB (cheap on a 100 GB tar, and a content
// replaced under the same name and size changes a hash or the mtime).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { looksLikeArchive } from "../sources/open-source";

/** What one input was when its entries were done: a file by size and mtime, a directory by its files, an archive by its size, mtime and end bytes. */
export type InputFingerprint =
  | { kind: "file"; name: string; size: number; mtime: number }
  | { kind: "archive"; size: number; mtime: number; head: string; tail: string }
  /** `entries`: source path → "size:mtime". */
  | { kind: "directory"; entries: Record<string, string> };

/** How the inputs changed since their fingerprints were taken, for a resumed run. */
export interface InputChanges {
  /** Inputs that cannot be matched entry by entry (an archive's bytes, a kind that changed), with what changed. */
  refused: string[];
  /** Entries (`source` + "\0" + `sourcePath`) still there whose size or mtime changed: done again. */
  changedEntries: Set<string>;
  /** Some input changed at all (the fingerprints must be stored again). */
  any: boolean;
}

const HASHED = 1 << 20;

/** The fingerprint of each input, in order. */
export async function fingerprintInputs(inputs: string[]): Promise<InputFingerprint[]> {
  return Promise.all(inputs.map(fingerprintOf));
}

async function fingerprintOf(input: string): Promise<InputFingerprint> {
  const stat = await fs.promises.stat(input);
  if (stat.isDirectory()) {
    const entries: Record<string, string> = {};
    await listDirectory(input, "", entries);
    return { kind: "directory", entries };
  }
  if (!(await looksLikeArchive(input))) return { kind: "file", name: path.basename(input), size: stat.size, mtime: stat.mtimeMs };
  const handle = await fs.promises.open(input, "r");
  try {
    const hashAt = async (offset: number) => {
      const buffer = Buffer.alloc(Math.min(HASHED, stat.size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      return crypto.createHash("sha256").update(buffer.subarray(0, bytesRead)).digest("hex");
    };
    return { kind: "archive", size: stat.size, mtime: stat.mtimeMs, head: await hashAt(0), tail: await hashAt(Math.max(0, stat.size - HASHED)) };
  } finally {
    await handle.close();
  }
}

const UTF8_LENIENT = new TextDecoder("utf-8");

/** Source paths as the directory source names them (names decoded leniently, '/'-joined). */
async function listDirectory(dir: string | Buffer, relative: string, into: Record<string, string>): Promise<void> {
  for (const child of await fs.promises.readdir(dir, { withFileTypes: true, encoding: "buffer" })) {
    const name = UTF8_LENIENT.decode(child.name);
    const sourcePath = relative ? `${relative}/${name}` : name;
    const file = Buffer.concat([Buffer.from(dir), Buffer.from(path.sep), child.name]);
    if (child.isDirectory()) {
      await listDirectory(file, sourcePath, into);
      continue;
    }
    const stat = await fs.promises.lstat(file).catch(() => null);
    into[sourcePath] = stat ? `${stat.size}:${stat.mtimeMs}` : "unreadable";
  }
}

/** An entry's key in `InputChanges.changedEntries`. */
export function entryKey(source: string, sourcePath: string): string {
  return `${source}\0${sourcePath}`;
}

/** Compares the fingerprints a run started with (`before`) with the inputs now. */
export function compareFingerprints(inputs: string[], before: InputFingerprint[], now: InputFingerprint[]): InputChanges {
  const changes: InputChanges = { refused: [], changedEntries: new Set(), any: false };
  for (const [i, input] of inputs.entries()) {
    const [was, is] = [before[i], now[i]];
    if (JSON.stringify(was) === JSON.stringify(is)) continue;
    changes.any = true;
    if (!was || was.kind !== is.kind) {
      changes.refused.push(`'${input}' was ${was ? `a ${was.kind}` : "not recorded"} when the interrupted run started, it is now a ${is.kind}`);
    } else if (was.kind === "archive" && is.kind === "archive") {
      changes.refused.push(`archive '${input}' changed since the interrupted run (${describeArchiveChange(was, is)}): its entries cannot be matched to the ones done`);
    } else if (was.kind === "file" && is.kind === "file") {
      changes.changedEntries.add(entryKey(input, was.name));
    } else if (was.kind === "directory" && is.kind === "directory") {
      for (const [sourcePath, stamp] of Object.entries(is.entries)) {
        const old = was.entries[sourcePath];
        if (old !== undefined && old !== stamp) changes.changedEntries.add(entryKey(input, sourcePath));
      }
    }
  }
  return changes;
}

function describeArchiveChange(was: { size: number; mtime: number; head: string; tail: string }, is: typeof was): string {
  const what: string[] = [];
  if (was.size !== is.size) what.push(`size ${was.size} → ${is.size} bytes`);
  if (was.mtime !== is.mtime) what.push(`modified ${new Date(was.mtime).toISOString()} → ${new Date(is.mtime).toISOString()}`);
  if (was.head !== is.head || was.tail !== is.tail) what.push("content");
  return what.join(", ");
}
