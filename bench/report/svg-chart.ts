// bench/results.svg: one bar per bench, h5dat's ratio against its anchor on a log axis from parity
// (1×), the target as a marker line, green when met and red when missed. Plain SVG with inline
// attributes only (no CSS, scripts or fonts to fetch), so GitHub's image proxy and browsers
// render it alike; a white background keeps it readable in dark mode.
import { isReduced, type BenchEntry } from "./bench-entry";
import { dayOf, formatRatio, versusText } from "./format";

const WIDTH = 900;
const LABELS_WIDTH = 230;
const PLOT_LEFT = LABELS_WIDTH + 10;
const PLOT_RIGHT = WIDTH - 290;
const PLOT_TOP = 96;
const ROW = 52;
const BAR = 18;
const MARKER = 32;
const LINE = 17;

const COLOURS = { met: "#2da44e", missed: "#cf222e", text: "#1f2328", muted: "#656d76", grid: "#d8dee4", parity: "#8c959f", reduced: "#9a6700" };
const FONT = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

/** The chart of `entries` (in the order given) as a standalone SVG document. */
export function renderChart(entries: BenchEntry[]): string {
  const axis = logAxis(entries.flatMap((entry) => [entry.ratio, entry.target.ratio]));
  const plotBottom = PLOT_TOP + Math.max(entries.length, 1) * ROW;
  const footer = footerLines(entries);
  const footerTop = plotBottom + 50;
  const height = footerTop + Math.max(footer.length - 1, 0) * LINE + 14;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${escapeXml(FONT)}" role="img" aria-labelledby="title">`,
    `<title id="title">h5dat against its anchors: ratio per benchmark and its target</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" rx="8" fill="#ffffff" stroke="${COLOURS.grid}"/>`,
    text(16, 30, "h5dat against its anchors", { size: 17, weight: "600" }),
    text(16, 50, "Ratio, higher is better, log scale: speed is h5dat ÷ anchor; P5 is the anchor's peak RSS ÷ h5dat's.", { size: 12, fill: COLOURS.muted }),
    ...legend(16, 72),
    ...grid(axis, plotBottom),
  ];
  if (entries.length === 0) parts.push(text(PLOT_LEFT, PLOT_TOP + ROW / 2 + 4, "No results yet: run npm run bench.", { size: 13, fill: COLOURS.muted }));
  entries.forEach((entry, index) => parts.push(...row(entry, PLOT_TOP + index * ROW, axis)));
  footer.forEach((line, index) => parts.push(text(16, footerTop + index * LINE, line.text, { size: 11.5, fill: line.fill })));
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

interface Axis {
  ticks: number[];
  x: (ratio: number) => number;
}

/** A log axis over `values` and parity, widened to the 1-2-5 ticks around them. */
function logAxis(values: number[]): Axis {
  const usable = [1, ...values.filter((value) => Number.isFinite(value) && value > 0)];
  const series = (exponent: number) => [1, 2, 5].map((mantissa) => mantissa * 10 ** exponent);
  const candidates = [-3, -2, -1, 0, 1, 2, 3, 4].flatMap(series).map((tick) => Number(tick.toPrecision(1)));
  const low = Math.min(...usable) / 1.15;
  const high = Math.max(...usable) * 1.15;
  const from = [...candidates].reverse().find((tick) => tick <= low) ?? candidates[0];
  const to = candidates.find((tick) => tick >= high) ?? candidates[candidates.length - 1];
  const span = Math.log(to) - Math.log(from);
  const x = (ratio: number) => {
    const clamped = Math.min(Math.max(ratio, from), to);
    return round1(PLOT_LEFT + ((Math.log(clamped) - Math.log(from)) / span) * (PLOT_RIGHT - PLOT_LEFT));
  };
  return { ticks: candidates.filter((tick) => tick >= from && tick <= to), x };
}

function grid(axis: Axis, plotBottom: number): string[] {
  const out: string[] = [];
  for (const tick of axis.ticks) {
    const x = axis.x(tick);
    const parity = tick === 1;
    out.push(`<line x1="${x}" y1="${PLOT_TOP - 6}" x2="${x}" y2="${plotBottom}" stroke="${parity ? COLOURS.parity : COLOURS.grid}" stroke-width="${parity ? 1.5 : 1}"${parity ? "" : ` stroke-dasharray="3 3"`}/>`);
    out.push(text(x, plotBottom + 16, `${tick}×`, { size: 11, fill: COLOURS.muted, anchor: "middle" }));
  }
  out.push(text(axis.x(1), plotBottom + 30, "parity", { size: 10.5, fill: COLOURS.muted, anchor: "middle" }));
  return out;
}

