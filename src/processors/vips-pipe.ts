// Decoded pixels out of libvips as a stream, through a named pipe. sharp hands raw pixels over
// only as one buffer of the whole image, but it saves libvips's own format (.v: a 64-byte header,
// then the pixels row after row, laid out as raw output lays them) to a file; when that file is
// a pipe, libvips writes it as it decodes, and with sequential access neither side holds more
// than a few rows. Measured on a 16000 × 16000 PNG of zeros (768 MB decoded): 0.9 s and 134 MB
// peak RSS, against 1.4 s and 835 MB for raw().toBuffer(). Used by image-strips.ts.
//
// libvips ends a .v file with its metadata, appended after checking the file's length: a pipe has
// none, so once the last row is written the save fails with "file has been truncated". With every
// row read, that failure is the expected end; anything else (or fewer rows) is the decoder's.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Sharp } from "sharp";
import type { PixelType } from "./pixel-type";

/** What a .v header says of the pixels after it. */
export interface VipsHeader {
  width: number;
  height: number;
  bands: number;
  sampleType: PixelType;
  /** libvips's interpretation (VIPS_INTERPRETATION_*: 1 is b-w, 22 sRGB, 15 CMYK, ...). */
  interpretation: number;
}

const HEADER_BYTES = 64;
/** The .v magic number as a little-endian host writes it (the samples follow in host order). */
const MAGIC_LITTLE_ENDIAN = 0x08f2a6b6;
/** VipsBandFormat → sample type (complex formats have none). */
const BAND_FORMATS: Record<number, PixelType> = { 0: "uint8", 1: "int8", 2: "uint16", 3: "int16", 4: "uint32", 5: "int32", 6: "float32", 8: "float64" };
/** libvips's message when it appends the metadata to a file of no length: the pipe's normal end. */
const PIPE_END = /file has been truncated/;

const execFileAsync = promisify(execFile);

/** One pipeline's pixels: `open`, `start` the pipeline, read the header, then the rows; `close` always. */
export class VipsPipe {
  private leftover: Buffer | null = null;
  private received = 0;
  private readonly chunks: AsyncIterator<Buffer>;
  private saved: Promise<void> | null = null;
  /** The save's failure, once it failed other than at the pipe's normal end. */
  private failure: unknown = null;

  private constructor(
    private readonly dir: string,
    readonly file: string,
    private readonly socket: net.Socket,
  ) {
    this.chunks = socket[Symbol.asyncIterator]();
  }

  /**
   * Makes the pipe (in a fresh temporary directory) and opens its reading end. Node has no
   * mkfifo: the system's command makes it.
   */
  static async open(): Promise<VipsPipe> {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "h5dat-strips-"));
    try {
      const file = path.join(dir, "pixels.v");
      await execFileAsync("mkfifo", ["-m", "600", file]);
      // Non-blocking, so the open returns before libvips opens the other end; the socket then
      // reads on the event loop, holding no thread of the pool while it waits for rows.
      const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      return new VipsPipe(dir, file, new net.Socket({ fd, readable: true, writable: false }));
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Starts `pipeline` saving into the pipe. */
  start(pipeline: Sharp): void {
    this.saved = pipeline.toFile(this.file).then(
      () => undefined,
      (error: unknown) => {
        if (PIPE_END.test(String((error as Error)?.message))) return;
        this.failure = error;
        // Whatever was read stops here: the reader sees the end, then this failure.
        this.socket.destroy();
      },
    );
  }

  /** The header, read from the pipe (before any row). */
  async header(): Promise<VipsHeader> {
    const bytes = new Uint8Array(HEADER_BYTES);
    await this.readInto(bytes);
    const view = new DataView(bytes.buffer);
    const word = (at: number) => view.getInt32(at, true);
    if (word(0) !== MAGIC_LITTLE_ENDIAN) throw new Error(`libvips wrote no .v header into the pipe (it starts ${Buffer.from(bytes.subarray(0, 4)).toString("hex")})`);
    const sampleType = BAND_FORMATS[word(20)];
    // Coding (offset 24) 0 is none: LabQ and RAD pack pixels in other ways.
    if (!sampleType || word(24) !== 0) throw new Error(`libvips's pixels are of a format h5dat does not store (band format ${word(20)}, coding ${word(24)})`);
    return { width: word(4), height: word(8), bands: word(12), sampleType, interpretation: word(28) };
  }

  /** Fills `target` from the pipe; fails with the decoder's error when its output ends first. */
  async readInto(target: Uint8Array): Promise<void> {
    let filled = 0;
    while (filled < target.length) {
      let chunk = this.leftover;
      this.leftover = null;
      if (!chunk) {
        const next = await this.chunks.next().catch(() => ({ done: true as const, value: undefined }));
        if (next.done) return this.ended();
        chunk = next.value;
        this.received += chunk.length;
      }
      const taken = Math.min(chunk.length, target.length - filled);
      target.set(chunk.subarray(0, taken), filled);
      filled += taken;
      if (taken < chunk.length) this.leftover = chunk.subarray(taken);
    }
  }

  /**
   * Reads the rest of the pipe, discarding it, until the save ends; then removes the pipe. A save
   * whose reader goes away does not end (measured: libvips's save waits on, with the pipe's
   * reading end closed), so one stopped halfway decodes to its end here. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.saved && !this.socket.destroyed) {
      this.leftover = null;
      for (let next = await this.chunks.next().catch(() => ({ done: true as const })); !next.done; next = await this.chunks.next().catch(() => ({ done: true as const })));
    }
    this.socket.destroy();
    await this.saved;
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }

  /** The pipe ended before the bytes wanted: the decoder's failure, or how far it came. */
  private async ended(): Promise<never> {
    await this.saved;
    if (this.failure) throw this.failure;
    throw new Error(`libvips's output ended early, after ${this.received.toLocaleString("en-US")} bytes`);
  }
}
