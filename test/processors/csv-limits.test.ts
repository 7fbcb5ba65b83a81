// The size check before a CSV is parsed (csv-limits.ts): which row and column a long field is in
// (quotes, doubled quotes, line breaks inside quotes, CRLF), its length in UTF-8 bytes, the cell
// bound, and that fields at the limit pass and are parsed as before.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseCsv } from "../../src/processors/csv";
import { checkCsvSizes, checkMaxCsvField, MAX_CSV_CELLS, maxCsvFieldOf, MOST_CSV_FIELD } from "../../src/processors/csv-limits";
import { checkConfig, ConfigError } from "../../src/config/load-config";
import { EntryLimitError } from "../../src/sources/entry-limits";

/** The error checkCsvSizes throws on `text`, or null. */
function failure(text: string, maxField: number, delimiter = ","): EntryLimitError | null {
  try {
    checkCsvSizes(text, delimiter, maxField);
    return null;
  } catch (error) {
    assert.ok(error instanceof EntryLimitError, String(error));
    return error;
  }
}

describe("checkCsvSizes", () => {
  test("a field of exactly the limit passes; one byte more fails naming row, column and the limit", () => {
    assert.equal(failure(`a,b\n1,${"x".repeat(16)}\n`, 16), null);
    assert.equal(failure(`a,b\n1,${"x".repeat(17)}\n`, 16)?.message, "CSV row 2, column 2: a field over --max-csv-field 16 bytes (the CSV is not parsed)");
  });

  test("quotes count, and a line break or delimiter inside quotes stays in the field and the row", () => {
    // Row 2's second field spans two lines; row 3 starts after it.
    const text = `a,b,c\n1,"x\ny,z",2\n3,4,"${"q".repeat(30)}"\n`;
    assert.equal(failure(text, 32), null); // 30 + 2 quotes
    assert.match(failure(text, 31)!.message, /^CSV row 3, column 3: /);
    // Doubled quotes are one character of the cell but two bytes of the field.
    assert.match(failure(`a\n"${'""'.repeat(10)}"\n`, 21)!.message, /^CSV row 2, column 1: /);
    assert.equal(failure(`a\n"${'""'.repeat(10)}"\n`, 22), null);
  });

  test("CRLF and CR end rows as LF does; blank lines are rows", () => {
    assert.match(failure(`a\r\n\r\n1\r\n${"x".repeat(9)}\r\n`, 8)!.message, /^CSV row 4, column 1: /);
    assert.match(failure(`a\r1\r${"x".repeat(9)}`, 8)!.message, /^CSV row 3, column 1: /);
  });

  test("fields are measured in UTF-8 bytes (2, 3 and 4 byte characters)", () => {
    assert.equal(failure("é".repeat(4), 8), null);
    assert.ok(failure("é".repeat(5), 8));
    assert.equal(failure("東".repeat(3), 9), null);
    assert.ok(failure("東".repeat(4), 9));
    assert.equal(failure("😀".repeat(2), 8), null);
    assert.ok(failure("😀".repeat(3), 8));
  });

  test("the delimiter is the one given (a TSV's commas are inside its fields)", () => {
    assert.equal(failure("a\tb\n1,2,3,4\t5\n", 7, "\t"), null);
    assert.match(failure("a\tb\n1,2,3,4\t5\n", 6, "\t")!.message, /^CSV row 2, column 1: /);
  });

  test(`more than ${MAX_CSV_CELLS.toLocaleString("en-US")} cells fail before parsing`, () => {
    const error = failure(",".repeat(MAX_CSV_CELLS), MOST_CSV_FIELD);
    assert.match(error!.message, /^CSV row 1: more than 16,777,216 cells in the file, over the CSV limit/);
    assert.equal(failure(",".repeat(MAX_CSV_CELLS - 1), MOST_CSV_FIELD), null);
  });

  test("parseCsv applies the limit (maxField) and parses a file under it as before", async () => {
    await assert.rejects(parseCsv(`a\n${"x".repeat(100)}\n`, { maxField: 64 }), /CSV row 2, column 1: a field over --max-csv-field 64 bytes/);
    const table = await parseCsv(`a\n${"x".repeat(100)}\n`, { maxField: 100 });
    assert.deepEqual(table.values[0], ["x".repeat(100)]);
  });
});

describe("the --max-csv-field setting", () => {
  test("defaults to 64 MiB; 0 and anything larger mean the parser's most, 80 MiB", () => {
    assert.equal(maxCsvFieldOf({}), 64 * 2 ** 20);
    assert.equal(maxCsvFieldOf({ maxCsvField: 0 }), MOST_CSV_FIELD);
    assert.equal(maxCsvFieldOf({ maxCsvField: 2 ** 40 }), MOST_CSV_FIELD);
    assert.equal(maxCsvFieldOf({ maxCsvField: 1024 }), 1024);
  });

  test("the config key max_csv_field takes bytes up to 80 MiB", () => {
    assert.deepEqual(checkConfig({ max_csv_field: 1024 }), { max_csv_field: 1024 });
    assert.throws(() => checkConfig({ max_csv_field: MOST_CSV_FIELD + 1 }, "c.json"), (e: unknown) => e instanceof ConfigError && /\/max_csv_field: must be <= 83886080/.test(e.message));
    assert.throws(() => checkConfig({ max_csv_field: "64M" }, "c.json"), /\/max_csv_field: must be integer/);
  });

  test("the flag refuses more than the parser holds, saying why", () => {
    assert.equal(checkMaxCsvField(MOST_CSV_FIELD, "--max-csv-field"), MOST_CSV_FIELD);
    assert.throws(() => checkMaxCsvField(MOST_CSV_FIELD + 1, "--max-csv-field"), /--max-csv-field may be at most 80 MiB \(a longer field cannot be parsed\)/);
  });
});