function legend(x: number, y: number): string[] {
  return [
    `<rect x="${x}" y="${y - 10}" width="12" height="12" rx="2" fill="${COLOURS.met}"/>`,
    text(x + 18, y, "target met", { size: 12 }),
    `<rect x="${x + 100}" y="${y - 10}" width="12" height="12" rx="2" fill="${COLOURS.missed}"/>`,
    text(x + 118, y, "target missed", { size: 12 }),
    `<line x1="${x + 222}" y1="${y - 12}" x2="${x + 222}" y2="${y + 3}" stroke="${COLOURS.text}" stroke-width="2.5"/>`,
    text(x + 231, y, "target", { size: 12 }),
  ];
}

function row(entry: BenchEntry, top: number, axis: Axis): string[] {
  const middle = top + ROW / 2;
  const colour = entry.met ? COLOURS.met : COLOURS.missed;
  const reduced = isReduced(entry);
  const out = [
    `<g data-bench="${escapeXml(entry.bench)}">`,
    text(16, middle - 3, entry.bench, { size: 14, weight: "600" }),
    text(16, middle + 13, reduced ? `${entry.size} (reduced)` : entry.size, { size: 11.5, fill: reduced ? COLOURS.reduced : COLOURS.muted }),
  ];
  if (Number.isFinite(entry.ratio) && entry.ratio > 0) {
    const from = axis.x(1);
    const to = axis.x(entry.ratio);
    const width = Math.max(Math.abs(to - from), 2);
    out.push(`<rect class="bar" x="${Math.min(from, to)}" y="${middle - BAR / 2}" width="${round1(width)}" height="${BAR}" rx="2" fill="${colour}"/>`);
  }
  if (Number.isFinite(entry.target.ratio) && entry.target.ratio > 0) {
    const x = axis.x(entry.target.ratio);
    const [y1, y2] = [middle - MARKER / 2, middle + MARKER / 2];
    // White under the dark line: the marker stays visible over either bar colour.
    out.push(`<line class="target" x1="${x}" y1="${y1}" x2="${x}" y2="${y2}" stroke="#ffffff" stroke-width="5"/>`);
    out.push(`<line x1="${x}" y1="${y1}" x2="${x}" y2="${y2}" stroke="${COLOURS.text}" stroke-width="2.5"/>`);
  }
  const verdict = `${entry.met ? "met" : "missed"}, target ${entry.target.text}`;
  out.push(text(PLOT_RIGHT + 14, middle - 3, `${formatRatio(entry.ratio)}`, { size: 14, weight: "600", fill: colour }));
  out.push(text(PLOT_RIGHT + 66, middle - 3, verdict, { size: 12 }));
  out.push(text(PLOT_RIGHT + 14, middle + 13, versusText(entry), { size: 11.5, fill: COLOURS.muted }));
  out.push("</g>");
  return out;
}

function footerLines(entries: BenchEntry[]): { text: string; fill: string }[] {
  if (entries.length === 0) return [];
  const days = entries.map((entry) => dayOf(entry.date)).sort();
  const when = days[0] === days[days.length - 1] ? days[0] : `${days[0]} to ${days[days.length - 1]}`;
  const machine = entries[entries.length - 1].machine;
  const lines = [
    { text: `Latest run of each bench: ${when}, medians of the repetitions (bench/results.json).`, fill: COLOURS.muted },
    { text: `${machine.cores} cores (${machine.cpu}), Node ${machine.node}, HDF5 ${machine.hdf5} in h5dat, h5py ${machine.h5py} on HDF5 ${machine.h5pyHdf5}.`, fill: COLOURS.muted },
  ];
  const reduced = entries.filter(isReduced).map((entry) => entry.bench);
  if (reduced.length > 0) lines.push({ text: `Reduced: ${reduced.join(", ")} ran smaller than the full suite (a quick check, not a result).`, fill: COLOURS.reduced });
  return lines;
}

interface TextStyle {
  size: number;
  weight?: string;
  fill?: string;
  anchor?: "start" | "middle" | "end";
}

function text(x: number, y: number, content: string, style: TextStyle): string {
  const attrs = [`x="${x}"`, `y="${y}"`, `font-size="${style.size}"`, `fill="${style.fill ?? COLOURS.text}"`];
  if (style.weight) attrs.push(`font-weight="${style.weight}"`);
  if (style.anchor && style.anchor !== "start") attrs.push(`text-anchor="${style.anchor}"`);
  return `<text ${attrs.join(" ")}>${escapeXml(content)}</text>`;
}

/** Text and attribute values safe inside XML. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
