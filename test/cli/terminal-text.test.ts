// terminalText: what a name from a file may not do on a terminal (recolour, retitle, overwrite a
// line, ring, reorder), and what it must keep (ordinary text, Windows backslashes, other scripts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { terminalLines, terminalText } from "../../src/cli/terminal-text";

test("terminalText escapes C0, DEL, C1 and bidi controls, and nothing else", () => {
  assert.equal(terminalText("red\x1b[31m.txt"), "red\\x1b[31m.txt");
  assert.equal(terminalText("t\x1b]0;pwned\x07"), "t\\x1b]0;pwned\\x07");
  assert.equal(terminalText("fake\rok\nnext\ttab\x00\x7f"), "fake\\rok\\nnext\\ttab\\x00\\x7f");
  assert.equal(terminalText("csi\u009b31m"), "csi\\u009b31m");
  assert.equal(terminalText("evil\u202etxt.exe\u2066"), "evil\\u202etxt.exe\\u2066");
  for (const plain of ["C:\\data\\x.txt", "naïve 日本語 ∕ ／ 🙂", "a b%2F", ""]) assert.equal(terminalText(plain), plain);
});

test("terminalText leaves no control character, whatever the input", () => {
  let all = "";
  for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
  assert.doesNotMatch(terminalText(all), /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  // Escaping is stable: an escaped text has nothing left to escape.
  assert.equal(terminalText(terminalText(all)), terminalText(all));
});

test("terminalLines keeps the lines, escapes within each", () => {
  assert.equal(terminalLines("a\x1b[2J\nb\r"), "a\\x1b[2J\nb\\r");
});
