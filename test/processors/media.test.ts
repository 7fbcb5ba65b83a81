// Video and audio through the bundled ffmpeg: frames and samples stored equal, byte for byte, what
// ffmpeg itself decodes from the same files (read back with h5py); from a path and from blocks
// (as an archive entry gives them: through a pipe, or a temporary file for an mp4 whose moov atom
// is at the end and for an mp3); options; the attrs; and failures that name ffmpeg's cause, leave
// no dataset, no temporary file and no ffmpeg process behind.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { File } from "../../src/h5"; // (not "../../src": that also loads convert, which others are changing)
import { ffmpegPath } from "../../src/processors/ffmpeg-binary";
import { needsSeekableInput, type MediaInput } from "../../src/processors/ffmpeg-input";
import { channelsOf, parseLogLine, parseRate, parseStream } from "../../src/processors/ffmpeg-log";
import { videoChunks, videoDecoding, type VideoOptions } from "../../src/processors/video";
import { writeDecoded } from "../../src/processors/media-writer";
import { audioDecoding } from "../../src/processors/audio";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-media-test-");
const media = path.join(dir, "media");
fs.mkdirSync(media);
// Temporary input files go under os.tmpdir(): a directory of the test's own, to see them removed.
const tmp = path.join(dir, "tmp");
fs.mkdirSync(tmp);
process.env.TMPDIR = tmp;

const FFMPEG = ffmpegPath();
const ffmpeg = (...args: string[]) => execFileSync(FFMPEG, ["-hide_banner", "-loglevel", "error", "-y", ...args], { maxBuffer: 256 << 20 });
const at = (name: string) => path.join(media, name);
const hasEncoder = (name: string) => execFileSync(FFMPEG, ["-hide_banner", "-encoders"], { encoding: "utf8" }).includes(` ${name} `);

// 64×48 test pattern at 10 fps for 2 s: exactly 20 frames.
const H264 = hasEncoder("libx264") ? ["-c:v", "libx264", "-pix_fmt", "yuv420p"] : ["-c:v", "mpeg4"];
const TESTSRC = ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "2"];
ffmpeg(...TESTSRC, ...H264, at("clip.mp4")); // moov after mdat: ffmpeg's default
ffmpeg(...TESTSRC, ...H264, "-movflags", "+faststart", at("fast.mp4"));
ffmpeg(...TESTSRC, ...H264, at("clip.mkv"));
ffmpeg(...TESTSRC, "-c:v", "libvpx", "-b:v", "200k", at("clip.webm"));
ffmpeg(...TESTSRC, "-c:v", "mpeg4", at("clip.avi"));
ffmpeg(...TESTSRC, at("clip.gif"));
// A longer one, to stop early through a pipe; one with sound; one cut in the middle of its frames.
ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=25", "-t", "20", "-c:v", "rawvideo", "-pix_fmt", "rgb24", at("long.avi")); // 4.6 MB
ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "2", ...H264, "-c:a", "aac", "-ac", "2", at("av.mp4"));
ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "4", ...H264, "-movflags", "+faststart", at("cut-source.mp4"));
// Sine tones: 440 Hz at 16 kHz for 1 s (ffmpeg's sine has amplitude 1/8); stereo 440 | 880 Hz.
const SINE = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "1"];
ffmpeg(...SINE, at("tone.wav"));
ffmpeg(...SINE, at("tone.flac"));
ffmpeg(...SINE, "-c:a", "libmp3lame", at("tone.mp3"));
ffmpeg(...SINE, "-c:a", "libvorbis", at("tone.ogg"));
ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=16000", "-t", "1",
  "-filter_complex", "[0:a][1:a]amerge=inputs=2", at("stereo.wav"));
// Bad inputs.
const clip = fs.readFileSync(at("clip.mp4"));
fs.writeFileSync(at("truncated.mp4"), clip.subarray(0, clip.length >> 1));
const cutSource = fs.readFileSync(at("cut-source.mp4"));
fs.writeFileSync(at("cut.mp4"), cutSource.subarray(0, cutSource.length >> 1));
fs.writeFileSync(at("notes.mp4"), "These are my notes, not a video.\n".repeat(50));

