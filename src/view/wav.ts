// Float samples as a WAV file (16-bit PCM) for the browser's <audio>: every browser plays it,
// and 16 bits are what a listener hears of float samples in [-1, 1].

/** A RIFF/WAVE file of interleaved float samples (clipped to [-1, 1]) at `sampleRate`. */
export function wavOf(samples: Float32Array, channels: number, sampleRate: number): Buffer {
  const data = samples.length * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write("RIFF", 0, "ascii");
  wav.writeUInt32LE(36 + data, 4);
  wav.write("WAVEfmt ", 8, "ascii");
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(channels, 22);
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * channels * 2, 28);
  wav.writeUInt16LE(channels * 2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write("data", 36, "ascii");
  wav.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, Number.isNaN(samples[i]) ? 0 : samples[i]));
    wav.writeInt16LE(Math.round(v * 32767), 44 + i * 2);
  }
  return wav;
}
