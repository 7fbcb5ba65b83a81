// Which split (train, val, test, ...) a file of a stacked dataset belongs to. `--split
// train=0.8,val=0.1,test=0.1` assigns by a stable hash of the file's source path and `--seed`:
// the first 8 bytes of SHA-256("<seed>\n<path>") read as a big-endian integer, divided by 2^64,
// give a point in [0, 1), and the split is the one whose share covers it, in the order written.
// Nothing else (file order, worker count, machine, time) moves a file: it keeps its split when
// the dataset grows. When the tree already has split directories (`train/`, `val/` or `valid/`
// or `validation/`, `test/`), those win, as in torchvision's and Keras' layouts.
import { createHash } from "node:crypto";

/** One split of a rule: its name and the share of files it takes. */
export interface SplitShare {
  /** The split's name (its dataset under `splits/`). */
  name: string;
  /** The fraction of files it takes, above 0; a rule's shares sum to 1. */
  share: number;
}

/** The seed used when none is given. */
export const DEFAULT_SEED = 0;

/** Directory names that make a split, by the split they make. */
const SPLIT_DIRECTORIES: Record<string, string> = { train: "train", val: "val", valid: "val", validation: "val", test: "test" };

/** Parses `train=0.8,val=0.1,test=0.1`: names unique, shares positive, summing to 1. */
export function parseSplitRule(text: string): SplitShare[] {
  const shares = text.split(",").map((part) => {
    const match = /^\s*([A-Za-z_][\w-]*)\s*=\s*([0-9]*\.?[0-9]+)\s*$/.exec(part);
    if (!match) throw new Error(`--split: '${part}' is not NAME=SHARE (as in train=0.8,val=0.1,test=0.1)`);
    return { name: match[1], share: Number(match[2]) };
  });
  const names = new Set<string>();
  for (const { name, share } of shares) {
    if (names.has(name)) throw new Error(`--split: '${name}' is named twice`);
    names.add(name);
    if (!(share > 0)) throw new Error(`--split: '${name}' has a share of ${share}; each must be above 0`);
  }
  const total = shares.reduce((sum, { share }) => sum + share, 0);
  if (Math.abs(total - 1) > 1e-9) throw new Error(`--split: the shares sum to ${total}, not 1`);
  return shares;
}

/** A rule as --split writes it (`train=0.8,test=0.2`): how the option and the stack's attr store it. */
export function splitRuleText(rule: readonly SplitShare[]): string {
  return rule.map(({ name, share }) => `${name}=${share}`).join(",");
}

/** The point in [0, 1) a path hashes to under `seed`. */
export function splitPoint(sourcePath: string, seed: number = DEFAULT_SEED): number {
  const digest = createHash("sha256").update(`${seed}\n${sourcePath}`).digest();
  return Number(digest.readBigUInt64BE(0) >> 11n) / 2 ** 53;
}

/** The split of `sourcePath` by the rule's shares (the last takes what rounding leaves). */
export function splitByHash(sourcePath: string, rule: readonly SplitShare[], seed: number = DEFAULT_SEED): string {
  const point = splitPoint(sourcePath, seed);
  let end = 0;
  for (const { name, share } of rule) {
    end += share;
    if (point < end) return name;
  }
  return rule[rule.length - 1].name;
}

/** The split a directory of `sourcePath` names (`train/cat/1.jpg` → "train"; `valid/...` → "val"), or null. */
export function splitFromDirectories(sourcePath: string): string | null {
  const directories = sourcePath.split("/").slice(0, -1);
  for (const directory of directories) {
    const split = SPLIT_DIRECTORIES[directory.toLowerCase()];
    if (split) return split;
  }
  return null;
}