/** What ffmpeg itself decodes: rawvideo rgb24 (or f32le samples) of a file, with the same options. */
function reference(name: string, kind: "video" | "audio", extra: string[] = [], inputArgs: string[] = []): string {
  const out = path.join(dir, `${name}.${kind}.${extra.join("_").replace(/[^a-z0-9_.]/gi, "")}.ref`);
  if (kind === "video") ffmpeg(...inputArgs, "-i", at(name), "-map", "0:V:0", ...extra, "-f", "rawvideo", "-pix_fmt", "rgb24", out);
  else ffmpeg(...inputArgs, "-i", at(name), "-map", "0:a:0", ...extra, "-f", "f32le", "-acodec", "pcm_f32le", out);
  return out;
}

/** The file's content as an archive entry gives it: blocks of 64 KiB; notes whether it was given back. */
function blocksOf(name: string, blockSize = 64 * 1024, onBlock?: (index: number) => void): MediaInput & { state: { read: number; returned: boolean; toFile: boolean } } {
  const bytes = fs.readFileSync(at(name));
  const state = { read: 0, returned: false, toFile: false };
  async function* blocks(): AsyncGenerator<Uint8Array> {
    try {
      for (let i = 0; i < bytes.length; i += blockSize) {
        await new Promise((resolve) => setImmediate(resolve));
        state.read = Math.min(bytes.length, i + blockSize);
        onBlock?.(i / blockSize);
        yield bytes.subarray(i, i + blockSize);
      }
    } finally {
      state.returned = true;
      // Copied to a temporary file (before ffmpeg starts), or piped to ffmpeg?
      state.toFile = fs.readdirSync(tmp).some((entry) => entry.startsWith("h5dat-media-"));
    }
  }
  return { blocks: blocks(), name, state };
}

/** ffmpeg processes that are children of this one (from /proc: `ps` hangs under the ASan preload). */
function ffmpegChildren(): string[] {
  const children: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces, so fields are counted after its ')'.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const ppid = Number(stat.slice(close + 2).split(" ")[1]);
    if (ppid === process.pid && /ffmpeg/.test(comm)) children.push(`${pid} ${comm}`);
  }
  return children;
}

let files = 0;
/** A fresh HDF5 file for a test; h5py reads it once it is closed. */
async function openOutput(): Promise<{ file: File; output: string }> {
  const output = path.join(dir, `media-${files++}.h5`);
  return { file: await File.open(output, "w"), output };
}

/** A dataset to check with h5py against the file of what ffmpeg decodes (its reference). */
interface Check {
  dataset: string;
  reference: string;
  kind: "video" | "audio";
}

/** h5py reads each dataset back: shape, dtype, chunks, compression, attrs, and equality with its reference. */
function readBack(output: string, checks: Check[]): Record<string, { shape: number[]; dtype: string; chunks: number[]; compression: string | null; shuffle: boolean; attrs: Record<string, unknown>; equal: boolean; refShape: number[] }> {
  return python(
    `import h5py, json, sys
import numpy as np
f = h5py.File(sys.argv[1], "r")
out = {}
for c in json.loads(sys.argv[2]):
    d = f[c["dataset"]]
    got = d[()]
    if c["kind"] == "video":
        ref = np.fromfile(c["reference"], dtype=np.uint8).reshape((-1,) + got.shape[1:])
    else:
        ref = np.fromfile(c["reference"], dtype="<f4").reshape((-1, got.shape[1]))
    attrs = {k: (v.decode() if isinstance(v, bytes) else v.item() if hasattr(v, "item") else v) for k, v in d.attrs.items()}
    attrs = {k: [str(d.attrs[k].dtype), v] if k in ("fps", "duration_s", "frame_count", "width", "height", "sample_rate", "channels") else v for k, v in attrs.items()}
    out[c["dataset"]] = {"shape": list(got.shape), "dtype": str(got.dtype), "chunks": list(d.chunks), "compression": d.compression,
                         "shuffle": bool(d.shuffle), "attrs": attrs, "equal": bool(ref.shape == got.shape and np.array_equal(ref, got)), "refShape": list(ref.shape)}
print(json.dumps(out))`,
    output,
    JSON.stringify(checks),
  );
}

