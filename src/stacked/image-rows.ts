// How a stack stores its images (the group's attr `image_storage`):
//   fixed    images uint8 [N, H, W, C], one image per chunk, the run's compression: every image
//            has one shape (--resize gives one, or the images agree);
//   ragged   images vlen uint8 [N] (each element one image's pixels, row-major) and
//            image_shapes uint32 [N, 3]: the images differ in size or channels;
//   encoded  images vlen uint8 [N] holding each file's own bytes, image_shapes as stored, and
//            image_format (a ragged string array: "jpeg", "png", ...), for loaders that decode
//            themselves (--images encoded).
// A stack without --resize starts fixed with its first image's shape and turns ragged at the
// first image of another: the rows so far are copied into the ragged pair and the fixed array
// dropped (HDF5 reuses its space for what is written after, while the file stays open). Element
// data of a vlen dataset lives in HDF5's global heap, which filters do not compress: a ragged
// stack of raw pixels is stored uncompressed (give --resize for a compressed, fixed one).
import { dtype } from "../h5/dtype";
import type { Dataset } from "../h5/dataset";
import type { Group } from "../h5/group";
import { RaggedStringsWriter } from "../h5/ragged-strings";
import { compressionOf, type DatasetLayout } from "../processors/layout";

/** The group attr `image_storage`. */
export type ImageStorage = "fixed" | "ragged" | "encoded";

/** One image of a stack. */
export interface StackedImage {
  /** Pixels, row-major [H, W, C]; or the file's own bytes when encoded. */
  data: Uint8Array;
  /** The pixels' shape [H, W, C], or the encoded image's as stored. */
  shape: [number, number, number];
  /** The file's format as sharp names it (jpeg, png, ...). */
  format: string;
}

/** Descriptors of a vlen dataset per chunk (16 bytes each). */
const VLEN_CHUNK = 1024;
/** Images copied at a time when a fixed stack turns ragged. */
const COPY_ROWS = 64;

/** The images of a stack, in one of the storages. */
export interface ImageRows {
  readonly storage: ImageStorage;
  /** The one shape of every image (fixed), or null. */
  readonly shape: [number, number, number] | null;
  /** Whether `image` can be appended as it is (a fixed stack takes one shape only). */
  fits(image: StackedImage): boolean;
  append(image: StackedImage): Promise<void>;
  /** Writes what is buffered (image_format's strings) to the file. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the storage for a stack whose first image is `first`. */
export function createImageRows(group: Group, layout: DatasetLayout, first: StackedImage, encoded: boolean): Promise<ImageRows> {
  return encoded ? RaggedImages.create(group, layout, true) : FixedImages.create(group, layout, first.shape);
}

/** The storage of a stack a file already holds, to append to (`storage`: its attr image_storage). */
export async function openImageRows(group: Group, storage: ImageStorage): Promise<ImageRows> {
  return storage === "fixed" ? FixedImages.open(group) : RaggedImages.open(group, storage);
}

/** images [N, H, W, C]. */
export class FixedImages implements ImageRows {
  readonly storage = "fixed";
  private rows = 0;

  private constructor(readonly images: Dataset, readonly shape: [number, number, number]) {}

  static async create(group: Group, layout: DatasetLayout, shape: [number, number, number]): Promise<FixedImages> {
    const images = await group.createDataset("images", { shape: [0, ...shape], maxshape: [null, ...shape], chunks: [1, ...shape], dtype: "uint8", ...compressionOf(layout) });
    return new FixedImages(images, shape);
  }

  static async open(group: Group): Promise<FixedImages> {
    const images = (await group.get("images")) as Dataset;
    const [rows, ...shape] = images.shape!;
    const fixed = new FixedImages(images, shape as [number, number, number]);
    fixed.rows = rows;
    return fixed;
  }

  fits(image: StackedImage): boolean {
    return image.shape.every((side, i) => side === this.shape[i]);
  }

  async append(image: StackedImage): Promise<void> {
    await this.images.append(image.data, 1);
    this.rows++;
  }

  /** The images written so far, `count` from `start`, as one block. */
  async read(start: number, count: number): Promise<Uint8Array> {
    return (await this.images.read({ start: [start, 0, 0, 0], count: [count, ...this.shape] })).data as Uint8Array;
  }

  get length(): number {
    return this.rows;
  }

  async flush(): Promise<void> {}

  close(): Promise<void> {
    return this.images.close();
  }
}

/** images vlen uint8 [N] and image_shapes [N, 3] (and image_format when encoded). */
export class RaggedImages implements ImageRows {
  readonly shape = null;

  private constructor(
    readonly storage: "ragged" | "encoded",
    private readonly images: Dataset,
    private readonly shapes: Dataset,
    private readonly formats: RaggedStringsWriter | null,
  ) {}

  static async create(group: Group, layout: DatasetLayout, encoded: boolean): Promise<RaggedImages> {
    const compression = compressionOf(layout);
    const images = await group.createDataset("images", { shape: [0], maxshape: [null], chunks: [VLEN_CHUNK], dtype: dtype.vlen("uint8"), ...compression });
    const shapes = await group.createDataset("image_shapes", { shape: [0, 3], maxshape: [null, 3], chunks: [VLEN_CHUNK * 4, 3], dtype: "uint32", ...compression });
    const formats = encoded ? await RaggedStringsWriter.create(group, "image_format", [], { compression: layout.compression }) : null;
    return new RaggedImages(encoded ? "encoded" : "ragged", images, shapes, formats);
  }

  static async open(group: Group, storage: "ragged" | "encoded"): Promise<RaggedImages> {
    const images = (await group.get("images")) as Dataset;
    const shapes = (await group.get("image_shapes")) as Dataset;
    const formats = storage === "encoded" ? await RaggedStringsWriter.open(group, "image_format") : null;
    return new RaggedImages(storage, images, shapes, formats);
  }

  /**
   * A fixed stack turned ragged: its rows copied into the ragged pair, a block at a time, and
   * the fixed array unlinked.
   */
  static async fromFixed(group: Group, layout: DatasetLayout, fixed: FixedImages): Promise<RaggedImages> {
    await group.hardLink("images.fixed", "images");
    await group.delete("images");
    const ragged = await RaggedImages.create(group, layout, false);
    const [h, w, c] = fixed.shape;
    const size = h * w * c;
    for (let start = 0; start < fixed.length; start += COPY_ROWS) {
      const count = Math.min(COPY_ROWS, fixed.length - start);
      const block = await fixed.read(start, count);
      for (let r = 0; r < count; r++) await ragged.append({ data: block.subarray(r * size, (r + 1) * size), shape: fixed.shape, format: "" });
    }
    await fixed.close();
    await group.delete("images.fixed");
    return ragged;
  }

  fits(): boolean {
    return true;
  }

  async append(image: StackedImage): Promise<void> {
    await this.images.append([image.data], 1);
    await this.shapes.append(Uint32Array.from(image.shape), 1);
    await this.formats?.append([image.format]);
  }

  async flush(): Promise<void> {
    await this.formats?.flush();
  }

  async close(): Promise<void> {
    await this.images.close();
    await this.shapes.close();
    if (this.formats) await (await this.formats.finish()).close();
  }
}
