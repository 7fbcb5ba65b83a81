// GET /api/members?path=G&offset=&limit=: a group's members as `h5dat ls` lists them (kind, shape,
// dtype, chunks, filters, sizes), a page at a time, so a group of 100,000 datasets opens as fast
// as one of ten: only the members shown are opened.
import { Group } from "../../h5/group";
import { listObject } from "../../read/listing";
import { VIEW_LIMITS } from "../limits";
import { jsonReply } from "../reply";
import { ViewError } from "../view-error";
import type { Route } from "./route";

const join = (prefix: string, name: string) => (prefix === "/" ? `/${name}` : `${prefix}/${name}`);

/** The members of a group, `limit` of them from `offset` (name order). */
export const membersRoute: Route = async (file, query) => {
  const path = query.objectPath();
  const offset = query.integer("offset", 0);
  const limit = query.integer("limit", 500, 1, VIEW_LIMITS.members);
  const names = await file.withObject(path, async (group) => {
    if (!(group instanceof Group)) throw new ViewError(400, `'${path}' is not a group`);
    return group.keys();
  });
  const shown = names.slice(offset, offset + limit);
  // Without the vlen heap count: it reads every value, and a listing costs what it shows.
  const members = [];
  for (const name of shown) members.push(await listObject(file.h5, join(path, name), { vlenHeap: false }));
  return jsonReply({ path, total: names.length, offset, members });
};
