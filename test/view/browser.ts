// Headless Chromium for the viewer's tests: Debian's `chromium` (.ci/run installs it) driven by
// puppeteer-core. Where it is missing the browser tests skip, saying so.
// The page-side callbacks (page.evaluate) run in the browser: the DOM's types.
/// <reference lib="dom" />
import fs from "node:fs";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

/** Where Debian puts Chromium (H5DAT_CHROMIUM overrides). */
export const CHROMIUM = process.env.H5DAT_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests skip, or false when Chromium is there. */
export const NO_BROWSER: string | false = fs.existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium): the browser tests skip`;

/** Chromium, headless; sRGB output so that a canvas reads back the pixels it was given. */
export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--force-color-profile=srgb", "--autoplay-policy=no-user-gesture-required"],
  });
}

/** The RGBA pixels of the image `selector` shows (drawn at its natural size on a canvas). */
export function imagePixels(page: Page, selector: string): Promise<{ width: number; height: number; data: number[] }> {
  return page.$eval(selector, async (element) => {
    const img = element as HTMLImageElement;
    await img.decode();
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
    const context = canvas.getContext("2d", { colorSpace: "srgb" })!;
    context.drawImage(img, 0, 0);
    return { width: canvas.width, height: canvas.height, data: Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data) };
  });
}

/** The RGBA pixels of a canvas of the page. */
export function canvasPixels(page: Page, selector: string): Promise<{ width: number; height: number; data: number[] }> {
  return page.$eval(selector, (element) => {
    const canvas = element as HTMLCanvasElement;
    return { width: canvas.width, height: canvas.height, data: Array.from(canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data) };
  });
}
