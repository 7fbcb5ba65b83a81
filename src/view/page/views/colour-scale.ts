// Viridis, the heatmap's colour scale (perceptually even, readable in grey and by most colour-
// blind readers; h5web's default too), from nine of its stops interpolated.
const STOPS = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
];

/** The colour of t in [0, 1] as [r, g, b]. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(STOPS[i][c] + (STOPS[i + 1][c] - STOPS[i][c]) * f)) as [number, number, number];
}

/** A horizontal bar of the scale between its two values. */
export function scaleBar(min: number, max: number): HTMLElement {
  const canvas = document.createElement("canvas");
  canvas.width = 200;
  canvas.height = 12;
  const context = canvas.getContext("2d")!;
  for (let x = 0; x < 200; x++) {
    const [r, g, b] = viridis(x / 199);
    context.fillStyle = `rgb(${r},${g},${b})`;
    context.fillRect(x, 0, 1, 12);
  }
  const box = document.createElement("div");
  box.className = "colour-scale";
  box.append(String(min), canvas, String(max));
  return box;
}
