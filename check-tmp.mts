import fs from "node:fs";
const { File, readTable } = await import("./src/index.ts");
const { parseCsv } = await import("./src/processors/csv.ts");
const [h5, csv, target] = process.argv.slice(2);
const whole = await parseCsv(fs.readFileSync(csv));
const f = await File.open(h5, "r");
const t = await readTable(await f.get(target) as any);
let bad = 0;
whole.columns.forEach((c, i) => {
  const a = Array.from(whole.values[i] as ArrayLike<unknown>), b = Array.from(t.values[i] as ArrayLike<unknown>);
  if (a.length !== b.length) { bad++; console.log("length", c, a.length, b.length); }
  for (let r = 0; r < a.length; r++) if (!(Object.is(a[r], b[r]))) { if (bad++ < 5) console.log("diff", c, r, a[r], b[r]); }
  console.log(c, whole.types[i], (t.values[i] as any).constructor.name, a.length, b.length);
});
console.log("bad", bad);
await f.close();
