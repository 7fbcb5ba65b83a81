// GET /api/file: the file's name, size and whether it has a manifest, for the page's header.
import fs from "node:fs";
import { MANIFEST_PATH } from "../../output/manifest";
import { jsonReply } from "../reply";
import type { Route } from "./route";

/** The file's name (as given), size in bytes and whether it holds a manifest. */
export const fileRoute: Route = async (file) => {
  const bytes = (await fs.promises.stat(file.name)).size;
  const manifest = await file.h5.has(MANIFEST_PATH).catch(() => false);
  return jsonReply({ name: file.name, bytes, manifest });
};
