// The WAV the audio view plays (src/view/wav.ts), read back by Python's own `wave` module.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { wavOf } from "../../src/view/wav";
import { python, tempDir } from "../helpers/h5py";

test("a WAV of float samples reads back in Python as 16-bit PCM of the same rate, channels and values", () => {
  const samples = Float32Array.from({ length: 2 * 500 }, (_, i) => (i % 2 === 0 ? Math.sin(i / 20) : -0.5));
  samples[10] = 2; // past full scale: clipped
  samples[12] = Number.NaN; // silence
  const file = path.join(tempDir("h5dat-wav-"), "clip.wav");
  fs.writeFileSync(file, wavOf(samples, 2, 22050));
  const read = python<{ rate: number; channels: number; width: number; frames: number[] }>(
    "import sys, json, wave, struct\nw = wave.open(sys.argv[1])\nn = w.getnframes()\nprint(json.dumps({'rate': w.getframerate(), 'channels': w.getnchannels(), 'width': w.getsampwidth(), 'frames': list(struct.unpack('<%dh' % (n * w.getnchannels()), w.readframes(n)))}))",
    file,
  );
  assert.deepEqual([read.rate, read.channels, read.width, read.frames.length], [22050, 2, 2, samples.length]);
  const expected = Array.from(samples, (v) => Math.round(Math.max(-1, Math.min(1, Number.isNaN(v) ? 0 : v)) * 32767));
  assert.deepEqual(read.frames, expected);
});
