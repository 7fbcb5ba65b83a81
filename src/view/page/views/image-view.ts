// An image dataset: the server's PNG of it (readImage → the PNG encoder), a frame picker for
// an animation. The <img> is the server's PNG itself, so its pixels are the dataset's.
import { apiUrl } from "../api";
import { errorBox, h } from "../dom";
import type { View } from "../listing";

/** Images smaller than this (pixels, the longer side) are shown magnified to about it. */
const SMALL_SIDE = 384;

/** The image view: the PNG, and a frame slider when there are frames. */
export function imageView(path: string, view: View): HTMLElement {
  const frames = view.frames ?? 1;
  const img = h("img", { class: "image-view", alt: path, src: apiUrl("/api/image.png", { path }) });
  const box = h("div", { class: "image-box" });
  img.addEventListener("error", () => void fetch(img.src).then((r) => r.json()).then((b: { error?: string }) => box.replaceChildren(errorBox(b.error ?? "the image could not be shown")), () => box.replaceChildren(errorBox("the image could not be shown"))));
  // A small image is shown magnified (whole pixels), a large one fits the pane.
  img.addEventListener("load", () => {
    const zoom = Math.max(1, Math.floor(SMALL_SIDE / Math.max(img.naturalWidth, img.naturalHeight)));
    img.style.width = `${img.naturalWidth * zoom}px`;
  });
  box.append(img);
  if (frames <= 1) return box;
  const label = h("span", {}, `frame 0 of ${frames}`);
  const slider = h("input", { type: "range", min: 0, max: frames - 1, value: 0, class: "frame-slider" });
  slider.addEventListener("input", () => {
    label.textContent = `frame ${slider.value} of ${frames}`;
    img.src = apiUrl("/api/image.png", { path, frame: slider.value });
  });
  return h("div", {}, h("div", { class: "pager" }, slider, label), box);
}
