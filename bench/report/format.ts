// Number and date formatting shared by the chart and the README table, so both say the same.
import type { BenchEntry } from "./bench-entry";

/** 3525 -> "3,525"; 191.2 -> "191.2" (runners already rounded to the digits that mean something). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString("en-US") : String(value);
}

/** 3.004 -> "3.00×", 34.37 -> "34.4×". */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return "n/a";
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

/** "191.2 vs 63.7 MiB/s": h5dat's headline against the anchor's (P5: "peak 247 vs 8,500 MB at 2 GB"). */
export function versusText(entry: BenchEntry): string {
  const versus = `${formatNumber(entry.h5dat)} vs ${formatNumber(entry.anchorValue)} ${entry.unit}`;
  if (entry.kind !== "memory") return versus;
  const largest = ([] as number[]).concat(entry.sizes.sizes_gb ?? []).pop();
  return `peak ${versus}${largest === undefined ? "" : ` at ${largest} GB`}`;
}

/** "2026-11-25" from an ISO date. */
export function dayOf(date: string): string {
  return date.slice(0, 10);
}
