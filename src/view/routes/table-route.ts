// GET /api/table?path=P&start=&stop=: rows [start, stop) of a table (a CSV's compound dataset, a
// kv table, a wide table's group, any compound dataset) read by hyperslab, never the whole table.
import { readTable } from "../../read/records";
import { Dataset } from "../../h5/dataset";
import { Group } from "../../h5/group";
import { VIEW_LIMITS } from "../limits";
import { jsonReply } from "../reply";
import { checkBound, ViewError } from "../view-error";
import type { Route } from "./route";

/** A page of a table's rows, with its columns and its length. */
export const tableRoute: Route = (file, query) => {
  const path = query.objectPath();
  const start = query.integer("start", 0);
  const stop = query.integer("stop", start + 100, start);
  checkBound(stop - start, VIEW_LIMITS.tableRows, "table rows");
  return file.withObject(path, async (member) => {
    if (member instanceof Dataset && member.unreadable) throw new ViewError(422, `'${path}' cannot be read: ${member.unreadable}`);
    if (!(member instanceof Dataset) && !(member instanceof Group)) throw new ViewError(400, `'${path}' is not a table`);
    const table = await readTable(member, [start, stop]);
    checkBound(table.length * table.columns.length, VIEW_LIMITS.tableCells, "table cells");
    return jsonReply({ columns: table.columns, start: table.start, stop: table.stop, total: table.total, rows: [...table.rowValues()] });
  });
};
