// What ffmpeg reads, made ready for it: a file on disk is named to it as it is; an entry's blocks
// go to its stdin, or to a temporary file when the container cannot be read from a pipe (an MP4
// whose index comes after its data, an MP3 whose padding only a file lets ffmpeg trim).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { headThenRest, readHead } from "../sources/entry-head";

/**
 * What ffmpeg reads. `{ path }`: a file on disk (a loose file or a directory entry), read by
 * ffmpeg itself, no copy. `{ blocks, name }`: the content of an entry (of an archive), where
 * `blocks` yields the WHOLE content from its first byte; `name` (the entry's name) is used in
 * messages and for the temporary file's extension. `head`, optional, is a copy of the first bytes
 * (the caller's classification read them; ≥ 4 KiB, or all when shorter) and only serves to decide
 * between pipe and temporary file; without it the first blocks are looked at (up to 64 KiB).
 */
export type MediaInput = { path: string } | { blocks: AsyncIterable<Uint8Array>; name: string; head?: Uint8Array };

/** What ffmpeg is given: its -i argument, and the blocks to feed to its stdin when that is a pipe. */
export interface FfmpegInput {
  /** The argument after -i. */
  arg: string;
  /** What to write to stdin, when the input is a pipe. */
  stdin: AsyncIterable<Uint8Array> | null;
  name: string;
  /** File names to replace with `name` in messages. */
  aliases: string[];
  /** Gives back the entry's blocks, removes a temporary file. */
  cleanup(): Promise<void>;
}

/** Bytes of the first blocks looked at for the moov check when no `head` is given. */
const PEEK_BYTES = 64 * 1024;

/** Temporary input files (mp4 with moov at the end, mp3) are made under this directory (os.tmpdir() at the time), in h5dat-media-*. */
export const tempRoot = () => os.tmpdir();

/** `input` made ready for ffmpeg; `signal` stops copying to a temporary file. */
export async function openInput(input: MediaInput, signal: AbortSignal | undefined): Promise<FfmpegInput> {
  if ("path" in input) {
    const absolute = path.resolve(input.path);
    // "file:" keeps names with a colon ("a:b.mp4") or a protocol-like start from being a URL.
    return { arg: `file:${absolute}`, stdin: null, name: input.path, aliases: [`file:${absolute}`, absolute], cleanup: async () => undefined };
  }
  const source = input.blocks[Symbol.asyncIterator]();
  // Without a head from the caller, the first blocks are read to decide, then given again.
  const peeked = input.head ? null : await readHead(source, PEEK_BYTES);
  const blocks: EntryBlocks = {
    replay: () => (peeked ? headThenRest(peeked.head, peeked.rest) : { [Symbol.asyncIterator]: () => source }),
    // Gives the source's iterator back (a no-op once it is read to its end).
    release: async () => void (await source.return?.()),
  };
  if (!needsSeekableInput(input.head ?? peeked!.head)) {
    return { arg: "pipe:0", stdin: blocks.replay(), name: input.name, aliases: ["pipe:0"], cleanup: blocks.release };
  }
  return tempFileInput(blocks, input.name, signal);
}

/** An entry's blocks from its first byte, and how to give its source back when they are not all read. */
interface EntryBlocks {
  replay(): AsyncIterable<Uint8Array>;
  release(): Promise<void>;
}

/** moov after mdat (or not seen): ffmpeg must seek, so the content goes to a temporary file. */
async function tempFileInput(blocks: EntryBlocks, name: string, signal: AbortSignal | undefined): Promise<FfmpegInput> {
  const dir = await fs.promises.mkdtemp(path.join(tempRoot(), "h5dat-media-"));
  const remove = async () => {
    await blocks.release().catch(() => undefined);
    await fs.promises.rm(dir, { recursive: true, force: true });
  };
  try {
    const extension = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0].toLowerCase() ?? "";
    const file = path.join(dir, `input${extension}`);
    const handle = await fs.promises.open(file, "w");
    try {
      for await (const block of blocks.replay()) {
        signal?.throwIfAborted();
        await handle.write(block);
      }
    } finally {
      await handle.close();
    }
    return { arg: `file:${file}`, stdin: null, name, aliases: [`file:${file}`, file], cleanup: remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

const BOX_TYPES = new Set(["ftyp", "moov", "mdat", "free", "skip", "wide", "pnot", "uuid", "pdin", "styp", "sidx", "junk", "prfl", "meta"]);

/** MP3: an ID3v2 tag, or an MPEG audio layer III frame header, at the start. */
function isMp3(head: Uint8Array): boolean {
  if (head.length >= 3 && head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33) return true; // "ID3"
  return head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) === 0x02;
}

/**
 * True when ffmpeg must be given a file rather than a pipe, from the first bytes of the content:
 *
 * - ISO BMFF / QuickTime (mp4, mov, m4a, 3gp) whose `moov` atom is not known to come before
 *   `mdat`: ffmpeg cannot read those from a pipe at all (it would have to seek back). The
 *   top-level atoms (32-bit size + type, 64-bit sizes too) are walked as far as `head` goes;
 *   when it ends before `moov` or `mdat` is seen, the answer is true (the safe side).
 * - MP3 (ID3 tag or frame header first): from a pipe ffmpeg does not trim the encoder's padding
 *   at the end (the LAME tag's gapless info), so the samples would differ from the same file's.
 *
 * Anything else (faststart mp4, mkv, webm, avi, gif, mpeg-ts, wav, flac, ogg, or not media at
 * all) gives false: it is piped.
 */
export function needsSeekableInput(head: Uint8Array): boolean {
  if (isMp3(head)) return true;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const typeAt = (offset: number) => String.fromCharCode(...head.subarray(offset + 4, offset + 8));
  if (head.length < 8 || !BOX_TYPES.has(typeAt(0))) return false;
  let offset = 0;
  while (offset + 8 <= head.length) {
    const type = typeAt(offset);
    if (type === "moov") return false;
    if (type === "mdat") return true;
    let size = view.getUint32(offset);
    if (size === 1) {
      if (offset + 16 > head.length) return true;
      const large = view.getBigUint64(offset + 8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) return true;
      size = Number(large);
    }
    if (size < 8) return true; // 0: to the end of the file (no moov after it), or damaged
    offset += size;
  }
  return true;
}
