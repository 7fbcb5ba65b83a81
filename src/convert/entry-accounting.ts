// The last word of a run before it reports success: every entry the inputs listed has exactly
// one manifest row. Entries a resumed run found done but that the inputs no longer list get a
// row saying they vanished, and what they wrote is removed (a run from scratch would not have
// it). A count that does not add up fails the run, which leaves its .partial: success is never
// reported with entries unaccounted for.
import { dropQuarantined } from "../schema";
import type { Run } from "./run";
import { encodedPathOf } from "./encoded-root";

/** Rows for the entries the interrupted run did that the inputs no longer hold. */
export async function recordVanished(run: Run): Promise<void> {
  const vanished = run.resumable.leftovers();
  if (vanished.length === 0) return;
  const removed = new Set<string>();
  await run.inTurn(async () => {
    for (const { row } of vanished) {
      if (row.status !== "written" || !row.target) continue;
      for (const target of [row.target, encodedPathOf(row.target)]) {
        if (await run.file.has(target)) await run.file.delete(target);
        removed.add(target);
      }
      run.releaseTarget(row.target);
    }
    await dropQuarantined(run.file, removed);
  });
  for (const { entry, row } of vanished) {
    const dataset = row.status === "written" && row.target ? ` (its dataset '${row.target}' was removed)` : "";
    const message = `no longer in the input: removed after the interrupted run had done it${dataset}`;
    run.recordVanishedRow({ ...row, target: "", status: "skipped", message }, entry);
  }
}

/** Throws unless each entry listed has one row and the manifest holds no other (besides `earlier` rows of runs before). */
export function accountForEntries(run: Run, earlier: number): void {
  const missing = run.order.listed.filter((entry) => run.manifest.get(entry) === undefined);
  const counts = run.manifest.counts();
  const rows = counts.written + counts.skipped + counts.failed;
  const expected = earlier + run.order.listed.length;
  if (missing.length === 0 && rows === expected) return;
  const what = missing.length > 0 ? `${missing.length} of the ${run.order.listed.length} entries the inputs listed have no manifest row` : `the manifest holds ${rows} rows for ${expected} entries`;
  throw new Error(`${what}: the run is not complete and is not reported as done (the file stays as .partial)`);
}
