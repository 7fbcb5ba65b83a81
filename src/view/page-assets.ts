// The page's three files: index.html, style.css and app.js (src/view/page/*.ts bundled by
// esbuild). `npm run build` bundles them into dist/view/page/ (scripts/build-view-page.js), and
// the server reads them from beside itself; run from the sources (tsx, the tests) there is no
// app.js beside src/view/page/main.ts, so the page is bundled in memory on first request, with
// the same esbuild (a devDependency, present wherever the sources are).
import fs from "node:fs";
import path from "node:path";

/** The page's files, read once. */
export interface PageAssets {
  /** index.html, with `{{TOKEN}}` where the token goes. */
  html: string;
  /** style.css. */
  css: string;
  /** The bundled script. */
  js: string;
}

const PAGE_DIR = path.join(__dirname, "page");
let loaded: Promise<PageAssets> | undefined;

/** The page's files (bundled on first use when running from the sources). */
export function pageAssets(): Promise<PageAssets> {
  loaded ??= loadAssets();
  return loaded;
}

async function loadAssets(): Promise<PageAssets> {
  const read = (name: string) => fs.promises.readFile(path.join(PAGE_DIR, name), "utf8");
  const built = path.join(PAGE_DIR, "app.js");
  const js = fs.existsSync(built) ? await read("app.js") : await bundlePage(path.join(PAGE_DIR, "main.ts"));
  return { html: await read("index.html"), css: await read("style.css"), js };
}

/** The page's script bundled in memory (the way scripts/build-view-page.js bundles it to a file). */
async function bundlePage(entry: string): Promise<string> {
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new Error(`the viewer's page is not built (no ${path.join(PAGE_DIR, "app.js")}) and esbuild is not installed to build it: run npm run build`);
  }
  const result = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, format: "iife", target: "es2022", minify: true, logLevel: "silent" });
  return result.outputFiles[0].text;
}
