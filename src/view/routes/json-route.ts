// GET /api/json?path=P: a JSON dataset rebuilt as JSON (readJSONText: every number as written),
// refused past a bound of pairs; a record table's rows [start, stop) as readJSON gives them.
import { Dataset } from "../../h5/dataset";
import { Group } from "../../h5/group";
import { runAsync } from "../../h5/operation";
import { stringMatrixShape } from "../../h5/string-rows";
import { readJSON, readJSONText } from "../../read/records";
import { VIEW_LIMITS } from "../limits";
import { jsonReply, type Reply } from "../reply";
import { checkBound, ViewError } from "../view-error";
import type { Query } from "../query";
import type { Route } from "./route";

/** A JSON dataset's value, or a page of a record table's documents. */
export const jsonRoute: Route = (file, query) => {
  const path = query.objectPath();
  return file.withObject(path, async (member) => {
    if (!(member instanceof Dataset) && !(member instanceof Group)) throw new ViewError(400, `'${path}' holds no JSON`);
    if (member instanceof Dataset && member.dtype !== null && (member.dtype as { kind?: string }).kind === "compound") return recordPage(member, query);
    const pairs = (await runAsync(stringMatrixShape(member)))[0] ?? 0;
    checkBound(pairs, VIEW_LIMITS.jsonPairs, "JSON (pointer, value) pairs");
    // The text as stored, inlined: the page parses it, and no number is rounded on the way.
    const text = await readJSONText(member);
    return { type: "application/json; charset=utf-8", body: `{"pairs":${pairs},"value":${text}}` };
  });
};

/** Rows [start, stop) of a record table (a JSON array's elements, JSONL documents). */
async function recordPage(dataset: Dataset, query: Query): Promise<Reply> {
  const start = query.integer("start", 0);
  const stop = query.integer("stop", start + 100, start);
  checkBound(stop - start, VIEW_LIMITS.jsonRows, "JSON documents");
  const total = dataset.shape?.[0] ?? 0;
  const rows = Math.min(stop, total);
  return jsonReply({ total, start: Math.min(start, total), stop: rows, value: await readJSON(dataset, { rows: [start, stop] }) });
}