const CODECS: Record<string, string> = { "clip.mp4": H264.includes("libx264") ? "h264" : "mpeg4", "fast.mp4": H264.includes("libx264") ? "h264" : "mpeg4", "clip.mkv": H264.includes("libx264") ? "h264" : "mpeg4", "clip.webm": "vp8", "clip.avi": "mpeg4", "clip.gif": "gif" };

test("pipe or file: an mp4 with moov at the end and an mp3 need a file, a faststart mp4 and other containers pipe", () => {
  const head = (name: string) => fs.readFileSync(at(name)).subarray(0, 4096);
  assert.equal(needsSeekableInput(head("clip.mp4")), true);
  assert.equal(needsSeekableInput(head("fast.mp4")), false);
  // From a pipe ffmpeg keeps an mp3's end padding: mp3s go through a file too, to decode the same.
  assert.equal(needsSeekableInput(head("tone.mp3")), true);
  for (const name of ["clip.mkv", "clip.webm", "clip.avi", "clip.gif", "tone.wav", "tone.flac", "tone.ogg", "notes.mp4"]) assert.equal(needsSeekableInput(head(name)), false, name);
  // Synthetic atoms: a 64-bit "free" before moov; a head that ends before either is seen.
  const box = (type: string, size: number, large = false) => {
    const b = Buffer.alloc(large ? 16 : 8);
    b.writeUInt32BE(large ? 1 : size, 0);
    b.write(type, 4, "latin1");
    if (large) b.writeBigUInt64BE(BigInt(size), 8);
    return b;
  };
  const ftyp = Buffer.concat([box("ftyp", 16), Buffer.alloc(8)]);
  assert.equal(needsSeekableInput(Buffer.concat([ftyp, box("free", 24, true), Buffer.alloc(8), box("moov", 8)])), false);
  assert.equal(needsSeekableInput(Buffer.concat([ftyp, box("free", 1 << 20)])), true);
  assert.equal(needsSeekableInput(Buffer.concat([ftyp, box("mdat", 8), box("moov", 8)])), true);
});

test("ffmpeg's log: levels, stream lines, rates and channel layouts", () => {
  assert.deepEqual(parseLogLine("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x18f0dc00] [error] moov atom not found"), { level: "error", component: "mov,mp4,m4a,3gp,3g2,mj2", text: "moov atom not found" });
  assert.deepEqual(parseLogLine("Consider increasing the value", "warning"), { level: "warning", component: null, text: "Consider increasing the value" });
  const ts = parseStream("Stream #0:0[0x100]: Video: h264 (High) ([27][0][0][0] / 0x001B), yuv420p(tv, bt709, progressive), 1920x1080 [SAR 1:1 DAR 16:9], 29.97 fps, 29.97 tbr, 90k tbn, 59.94 tbc");
  assert.equal(ts?.codec, "h264");
  assert.equal(ts?.width, 1920);
  assert.equal(ts?.height, 1080);
  assert.equal(ts?.fps, 30000 / 1001);
  const audio = parseStream("Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, 5.1, fltp, 98 kb/s (default)");
  assert.deepEqual([audio?.codec, audio?.sampleRate, audio?.channels], ["aac", 44100, 6]);
  const cover = parseStream("Stream #0:1: Video: mjpeg, yuvj420p(pc, bt470bg/unknown/unknown), 500x500 [SAR 1:1 DAR 1:1], 90k tbr, 90k tbn, 90k tbc (attached pic)");
  assert.equal(cover?.attachedPic, true);
  assert.deepEqual([parseRate("25"), parseRate("12.50"), parseRate("1k"), parseRate("23.98")], [25, 12.5, 1000, 24000 / 1001]);
  assert.deepEqual(["mono", "stereo", "7.1(wide)", "3 channels (FL+FR+LFE)", "5 channels"].map(channelsOf), [1, 2, 8, 3, 5]);
  // Chunks: a few small frames, one frame up to 4 MiB, bands of rows beyond.
  assert.deepEqual(videoChunks(64, 48).chunks, [32, 48, 64, 3]);
  assert.deepEqual(videoChunks(320, 240).chunks, [4, 240, 320, 3]);
  assert.deepEqual(videoChunks(640, 480).chunks, [1, 480, 640, 3]);
  assert.deepEqual(videoChunks(1920, 1080).chunks, [1, 540, 1920, 3]);
  assert.deepEqual(videoChunks(3840, 2160).chunks, [1, 360, 3840, 3]);
});

