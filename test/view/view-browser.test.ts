// `h5dat view` in a real browser (issue 24): headless Chromium over the converted sample
// (view-sample.ts). What the page shows is checked against the file read by h5py (and by
// h5dat's own readers where they define the answer: readJSON, readImage): the tree against
// `h5dat ls -r`, an image's pixels, a stack's thumbnails with labels and splits, a table page,
// the JSON tree, the manifest filter, the plots, the hex dump, video and audio, a corrupt
// dataset's error. One Chromium for the file; H5DAT_SCREENSHOTS=dir keeps screenshots of the views.
// The page-side callbacks (page.evaluate) run in the browser: the DOM's types.
/// <reference lib="dom" />
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import sharp from "sharp";
import { after, before, test } from "node:test";
import type { Browser, Page } from "puppeteer-core";
import { startViewServer, type ViewServer } from "../../src/view/server";
import { File } from "../../src/h5/file";
import { readImage } from "../../src/read/images";
import { readJSON } from "../../src/read/records";
import { readVideoFrames } from "../../src/read/media";
import { cmykToRgb } from "../../src/view/routes/image-route";
import { compiledCli } from "../helpers/compiled-cli";
import { python, tempDir } from "../helpers/h5py";
import { canvasPixels, imagePixels, launchBrowser, NO_BROWSER } from "./browser";
import { makeViewSample, SAMPLE_PATHS } from "./view-sample";

const skip = NO_BROWSER;
const SHOTS = process.env.H5DAT_SCREENSHOTS;
let file: string;
let server: ViewServer;
let browser: Browser;
let page: Page;

before(async () => {
  if (skip) return;
  file = await makeViewSample(tempDir("h5dat-view-browser-"));
  server = await startViewServer({ file });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 700 });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the page on object `objectPath` and waits for its view of `kind`. */
async function open(objectPath: string, kind: string, settled: string): Promise<void> {
  await page.goto(`${server.url}#${objectPath}`);
  await page.waitForSelector(`.view[data-view="${kind}"] ${settled}`, { timeout: 20_000 });
}

/** A screenshot of the page into H5DAT_SCREENSHOTS (for docs/), as a palette PNG: a tenth the bytes. */
async function screenshot(name: string): Promise<void> {
  if (SHOTS) await sharp(await page.screenshot()).png({ palette: true, colours: 128 }).toFile(path.join(SHOTS, `view-${name}.png`));
}

/** A file's dataset read by h5py: the values as nested lists. */
const h5py = <T>(expression: string, dataset: string) =>
  python<T>(`import sys, json, h5py, numpy as np\nf = h5py.File(sys.argv[1], "r")\nd = f[sys.argv[2]]\nprint(json.dumps(${expression}))`, file, dataset);

test("the tree lists what h5dat ls -r lists", { skip }, async () => {
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready=true]");
  await page.click(".expand-all");
  const listed = JSON.parse(execFileSync(process.execPath, compiledCli("ls", "-r", "--json", file), { encoding: "utf8" })) as { path: string; kind: string }[];
  await page.waitForFunction((n) => document.querySelectorAll("#tree .tree-row:not(.tree-root)").length >= n, { timeout: 20_000 }, listed.length);
  const rows = await page.$$eval("#tree .tree-row:not(.tree-root)", (elements) => elements.map((e) => ({ path: (e as HTMLElement).dataset.path!, kind: (e as HTMLElement).dataset.kind! })));
  assert.deepEqual(rows, listed.map(({ path, kind }) => ({ path, kind })));
  await screenshot("tree");
});

