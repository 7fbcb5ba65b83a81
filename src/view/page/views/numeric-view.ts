// Numbers: 1-D as a line plot, 2-D as a heatmap with a colour scale; a higher rank picks two axes
// to show and an index on each other one. The server reads the selection only, strided so that
// no axis shown has more than MAX_SIDE points.
import { getJson } from "../api";
import { errorBox, h } from "../dom";
import type { View } from "../listing";
import { scaleBar, viridis } from "./colour-scale";

/** Points per axis shown at most (the server's slice bound is 1,048,576 values: 1,024²). */
const MAX_SIDE = 1024;

interface SliceAnswer {
  shape: number[];
  dtype: string;
  min: number | null;
  max: number | null;
  values: (number | null)[];
}

/** The axis text of a shown axis of `size`: all of it, strided to MAX_SIDE points. */
const strided = (size: number) => (size > MAX_SIDE ? `::${Math.ceil(size / MAX_SIDE)}` : ":");

/** The numeric view: index pickers for the axes not shown, then the plot. */
export function numericView(path: string, view: View): HTMLElement {
  const shape = view.shape ?? [];
  const plot = h("div", { class: "plot" });
  const indices = shape.map(() => 0);
  const draw = () => {
    const shown = shape.length - Math.min(2, shape.length);
    const sel = shape.map((size, axis) => (axis < shown ? String(indices[axis]) : strided(size))).join(",");
    getJson<SliceAnswer>("/api/slice", { path, sel }).then(
      (answer) => plot.replaceChildren(...(answer.shape.length === 1 ? [linePlot(answer)] : [heatmap(answer), scaleBar(answer.min ?? 0, answer.max ?? 0)]), h("div", { class: "slice-text" }, `[${sel}] ${answer.dtype} min ${answer.min} max ${answer.max}`)),
      (error: unknown) => plot.replaceChildren(errorBox(error)),
    );
  };
  const pickers = shape.slice(0, Math.max(0, shape.length - 2)).map((size, axis) => {
    const input = h("input", { type: "number", min: 0, max: size - 1, value: 0, class: "axis-index" });
    input.addEventListener("change", () => ((indices[axis] = Math.min(size - 1, Math.max(0, Number(input.value) || 0))), draw()));
    return h("label", {}, `axis ${axis} `, input, ` of ${size}`);
  });
  draw();
  return h("div", {}, pickers.length > 0 ? h("div", { class: "axis-pickers" }, ...pickers) : null, plot);
}

/** A line plot of a 1-D slice, with its min and max on the y axis. */
function linePlot(answer: SliceAnswer): HTMLCanvasElement {
  const canvas = h("canvas", { class: "line-plot", width: 800, height: 300 });
  const context = canvas.getContext("2d")!;
  const [lo, hi] = [answer.min ?? 0, answer.max ?? 1];
  const span = hi - lo || 1;
  const n = answer.values.length;
  context.strokeStyle = "#2a62b8";
  context.beginPath();
  answer.values.forEach((v, i) => {
    if (v === null) return;
    const x = 40 + (n <= 1 ? 0 : (i / (n - 1)) * 750);
    const y = 290 - ((v - lo) / span) * 280;
    if (i === 0) context.moveTo(x, y);
    else context.lineTo(x, y);
  });
  context.stroke();
  context.fillStyle = "#445";
  context.fillText(String(hi), 2, 12);
  context.fillText(String(lo), 2, 296);
  return canvas;
}

/** A heatmap of a 2-D slice, one cell a value, coloured by viridis between min and max. */
function heatmap(answer: SliceAnswer): HTMLCanvasElement {
  const [rows, columns] = answer.shape;
  const canvas = h("canvas", { class: "heatmap", width: columns, height: rows });
  const scale = Math.max(1, Math.floor(Math.min(400 / Math.max(1, rows), 600 / Math.max(1, columns))));
  canvas.style.width = `${columns * scale}px`;
  canvas.style.height = `${rows * scale}px`;
  canvas.style.imageRendering = "pixelated";
  const context = canvas.getContext("2d")!;
  const image = context.createImageData(Math.max(1, columns), Math.max(1, rows));
  const [lo, hi] = [answer.min ?? 0, answer.max ?? 1];
  answer.values.forEach((v, i) => {
    const [r, g, b] = v === null ? [255, 255, 255] : viridis((v - lo) / (hi - lo || 1));
    image.data.set([r, g, b, 255], i * 4);
  });
  context.putImageData(image, 0, 0);
  return canvas;
}
