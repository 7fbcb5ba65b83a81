// A generated ImageFolder tree for the stacked layout's tests, made by PIL.

/** How many images each class of each split gets, and their sides' range. */
export interface ImageFolderSpec {
  seed: number;
  perClass: { train: number; val: number };
  /** Widths and heights are drawn from [low, high). */
  sides: [number, number];
}

/**
 * Python source writing an ImageFolder tree at sys.argv[1]: train/ and val/, each with owl/, cat/
 * and dog/ holding random RGB PNGs `<class>_<i>.png` of random sizes. `np`, `Image`, `os`, `sys`,
 * `rng` and `root` stay defined for the lines a test adds after it (which must print JSON).
 */
export function imageFolderScript({ seed, perClass, sides }: ImageFolderSpec): string {
  return `import sys, os, numpy as np
from PIL import Image
rng = np.random.default_rng(${seed})
root = sys.argv[1]
for split, count in (("train", ${perClass.train}), ("val", ${perClass.val})):
    for cls in ("owl", "cat", "dog"):
        os.makedirs(f"{root}/{split}/{cls}", exist_ok=True)
        for i in range(count):
            w, h = (int(x) for x in rng.integers(${sides[0]}, ${sides[1]}, 2))
            Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(f"{root}/{split}/{cls}/{cls}_{i}.png")
`;
}
