// The checks every dataset route makes first: the object is a dataset, and (for the routes that
// read values) one whose values this build can read; else a 400 that says what it is.
import { Dataset } from "../../h5/dataset";
import type { H5Member } from "../../h5/group";
import { ViewError } from "../view-error";

/** `member` as a Dataset, or a 400 naming what it is. */
export function asDataset(member: H5Member, path: string): Dataset {
  if (!(member instanceof Dataset)) throw new ViewError(400, `'${path}' is a ${member.constructor.name.toLowerCase()}, not a dataset`);
  const unreadable = member.unreadable;
  if (unreadable) throw new ViewError(422, `'${path}' cannot be read: ${unreadable}`);
  return member;
}
