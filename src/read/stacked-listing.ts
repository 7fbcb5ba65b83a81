// What `h5dat ls` and `show` say of a stacked group (issue 20): its rows, image shape and storage,
// classes, splits with their sizes, label source and resize. `ls` gives what the attrs and
// shapes hold (cheap for any number of rows); `show` adds each class's count, which reads the
// labels a block at a time.
import type { Group } from "../h5/group";
import { openStack, type ClassCounts, type ImageStorage, type StackedGroup } from "./stacked";

/** A stacked group as `ls` lists it. */
export interface StackedListing {
  rows: number;
  /** [H, W, C] of every image ("fixed" storage); [] otherwise. */
  imageShape: number[];
  storage: ImageStorage;
  classNames: string[];
  /** Each split's name and number of rows, in name order. */
  splits: { name: string; rows: number }[];
  labelSource: string;
  /** "" for none. */
  resize: string;
  /** "" when the splits came from directories, or there are none. */
  splitRule: string;
  /** The seed of the split rule's hash. */
  seed: number;
}

/** `group`'s stack as ls lists it (its attrs and its splits' lengths). */
export async function stackedListing(group: Group): Promise<StackedListing> {
  const stack = await openStack(group);
  try {
    return {
      rows: stack.rows,
      imageShape: stack.imageShape,
      storage: stack.storage,
      classNames: stack.classNames,
      splits: await splitSizes(stack),
      labelSource: stack.labelSource,
      resize: stack.resize,
      splitRule: stack.splitRule,
      seed: stack.seed,
    };
  } finally {
    await stack.close();
  }
}

async function splitSizes(stack: StackedGroup): Promise<{ name: string; rows: number }[]> {
  const sizes: { name: string; rows: number }[] = [];
  for (const name of stack.splitNames) {
    const split = await stack.group.dataset(`splits/${name}`);
    sizes.push({ name, rows: split.shape?.[0] ?? 0 });
    await split.close();
  }
  return sizes;
}

/** One line: "21 images [10, 12, 3] fixed, 3 classes (dir), splits train 15 / val 6, resize 12x10:fill". */
export function stackedSummary(listing: StackedListing): string {
  const images = `${listing.rows} ${listing.rows === 1 ? "image" : "images"} ${listing.storage === "fixed" ? `[${listing.imageShape.join(", ")}]` : listing.storage}`;
  const classes = `${listing.classNames.length} ${listing.classNames.length === 1 ? "class" : "classes"} (labels: ${listing.labelSource || "?"})`;
  const splits = listing.splits.length > 0 ? `splits ${listing.splits.map((s) => `${s.name} ${s.rows}`).join(" / ")}${listing.splitRule ? ` (${listing.splitRule})` : ""}` : "no splits";
  return [images, classes, splits, ...(listing.resize ? [`resize ${listing.resize}`] : [])].join(", ");
}

/** Each class's name and number of rows, most first (then by name), and the rows with none. */
export async function classCountsOf(group: Group): Promise<{ classes: { name: string; rows: number }[]; unlabelled: number }> {
  const stack = await openStack(group);
  try {
    const { counts, unlabelled }: ClassCounts = await stack.classCounts();
    const classes = stack.classNames.map((name, i) => ({ name, rows: counts[i] }));
    classes.sort((a, b) => b.rows - a.rows || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { classes, unlabelled };
  } finally {
    await stack.close();
  }
}
