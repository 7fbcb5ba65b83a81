// convert with video and audio: inside a tar.gz and as a directory, videos become [T, H, W, 3]
// frames equal to what ffmpeg decodes, audio [N, C] float32 with the sine's frequency; an
// animated GIF is a video with gif_as_video; a truncated mp4 and a text file named .mp4 fail
// alone with ffmpeg's cause (exit code 2), the rest is written.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ffmpegPath } from "../../src/processors/ffmpeg-binary";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir("h5dat-convert-media-");
const tree = path.join(dir, "clips");
fs.mkdirSync(path.join(tree, "video"), { recursive: true });
fs.mkdirSync(path.join(tree, "audio"), { recursive: true });
const ffmpeg = (...args: string[]) => execFileSync(ffmpegPath(), ["-hide_banner", "-loglevel", "error", "-y", ...args], { maxBuffer: 64 << 20 });
const at = (name: string) => path.join(tree, name);
const TESTSRC = ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "2"];
ffmpeg(...TESTSRC, "-c:v", "mpeg4", at("video/clip.mp4")); // moov at the end: a temp file from an archive
ffmpeg(...TESTSRC, "-c:v", "mpeg4", at("video/clip.mkv"));
ffmpeg(...TESTSRC, at("video/anim.gif"));
ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "1", at("audio/tone.wav"));
fs.writeFileSync(at("video/truncated.mp4"), fs.readFileSync(at("video/clip.mp4")).subarray(0, 3000));
fs.writeFileSync(at("video/notes.mp4"), "these are notes, not a video\n");
fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ gif_as_video: true, video: { max_frames: 15 } }));
execFileSync("tar", ["-czf", path.join(dir, "clips.tar.gz"), "-C", tree, "."]);
/** What ffmpeg itself decodes: rgb24 frames (15 of them, as the config asks). */
const reference = (file: string) => execFileSync(ffmpegPath(), ["-v", "error", "-i", file, "-frames:v", "15", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], { maxBuffer: 64 << 20 });

const CLI = path.join(__dirname, "..", "..", "src", "cli", "main.ts");

test("videos and audio from a tar.gz and a directory equal ffmpeg's decode; bad videos are kept as their bytes", () => {
  for (const input of [path.join(dir, "clips.tar.gz"), tree]) {
    const output = path.join(dir, `${path.basename(input)}.h5`);
    const run = spawnSync(process.execPath, ["--import", "tsx", CLI, "convert", input, "-o", output, "--config", path.join(dir, "config.json"), "--json"], { encoding: "utf8" });
    // The bad videos are kept as their bytes (a loose file is read again, an archive entry of
    // under 8 MiB was held whole), with ffmpeg's error as the reason.
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { entries: number; written: number; keptAsBytes: number; failed: number; kept: { source_path: string; message: string }[] };
    assert.deepEqual([summary.entries, summary.written, summary.keptAsBytes, summary.failed], [6, 4, 2, 0], input);
    const kept = Object.fromEntries(summary.kept.map((f) => [f.source_path, f.message]));
    assert.match(kept["video/truncated.mp4"], /^kept as bytes: .*truncated\.mp4.*moov atom not found/);
    assert.match(kept["video/notes.mp4"], /^kept as bytes: .*notes\.mp4.*(Invalid data found|moov atom not found)/);
    const seen = python<Record<string, { shape: number[]; dtype: string; attrs: Record<string, unknown>; sha?: string; peak?: number }>>(`import h5py, hashlib, json, sys
import numpy as np
f = h5py.File(sys.argv[1], "r")
g = f["clips"]
out = {}
for name in ("video/clip.mp4", "video/clip.mkv", "video/anim.gif", "audio/tone.wav", "video/truncated.mp4", "video/notes.mp4"):
    d = g[name]
    a = {k: (v.item() if hasattr(v, "item") else (v.decode() if isinstance(v, bytes) else v)) for k, v in d.attrs.items()}
    entry = {"shape": list(d.shape), "dtype": str(d.dtype), "attrs": a}
    if name.startswith("video"): entry["sha"] = hashlib.sha256(d[()].tobytes()).hexdigest()
    else:
        x = d[:, 0]; spectrum = np.abs(np.fft.rfft(x)); entry["peak"] = float(np.argmax(spectrum) * 16000 / len(x))
    out[name] = entry
print(json.dumps(out))`, output);
    for (const name of ["video/clip.mp4", "video/clip.mkv", "video/anim.gif"]) {
      const v = seen[name];
      assert.deepEqual([v.shape, v.dtype], [[15, 48, 64, 3], "uint8"], `${input}: ${name}`);
      assert.equal(v.sha, require("node:crypto").createHash("sha256").update(reference(at(name))).digest("hex"), `${input}: ${name}`);
      assert.deepEqual([v.attrs.fps, v.attrs.frame_count, v.attrs.width, v.attrs.height, v.attrs.processor], [10, 15, 64, 48, "video"], `${input}: ${name}`);
      assert.equal(v.attrs.duration_s, 1.5);
    }
    assert.equal(seen["video/anim.gif"].attrs.codec, "gif");
    const tone = seen["audio/tone.wav"];
    assert.deepEqual([tone.shape, tone.dtype, tone.attrs.sample_rate, tone.attrs.channels, tone.attrs.processor], [[16000, 1], "float32", 16000, 1, "audio"]);
    assert.ok(Math.abs(tone.peak! - 440) <= 2, `peak at ${tone.peak} Hz`);
    for (const name of ["video/truncated.mp4", "video/notes.mp4"]) {
      const v = seen[name];
      assert.deepEqual([v.dtype, v.attrs.processor, v.attrs.media_type], ["uint8", "bytes", "video/mp4"], `${input}: ${name}`);
      assert.equal(v.sha, require("node:crypto").createHash("sha256").update(fs.readFileSync(at(name))).digest("hex"), `${input}: ${name}`);
      assert.match(String(v.attrs.fallback_reason), /moov atom not found|Invalid data found/);
    }
  }
});
