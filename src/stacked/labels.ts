// Where a stacked dataset's labels come from, and their numbering. `--labels dir` takes each
// image's parent directory name (torchvision's ImageFolder convention: `train/cat/1.jpg` is a
// cat); `--labels FILE:KEY:COLUMN` joins a CSV or JSONL table on KEY = the file's stem;
// `--labels none` gives none. Label numbers index the attr `class_names`, sorted, so the same
// tree gives the same numbers every time; a file appended to later keeps its numbers, and new
// classes are added after the old ones (sorted among themselves). An image with no label is -1.

/** A label source: none, the parent directory, or a column of a table joined on the file's stem. */
export type LabelSource =
  | {
      /** No labels: every row's is -1. */
      from: "none";
    }
  | {
      /** The image's parent directory's name. */
      from: "dir";
    }
  | {
      /** A column of a CSV or JSONL table, joined on the file's stem. */
      from: "table";
      /** The table's file. */
      file: string;
      /** The column holding the files' stems. */
      key: string;
      /** The column holding the labels. */
      column: string;
    };

/** The label of an image without one. */
export const NO_LABEL = -1;

/** Parses `dir`, `none` or `FILE:KEY:COLUMN` (the file's own name may hold ':'; KEY and COLUMN are the last two parts). */
export function parseLabelSource(text: string): LabelSource {
  if (text === "dir" || text === "none") return { from: text };
  const parts = text.split(":");
  if (parts.length < 3 || parts.slice(-3).some((part) => part === "")) {
    throw new Error(`--labels: '${text}' is not dir, none or FILE:KEY:COLUMN (as in styles.csv:id:articleType)`);
  }
  return { from: "table", file: parts.slice(0, -2).join(":"), key: parts[parts.length - 2], column: parts[parts.length - 1] };
}

/** A source as --labels writes it (`dir`, `none`, `styles.csv:id:type`): how the option and the stack's attr store it. */
export function labelSourceText(source: LabelSource): string {
  return source.from === "table" ? `${source.file}:${source.key}:${source.column}` : source.from;
}

/** The label `--labels dir` gives an image: its parent directory's name; null at the input's top. */
export function directoryLabel(sourcePath: string): string | null {
  const parts = sourcePath.split("/");
  return parts.length >= 2 ? parts[parts.length - 2] : null;
}

/** The stem a table row is joined on: the file name without its last extension (`img/1163.jpg` → "1163"). */
export function stemOf(sourcePath: string): string {
  const name = sourcePath.slice(sourcePath.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * Class names as images bring them, numbered at the end: the names a file already had keep their
 * numbers, new ones follow in sorted order. Images are given encounter ids as they come (their
 * numbers are not known until every name is), which `finish` maps to the final numbers.
 */
export class ClassNumbering {
  private readonly encountered = new Map<string, number>();
  private readonly names: string[] = [];

  constructor(private readonly existing: readonly string[] = []) {}

  /** The encounter id of a class name. */
  idOf(name: string): number {
    let id = this.encountered.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.encountered.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** The final class names, and each encounter id's number among them. */
  finish(): { classNames: string[]; numberOf: Int32Array } {
    const known = new Map(this.existing.map((name, i) => [name, i]));
    const added = this.names.filter((name) => !known.has(name)).sort(compareNames);
    const classNames = [...this.existing, ...added];
    const position = new Map(classNames.map((name, i) => [name, i]));
    return { classNames, numberOf: Int32Array.from(this.names, (name) => position.get(name)!) };
  }
}

/** Sorted by code point, as Python's sorted() orders str (the same numbers from h5py's side). */
function compareNames(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
