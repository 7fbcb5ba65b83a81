// Tables too wide for a compound type (wide-table.ts): where the bound lies (the largest table
// kept as a compound still writes, for each column type and long or non-ASCII names), the group
// written past it as h5py reads it, a header-only wide table, a preamble, and kv mode unchanged.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { File, readTable } from "../../src";
import { Dataset } from "../../src/h5/dataset";
import { Group } from "../../src/h5/group";
import { writeCsv } from "../../src/processors/csv";
import { fieldNames } from "../../src/processors/field-names";
import type { CsvColumnType } from "../../src/processors/csv-table";
import { isWideTable, MOST_COMPOUND_BYTES } from "../../src/processors/wide-table";
import { python, tempDir } from "../helpers/h5py";

const dir = tempDir();
const CELL: Record<CsvColumnType, string> = { int64: "7", float64: "1.5", bool: "true", string: "s" };

/** A CSV of `n` columns named by `name`, one row of `type` cells. */
function csvOf(n: number, type: CsvColumnType, name: (c: number) => string): string {
  const header = Array.from({ length: n }, (_, c) => name(c));
  return `${header.join(",")}\n${header.map(() => CELL[type]).join(",")}\n`;
}

/** The most columns of `type` named by `name` that stay a compound. */
function compoundMost(type: CsvColumnType, name: (c: number) => string): number {
  let n = 1;
  while (!isWideTable(fieldNames(Array.from({ length: n + 1 }, (_, c) => name(c))), new Array(n + 1).fill(type))) n++;
  return n;
}

describe("the wide bound", () => {
  const names: [string, (c: number) => string][] = [
    ["short names", (c) => `c${c}`],
    ["30-character names", (c) => `a_rather_long_name_${String(c).padStart(11, "0")}`],
    ["non-ASCII names", (c) => `températureé${c}`],
  ];
  for (const type of ["int64", "float64", "bool", "string"] as const) {
    for (const [what, name] of names) {
      test(`${type} columns, ${what}: the widest compound writes, one more column is a wide group`, async () => {
        const most = compoundMost(type, name);
        const f = await File.open(path.join(dir, `bound-${type}-${what.replace(/\W/g, "")}.h5`), "w");
        try {
          const narrow = await writeCsv(f, "narrow", csvOf(most, type, name));
          assert.ok(narrow instanceof Dataset, `${most} columns: a compound dataset`);
          await narrow.close();
          const wide = await writeCsv(f, "wide", csvOf(most + 1, type, name));
          assert.ok(wide instanceof Group, `${most + 1} columns: a group`);
          await wide.close();
        } finally {
          await f.close();
        }
      });
    }
  }

  test(`the estimate stays under HDF5's 64 KiB with a quarter to spare (${MOST_COMPOUND_BYTES} bytes)`, () => {
    assert.equal(MOST_COMPOUND_BYTES, 48 * 1024);
    assert.equal(isWideTable(["a", "b"], ["int64", "string"]), false);
  });
});

