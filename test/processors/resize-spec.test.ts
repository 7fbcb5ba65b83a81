// --resize for the stacked layout: parsing, and what sharp makes of each fit on a real image.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import sharp from "sharp";
import { parseResize, sharpResize } from "../../src/processors/resize-spec";

describe("parseResize", () => {
  test("WxH with an optional fit; cover by default", () => {
    assert.deepEqual(parseResize("224x224"), { width: 224, height: 224, fit: "cover" });
    assert.deepEqual(parseResize("640x480:contain"), { width: 640, height: 480, fit: "contain" });
    assert.deepEqual(parseResize("32x16:fill"), { width: 32, height: 16, fit: "fill" });
  });

  test("clear errors", () => {
    assert.throws(() => parseResize("224"), /not WxH\[:cover\|contain\|fill\]/);
    assert.throws(() => parseResize("224x224:crop"), /not WxH/);
    assert.throws(() => parseResize("0x10"), /each side must be 1 to 16383/);
  });
});

describe("sharpResize", () => {
  // A 40×20 image: left half red, right half blue.
  const source = () => {
    const pixels = Buffer.alloc(40 * 20 * 3);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 40; x++) pixels.set(x < 20 ? [255, 0, 0] : [0, 0, 255], (y * 40 + x) * 3);
    return sharp(pixels, { raw: { width: 40, height: 20, channels: 3 } });
  };
  const pixel = (data: Buffer, width: number, x: number, y: number) => Array.from(data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));

  test("contain pads with 0 above and below (no alpha added); cover crops the sides; fill stretches", async () => {
    const { data: contain, info } = await source().resize(sharpResize(parseResize("20x20:contain"))).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.channels, 3);
    assert.deepEqual(pixel(contain, 20, 10, 0), [0, 0, 0]);
    assert.deepEqual(pixel(contain, 20, 2, 10), [255, 0, 0]);
    const cover = await source().resize(sharpResize(parseResize("20x20"))).raw().toBuffer();
    assert.deepEqual(pixel(cover, 20, 1, 0), [255, 0, 0]);
    assert.deepEqual(pixel(cover, 20, 18, 19), [0, 0, 255]);
    const fill = await source().resize(sharpResize(parseResize("20x40:fill"))).raw().toBuffer();
    assert.equal(fill.length, 20 * 40 * 3);
    assert.deepEqual(pixel(fill, 20, 0, 39), [255, 0, 0]);
  });
});
