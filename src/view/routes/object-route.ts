// GET /api/object?path=P: one object's facts (as `h5dat ls` gives them), its attrs (each past
// 1,000 elements cut to its head, an unreadable one as its reason) and which view it gets.
import { readAttributes } from "../../h5/attribute-info";
import { listObject } from "../../read/listing";
import { messageOf } from "../../error-message";
import { contentView } from "../content-kind";
import { jsonReply } from "../reply";
import type { Route } from "./route";

/** Attribute elements sent at most, as `h5dat show` prints them. */
const ATTR_VALUES = 1000;

/** An object's facts, attrs and view. */
export const objectRoute: Route = async (file, query) => {
  const path = query.objectPath();
  const facts = await listObject(file.h5, path, { vlenHeap: false });
  const { attrs, view } = await file.withObject(path, async (member) => {
    const attrs = await readAttributes(member, ATTR_VALUES);
    // A view that cannot be decided (a corrupt attr or group) is the error in the page, not a 500.
    const view = await contentView(member, attrs).catch((error: unknown) => ({ kind: "unreadable", reason: messageOf(error) }));
    return { attrs, view };
  });
  return jsonReply({ object: facts, attrs, view });
};
