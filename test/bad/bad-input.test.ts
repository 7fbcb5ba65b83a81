// The bad-input corpus as tests: each case in a fresh directory.
import { test } from "node:test";
import { tempDir } from "../helpers/h5py";
import { allCases } from "./all-cases";

const root = tempDir("h5dat-bad-");
for (const [i, badCase] of allCases().entries()) {
  test(`${badCase.name}: ${badCase.expected}`, async () => {
    const { mkdirSync } = await import("node:fs");
    const dir = `${root}/${i}`;
    mkdirSync(dir);
    await badCase.run(dir);
  });
}
