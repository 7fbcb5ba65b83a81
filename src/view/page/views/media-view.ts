// Video: a frame scrubber (the server sends the frame the slider is on). Audio: the browser's
// player over a WAV the server makes from the samples, and the waveform (each bin's min and max).
import { apiUrl, getJson } from "../api";
import { errorBox, h } from "../dom";
import type { View } from "../listing";

/** Waveform bins (one per pixel of its canvas). */
const BINS = 800;

/** The video view: the frame shown and the slider that picks it. */
export function videoView(path: string, view: View): HTMLElement {
  const frames = view.frames ?? 1;
  const img = h("img", { class: "image-view video-frame", alt: `${path} frame 0`, src: apiUrl("/api/frame.png", { path, frame: 0 }) });
  img.style.width = "480px";
  const label = h("span", { class: "frame-label" }, `frame 0 of ${frames}`);
  const slider = h("input", { type: "range", min: 0, max: frames - 1, value: 0, class: "frame-slider" });
  slider.addEventListener("input", () => {
    label.textContent = `frame ${slider.value} of ${frames}`;
    img.src = apiUrl("/api/frame.png", { path, frame: slider.value });
  });
  return h("div", { class: "video-view" }, h("div", { class: "pager" }, slider, label), img);
}

interface WaveformAnswer {
  length: number;
  channels: number;
  sampleRate: number | null;
  min: number[];
  max: number[];
}

/** The audio view: a player, and the waveform beneath. */
export function audioView(path: string): HTMLElement {
  const canvas = h("canvas", { class: "waveform", width: BINS, height: 160 });
  const facts = h("div", { class: "audio-facts" });
  const root = h("div", { class: "audio-view" }, h("audio", { controls: true, preload: "metadata", src: apiUrl("/api/audio.wav", { path }) }), facts, canvas);
  getJson<WaveformAnswer>("/api/waveform", { path, bins: BINS }).then(
    (answer) => {
      facts.textContent = `${answer.length} samples × ${answer.channels} channels${answer.sampleRate ? `, ${answer.sampleRate} Hz, ${(answer.length / answer.sampleRate).toFixed(2)} s` : ""}`;
      const context = canvas.getContext("2d")!;
      context.fillStyle = "#2a62b8";
      answer.min.forEach((lo, x) => {
        const top = 80 - answer.max[x] * 78;
        context.fillRect(x, top, 1, Math.max(1, (answer.max[x] - lo) * 78));
      });
    },
    (error: unknown) => root.append(errorBox(error)),
  );
  return root;
}