test("videos from a path and from blocks hold exactly the frames ffmpeg decodes; shape, chunks and attrs", async () => {
  const { file, output } = await openOutput();
  const checks: Check[] = [];
  const streamed: Record<string, ReturnType<typeof blocksOf>> = {};
  for (const name of Object.keys(CODECS)) {
    const ref = reference(name, "video");
    await (await writeDecoded(videoDecoding, file, `video/path/${name}`, { path: at(name) }, {}, { compression: "gzip" })).close();
    // As convert gives an entry: its first bytes (classification read them) and all its blocks.
    streamed[name] = { ...blocksOf(name, 1000), head: fs.readFileSync(at(name)).subarray(0, 4096) };
    await (await writeDecoded(videoDecoding, file, `video/blocks/${name}`, streamed[name], {}, { compression: "gzip" })).close();
    checks.push({ dataset: `video/path/${name}`, reference: ref, kind: "video" }, { dataset: `video/blocks/${name}`, reference: ref, kind: "video" });
  }
  // Uncompressed: chunked (extensible), no filter.
  await (await writeDecoded(videoDecoding, file, "video/none", { path: at("clip.mkv") }, {}, { compression: "none" })).close();
  checks.push({ dataset: "video/none", reference: reference("clip.mkv", "video"), kind: "video" });
  await file.close();
  const report = readBack(output, checks);
  for (const check of checks) {
    const got = report[check.dataset];
    const name = path.basename(check.dataset);
    const frames = name === "clip.gif" ? got.refShape[0] : 20;
    assert.deepEqual(got.shape, [frames, 48, 64, 3], check.dataset);
    assert.equal(got.dtype, "uint8");
    assert.equal(got.equal, true, `${check.dataset}: pixels equal ffmpeg's own rgb24 decode`);
    assert.deepEqual(got.chunks, [32, 48, 64, 3]);
    assert.equal(got.compression, check.dataset === "video/none" ? null : "gzip");
    assert.deepEqual(got.attrs, {
      fps: ["float64", 10], frame_count: ["int64", frames], duration_s: ["float64", frames / 10], width: ["int64", 64], height: ["int64", 48],
      codec: CODECS[check.dataset === "video/none" ? "clip.mkv" : name],
    });
  }
  for (const [name, input] of Object.entries(streamed)) {
    assert.equal(input.state.returned, true, `${name}: blocks read to the end and given back`);
    assert.equal(input.state.toFile, name === "clip.mp4", `${name}: through a temporary file only when moov is at the end`);
  }
  assert.deepEqual(fs.readdirSync(tmp), [], "temporary input files removed");
  assert.deepEqual(ffmpegChildren(), []);
});