describe("a wide table's group", () => {
  test("as h5py reads it: attrs, columns, column_types and one matrix per type in header order", async () => {
    const file = path.join(dir, "group.h5");
    const columns = 4000;
    const header = Array.from({ length: columns }, (_, c) => `c${c}`);
    const types: CsvColumnType[] = ["int64", "string", "float64", "bool"];
    const row = (r: number) => header.map((_, c) => (c % 4 === 0 ? String(c + r) : c % 4 === 1 ? `t${c}` : c % 4 === 2 ? `${r}.5` : r ? "TRUE" : "false"));
    const text = `# note\n${header.join(",")}\n${row(0).join(",")}\n${row(1).join(",")}\n`;
    const f = await File.open(file, "w");
    await (await writeCsv(f, "t", text)).close();
    await f.close();
    const seen = python<Record<string, unknown>>(
      String.raw`
import h5py, json, sys
g = h5py.File(sys.argv[1], "r")["t"]
print(json.dumps({
  "attrs": {k: (v if isinstance(v, str) else [str(x) for x in v]) for k, v in g.attrs.items()},
  "members": sorted(g.keys()),
  "columns": list(g["columns"].asstr()[:3]),
  "types": list(g["column_types"].asstr()[:5]),
  "shapes": {k: list(g[k].shape) for k in g.keys()},
  "int64": g["int64"][:, :2].tolist(), "float64": g["float64"][:, 0].tolist(),
  "bool": g["bool"][:, 0].tolist(), "bool_dtype": str(g["bool"].dtype), "string": g["string"].asstr()[1, :2].tolist(),
}))`,
      file,
    );
    assert.deepEqual(seen.attrs, { layout: "wide", mode: "table", preamble: ["# note"] });
    assert.deepEqual(seen.members, ["bool", "column_types", "columns", "float64", "int64", "string"]);
    assert.deepEqual(seen.columns, ["c0", "c1", "c2"]);
    assert.deepEqual(seen.types, [...types, "int64"]);
    assert.deepEqual(seen.shapes, { bool: [2, 1000], column_types: [4000], columns: [4000], float64: [2, 1000], int64: [2, 1000], string: [2, 1000] });
    assert.deepEqual(seen.int64, [[0, 4], [1, 5]]);
    assert.deepEqual(seen.float64, [0.5, 1.5]);
    assert.deepEqual(seen.bool, [false, true]);
    assert.equal(seen.bool_dtype, "bool");
    assert.deepEqual(seen.string, ["t1", "t5"]);
    const reader = await File.open(file, "r");
    const table = await readTable(await reader.group("t"));
    assert.deepEqual([...table.rowValues()][1].slice(0, 4), [1n, "t1", 1.5, true]);
    assert.deepEqual(table.byName.c5, ["t5", "t5"]);
    await reader.close();
  });

  test("a header with no rows: every column a string, a [0, C] string matrix, read back as 0 rows", async () => {
    const file = path.join(dir, "header-only.h5");
    const header = Array.from({ length: 5000 }, (_, c) => `h${c}`);
    const f = await File.open(file, "w");
    const group = await writeCsv(f, "t", `${header.join(",")}\n`);
    assert.ok(group instanceof Group);
    await group.close();
    await f.close();
    const reader = await File.open(file, "r");
    const table = await readTable(await reader.group("t"));
    assert.deepEqual([table.columns.length, table.length, table.total], [5000, 0, 0]);
    assert.deepEqual(table.values[4999], []);
    await reader.close();
    assert.deepEqual(python(`import h5py, sys; print(list(h5py.File(sys.argv[1])["t/string"].shape))`, file), [0, 5000]);
  });

  test("kv mode keeps its one [R, C] ragged string array however wide", async () => {
    const file = path.join(dir, "kv.h5");
    const f = await File.open(file, "w");
    const group = await writeCsv(f, "t", csvOf(20_000, "int64", (c) => `k${c}`), { mode: "kv" });
    assert.ok(group instanceof Group);
    assert.deepEqual([await group.attrs.get("layout"), Array.from(await group.attrs.get("shape") as ArrayLike<bigint>, Number)], ["ragged-utf8", [1, 20_000]]);
    await group.close();
    await f.close();
    const reader = await File.open(file, "r");
    const table = await readTable(await reader.group("t"));
    await reader.close();
    assert.deepEqual([table.mode, table.columns.length, table.length, table.columns[19_999]], ["kv", 20_000, 1, "k19999"]);
  });

  test("readTable of a group that is no wide table says so", async () => {
    const file = path.join(dir, "plain-group.h5");
    const f = await File.open(file, "w");
    await (await f.createGroup("g")).close();
    await f.close();
    const reader = await File.open(file, "r");
    await assert.rejects(readTable(await reader.group("g")), /'\/g' is a group, not a table/);
    await reader.close();
  });
});
