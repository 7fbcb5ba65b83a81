// `--resize WxH[:cover|contain|fill]`: the one shape a stacked dataset's images are brought to, by
// sharp. cover (the default, as sharp's) fills the box and crops what passes it, centred;
// contain fits the image inside it and pads with 0 (opaque black: sharp adds no alpha channel to
// an image without one, so a set keeps its channels); fill stretches it to the box, ignoring the aspect ratio (torchvision's Resize((h, w))).

/** How an image is brought to the box. */
export type ResizeFit = "cover" | "contain" | "fill";

/** A resize: the box and the fit. */
export interface ResizeSpec {
  /** The box's width in pixels. */
  width: number;
  /** The box's height in pixels. */
  height: number;
  /** How an image is brought to the box. */
  fit: ResizeFit;
}

/** The largest side a resize may ask for (sharp's own limit is 16383 for many formats). */
const MOST_SIDE = 16383;

/** Parses `224x224`, `640x480:contain`. */
export function parseResize(text: string): ResizeSpec {
  const match = /^([0-9]+)x([0-9]+)(?::(cover|contain|fill))?$/.exec(text.trim());
  if (!match) throw new Error(`--resize: '${text}' is not WxH[:cover|contain|fill] (as in 224x224:contain)`);
  const [width, height] = [Number(match[1]), Number(match[2])];
  for (const side of [width, height]) {
    if (side < 1 || side > MOST_SIDE) throw new Error(`--resize: '${text}': each side must be 1 to ${MOST_SIDE} pixels`);
  }
  return { width, height, fit: (match[3] as ResizeFit | undefined) ?? "cover" };
}

/** sharp's resize options for a spec (contain pads with opaque black). */
export function sharpResize(spec: ResizeSpec): { width: number; height: number; fit: ResizeFit; position: "centre"; background: { r: 0; g: 0; b: 0; alpha: 1 } } {
  return { width: spec.width, height: spec.height, fit: spec.fit, position: "centre", background: { r: 0, g: 0, b: 0, alpha: 1 } };
}

/** A spec as --resize writes it (`224x224:cover`): how the option and the stack's attr store it. */
export function resizeText(spec: ResizeSpec): string {
  return `${spec.width}x${spec.height}:${spec.fit}`;
}
