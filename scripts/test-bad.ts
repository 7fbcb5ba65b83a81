// `npm run test:bad`: runs the bad-input corpus and prints a table (case, expected, got), then
// the totals; exits 1 when any case did not go as expected.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { allCases } from "../test/bad/all-cases";

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "h5dat-bad-"));
  const rows: [string, string, string, string][] = [];
  let failed = 0;
  try {
    for (const [i, badCase] of allCases().entries()) {
      const dir = path.join(root, String(i));
      fs.mkdirSync(dir);
      let got: string;
      let ok = true;
      try {
        got = await badCase.run(dir);
      } catch (error) {
        ok = false;
        failed++;
        got = `✗ ${error instanceof Error ? error.message : String(error)}`.split("\n").slice(0, 3).join(" ");
      }
      rows.push([badCase.name, badCase.expected, got, ok ? "ok" : "FAIL"]);
      process.stderr.write(`${ok ? "." : "F"}`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  process.stderr.write("\n");
  const header: [string, string, string, string] = ["case", "expected", "got", ""];
  const widths = header.map((h, c) => Math.min(70, Math.max(h.length, ...rows.map((r) => r[c].length))));
  const line = (r: string[]) => "| " + r.map((cell, c) => cell.padEnd(widths[c])).join(" | ") + " |";
  console.log(line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const row of rows) console.log(line(row));
  console.log(`\n${rows.length} cases: ${rows.length - failed} as expected, ${failed} not`);
  process.exitCode = failed > 0 ? 1 : 0;
}

void main();
