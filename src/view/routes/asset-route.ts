// The page itself: GET / (index.html, the token written into its asset URLs), /app.js and
// /app.css. A fixed table of three names: no part of a URL ever becomes a file path.
import { pageAssets } from "../page-assets";
import type { Reply } from "../reply";

/** The page's files by URL path. */
export async function assetReply(pathname: string, token: string): Promise<Reply | null> {
  const assets = await pageAssets();
  if (pathname === "/" || pathname === "/index.html") return { type: "text/html; charset=utf-8", body: assets.html.replaceAll("{{TOKEN}}", token) };
  if (pathname === "/app.js") return { type: "text/javascript; charset=utf-8", body: assets.js };
  if (pathname === "/app.css") return { type: "text/css; charset=utf-8", body: assets.css };
  return null;
}