test("an image's rendered pixels equal the dataset's: RGB, RGBA, 16-bit grey, CMYK", { skip }, async () => {
  await open(SAMPLE_PATHS.rgb, "image", "img.image-view");
  const rgb = await imagePixels(page, ".image-view");
  // The second reader: h5py's uint8 [H, W, 3], each pixel exact.
  const stored = h5py<number[]>("d[()].reshape(-1).tolist()", SAMPLE_PATHS.rgb);
  assert.deepEqual(rgb.data.filter((_, i) => i % 4 !== 3), stored);
  await screenshot("image");
  await open(SAMPLE_PATHS.rgba, "image", "img.image-view");
  const rgba = await imagePixels(page, ".image-view");
  const four = h5py<number[]>("d[()].reshape(-1).tolist()", SAMPLE_PATHS.rgba);
  // A canvas keeps colours premultiplied by alpha: at alpha 128 a colour comes back within 1.
  rgba.data.forEach((v, i) => assert.ok(Math.abs(v - four[i]) <= (four[i - (i % 4) + 3] === 255 ? 0 : 1), `sample ${i}: ${v} vs ${four[i]}`));
  for (const [objectPath, convert] of [[SAMPLE_PATHS.depth, null], [SAMPLE_PATHS.cmyk, cmykToRgb]] as const) {
    await open(objectPath, "image", "img.image-view");
    const shown = await imagePixels(page, ".image-view");
    const h5 = await File.open(file, "r");
    let pixels = await readImage(await h5.dataset(objectPath));
    await h5.close();
    if (convert) pixels = convert(pixels);
    // 16-bit samples are shown at 8 bits: within one step of the top byte.
    const expected = Array.from(pixels.data, (v) => (pixels.bitDepth === 16 ? Math.round(v / 257) : v));
    const per = pixels.channels;
    shown.data.forEach((v, i) => {
      const [pixel, channel] = [Math.floor(i / 4), i % 4];
      if (channel === 3) return;
      assert.ok(Math.abs(v - expected[pixel * per + (per === 1 ? 0 : channel)]) <= 1, `${objectPath} sample ${i}`);
    });
  }
});

test("a stacked group shows its images as thumbnails with their labels and splits", { skip }, async () => {
  await open(SAMPLE_PATHS.stack, "stacked", ".stack-grid figure img");
  const truth = python<{ labels: number[]; classes: string[]; train: number[]; val: number[] }>(
    `import sys, json, h5py\nf = h5py.File(sys.argv[1], "r")\ng = f[sys.argv[2]]\nprint(json.dumps({"labels": g["labels"][()].tolist(), "classes": [str(c) for c in g.attrs["class_names"]], "train": g["splits/train"][()].tolist(), "val": g["splits/val"][()].tolist()}))`,
    file, SAMPLE_PATHS.stack,
  );
  const figures = await page.$$eval(".stack-grid figure", (elements) => elements.map((e) => ({ row: Number((e as HTMLElement).dataset.row), label: (e as HTMLElement).dataset.label, split: (e as HTMLElement).dataset.split, caption: e.textContent })));
  assert.equal(figures.length, truth.labels.length);
  for (const figure of figures) {
    assert.equal(figure.label, truth.classes[truth.labels[figure.row]]);
    assert.equal(figure.split, truth.train.includes(figure.row) ? "train" : "val");
    assert.match(figure.caption!, new RegExp(`${figure.label}.*${figure.split}`));
  }
  // A thumbnail is the row's image.
  const row = figures[3].row;
  const thumbnail = await imagePixels(page, `.stack-grid figure[data-row="${row}"] img`);
  assert.deepEqual(thumbnail.data.filter((_, i) => i % 4 !== 3), h5py<number[]>(`d[${row}].reshape(-1).tolist()`, `${SAMPLE_PATHS.stack}/images`));
  await screenshot("stack");
  await page.select(".split-filter", "val");
  await page.waitForFunction((n) => document.querySelectorAll(".stack-grid figure").length === n, {}, truth.val.length);
  assert.deepEqual(await page.$$eval(".stack-grid figure", (e) => e.map((f) => Number((f as HTMLElement).dataset.row))), truth.val);
});