test("video options: fps, max_frames, scale, start and duration, as ffmpeg does them", async () => {
  const { file, output } = await openOutput();
  const cases: [string, VideoOptions, string[], string[], number[], number][] = [
    // name, options, ffmpeg's output args and input args for the reference, expected shape, fps
    ["fps5", { fps: 5 }, ["-vf", "fps=fps=5"], [], [10, 48, 64, 3], 5],
    ["max3", { maxFrames: 3 }, ["-frames:v", "3"], [], [3, 48, 64, 3], 10],
    ["scale32", { scale: 32 }, ["-vf", "scale=w='min(iw,32)':h='min(ih,32)':force_original_aspect_ratio=decrease"], [], [20, 24, 32, 3], 10],
    ["scale100", { scale: 100 }, [], [], [20, 48, 64, 3], 10], // never scaled up
    ["window", { start: 1, duration: 0.5 }, ["-t", "0.5"], ["-ss", "1"], [5, 48, 64, 3], 10],
  ];
  const checks: Check[] = [];
  for (const [label, options, extra, inputArgs] of cases) {
    for (const [how, input] of [["path", { path: at("clip.mkv") }], ["blocks", blocksOf("clip.mkv")]] as const) {
      await (await writeDecoded(videoDecoding, file, `options/${label}-${how}`, input, options, { compression: "gzip" })).close();
      checks.push({ dataset: `options/${label}-${how}`, reference: reference("clip.mkv", "video", extra, inputArgs), kind: "video" });
    }
  }
  await file.close();
  const report = readBack(output, checks);
  for (const [label, , , , shape, fps] of cases) {
    for (const how of ["path", "blocks"]) {
      const got = report[`options/${label}-${how}`];
      assert.deepEqual(got.shape, shape, `${label} ${how}`);
      assert.equal(got.equal, true, `${label} ${how}: equals ffmpeg's own decode with the same options`);
      assert.deepEqual(got.attrs.fps, ["float64", fps]);
      assert.deepEqual(got.attrs.frame_count, ["int64", shape[0]]);
      assert.deepEqual(got.attrs.width, ["int64", shape[2]]);
      assert.deepEqual(got.attrs.height, ["int64", shape[1]]);
    }
  }
  // The frames of the window are frames 10-14 of the whole clip.
  const whole = fs.readFileSync(reference("clip.mkv", "video"));
  const window = fs.readFileSync(reference("clip.mkv", "video", ["-t", "0.5"], ["-ss", "1"]));
  assert.ok(whole.subarray(10 * 9216, 15 * 9216).equals(window));
  assert.deepEqual(ffmpegChildren(), []);
});

test("a pipe that ffmpeg stops reading early (max_frames of a long video) gives the blocks back", async () => {
  const { file } = await openOutput();
  const input = blocksOf("long.avi", 4096);
  const total = fs.statSync(at("long.avi")).size;
  const dataset = await writeDecoded(videoDecoding, file, "early/long", input, { maxFrames: 3 }, { compression: "gzip" });
  assert.deepEqual(dataset.shape, [3, 48, 64, 3]);
  await dataset.close();
  assert.equal(input.state.returned, true);
  assert.ok(input.state.read < total, `read ${input.state.read} of ${total} bytes`);
  await file.close();
  assert.deepEqual(ffmpegChildren(), []);
});

