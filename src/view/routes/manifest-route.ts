// GET /api/manifest?status=&q=&offset=&limit=: the manifest's counts by status and a page of the
// rows that pass the filter (a status, and text found in the path, target or message), each with
// its row number. The rows are read a block at a time, so a manifest of millions of entries is
// filtered in bounded memory.
import { MANIFEST_PATH, manifestRowOf, type ManifestRow } from "../../output/manifest";
import { VIEW_LIMITS } from "../limits";
import { jsonReply } from "../reply";
import { ViewError } from "../view-error";
import { asDataset } from "./datasets";
import type { Route } from "./route";

/** Manifest rows read at a time. */
const BLOCK_ROWS = 4096;
const STATUSES: readonly string[] = ["written", "skipped", "failed"];

/** A manifest row as the page shows it: with its row number. */
type ShownRow = ManifestRow & { row: number };

/** The manifest's counts and one page of its filtered rows. */
export const manifestRoute: Route = (file, query) => {
  const status = query.text("status");
  if (status !== "" && !STATUSES.includes(status)) throw new ViewError(400, `status must be one of ${STATUSES.join(", ")}, not '${status}'`);
  const text = query.text("q").toLowerCase();
  const offset = query.integer("offset", 0);
  const limit = query.integer("limit", 100, 1, VIEW_LIMITS.manifestPage);
  return file.withObject(MANIFEST_PATH, async (member) => {
    const dataset = asDataset(member, MANIFEST_PATH);
    const total = dataset.shape?.[0] ?? 0;
    const counts: Record<string, number> = { written: 0, skipped: 0, failed: 0 };
    const rows: ShownRow[] = [];
    let matched = 0;
    for (let start = 0; start < total; start += BLOCK_ROWS) {
      const { data } = await dataset.read({ start: [start], count: [Math.min(BLOCK_ROWS, total - start)] });
      (data as Record<string, unknown>[]).forEach((stored, i) => {
        const row = shownRow(stored, start + i);
        counts[row.status] = (counts[row.status] ?? 0) + 1;
        if (status !== "" && row.status !== status) return;
        if (text !== "" && ![row.source_path, row.target, row.message].some((t) => t.toLowerCase().includes(text))) return;
        if (matched >= offset && rows.length < limit) rows.push(row);
        matched++;
      });
    }
    return jsonReply({ total, counts, matched, offset, rows });
  });
};

function shownRow(stored: Record<string, unknown>, row: number): ShownRow {
  return { row, ...manifestRowOf(stored) };
}
