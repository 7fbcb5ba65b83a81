// Plain files and directories for a case: a tree from a name → content map, and text that
// compresses like real text (for entries large enough to be cut in the middle).
import fs from "node:fs";
import path from "node:path";

/** Writes `files` (relative path → content) under `root`; returns `root`. */
export function writeTree(root: string, files: Record<string, string | Buffer>): string {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
  fs.mkdirSync(root, { recursive: true });
  return root;
}

/** Runs `use` with the path of a JSON file holding `spec` (too large for a command line), then removes it. */
export function withSpecFile<T>(beside: string, spec: unknown, use: (file: string) => T): T {
  const file = `${beside}.spec.json`;
  fs.writeFileSync(file, JSON.stringify(spec));
  try {
    return use(file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** `count` numbered lines of varied words: deflates about 4:1, like logs. */
export function textLines(count: number): string {
  const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
  let text = "";
  for (let i = 0; i < count; i++) text += `${i} ${words[(i * 7) % 8]} ${words[(i * 3 + 1) % 8]} ${(i * 2654435761) % 1000003}\n`;
  return text;
}
