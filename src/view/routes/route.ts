// The shape of a viewer route: the file and the request's query in, a reply out.
import type { Query } from "../query";
import type { Reply } from "../reply";
import type { ViewedFile } from "../viewed-file";

/** One GET endpoint of the viewer. */
export type Route = (file: ViewedFile, query: Query) => Promise<Reply>;