test("audio: wav, flac, mp3, ogg from a path and from blocks equal ffmpeg's own float32 decode; 440 Hz at amplitude 1/8", async () => {
  const { file, output } = await openOutput();
  const checks: Check[] = [];
  const names = ["tone.wav", "tone.flac", "tone.mp3", "tone.ogg", "stereo.wav"];
  for (const name of names) {
    const ref = reference(name, "audio");
    await (await writeDecoded(audioDecoding, file, `audio/path/${name}`, { path: at(name) }, {}, { compression: "gzip" })).close();
    await (await writeDecoded(audioDecoding, file, `audio/blocks/${name}`, blocksOf(name, 3000), {}, { compression: "gzip" })).close();
    checks.push({ dataset: `audio/path/${name}`, reference: ref, kind: "audio" }, { dataset: `audio/blocks/${name}`, reference: ref, kind: "audio" });
  }
  await (await writeDecoded(audioDecoding, file, "audio/resampled", { path: at("tone.flac") }, { sampleRate: 8000 }, { compression: "none" })).close();
  checks.push({ dataset: "audio/resampled", reference: reference("tone.flac", "audio", ["-ar", "8000"]), kind: "audio" });
  await (await writeDecoded(audioDecoding, file, "audio/window", { path: at("tone.wav") }, { start: 0.25, duration: 0.5 }, { compression: "gzip" })).close();
  checks.push({ dataset: "audio/window", reference: reference("tone.wav", "audio", ["-t", "0.5"], ["-ss", "0.25"]), kind: "audio" });
  await (await writeDecoded(audioDecoding, file, "audio/from-video", blocksOf("av.mp4"), {}, { compression: "gzip" })).close();
  checks.push({ dataset: "audio/from-video", reference: reference("av.mp4", "audio"), kind: "audio" });
  await file.close();
  const report = readBack(output, checks);
  for (const check of checks) {
    const got = report[check.dataset];
    assert.equal(got.equal, true, `${check.dataset}: samples equal ffmpeg's own f32le decode`);
    assert.equal(got.dtype, "float32");
    assert.deepEqual(got.shape, got.refShape);
  }
  for (const name of names) {
    for (const how of ["path", "blocks"]) {
      const got = report[`audio/${how}/${name}`];
      const channels = name === "stereo.wav" ? 2 : 1;
      // Lossless: exactly one second; mp3 and vorbis as many samples as ffmpeg itself gives (padding).
      if (name.endsWith(".wav") || name.endsWith(".flac")) assert.equal(got.shape[0], 16000);
      else assert.ok(Math.abs(got.shape[0] - 16000) < 3000, `${name}: ${got.shape[0]} samples`);
      assert.deepEqual(got.chunks, [channels === 1 ? 262144 : 131072, channels]);
      assert.equal(got.compression, "gzip");
      assert.equal(got.shuffle, true);
      assert.deepEqual(got.attrs, {
        sample_rate: ["int64", 16000], channels: ["int64", channels], duration_s: ["float64", got.shape[0] / 16000],
        codec: { "tone.wav": "pcm_s16le", "tone.flac": "flac", "tone.mp3": "mp3", "tone.ogg": "vorbis", "stereo.wav": "pcm_s16le" }[name],
      });
    }
  }
  assert.deepEqual(report["audio/resampled"].shape, [8000, 1]);
  assert.deepEqual(report["audio/resampled"].attrs.sample_rate, ["int64", 8000]);
  assert.equal(report["audio/resampled"].compression, null);
  // Uncompressed chunks are small: an 8000-sample clip is not given a 1 MiB chunk.
  assert.deepEqual(report["audio/resampled"].chunks, [4096, 1]);
  assert.deepEqual(report["audio/window"].shape, [8000, 1]);
  assert.deepEqual(report["audio/from-video"].attrs.channels, ["int64", 2]);
  assert.deepEqual(report["audio/from-video"].attrs.codec, "aac");

  // The tone itself: dominant frequency and amplitude, per channel.
  const spectrum = python<Record<string, { peak: number[]; amplitude: number[] }>>(
    `import h5py, json, sys
import numpy as np
f = h5py.File(sys.argv[1], "r")
out = {}
for name in json.loads(sys.argv[2]):
    x = f["audio/path/" + name][()].astype(np.float64)
    rate = int(f["audio/path/" + name].attrs["sample_rate"])
    peaks, amps = [], []
    for c in range(x.shape[1]):
        s = x[2000:14000, c]  # away from codec onsets and padding
        spec = np.abs(np.fft.rfft(s * np.hanning(len(s))))
        peaks.append(float(np.fft.rfftfreq(len(s), 1 / rate)[np.argmax(spec)]))
        amps.append(float(np.sqrt(2) * np.sqrt(np.mean(s ** 2))))
    out[name] = {"peak": peaks, "amplitude": amps}
print(json.dumps(out))`,
    output,
    JSON.stringify(names),
  );
  for (const name of names) {
    const expected = name === "stereo.wav" ? [440, 880] : [440];
    spectrum[name].peak.forEach((peak, c) => assert.ok(Math.abs(peak - expected[c]) <= 2, `${name} channel ${c}: ${peak} Hz`));
    spectrum[name].amplitude.forEach((amplitude, c) => assert.ok(Math.abs(amplitude - 0.125) < 0.01, `${name} channel ${c}: amplitude ${amplitude}`));
  }
  assert.deepEqual(fs.readdirSync(tmp), []);
  assert.deepEqual(ffmpegChildren(), []);
});

