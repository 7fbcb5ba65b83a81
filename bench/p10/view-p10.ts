// P10's measuring side (issue 24), run by run-p10.ts: `h5dat view` (its own process, the CLI)
// over one file, browsed by headless Chromium; prints one JSON line. Time to first paint of the
// tree is from navigation start to the first member row in the DOM; of an image, from asking for
// the object (setting the hash) to its <img> (or the stack's first thumbnail) decoded. The
// server's RSS is sampled every 20 ms from /proc while the page browses: the tree, an image,
// a big group opened, a table page, a stack's grid and its next page.
//
//   node --import tsx bench/p10/view-p10.ts FILE IMAGE_PATH GROUP_PATH TABLE_PATH REPS
// The page-side callbacks (page.evaluate) run in the browser: the DOM's types.
/// <reference lib="dom" />
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "puppeteer-core";
import { launchBrowser } from "../../test/view/browser";

const ROOT = path.join(__dirname, "..", "..");
const [file, imagePath, groupPath, tablePath, repsText] = process.argv.slice(2);

/**
 * `h5dat view FILE --port 0` as users run it, the built CLI (run-p10 builds it first: under tsx
 * the server's RSS is 40 MB more, the loader's), and its URL once printed.
 */
function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, "dist", "cli", "main.js"), "view", file, "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk;
      const url = /http:\/\/\S+/.exec(out);
      if (url) resolve({ child, url: url[0] });
    });
    child.on("exit", (code) => reject(new Error(`h5dat view exited ${code}: ${out}`)));
  });
}

/** The peak of a process's RSS (MB), sampled until stop() is called. */
function sampleRss(pid: number): { stop: () => number } {
  let peak = 0;
  const read = () => {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    if (match) peak = Math.max(peak, Number(match[1]) / 1024);
  };
  read();
  const timer = setInterval(read, 20);
  return { stop: () => (clearInterval(timer), read(), peak) };
}

/** Seconds from navigation to the tree's first member row. */
async function treePaint(page: Page, url: string): Promise<number> {
  const t0 = performance.now();
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.waitForSelector("#tree .tree-row:not(.tree-root)", { timeout: 120_000 });
  return (performance.now() - t0) / 1000;
}

/** Seconds from asking for `objectPath` to its image (or first thumbnail) decoded. */
async function imagePaint(page: Page, objectPath: string): Promise<number> {
  const t0 = performance.now();
  await page.evaluate((p) => (location.hash = p), objectPath);
  await page.waitForFunction(
    () => {
      const img = document.querySelector(".view img.image-view, .view .stack-grid img") as HTMLImageElement | null;
      return img !== null && img.complete && img.naturalWidth > 0;
    },
    { timeout: 120_000, polling: 5 },
  );
  return (performance.now() - t0) / 1000;
}

/** Browses the rest: a big group opened, a table's second page, a stack's next page. */
async function browse(page: Page): Promise<void> {
  await page.evaluate((p) => (location.hash = p), groupPath);
  await page.waitForSelector(".view[data-view]", { timeout: 120_000 });
  await page.$$eval(`#tree .tree-row[data-path="${groupPath}"]`, (rows) => rows.forEach((r) => (r as HTMLElement).click()));
  await page.waitForSelector(`.tree-children[data-of="${groupPath}"] .tree-row`, { timeout: 120_000 });
  await page.evaluate((p) => (location.hash = p), tablePath);
  await page.waitForSelector(".view[data-view] .data-table tbody tr, .view[data-view] .stack-grid img, .view[data-view] .view-error", { timeout: 120_000 });
  if (await page.$(".pager-next:not([disabled])")) await page.click(".pager-next");
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

async function main(): Promise<void> {
  const reps = Number(repsText);
  const server = await startServer();
  const rss = sampleRss(server.child.pid!);
  const browser = await launchBrowser();
  const tree: number[] = [];
  const image: number[] = [];
  try {
    for (let rep = 0; rep <= reps; rep++) {
      const page = await browser.newPage();
      await page.setCacheEnabled(false);
      const t = await treePaint(page, server.url);
      const i = await imagePaint(page, imagePath);
      // Rep 0 warms the page cache and Chromium up: not counted.
      if (rep > 0) [tree.push(t), image.push(i)];
      console.log(`   ${rep === 0 ? "warm-up" : `rep ${rep}/${reps}`}  tree ${t.toFixed(3)} s, image ${i.toFixed(3)} s`);
      if (rep === reps) await browse(page);
      await page.close();
    }
  } finally {
    await browser.close();
    server.child.kill("SIGINT");
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  console.log(JSON.stringify({ tree_s: median(tree), image_s: median(image), rss_peak_mb: Math.round(rss.stop()), file_bytes: fs.statSync(file).size }));
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
