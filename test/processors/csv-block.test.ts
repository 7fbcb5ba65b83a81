// The pieces of a streamed CSV (csv-stream.ts): the quote-free split equals fast-csv's reading on
// random texts; a block parsed and typed as a worker does it, its texts as UTF-8 end to end; the size check fed in pieces finds
// what it finds in the whole text, and says where the last whole row ended.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseString } from "fast-csv";
import { encodeStrings, longestOf, stringsOf, type EncodedStrings } from "../../src/h5/encoded-strings";
import { parseCsvBlock, splitUnquoted } from "../../src/processors/csv-block";
import { checkCsvSizes, CsvSizeCheck } from "../../src/processors/csv-limits";
import { seededRandom } from "../helpers/seeded-random";

function fastCsv(text: string, delimiter: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString(text, { delimiter, quote: '"', escape: '"' })
      .on("data", (row: string[]) => rows.push(row))
      .on("error", reject)
      .on("end", () => resolve(rows));
  });
}

describe("splitUnquoted", () => {
  test("gives fast-csv's rows for 20,000 random quote-free texts (CR, LF, CRLF, blank and whitespace rows, five delimiters)", async () => {
    const pieces = ["a", "b", " ", ",", ";", "\n", "\r", "\r\n", "\t", "é", "1", "", "\f", "\v", "\u00a0", "|", "  x  ", "東"];
    const next = seededRandom(19);
    let checked = 0;
    for (let n = 0; n < 4000; n++) {
      let text = "";
      const length = Math.floor(next() * 40);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
      for (const delimiter of [",", ";", "\t", "|", " "]) {
        assert.deepEqual(splitUnquoted(text, delimiter), await fastCsv(text, delimiter), `${JSON.stringify(text)} split at ${JSON.stringify(delimiter)}`);
        checked++;
      }
    }
    assert.equal(checked, 20000);
  });
});

describe("parseCsvBlock", () => {
  test("types each column by its cells, keeps asked columns as text, and packs texts", async () => {
    const text = 'id,x,ok,name\n1,2.5,TRUE,"a, b"\n\n2,,false,ü\n';
    const block = await parseCsvBlock(Buffer.from(text.slice(text.indexOf("\n") + 1)), { delimiter: ",", quote: '"', width: 4, decimalComma: false, texts: [0] });
    assert.equal(block.records, 3);
    assert.equal(block.rows, 2);
    assert.deepEqual(block.columns.map((c) => c.type), ["string", "float64", "bool", "string"]);
    // Column 0 is text as asked, though its typing saw ints (the writer merges what it saw).
    assert.equal(block.columns[0].typing.ints, true);
    assert.deepEqual(Array.from(block.columns[1].values as Float64Array), [2.5, NaN]);
    assert.deepEqual(Array.from(block.columns[2].values as Uint8Array), [1, 0]);
    assert.deepEqual(stringsOf(block.columns[3].values as EncodedStrings), ["a, b", "ü"]);
  });

  test("a row of another width is reported by its record in the block, not typed", async () => {
    const block = await parseCsvBlock(Buffer.from("1,2\n\n3\n4,5\n"), { delimiter: ",", quote: '"', width: 2, decimalComma: false, texts: [] });
    assert.deepEqual(block.odd, { record: 2, cells: 1 });
  });
});

describe("encodeStrings", () => {
  test("packs UTF-8 end to end with end offsets; the longest string's bytes; decoded back", () => {
    const encoded = encodeStrings(["", "ab", "東京", "x"]);
    assert.deepEqual(Array.from(encoded.ends), [0, 2, 8, 9]);
    assert.equal(longestOf(encoded), 6);
    assert.deepEqual(stringsOf(encoded), ["", "ab", "東京", "x"]);
  });
});

describe("CsvSizeCheck fed in pieces", () => {
  const text = 'a,b\r\n"x\r\n""y""",2\r\n' + "z".repeat(40) + ',3\n"' + "q".repeat(30) + '",4\r\n';
  const outcome = (run: () => void) => {
    try {
      run();
      return "ok";
    } catch (error) {
      return (error as Error).message;
    }
  };

  test("at every cut into two pieces, finds what the whole text's check finds, and the last row break outside quotes", () => {
    for (const limit of [20, 35, 64]) {
      const whole = outcome(() => checkCsvSizes(text, ",", limit));
      for (let cut = 0; cut <= text.length; cut++) {
        const check = new CsvSizeCheck(",", limit, '"');
        const breaks: number[] = [];
        const pieced = outcome(() => {
          check.feed(text.slice(0, cut));
          if (check.lastBreak >= 0) breaks.push(check.lastBreak);
          check.feed(text.slice(cut));
          if (check.lastBreak >= 0) breaks.push(cut + check.lastBreak);
        });
        assert.equal(pieced, whole, `limit ${limit}, cut at ${cut}`);
        if (whole !== "ok") continue;
        // Each break reported ends a row outside quotes: the text before it is whole rows.
        for (const at of breaks) assert.ok([5, 19, 62, 98].includes(at), `limit ${limit}, cut at ${cut}: a break at ${at}`);
      }
    }
  });
});