test("bad inputs reject with ffmpeg's cause and leave no dataset, no temporary file, no ffmpeg", async () => {
  const { file } = await openOutput();
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ["truncated-path", () => writeDecoded(videoDecoding, file, "bad/truncated-path", { path: at("truncated.mp4") }, {}, { compression: "gzip" }), /moov atom not found/],
    ["truncated-blocks", () => writeDecoded(videoDecoding, file, "bad/truncated-blocks", blocksOf("truncated.mp4"), {}, { compression: "gzip" }), /moov atom not found/],
    ["notes-path", () => writeDecoded(videoDecoding, file, "bad/notes-path", { path: at("notes.mp4") }, {}, { compression: "gzip" }), /Invalid data found|moov atom not found/],
    ["notes-blocks", () => writeDecoded(videoDecoding, file, "bad/notes-blocks", blocksOf("notes.mp4"), {}, { compression: "gzip" }), /Invalid data found/],
    ["cut-path", () => writeDecoded(videoDecoding, file, "bad/cut-path", { path: at("cut.mp4") }, {}, { compression: "gzip" }), /partial file|Invalid data found/],
    ["cut-blocks", () => writeDecoded(videoDecoding, file, "bad/cut-blocks", blocksOf("cut.mp4"), {}, { compression: "gzip" }), /partial file|Invalid data found/],
    ["audio-as-video", () => writeDecoded(videoDecoding, file, "bad/audio-as-video", { path: at("tone.mp3") }, {}, { compression: "gzip" }), /^no video stream in '.*tone\.mp3' \(streams: audio: mp3\)$/],
    ["video-as-audio", () => writeDecoded(audioDecoding, file, "bad/video-as-audio", blocksOf("clip.mkv"), {}, { compression: "gzip" }), /^no audio stream in 'clip\.mkv' \(streams: video: (h264|mpeg4)\)$/],
    ["missing", () => writeDecoded(videoDecoding, file, "bad/missing", { path: at("nothing-here.mp4") }, {}, { compression: "gzip" }), /No such file or directory/],
    ["past-the-end", () => writeDecoded(videoDecoding, file, "bad/past-the-end", { path: at("clip.mkv") }, { start: 30 }, { compression: "gzip" }), /no video frames decoded/],
    ["bad-option", () => writeDecoded(videoDecoding, file, "bad/bad-option", { path: at("clip.mkv") }, { maxFrames: 2.5 }, { compression: "gzip" }), /max_frames/],
  ];
  for (const [label, run, pattern] of cases) {
    await assert.rejects(run(), (error: Error) => {
      assert.match(error.message, pattern, label);
      return true;
    });
    assert.equal(await file.has(`bad/${label}`), false, `${label}: no dataset left`);
  }
  // A damaged file read leniently gives the frames before the damage.
  const lenient = await writeDecoded(videoDecoding, file, "bad/cut-lenient", { path: at("cut.mp4") }, { strict: false }, { compression: "gzip" });
  assert.ok(lenient.shape![0] > 10 && lenient.shape![0] < 100, `${lenient.shape}`);
  await lenient.close();
  await file.close();
  assert.deepEqual(fs.readdirSync(tmp), []);
  assert.deepEqual(ffmpegChildren(), []);
});

test("a source that fails mid-way, and an abort, stop ffmpeg: their error is the one thrown", async () => {
  const { file } = await openOutput();
  const bytes = fs.readFileSync(at("long.avi"));
  async function* broken(): AsyncGenerator<Uint8Array> {
    yield bytes.subarray(0, 200_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    throw new Error("archive: truncated gzip stream");
  }
  await assert.rejects(writeDecoded(videoDecoding, file, "fail/source", { blocks: broken(), name: "long.avi" }, {}, { compression: "gzip" }), /archive: truncated gzip stream/);
  assert.equal(await file.has("fail/source"), false);
  // The temporary-file path: the source breaks while it is being copied.
  async function* brokenMp4(): AsyncGenerator<Uint8Array> {
    yield clip.subarray(0, 1000);
    throw new Error("archive: bad block");
  }
  await assert.rejects(writeDecoded(videoDecoding, file, "fail/source-mp4", { blocks: brokenMp4(), name: "clip.mp4" }, {}, { compression: "gzip" }), /archive: bad block/);

  // Aborted while frames are being written (at the 300th block of 4 KiB: 1.2 MB, ~130 frames in).
  const controller = new AbortController();
  const input = blocksOf("long.avi", 4096, (index) => index === 300 && controller.abort(new Error("entry timed out")));
  await assert.rejects(writeDecoded(videoDecoding, file, "fail/aborted", input, { signal: controller.signal }, { compression: "gzip" }), /entry timed out/);
  assert.equal(input.state.returned, true);
  assert.equal(await file.has("fail/aborted"), false);
  await file.close();
  assert.deepEqual(fs.readdirSync(tmp), []);
  assert.deepEqual(ffmpegChildren(), []);
});