test("a table page shows the rows of its range", { skip }, async () => {
  await open(SAMPLE_PATHS.bigTable, "table", ".data-table tbody tr");
  await page.click(".pager-next");
  await page.waitForSelector('.data-table tbody tr[data-row="50"]');
  const cells = await page.$$eval(".data-table tbody tr", (rows) => rows.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent)));
  const truth = h5py<[number, number, string][]>("[[int(r['id']), float(r['value']), r['name'].decode()] for r in d[50:100]]", SAMPLE_PATHS.bigTable);
  assert.deepEqual(cells, truth.map((r, i) => [String(50 + i), String(r[0]), String(r[1]), r[2]]));
  assert.match(await page.$eval(".pager-label", (e) => e.textContent!), /^50–99 of 120$/);
  await open(SAMPLE_PATHS.table, "table", ".data-table tbody tr");
  await screenshot("table");
});

/** Each leaf of a JSON value by its JSON pointer, as JSON text. */
function leaves(value: unknown, pointer = "", out: Record<string, string> = {}): Record<string, string> {
  if (value === null || typeof value !== "object") out[pointer] = JSON.stringify(value);
  else if (Object.keys(value).length === 0) out[pointer] = Array.isArray(value) ? "[]" : "{}";
  else for (const [k, v] of Object.entries(value)) leaves(v, `${pointer}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`, out);
  return out;
}

test("the JSON view shows what readJSON reads", { skip }, async () => {
  await open(SAMPLE_PATHS.json, "json", ".json-leaf");
  const shown = await page.$$eval(".json-leaf", (elements) => Object.fromEntries(elements.map((e) => [(e as HTMLElement).dataset.pointer!, e.lastChild!.textContent!.replace(/^.*: /, "")])));
  const h5 = await File.open(file, "r");
  const value = await readJSON(await h5.group(SAMPLE_PATHS.json));
  await h5.close();
  assert.deepEqual(shown, leaves(value));
  await screenshot("json");
});

test("the manifest's filter shows exactly the failed entries, with their causes", { skip }, async () => {
  await open("/_h5dat/manifest", "manifest", ".manifest-row");
  await screenshot("manifest");
  const failed = python<[string, string][]>(
    `import sys, json, h5py\nm = h5py.File(sys.argv[1], "r")["/_h5dat/manifest"][()]\nprint(json.dumps([[r["source_path"].decode(), r["message"].decode()] for r in m if r["status"] == b"failed"]))`,
    file,
  );
  assert.equal(failed.length, 1);
  await page.select(".manifest-status", "failed");
  await page.waitForFunction(() => Array.from(document.querySelectorAll(".manifest-row")).every((r) => (r as HTMLElement).dataset.status === "failed"));
  const rows = await page.$$eval(".manifest-row", (e) => e.map((r) => [r.children[2].textContent, r.children[5].textContent]));
  assert.deepEqual(rows, failed);
  assert.match(await page.$eval('.manifest-counts [data-status="failed"]', (e) => e.textContent!), /failed 1/);
  // A written row links to its dataset.
  await page.select(".manifest-status", "written");
  await page.waitForSelector(".manifest-row a");
  await page.click(".manifest-row a");
  await page.waitForSelector(".view[data-view] ", { timeout: 20_000 });
});

test("numbers: a line plot of 1-D data, a heatmap of a 3-D dataset's slice", { skip }, async () => {
  await open(SAMPLE_PATHS.line, "numeric", "canvas.line-plot");
  const plot = await canvasPixels(page, "canvas.line-plot");
  assert.ok(plot.data.some((v, i) => i % 4 === 3 && v > 0), "the line is drawn");
  await open(SAMPLE_PATHS.cube, "numeric", "canvas.heatmap");
  await screenshot("heatmap");
  const heat = await canvasPixels(page, "canvas.heatmap");
  assert.deepEqual([heat.width, heat.height], [30, 20]);
  // Slice 0 of the cube runs from -300 (first cell, viridis' dark end) to 299 (last cell, its yellow end).
  assert.deepEqual(heat.data.slice(0, 3), [68, 1, 84]);
  assert.deepEqual(heat.data.slice(-4, -1), [253, 231, 37]);
  await page.$eval(".axis-index", (input) => {
    (input as HTMLInputElement).value = "2";
    input.dispatchEvent(new Event("change"));
  });
  await page.waitForFunction(() => document.querySelector(".slice-text")?.textContent?.startsWith("[2,"));
  assert.match(await page.$eval(".slice-text", (e) => e.textContent!), /min 1700 max 2299/);
});

