// JSON and CSV text must be UTF-8: bytes that are not fail with where they are, instead of turning
// quietly into U+FFFD in the stored values; a BOM and gzip are taken off first.
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { test } from "node:test";
import { decodeText, invalidUtf8Message } from "../../src/processors/text-input";
import { prepareJson } from "../../src/processors/json";
import { readCsvRows } from "../../src/processors/csv";

test("valid UTF-8 decodes, without its BOM, gunzipped when it is gzip", () => {
  assert.equal(decodeText(Buffer.from("\ufeffZürich 東京 😀")), "Zürich 東京 😀");
  assert.equal(decodeText(zlib.gzipSync("a,b\n1,2\n")), "a,b\n1,2\n");
  assert.equal(decodeText("\ufeffx"), "x");
});

test("the first byte that is not UTF-8 is named with its offset, line and place on the line", () => {
  const latin1 = Buffer.from('{"a": 1,\n "city": "Orl\xe9ans"}', "latin1");
  assert.throws(() => decodeText(latin1), /^Error: not valid UTF-8: byte 0xE9 at offset 22 \(line 2, byte 14 of the line\); re-encode the file as UTF-8$/);
  // Overlong forms, surrogates, code points past U+10FFFF and cut sequences are not UTF-8 either.
  for (const [bytes, at] of [[[0x41, 0xc0, 0x80], 1], [[0xed, 0xa0, 0x80], 0], [[0xf4, 0x90, 0x80, 0x80], 0], [[0x41, 0x42, 0xe2, 0x82], 2]] as const) {
    assert.match(invalidUtf8Message(Uint8Array.from(bytes)), new RegExp(`at offset ${at} `), String(bytes));
  }
  assert.throws(() => prepareJson(latin1), /not valid UTF-8: byte 0xE9/);
  return assert.rejects(readCsvRows(Buffer.from("name\nJos\xe9\n", "latin1")), /not valid UTF-8: byte 0xE9 at offset 8 \(line 2, byte 4 of the line\)/);
});

test("a .gz that is not gzip after its magic fails saying so", () => {
  assert.throws(() => decodeText(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xff])), /^Error: cannot gunzip: /);
});