test("raw bytes as a hex dump", { skip }, async () => {
  await open(SAMPLE_PATHS.bytes, "bytes", "pre.hex-view");
  const text = await page.$eval("pre.hex-view", (e) => e.textContent!);
  const bytes = h5py<number[]>("d[()].tolist()", SAMPLE_PATHS.bytes);
  const lines = text.split("\n");
  assert.equal(lines.length, Math.ceil(bytes.length / 16));
  assert.equal(lines[1].slice(0, 57), `00000010  ${bytes.slice(16, 32).map((b) => b.toString(16).padStart(2, "0")).join(" ")}`);
});

test("a corrupt dataset shows its error, and the page goes on working", { skip }, async () => {
  await open(SAMPLE_PATHS.corrupt, "numeric", ".view-error");
  assert.ok((await page.$eval(".view-error", (e) => e.textContent!)).length > 0);
  await page.evaluate((p) => (location.hash = p), SAMPLE_PATHS.line);
  await page.waitForSelector('.view[data-view="numeric"] canvas.line-plot');
});

test("video (and any [N, H, W, C] pixels): the frame scrubber shows the frame it is on; audio: a player and a waveform", { skip }, async () => {
  await open(SAMPLE_PATHS.video, "video", "img.video-frame");
  await page.$eval(".frame-slider", (input) => {
    (input as HTMLInputElement).value = "5";
    input.dispatchEvent(new Event("input"));
  });
  await page.waitForFunction(() => (document.querySelector("img.video-frame") as HTMLImageElement).src.includes("frame=5"));
  const frame = await imagePixels(page, "img.video-frame");
  const h5 = await File.open(file, "r");
  const stored = await readVideoFrames(await h5.dataset(SAMPLE_PATHS.video), 5);
  await h5.close();
  assert.deepEqual(frame.data.filter((_, i) => i % 4 !== 3), Array.from(stored.data));
  await screenshot("video");
  // Any [N, H, W, C] array of pixels gets the same scrubber: here the stack's images array, row 3.
  await open(`${SAMPLE_PATHS.stack}/images`, "video", "img.video-frame");
  await page.$eval(".frame-slider", (input) => {
    (input as HTMLInputElement).value = "3";
    input.dispatchEvent(new Event("input"));
  });
  await page.waitForFunction(() => (document.querySelector("img.video-frame") as HTMLImageElement).src.includes("frame=3"));
  const row = await imagePixels(page, "img.video-frame");
  assert.deepEqual(row.data.filter((_, i) => i % 4 !== 3), h5py<number[]>("d[3].reshape(-1).tolist()", `${SAMPLE_PATHS.stack}/images`));
  await open(SAMPLE_PATHS.audio, "audio", "audio");
  const duration = await page.$eval("audio", (element) => {
    const audio = element as HTMLAudioElement;
    return audio.readyState >= 1 ? audio.duration : new Promise<number>((resolve) => audio.addEventListener("loadedmetadata", () => resolve(audio.duration)));
  });
  assert.ok(Math.abs(duration - 1) < 0.01, `the WAV lasts ${duration} s`);
  await page.waitForFunction(() => document.querySelector(".audio-facts")?.textContent !== "");
  const wave = await canvasPixels(page, "canvas.waveform");
  assert.ok(wave.data.some((v, i) => i % 4 === 3 && v > 0), "the waveform is drawn");
  await screenshot("audio");
});

test("the page without the token, or with a wrong one, is 403", { skip }, async () => {
  const response = await page.goto(server.url.replace(/token=\w+/, "token=wrong"));
  assert.equal(response!.status(), 403);
  assert.equal((await page.goto(server.url.replace(/\?token=\w+/, "")))!.status(), 403);
});
